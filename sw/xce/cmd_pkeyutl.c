/* cmd_pkeyutl.c - "xce pkeyutl": RSA signatures and encryption as openssl
 * pkeyutl (3.0) makes them, every modular exponentiation on the engine's
 * public-key unit through libxce (or in software, as the policy decides).
 * Keys are parsed by libxce; private-key operations use CRT with blinding
 * and libxce checks each signature before returning it.
 *
 *   xce pkeyutl [-sign|-verify|-encrypt|-decrypt] -inkey FILE [-pubin]
 *       [-passin SRC] [-keyform PEM|DER] [-in FILE] [-out FILE]
 *       [-sigfile FILE] [-pkeyopt NAME:VALUE]...
 *
 * The input is at most one modulus long, so it is read whole (and no
 * further: one byte more says it is too long); the output is written in
 * one piece at the end, to a file under a temporary name that is renamed
 * into place, so a failed run leaves no output file. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "cli.h"
#include "hex.h"
#include "pass.h"

#define PK "xce pkeyutl: "
#define KEY_FILE_MAX (1u << 20)   /* libxce's own limit for a key file */

enum pk_op { OP_SIGN, OP_VERIFY, OP_ENCRYPT, OP_DECRYPT };
static const char *const op_opt[] = { "-sign", "-verify", "-encrypt", "-decrypt" };
static const char *const op_noun[] = { "signing", "verification", "encryption", "decryption" };

/* The command line, as given (strings point into argv). */
struct pk_opts {
    enum pk_op op;
    int op_given;
    const char *in, *out, *sigfile, *inkey;
    int pubin;
    char *passin;                       /* wiped after use */
    enum xce_rsa_padding padding;       /* 0: not given (pkcs1) */
    enum xce_hash_alg digest, mgf1_md, oaep_md;   /* 0: not given */
    int salt_len, salt_given;           /* XCE_RSA_SALT_* or bytes */
    const char *label_hex;              /* NULL: not given */
    int help;
};

struct pk_job {
    struct pk_opts o;
    struct xce_rsa_params p;
    size_t hash_len;                    /* sign/verify with a digest: its length */
    uint8_t *label;
    char *pass;
    xce_rsa_key *key;
    unsigned bits;
    size_t k;                           /* modulus length in bytes */
    uint8_t *in;                        /* k + 1 bytes */
    size_t in_len;
    uint8_t *sig;                       /* -verify: k + 1 bytes */
    size_t sig_len;
    uint8_t *out;                       /* k bytes */
    size_t out_len;
};

/* --- options ------------------------------------------------------------ */

/* One line on stderr, "xce pkeyutl: ..."; returns -1. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(PK, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* A digest name as openssl takes it (sha256, SHA2-256, SHA-256, ...),
 * looked up by OpenSSL and mapped to one libxce has. */
static int parse_hash(const char *opt, const char *name, enum xce_hash_alg *out)
{
    static const struct {
        const char *ossl;
        enum xce_hash_alg alg;
    } known[] = {
        { "MD5", XCE_HASH_MD5 },         { "SHA1", XCE_HASH_SHA1 },       { "SHA2-224", XCE_HASH_SHA224 },
        { "SHA2-256", XCE_HASH_SHA256 }, { "SHA2-384", XCE_HASH_SHA384 }, { "SHA2-512", XCE_HASH_SHA512 },
    };
    EVP_MD *md = *name ? EVP_MD_fetch(NULL, name, NULL) : NULL;
    if (!md) {
        ERR_clear_error();
        return fail("-pkeyopt %s: unknown digest '%s'", opt, name);
    }
    *out = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && !*out; i++)
        if (EVP_MD_is_a(md, known[i].ossl))
            *out = known[i].alg;
    EVP_MD_free(md);
    if (!*out)
        return fail("-pkeyopt %s: digest '%s' is not supported (md5, sha1, sha224, sha256, sha384, sha512)",
                    opt, name);
    return 0;
}

static int parse_padding(const char *v, enum xce_rsa_padding *out)
{
    if (strcasecmp(v, "pkcs1") == 0)
        *out = XCE_RSA_PKCS1;
    else if (strcasecmp(v, "pss") == 0)
        *out = XCE_RSA_PSS;
    else if (strcasecmp(v, "oaep") == 0 || strcasecmp(v, "oeap") == 0)   /* openssl takes both */
        *out = XCE_RSA_OAEP;
    else if (strcasecmp(v, "none") == 0)
        *out = XCE_RSA_NONE;
    else
        return fail("-pkeyopt rsa_padding_mode: '%s' is not one of pkcs1, pss, oaep, none%s", v,
                    strcasecmp(v, "x931") == 0 ? " (X9.31 is not supported)" : "");
    return 0;
}

/* openssl 3.0: digest (-1) and max (-3) fix the length; auto (-2) means
 * max when signing and "whatever the signature holds" when verifying. */
static int parse_salt(const char *v, int *out)
{
    if (strcmp(v, "digest") == 0) {
        *out = XCE_RSA_SALT_DIGEST;
        return 0;
    }
    if (strcmp(v, "max") == 0) {
        *out = XCE_RSA_SALT_MAX;
        return 0;
    }
    if (strcmp(v, "auto") == 0) {
        *out = XCE_RSA_SALT_AUTO;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < -3 || n > 65536)
        return fail("-pkeyopt rsa_pss_saltlen: '%s' is not a length in bytes nor one of digest, max, auto, "
                    "-1, -2, -3", v);
    *out = n == -1 ? XCE_RSA_SALT_DIGEST : n == -2 ? XCE_RSA_SALT_AUTO : n == -3 ? XCE_RSA_SALT_MAX : (int)n;
    return 0;
}

static int parse_pkeyopt(struct pk_opts *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    if (!colon)
        return fail("-pkeyopt '%s': expected NAME:VALUE", arg);
    size_t nlen = (size_t)(colon - arg);
    const char *v = colon + 1;
#define IS(name) (nlen == sizeof name - 1 && strncmp(arg, name, nlen) == 0)
    if (IS("rsa_padding_mode"))
        return parse_padding(v, &o->padding);
    if (IS("digest"))
        return parse_hash("digest", v, &o->digest);
    if (IS("rsa_mgf1_md"))
        return parse_hash("rsa_mgf1_md", v, &o->mgf1_md);
    if (IS("rsa_oaep_md"))
        return parse_hash("rsa_oaep_md", v, &o->oaep_md);
    if (IS("rsa_pss_saltlen")) {
        o->salt_given = 1;
        return parse_salt(v, &o->salt_len);
    }
    if (IS("rsa_oaep_label")) {
        o->label_hex = v;
        return 0;
    }
#undef IS
    return fail("unknown -pkeyopt '%s' (known: rsa_padding_mode, digest, rsa_pss_saltlen, rsa_mgf1_md, "
                "rsa_oaep_md, rsa_oaep_label)", arg);
}

static int set_op(struct pk_opts *o, enum pk_op op)
{
    if (o->op_given && o->op != op)
        return fail("give only one of -sign, -verify, -encrypt, -decrypt (%s and %s)", op_opt[o->op],
                    op_opt[op]);
    o->op = op;
    o->op_given = 1;
    return 0;
}

/* The value of option name ("in", "pkeyopt", ...), stored or parsed. */
static int set_value(struct pk_opts *o, const char *name, char *v)
{
    const char **path = strcmp(name, "in") == 0        ? &o->in
                        : strcmp(name, "out") == 0     ? &o->out
                        : strcmp(name, "sigfile") == 0 ? &o->sigfile
                        : strcmp(name, "inkey") == 0   ? &o->inkey
                                                       : NULL;
    if (path) {
        *path = v;
        return 0;
    }
    if (strcmp(name, "passin") == 0) {
        o->passin = v;
        return 0;
    }
    if (strcmp(name, "keyform") == 0) {   /* libxce tells PEM from DER by itself */
        if (strcasecmp(v, "PEM") != 0 && strcasecmp(v, "DER") != 0)
            return fail("-keyform: '%s' is not PEM or DER", v);
        return 0;
    }
    return parse_pkeyopt(o, v);
}

static int takes_value(const char *name)
{
    static const char *const names[] = { "in", "out", "sigfile", "inkey", "passin", "keyform", "pkeyopt" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static int parse_args(int argc, char **argv, struct pk_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0')
            return fail("unexpected argument '%s' (options start with '-'; see \"xce pkeyutl -help\")", arg);
        const char *name = arg + (arg[1] == '-' ? 2 : 1);   /* -opt or --opt */
        int r = 0;
        if (strcmp(name, "sign") == 0)
            r = set_op(o, OP_SIGN);
        else if (strcmp(name, "verify") == 0)
            r = set_op(o, OP_VERIFY);
        else if (strcmp(name, "encrypt") == 0)
            r = set_op(o, OP_ENCRYPT);
        else if (strcmp(name, "decrypt") == 0)
            r = set_op(o, OP_DECRYPT);
        else if (strcmp(name, "pubin") == 0)
            o->pubin = 1;
        else if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0)
            o->help = 1;
        else if (!takes_value(name))
            r = fail("unknown option '%s' (see \"xce pkeyutl -help\")", arg);
        else if (i + 1 >= argc)
            r = fail("option '%s' needs an argument", arg);
        else
            r = set_value(o, name, argv[++i]);
        if (r != 0)
            return -1;
    }
    return 0;
}

/* --- what the options mean for the operation ---------------------------- */

static const char *padding_name(enum xce_rsa_padding p)
{
    return p == XCE_RSA_PSS ? "pss" : p == XCE_RSA_OAEP ? "oaep" : p == XCE_RSA_NONE ? "none" : "pkcs1";
}

static size_t hash_len(enum xce_hash_alg h)
{
    static const size_t len[] = { 0, 16, 20, 28, 32, 48, 64 };
    return (unsigned)h < sizeof len / sizeof len[0] ? len[h] : 0;
}

/* An option that would have no effect is an error, not silently dropped. */
static int not_with(const char *opt, enum xce_rsa_padding pad, enum pk_op op)
{
    return fail("-pkeyopt %s does not apply to rsa_padding_mode:%s with %s", opt, padding_name(pad),
                op_opt[op]);
}

/* The libxce parameters of sign and verify. */
static int resolve_signature(struct pk_job *j)
{
    const struct pk_opts *o = &j->o;
    struct xce_rsa_params *p = &j->p;
    if (p->padding == XCE_RSA_OAEP)
        return fail("rsa_padding_mode:oaep is for -encrypt and -decrypt, not %s", op_opt[o->op]);
    if (o->oaep_md)
        return not_with("rsa_oaep_md", p->padding, o->op);
    if (o->label_hex)
        return not_with("rsa_oaep_label", p->padding, o->op);
    if (p->padding == XCE_RSA_NONE && o->digest)
        return not_with("digest", p->padding, o->op);
    if (p->padding != XCE_RSA_PSS && o->salt_given)
        return not_with("rsa_pss_saltlen", p->padding, o->op);
    if (p->padding != XCE_RSA_PSS && o->mgf1_md)
        return not_with("rsa_mgf1_md", p->padding, o->op);
    p->hash = o->digest;
    if (p->padding == XCE_RSA_PSS) {
        if (!p->hash)
            p->hash = XCE_HASH_SHA1;   /* openssl 3.0's default for PSS */
        if (o->mgf1_md && o->mgf1_md != p->hash)
            return fail("PSS with an MGF1 digest (%s) other than the signature digest (%s) is not supported",
                        xce_hash_name(o->mgf1_md), xce_hash_name(p->hash));
        p->salt_len = o->salt_given ? o->salt_len : XCE_RSA_SALT_AUTO;
        if (o->op == OP_SIGN && p->salt_len == XCE_RSA_SALT_AUTO)
            p->salt_len = XCE_RSA_SALT_MAX;   /* auto signs with the longest salt, as openssl does */
    }
    j->hash_len = hash_len(p->hash);
    return 0;
}

/* The libxce parameters of encrypt and decrypt. */
static int resolve_encryption(struct pk_job *j)
{
    const struct pk_opts *o = &j->o;
    struct xce_rsa_params *p = &j->p;
    if (p->padding == XCE_RSA_PSS)
        return fail("rsa_padding_mode:pss is for -sign and -verify, not %s", op_opt[o->op]);
    if (o->salt_given)
        return not_with("rsa_pss_saltlen", p->padding, o->op);
    if (p->padding != XCE_RSA_OAEP) {
        if (o->digest)
            return not_with("digest", p->padding, o->op);
        if (o->oaep_md)
            return not_with("rsa_oaep_md", p->padding, o->op);
        if (o->mgf1_md)
            return not_with("rsa_mgf1_md", p->padding, o->op);
        if (o->label_hex)
            return not_with("rsa_oaep_label", p->padding, o->op);
        return 0;
    }
    /* OAEP: as in openssl, "digest" names the OAEP digest too; SHA-1 by default */
    p->hash = o->oaep_md ? o->oaep_md : o->digest ? o->digest : XCE_HASH_SHA1;
    p->mgf1_hash = o->mgf1_md;
    if (o->label_hex && *o->label_hex) {
        size_t cap = strlen(o->label_hex) / 2 + 1;
        struct hex_result hr;
        j->label = malloc(cap);
        if (!j->label)
            return fail("out of memory");
        enum hex_status st = hex_parse(o->label_hex, j->label, cap, &hr);
        if (st == HEX_BAD_DIGIT)
            return fail("-pkeyopt rsa_oaep_label: invalid hex digit '%c' at position %zu", hr.bad_char,
                        hr.bad_pos);
        if (st == HEX_ODD_LENGTH) {
            return fail("-pkeyopt rsa_oaep_label: odd number of hex digits; each byte takes two");
        }
        p->label = j->label;
        p->label_len = hr.bytes;
    }
    return 0;
}

static int check_opts(const struct cli *cli, struct pk_job *j)
{
    const struct pk_opts *o = &j->o;
    if (!o->inkey)
        return fail("no key given: -inkey FILE is required");
    if (o->op == OP_VERIFY && !o->sigfile)
        return fail("-verify needs the signature: -sigfile FILE");
    if (o->op != OP_VERIFY && o->sigfile)
        return fail("-sigfile is only for -verify");
    if (o->pubin && (o->op == OP_SIGN || o->op == OP_DECRYPT))
        return fail("%s needs a private key, but -pubin says '%s' holds a public key", op_opt[o->op],
                    o->inkey);
    if (cli->exec_mode && !o->in)
        return fail("give the input with -in FILE in exec mode (stdin carries the commands)");
    j->p.padding = o->padding ? o->padding : XCE_RSA_PKCS1;
    return o->op == OP_SIGN || o->op == OP_VERIFY ? resolve_signature(j) : resolve_encryption(j);
}

/* --- passphrase and key ------------------------------------------------- */

/* -passin pass:|env:|file:, as openssl takes them; 0 or -1. */
static int get_pass(const char *src, char **pass)
{
    *pass = NULL;
    if (!src)
        return 0;
    const char *what;
    switch (pass_read(src, pass, &what)) {
    case PASS_OK:
        return 0;
    case PASS_NOMEM:
        return fail("out of memory");
    case PASS_UNSET:
        return fail("-passin: environment variable '%s' is not set", what);
    case PASS_OPEN:
        return fail("-passin: cannot open '%s': %s", what, strerror(errno));
    case PASS_EMPTY:
        return fail("-passin: no passphrase in '%s' (it is empty)", what);
    case PASS_UNSUPPORTED:
        break;
    }
    /* not echoed: it may be the passphrase itself */
    return fail("-passin: unsupported source; use pass:PASSPHRASE, env:VAR or file:PATH");
}

static int looks_encrypted(const uint8_t *buf, size_t n)
{
    return memmem(buf, n, "ENCRYPTED", 9) != NULL;
}

static int load_key(struct pk_job *j)
{
    const char *path = j->o.inkey;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail("cannot open key file '%s': %s", path, strerror(errno));
    uint8_t *buf = malloc(KEY_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, KEY_FILE_MAX + 1, f) : 0;
    int err = buf && ferror(f) ? errno : 0;
    fclose(f);
    int rc = -1;
    if (!buf)
        fail("out of memory");
    else if (err)
        fail("cannot read key file '%s': %s", path, strerror(err));
    else if (n > KEY_FILE_MAX)
        fail("key file '%s' is too large (more than %u bytes)", path, KEY_FILE_MAX);
    else {
        int r = xce_rsa_key_parse(buf, n, j->pass, &j->key);
        if (r == XCE_OK)
            rc = 0;
        else if (r == XCE_ERR_NOMEM)
            fail("out of memory");
        else if (looks_encrypted(buf, n) && !j->pass)
            fail("the key in '%s' is encrypted: give its passphrase with -passin", path);
        else if (looks_encrypted(buf, n))
            fail("cannot decrypt the key in '%s': wrong passphrase", path);
        else
            fail("cannot read an RSA key from '%s' (PEM or DER, PKCS#1, PKCS#8 or SPKI%s)", path,
                 j->pass ? "; or the passphrase is wrong" : "");
    }
    if (buf) {
        OPENSSL_cleanse(buf, n);
        free(buf);
    }
    if (rc != 0)
        return -1;
    int priv = xce_rsa_key_is_private(j->key);
    if (j->o.pubin && priv)
        return fail("'%s' holds a private key, but -pubin says it is public", path);
    if (!j->o.pubin && !priv)
        return fail("'%s' holds a public key: give -pubin (%s needs %s)", path, op_opt[j->o.op],
                    j->o.op == OP_SIGN || j->o.op == OP_DECRYPT ? "the private key" : "only the public key");
    j->bits = xce_rsa_key_bits(j->key);
    j->k = (j->bits + 7) / 8;
    return 0;
}

/* --- input and output --------------------------------------------------- */

/* Up to cap bytes of path (NULL: stdin) into buf, and one more byte when
 * there is one, so *len == cap + 1 says "longer than cap". buf holds
 * cap + 1 bytes. */
static int read_bounded(const char *path, const char *what, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = path ? fopen(path, "rb") : stdin;
    if (!f)
        return fail("cannot open %s '%s': %s", what, path, strerror(errno));
    size_t n = 0;
    while (n < cap + 1) {
        size_t r = fread(buf + n, 1, cap + 1 - n, f);
        if (r == 0)
            break;
        n += r;
    }
    int err = ferror(f) ? errno : 0;
    if (path)
        fclose(f);
    if (err)
        return fail("cannot read %s '%s': %s", what, path ? path : "standard input", strerror(err));
    *len = n;
    return 0;
}

/* The input's length for messages: read_bounded stops one byte past k. */
static const char *input_length(const struct pk_job *j, char *buf, size_t size)
{
    if (j->in_len > j->k)
        snprintf(buf, size, "more than %zu", j->k);
    else
        snprintf(buf, size, "%zu", j->in_len);
    return buf;
}

static int too_long(const struct pk_job *j, const char *what, size_t max)
{
    char len[32];
    return fail("input too long: %s bytes; %s with this %u-bit key takes at most %zu", input_length(j, len, sizeof len),
                what, j->bits, max);
}

static int need_exactly(const struct pk_job *j)
{
    char len[32];
    if (j->in_len == j->k)
        return 0;
    return fail("rsa_padding_mode:none needs exactly %zu bytes of input (this %u-bit key), not %s", j->k, j->bits,
                input_length(j, len, sizeof len));
}

/* Lengths the operation cannot take, before the engine is involved. */
static int check_input(struct pk_job *j)
{
    const struct xce_rsa_params *p = &j->p;
    size_t k = j->k, h = j->hash_len;
    switch (j->o.op) {
    case OP_SIGN:
    case OP_VERIFY:
        if (p->padding == XCE_RSA_NONE)
            return need_exactly(j);
        if (h && j->in_len != h) {
            char len[32];
            return fail("the input is %s bytes, but a %s digest is %zu: with -pkeyopt digest the input is the "
                        "digest itself", input_length(j, len, sizeof len), xce_hash_name(p->hash), h);
        }
        if (p->padding == XCE_RSA_PKCS1 && !h && j->in_len + 11 > k)
            return too_long(j, "PKCS#1 v1.5", k - 11);
        if (p->padding == XCE_RSA_PSS && j->o.op == OP_SIGN) {
            size_t em = (j->bits - 1 + 7) / 8;
            size_t salt = p->salt_len == XCE_RSA_SALT_DIGEST ? h : p->salt_len >= 0 ? (size_t)p->salt_len : 0;
            if (em < h + salt + 2)
                return fail("this %u-bit key is too short for PSS with %s and a %zu-byte salt (at most %zu)", j->bits,
                            xce_hash_name(p->hash), salt, em >= h + 2 ? em - h - 2 : 0);
        }
        return 0;
    case OP_ENCRYPT:
        if (p->padding == XCE_RSA_NONE)
            return need_exactly(j);
        if (p->padding == XCE_RSA_OAEP) {
            size_t h2 = 2 * hash_len(p->hash) + 2;
            if (k < h2)
                return fail("this %u-bit key is too short for OAEP with %s (it needs more than %zu bytes)", j->bits,
                            xce_hash_name(p->hash), h2);
            if (j->in_len > k - h2) {
                char what[48];
                snprintf(what, sizeof what, "OAEP (%s)", xce_hash_name(p->hash));
                return too_long(j, what, k - h2);
            }
        } else if (j->in_len + 11 > k) {
            return too_long(j, "PKCS#1 v1.5", k - 11);
        }
        return 0;
    case OP_DECRYPT:
        if (j->in_len > k)
            return fail("input too long: more than %zu bytes; this %u-bit key decrypts %zu-byte ciphertexts", k,
                        j->bits, k);
        /* a shorter ciphertext is a number with its leading zeros left
         * off, as openssl reads it */
        memmove(j->in + (k - j->in_len), j->in, j->in_len);
        memset(j->in, 0, k - j->in_len);
        j->in_len = k;
        return 0;
    }
    return 0;
}

static int write_error(const char *path)
{
    if (path)
        return fail("cannot write '%s': %s", path, strerror(errno));
    return fail("cannot write standard output: %s", strerror(errno));
}

/* The whole output at once: to stdout, straight into a device or pipe, or
 * into a temporary file beside path that then replaces it (keeping the
 * old file's permissions, else those the umask allows). */
static int write_output(const char *path, const void *data, size_t len)
{
    if (!path)
        return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : write_error(NULL);
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return write_error(path);
        int ok = fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        return ok ? 0 : write_error(path);
    }
    size_t tlen = strlen(path) + sizeof ".xce-XXXXXX";
    char *tmp = malloc(tlen);
    if (!tmp)
        return fail("out of memory");
    snprintf(tmp, tlen, "%s.xce-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fail("cannot create output file '%s': %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    int rc = 0;
    const uint8_t *p = data;
    size_t left = len;
    if (fchmod(fd, mode) != 0)
        rc = -1;
    while (rc == 0 && left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc != 0)
        write_error(path);
    if (close(fd) != 0 && rc == 0)
        rc = write_error(path);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = fail("cannot create output file '%s': %s", path, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* --- the operation ------------------------------------------------------ */

/* Why the engine did not take an operation (under the hardware policy
 * that fails it), as a parenthesis for the error line, or "". */
static const char *engine_hint(xce_dev *dev, unsigned bits, char *buf, size_t size)
{
    struct xce_info in;
    buf[0] = '\0';
    if (xce_get_info(dev, &in) != XCE_OK)
        return buf;
    if (!in.pka_enabled)
        snprintf(buf, size, " (the engine's public-key unit is not serving: %s)",
                 in.pka_reason ? in.pka_reason : "no engine");
    else if (bits > in.pka_max_bits)
        snprintf(buf, size, " (this %u-bit key is larger than the %u bits the engine takes; --policy auto lets "
                 "software serve it)", bits, in.pka_max_bits);
    return buf;
}

static int op_failed(xce_dev *dev, const struct pk_job *j, int r)
{
    char hint[256] = "";
    if (r == XCE_ERR_INVAL && j->p.padding == XCE_RSA_NONE)
        return fail("rsa_padding_mode:none: the input is not smaller than the key's modulus");
    if (r == XCE_ERR_UNSUPPORTED || r == XCE_ERR_ENGINE)
        engine_hint(dev, j->bits, hint, sizeof hint);
    return fail("%s failed: %s%s", op_noun[j->o.op], xce_strerror(r), hint);
}

static int run_op(xce_dev *dev, struct pk_job *j)
{
    static const char ok_line[] = "Signature Verified Successfully\n";
    static const char bad_line[] = "Signature Verification Failure\n";
    int r;
    switch (j->o.op) {
    case OP_SIGN:
        r = xce_rsa_sign(dev, j->key, &j->p, j->in, j->in_len, j->out, &j->out_len);
        if (r != XCE_OK)
            return op_failed(dev, j, r);
        return write_output(j->o.out, j->out, j->out_len);
    case OP_VERIFY:
        r = xce_rsa_verify(dev, j->key, &j->p, j->in, j->in_len, j->sig, j->sig_len);
        if (r != XCE_OK && r != XCE_ERR_AUTH)
            return op_failed(dev, j, r);
        /* like openssl, the verdict goes where the output goes */
        if (write_output(j->o.out, r == XCE_OK ? ok_line : bad_line,
                         r == XCE_OK ? sizeof ok_line - 1 : sizeof bad_line - 1) != 0)
            return -1;
        return r == XCE_OK ? 0 : -1;
    case OP_ENCRYPT:
        r = xce_rsa_encrypt(dev, j->key, &j->p, j->in, j->in_len, j->out, &j->out_len);
        if (r != XCE_OK)
            return op_failed(dev, j, r);
        return write_output(j->o.out, j->out, j->out_len);
    case OP_DECRYPT:
        r = xce_rsa_decrypt(dev, j->key, &j->p, j->in, j->in_len, j->out, j->k, &j->out_len);
        if (r == XCE_ERR_AUTH || r == XCE_ERR_INVAL)   /* one message for every way a ciphertext is bad */
            return fail("decryption failed: wrong key, padding or label, or not a ciphertext");
        if (r != XCE_OK)
            return op_failed(dev, j, r);
        return write_output(j->o.out, j->out, j->out_len);
    }
    return -1;
}

static int run(struct cli *cli, struct pk_job *j)
{
    if (check_opts(cli, j) != 0 || get_pass(j->o.passin, &j->pass) != 0 || load_key(j) != 0)
        return -1;
    j->in = malloc(j->k + 1);
    j->out = malloc(j->k);
    if (j->o.op == OP_VERIFY)
        j->sig = malloc(j->k + 1);
    if (!j->in || !j->out || (j->o.op == OP_VERIFY && !j->sig))
        return fail("out of memory");
    if (read_bounded(j->o.in, "input file", j->in, j->k, &j->in_len) != 0 || check_input(j) != 0)
        return -1;
    if (j->o.op == OP_VERIFY && read_bounded(j->o.sigfile, "signature file", j->sig, j->k, &j->sig_len) != 0)
        return -1;
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return -1;
    return run_op(dev, j);
}

static void job_free(struct pk_job *j)
{
    if (j->in)
        OPENSSL_cleanse(j->in, j->k + 1);
    if (j->out)
        OPENSSL_cleanse(j->out, j->k);
    free(j->in);
    free(j->out);
    free(j->sig);
    free(j->label);
    pass_free(j->pass);
    xce_rsa_key_free(j->key);
}

int cmd_pkeyutl(struct cli *cli, int argc, char **argv)
{
    struct pk_job j;
    memset(&j, 0, sizeof j);
    int r = parse_args(argc, argv, &j.o);
    if (r == 0 && j.o.help) {
        help_pkeyutl(stdout);
    } else if (r == 0) {
        if (!j.o.op_given)
            j.o.op = OP_SIGN;   /* openssl's default */
        r = run(cli, &j);
    }
    job_free(&j);
    /* the passphrase argument, even when parsing stopped before it */
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "-passin") == 0 || strcmp(argv[i], "--passin") == 0)
            OPENSSL_cleanse(argv[i + 1], strlen(argv[i + 1]));
    return r == 0 ? 0 : 1;
}
