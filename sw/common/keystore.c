/* keystore.c - the persistent RSA key store (see keystore.h for the file
 * format). Parsing is strict and bounds-checked: every field is checked
 * for its characters and length before it is used, every DER blob must be
 * consumed exactly by its parser, and any deviation rejects the whole
 * file with its line number. Buffers that may hold private keys (the file
 * text, decoded PKCS#8) are wiped before they are freed. */
#include "keystore.h"
#include "b64.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#define KS_HEADER "xce-keystore"
#define KS_ENCRYPT_SCHEME "pbes2-aes-256-cbc"
#define KS_PBKDF2_ITER 100000
#define KS_CREATED_MAX INT64_C(253402300799)   /* 9999-12-31 23:59:59 UTC */

static void errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void ks_secret_free(void *p, size_t n)
{
    if (p) {
        OPENSSL_cleanse(p, n);
        free(p);
    }
}

void ks_init(struct keystore *ks)
{
    memset(ks, 0, sizeof *ks);
}

static void keypair_clear(struct ks_keypair *kp)
{
    ks_secret_free(kp->priv, kp->priv_len);
    free(kp->pub);
    OPENSSL_cleanse(kp, sizeof *kp);
}

void ks_free(struct keystore *ks)
{
    for (size_t i = 0; i < ks->nkeys; i++)
        keypair_clear(&ks->keys[i]);
    for (size_t i = 0; i < ks->npeers; i++)
        free(ks->peers[i].pub);
    free(ks->keys);
    free(ks->peers);
    ks_init(ks);
}

/* --- base64 (RFC 4648, padded, no whitespace, canonical: b64.c) ------ */

/* Decode s (NUL-terminated) into a new buffer. Returns 0, or -1 with why. */
static int b64_decode(const char *s, uint8_t **out, size_t *outlen, const char **why)
{
    size_t n = strlen(s);
    *out = NULL;
    *outlen = 0;
    if (n == 0 || n % 4 != 0) {
        *why = "base64 length is not a multiple of 4";
        return -1;
    }
    uint8_t *buf = malloc(n / 4 * 3);
    if (!buf) {
        *why = "out of memory";
        return -1;
    }
    enum b64_status st = b64_decode_canonical(s, n, buf, outlen);
    if (st != B64_OK) {
        ks_secret_free(buf, n / 4 * 3);
        *outlen = 0;
        *why = st == B64_NONCANONICAL ? "non-canonical base64" : "invalid base64 character";
        return -1;
    }
    *out = buf;
    return 0;
}

/* --- names ------------------------------------------------------------ */

int ks_valid_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e || n >= KS_NAME_MAX)
            return 0;
    return n > 0;
}

int ks_parse_ipv4(const char *s, char out[16])
{
    unsigned part[4];
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        if (i > 0 && *p++ != '.')
            return -1;
        if (*p < '0' || *p > '9')
            return -1;
        if (*p == '0' && p[1] >= '0' && p[1] <= '9')
            return -1;   /* no leading zeros (they read as octal elsewhere) */
        unsigned v = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        if (digits > 3 || v > 255)
            return -1;
        part[i] = v;
    }
    if (*p)
        return -1;
    snprintf(out, 16, "%u.%u.%u.%u", part[0], part[1], part[2], part[3]);
    return 0;
}

static const char *const usage_words[] = { "general", "signature", "encryption" };

const char *ks_usage_word(enum ks_usage u)
{
    return (unsigned)u < 3 ? usage_words[u] : "?";
}

/* --- RSA public keys ---------------------------------------------------- */

/* The RSA public key checks. strict: OpenSSL's (SP 800-56B: also no
 * small factors, not a prime power), for keys being entered; its
 * Miller-Rabin test draws random bases, so on a contrived modulus it may
 * answer differently from one run to the next. Not strict: what is
 * deterministic (odd modulus, odd exponent with 1 < e < n), for keys read
 * back from the store, which must load every time once accepted. */
static int rsa_public_ok(EVP_PKEY *k, int strict)
{
    if (strict) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
        int ok = c && EVP_PKEY_public_check(c) == 1;
        EVP_PKEY_CTX_free(c);
        return ok;
    }
    BIGNUM *n = NULL, *e = NULL;
    int ok = EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
             EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1 && BN_is_odd(n) && BN_is_odd(e) &&
             !BN_is_one(e) && BN_cmp(e, n) < 0;
    BN_free(n);
    BN_free(e);
    return ok;
}

static int rsa_public(const uint8_t *der, size_t len, int strict, uint8_t **spki, size_t *spki_len, unsigned *bits,
                      char *err, size_t errlen)
{
    *spki = NULL;
    *spki_len = 0;
    if (len == 0 || len > (size_t)LONG_MAX) {
        errf(err, errlen, "no key data");
        return -1;
    }
    const unsigned char *p = der;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)len);
    if (!k || p != der + len) {
        EVP_PKEY_free(k);
        p = der;
        k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
        if (k && p != der + len) {
            EVP_PKEY_free(k);
            k = NULL;
        }
    }
    ERR_clear_error();
    if (!k) {
        errf(err, errlen, "not an RSA public key (DER SubjectPublicKeyInfo or PKCS#1 RSAPublicKey, nothing after it)");
        return -1;
    }
    int st = -1;
    if (!EVP_PKEY_is_a(k, "RSA")) {
        errf(err, errlen, "not an RSA key");
        goto out;
    }
    int b = EVP_PKEY_get_bits(k);
    if (b < KS_PEER_MIN_BITS || b > KS_PEER_MAX_BITS) {
        errf(err, errlen, "RSA key of %d bits; %d to %d are accepted", b, KS_PEER_MIN_BITS, KS_PEER_MAX_BITS);
        goto out;
    }
    if (!rsa_public_ok(k, strict)) {
        errf(err, errlen, "not a valid RSA public key (bad modulus or exponent)");
        goto out;
    }
    unsigned char *out = NULL;
    int n = i2d_PUBKEY(k, &out);
    if (n <= 0) {
        errf(err, errlen, "cannot encode the public key");
        goto out;
    }
    *spki = out;
    *spki_len = (size_t)n;
    *bits = (unsigned)b;
    st = 0;
out:
    ERR_clear_error();
    EVP_PKEY_free(k);
    return st;
}

int ks_rsa_public(const uint8_t *der, size_t len, uint8_t **spki, size_t *spki_len, unsigned *bits, char *err,
                  size_t errlen)
{
    return rsa_public(der, len, 1, spki, spki_len, bits, err, errlen);
}

/* The stored SubjectPublicKeyInfo as an EVP_PKEY. */
static EVP_PKEY *pub_pkey(const uint8_t *spki, size_t len)
{
    const unsigned char *p = spki;
    EVP_PKEY *k = len <= (size_t)LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)len) : NULL;
    ERR_clear_error();
    return k;
}

/* A clear PKCS#8 that holds the RSA private key matching spki: 0, or -1
 * with why. */
static int check_clear_private(const uint8_t *der, size_t len, const uint8_t *spki, size_t spki_len,
                               const char **why)
{
    const unsigned char *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = len <= (size_t)LONG_MAX ? d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len) : NULL;
    int st = -1;
    EVP_PKEY *priv = NULL, *pub = NULL;
    if (!p8 || p != der + len) {
        *why = "private key is not a DER PKCS#8 PrivateKeyInfo";
        goto out;
    }
    priv = EVP_PKCS82PKEY(p8);
    if (!priv || !EVP_PKEY_is_a(priv, "RSA")) {
        *why = "private key is not an RSA key";
        goto out;
    }
    pub = pub_pkey(spki, spki_len);
    if (!pub || EVP_PKEY_eq(pub, priv) != 1) {
        *why = "private key does not match the public key";
        goto out;
    }
    st = 0;
out:
    EVP_PKEY_free(priv);
    EVP_PKEY_free(pub);
    PKCS8_PRIV_KEY_INFO_free(p8);   /* clears the key octets */
    ERR_clear_error();
    return st;
}

static int check_encrypted_private(const uint8_t *der, size_t len, const char **why)
{
    const unsigned char *p = der;
    X509_SIG *sig = len <= (size_t)LONG_MAX ? d2i_X509_SIG(NULL, &p, (long)len) : NULL;
    int ok = sig && p == der + len;
    X509_SIG_free(sig);
    ERR_clear_error();
    if (!ok)
        *why = "private key is not a DER PKCS#8 EncryptedPrivateKeyInfo";
    return ok ? 0 : -1;
}

/* --- lookups and edits ------------------------------------------------ */

struct ks_keypair *ks_find(const struct keystore *ks, const char *label, enum ks_usage usage)
{
    for (size_t i = 0; i < ks->nkeys; i++)
        if (ks->keys[i].usage == usage && strcmp(ks->keys[i].label, label) == 0)
            return &ks->keys[i];
    return NULL;
}

size_t ks_count_label(const struct keystore *ks, const char *label)
{
    size_t n = 0;
    for (size_t i = 0; i < ks->nkeys; i++)
        n += strcmp(ks->keys[i].label, label) == 0;
    return n;
}

size_t ks_remove_label(struct keystore *ks, const char *label)
{
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < ks->nkeys; i++) {
        if (!label || strcmp(ks->keys[i].label, label) == 0) {
            keypair_clear(&ks->keys[i]);
            removed++;
        } else {
            if (kept != i) {
                ks->keys[kept] = ks->keys[i];
                OPENSSL_cleanse(&ks->keys[i], sizeof ks->keys[i]);
            }
            kept++;
        }
    }
    ks->nkeys = kept;
    return removed;
}

/* Whether label/usage may join the store: a label is one general purpose
 * pair or a signature and an encryption pair. NULL if it may. */
static const char *label_conflict(const struct keystore *ks, const char *label, enum ks_usage usage)
{
    for (size_t i = 0; i < ks->nkeys; i++) {
        const struct ks_keypair *kp = &ks->keys[i];
        if (strcmp(kp->label, label) != 0)
            continue;
        if (kp->usage == usage)
            return "a key pair with this name and usage already exists";
        if (kp->usage == KS_GENERAL || usage == KS_GENERAL)
            return "the name holds both a general purpose and a usage key pair";
    }
    return NULL;
}

static int grow(void **arr, size_t n, size_t size)
{
    if (n >= SIZE_MAX / size - 1)
        return -1;
    void *p = realloc(*arr, (n + 1) * size);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

struct ks_peer *ks_find_peer(const struct keystore *ks, enum ks_kind kind, const char *name, enum ks_usage usage)
{
    for (size_t i = 0; i < ks->npeers; i++)
        if (ks->peers[i].kind == kind && ks->peers[i].usage == usage && strcmp(ks->peers[i].name, name) == 0)
            return &ks->peers[i];
    return NULL;
}

static int peer_name_ok(enum ks_kind kind, const char *name)
{
    char canon[16];
    if (kind == KS_ADDRESSED)
        return ks_parse_ipv4(name, canon) == 0 && strcmp(canon, name) == 0;
    return ks_valid_name(name);
}

int ks_set_peer(struct keystore *ks, enum ks_kind kind, const char *name, enum ks_usage usage, enum ks_source source,
                const uint8_t *der, size_t len, char *err, size_t errlen)
{
    if (!peer_name_ok(kind, name)) {
        errf(err, errlen, kind == KS_ADDRESSED ? "invalid address" : "invalid key name");
        return -1;
    }
    uint8_t *spki;
    size_t spki_len;
    unsigned bits;
    if (ks_rsa_public(der, len, &spki, &spki_len, &bits, err, errlen) != 0)
        return -1;
    uint8_t *copy = malloc(spki_len);
    if (copy)
        memcpy(copy, spki, spki_len);
    OPENSSL_free(spki);
    if (!copy) {
        errf(err, errlen, "out of memory");
        return -1;
    }
    struct ks_peer *pe = ks_find_peer(ks, kind, name, usage);
    if (!pe) {
        if (grow((void **)&ks->peers, ks->npeers, sizeof *ks->peers) != 0) {
            free(copy);
            errf(err, errlen, "out of memory");
            return -1;
        }
        pe = &ks->peers[ks->npeers++];
        memset(pe, 0, sizeof *pe);
        pe->kind = kind;
        snprintf(pe->name, sizeof pe->name, "%s", name);
        pe->usage = usage;
    }
    free(pe->pub);
    pe->source = source;
    pe->bits = bits;
    pe->pub = copy;
    pe->pub_len = spki_len;
    return 0;
}

size_t ks_remove_peer(struct keystore *ks, enum ks_kind kind, const char *name, int usage)
{
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < ks->npeers; i++) {
        struct ks_peer *pe = &ks->peers[i];
        if (pe->kind == kind && strcmp(pe->name, name) == 0 && (usage < 0 || (int)pe->usage == usage)) {
            free(pe->pub);
            removed++;
        } else {
            ks->peers[kept++] = *pe;
        }
    }
    ks->npeers = kept;
    return removed;
}

/* --- private keys --------------------------------------------------------- */

const char *ks_config_key(void)
{
    const char *k = getenv(KS_CONFIG_KEY_ENV);
    return k && *k ? k : NULL;
}

/* Encrypt a clear PKCS#8 under pass: a new malloc'd EncryptedPrivateKeyInfo. */
static int encrypt_p8(const uint8_t *clear, size_t len, const char *pass, uint8_t **out, size_t *outlen)
{
    const unsigned char *p = clear;
    PKCS8_PRIV_KEY_INFO *p8 = len <= (size_t)LONG_MAX ? d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len) : NULL;
    size_t plen = strlen(pass);
    X509_SIG *sig = p8 && plen <= INT_MAX
                        ? PKCS8_encrypt(-1, EVP_aes_256_cbc(), pass, (int)plen, NULL, 0, KS_PBKDF2_ITER, p8)
                        : NULL;
    PKCS8_PRIV_KEY_INFO_free(p8);
    int st = -1;
    int n = sig ? i2d_X509_SIG(sig, NULL) : -1;
    if (n > 0) {
        uint8_t *buf = malloc((size_t)n);
        unsigned char *q = buf;
        if (buf && i2d_X509_SIG(sig, &q) == n) {
            *out = buf;
            *outlen = (size_t)n;
            st = 0;
        } else {
            free(buf);
        }
    }
    X509_SIG_free(sig);
    ERR_clear_error();
    return st;
}

/* Decrypt an EncryptedPrivateKeyInfo: a new malloc'd clear PKCS#8. */
static int decrypt_p8(const uint8_t *enc, size_t len, const char *pass, uint8_t **out, size_t *outlen)
{
    const unsigned char *p = enc;
    X509_SIG *sig = len <= (size_t)LONG_MAX ? d2i_X509_SIG(NULL, &p, (long)len) : NULL;
    size_t plen = strlen(pass);
    PKCS8_PRIV_KEY_INFO *p8 = sig && plen <= INT_MAX ? PKCS8_decrypt(sig, pass, (int)plen) : NULL;
    X509_SIG_free(sig);
    int st = -1;
    int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, NULL) : -1;
    if (n > 0) {
        uint8_t *buf = malloc((size_t)n);
        unsigned char *q = buf;
        if (buf && i2d_PKCS8_PRIV_KEY_INFO(p8, &q) == n) {
            *out = buf;
            *outlen = (size_t)n;
            st = 0;
        } else {
            ks_secret_free(buf, (size_t)n);
        }
    }
    PKCS8_PRIV_KEY_INFO_free(p8);
    ERR_clear_error();
    return st;
}

int ks_private_der(const struct ks_keypair *kp, const char *config_key, uint8_t **der, size_t *len, char *err,
                   size_t errlen)
{
    *der = NULL;
    *len = 0;
    if (!kp->priv_encrypted) {
        uint8_t *copy = malloc(kp->priv_len);
        if (!copy) {
            errf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(copy, kp->priv, kp->priv_len);
        *der = copy;
        *len = kp->priv_len;
        return 0;
    }
    if (!config_key) {
        errf(err, errlen, "the private key of %s is encrypted and no config key is set ($%s)", kp->label,
             KS_CONFIG_KEY_ENV);
        return -1;
    }
    uint8_t *clear = NULL;
    size_t n = 0;
    const char *why;
    if (decrypt_p8(kp->priv, kp->priv_len, config_key, &clear, &n) != 0 ||
        check_clear_private(clear, n, kp->pub, kp->pub_len, &why) != 0) {
        ks_secret_free(clear, n);
        errf(err, errlen, "the config key does not decrypt the private key of %s (wrong config key?)", kp->label);
        return -1;
    }
    *der = clear;
    *len = n;
    return 0;
}

int ks_check_config_key(const struct keystore *ks, const char *config_key, char *err, size_t errlen)
{
    if (!ks->encrypt)
        return 0;
    if (!config_key) {
        errf(err, errlen, "the private keys in the store are encrypted and no config key is set ($%s)",
             KS_CONFIG_KEY_ENV);
        return -1;
    }
    /* every key is encrypted under the same key: one decryption tells */
    for (size_t i = 0; i < ks->nkeys; i++) {
        if (!ks->keys[i].priv_encrypted)
            continue;
        uint8_t *der;
        size_t n;
        if (ks_private_der(&ks->keys[i], config_key, &der, &n, err, errlen) != 0)
            return -1;
        ks_secret_free(der, n);
        break;
    }
    return 0;
}

/* new[i]/newlen[i] replace the private keys of ks (all or nothing). */
struct replacement {
    uint8_t **priv;
    size_t *len;
    size_t n;
};

static int replacement_new(struct replacement *r, size_t n)
{
    r->n = n;
    r->priv = calloc(n ? n : 1, sizeof *r->priv);
    r->len = calloc(n ? n : 1, sizeof *r->len);
    if (!r->priv || !r->len) {
        free(r->priv);
        free(r->len);
        return -1;
    }
    return 0;
}

static void replacement_free(struct replacement *r)
{
    for (size_t i = 0; i < r->n; i++)
        ks_secret_free(r->priv[i], r->len[i]);
    free(r->priv);
    free(r->len);
}

static void replacement_commit(struct keystore *ks, struct replacement *r, int encrypted)
{
    for (size_t i = 0; i < ks->nkeys; i++) {
        ks_secret_free(ks->keys[i].priv, ks->keys[i].priv_len);
        ks->keys[i].priv = r->priv[i];
        ks->keys[i].priv_len = r->len[i];
        ks->keys[i].priv_encrypted = encrypted;
        r->priv[i] = NULL;
        r->len[i] = 0;
    }
    ks->encrypt = encrypted;
}

int ks_encrypt_all(struct keystore *ks, const char *new_key, const char *old_key, char *err, size_t errlen)
{
    if (!new_key) {
        errf(err, errlen, "no config key is set ($%s)", KS_CONFIG_KEY_ENV);
        return -1;
    }
    if (strlen(new_key) < KS_CONFIG_KEY_MIN) {
        errf(err, errlen, "the config key must be at least %d characters", KS_CONFIG_KEY_MIN);
        return -1;
    }
    struct replacement r;
    if (replacement_new(&r, ks->nkeys) != 0) {
        errf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ks->nkeys; i++) {
        uint8_t *clear;
        size_t n;
        if (ks_private_der(&ks->keys[i], old_key ? old_key : new_key, &clear, &n, err, errlen) != 0) {
            replacement_free(&r);
            return -1;
        }
        int st = encrypt_p8(clear, n, new_key, &r.priv[i], &r.len[i]);
        ks_secret_free(clear, n);
        if (st != 0) {
            replacement_free(&r);
            errf(err, errlen, "cannot encrypt the private key of %s", ks->keys[i].label);
            return -1;
        }
    }
    replacement_commit(ks, &r, 1);
    replacement_free(&r);
    return 0;
}

int ks_decrypt_all(struct keystore *ks, const char *key, char *err, size_t errlen)
{
    struct replacement r;
    if (replacement_new(&r, ks->nkeys) != 0) {
        errf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ks->nkeys; i++) {
        if (ks_private_der(&ks->keys[i], key, &r.priv[i], &r.len[i], err, errlen) != 0) {
            replacement_free(&r);
            return -1;
        }
    }
    replacement_commit(ks, &r, 0);
    replacement_free(&r);
    return 0;
}

int ks_add_pkey(struct keystore *ks, const char *label, enum ks_usage usage, int exportable, time_t created,
                const EVP_PKEY *pkey, const char *config_key, char *err, size_t errlen)
{
    if (!ks_valid_name(label)) {
        errf(err, errlen, "invalid key name (1 to %d printable characters, no blanks)", KS_NAME_MAX);
        return -1;
    }
    if ((unsigned)usage > KS_ENCRYPTION) {
        errf(err, errlen, "invalid key usage");
        return -1;
    }
    const char *why = label_conflict(ks, label, usage);
    if (why) {
        errf(err, errlen, "%s: %s", label, why);
        return -1;
    }
    int bits = EVP_PKEY_get_bits(pkey);
    if (!EVP_PKEY_is_a(pkey, "RSA") || bits < KS_MIN_BITS || bits > KS_MAX_BITS) {
        errf(err, errlen, "not an RSA key of %d to %d bits", KS_MIN_BITS, KS_MAX_BITS);
        return -1;
    }
    if (created < 0 || (int64_t)created > KS_CREATED_MAX) {
        errf(err, errlen, "invalid generation time");
        return -1;
    }
    if (ks->encrypt && ks_check_config_key(ks, config_key, err, errlen) != 0)
        return -1;
    if (ks->encrypt && strlen(config_key) < KS_CONFIG_KEY_MIN) {
        errf(err, errlen, "the config key must be at least %d characters", KS_CONFIG_KEY_MIN);
        return -1;
    }

    struct ks_keypair kp;
    memset(&kp, 0, sizeof kp);
    int st = -1;
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
    int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, NULL) : -1;
    int pn = i2d_PUBKEY(pkey, NULL);
    if (n <= 0 || pn <= 0) {
        errf(err, errlen, "cannot encode the key pair");
        goto out;
    }
    kp.priv = malloc((size_t)n);
    kp.pub = malloc((size_t)pn);
    if (!kp.priv || !kp.pub) {
        errf(err, errlen, "out of memory");
        goto out;
    }
    kp.priv_len = (size_t)n;
    kp.pub_len = (size_t)pn;
    unsigned char *q = kp.priv;
    unsigned char *qp = kp.pub;
    if (i2d_PKCS8_PRIV_KEY_INFO(p8, &q) != n || i2d_PUBKEY(pkey, &qp) != pn) {
        errf(err, errlen, "cannot encode the key pair");
        goto out;
    }
    if (ks->encrypt) {
        uint8_t *enc;
        size_t enc_len;
        if (encrypt_p8(kp.priv, kp.priv_len, config_key, &enc, &enc_len) != 0) {
            errf(err, errlen, "cannot encrypt the private key");
            goto out;
        }
        ks_secret_free(kp.priv, kp.priv_len);
        kp.priv = enc;
        kp.priv_len = enc_len;
        kp.priv_encrypted = 1;
    }
    if (grow((void **)&ks->keys, ks->nkeys, sizeof *ks->keys) != 0) {
        errf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(kp.label, sizeof kp.label, "%s", label);
    kp.usage = usage;
    kp.bits = (unsigned)bits;
    kp.exportable = !!exportable;
    kp.created = (int64_t)created;
    ks->keys[ks->nkeys++] = kp;
    memset(&kp, 0, sizeof kp);
    st = 0;
out:
    keypair_clear(&kp);
    PKCS8_PRIV_KEY_INFO_free(p8);
    ERR_clear_error();
    return st;
}

/* --- parsing ------------------------------------------------------------- */

struct parser {
    const char *path;
    unsigned line;
    char *err;
    size_t errlen;
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *ps, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    errf(ps->err, ps->errlen, "keystore %s line %u: %s", ps->path, ps->line, why);
    return -1;
}

/* Decimal without sign or leading zeros, at most max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || (s[0] == '0' && s[1]) || strlen(s) > 20)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int pick(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, words[i]) == 0)
            return (int)i;
    return -1;
}

/* A stored public key: the canonical DER SubjectPublicKeyInfo of an RSA
 * key. Takes the decoded buffer in *der. */
static int parse_public(struct parser *ps, const char *field, unsigned min_bits, unsigned max_bits, uint8_t **der,
                        size_t *len, unsigned *bits)
{
    const char *why;
    if (b64_decode(field, der, len, &why) != 0)
        return perr(ps, "public key: %s", why);
    uint8_t *spki;
    size_t spki_len;
    char e[160];
    if (rsa_public(*der, *len, 0, &spki, &spki_len, bits, e, sizeof e) != 0)
        return perr(ps, "public key: %s", e);
    int same = spki_len == *len && memcmp(spki, *der, *len) == 0;
    OPENSSL_free(spki);
    if (!same)
        return perr(ps, "public key is not a canonical DER SubjectPublicKeyInfo");
    if (*bits < min_bits || *bits > max_bits)
        return perr(ps, "RSA key of %u bits; %u to %u are accepted", *bits, min_bits, max_bits);
    return 0;
}

/* rsa-keypair LABEL USAGE BITS EXPORT CREATED PUBLIC PRIVFORM PRIVATE */
static int parse_keypair(struct parser *ps, struct keystore *ks, char **f, int nf)
{
    static const char *const export_words[] = { "non-exportable", "exportable" };
    static const char *const form_words[] = { "clear", "encrypted" };
    if (nf != 9)
        return perr(ps, "rsa-keypair needs 8 fields, not %d", nf - 1);
    struct ks_keypair kp;
    memset(&kp, 0, sizeof kp);
    const char *why;
    int st = -1, u, ex, form;
    uint64_t bits, created;
    unsigned key_bits;
    if (!ks_valid_name(f[1])) {
        perr(ps, "invalid key name");
        goto out;
    }
    if ((u = pick(f[2], usage_words, 3)) < 0) {
        perr(ps, "invalid usage '%.20s'", f[2]);
        goto out;
    }
    if (parse_u64(f[3], KS_MAX_BITS, &bits) != 0 || bits < KS_MIN_BITS) {
        perr(ps, "invalid modulus size (%d to %d bits)", KS_MIN_BITS, KS_MAX_BITS);
        goto out;
    }
    if ((ex = pick(f[4], export_words, 2)) < 0) {
        perr(ps, "expected exportable or non-exportable");
        goto out;
    }
    if (parse_u64(f[5], (uint64_t)KS_CREATED_MAX, &created) != 0) {
        perr(ps, "invalid generation time");
        goto out;
    }
    if ((form = pick(f[7], form_words, 2)) < 0) {
        perr(ps, "expected clear or encrypted");
        goto out;
    }
    if (parse_public(ps, f[6], KS_MIN_BITS, KS_MAX_BITS, &kp.pub, &kp.pub_len, &key_bits) != 0)
        goto out;
    if (key_bits != bits) {
        perr(ps, "the public key has %u bits, not %u", key_bits, (unsigned)bits);
        goto out;
    }
    if (b64_decode(f[8], &kp.priv, &kp.priv_len, &why) != 0) {
        perr(ps, "private key: %s", why);
        goto out;
    }
    if (form == 0 ? check_clear_private(kp.priv, kp.priv_len, kp.pub, kp.pub_len, &why)
                  : check_encrypted_private(kp.priv, kp.priv_len, &why)) {
        perr(ps, "%s", why);
        goto out;
    }
    if (form != ks->encrypt) {
        perr(ps, "private key %s but password-encrypt is %s", form ? "encrypted" : "in clear",
             ks->encrypt ? "on" : "off");
        goto out;
    }
    if ((why = label_conflict(ks, f[1], (enum ks_usage)u)) != NULL) {
        perr(ps, "%s", why);
        goto out;
    }
    if (grow((void **)&ks->keys, ks->nkeys, sizeof *ks->keys) != 0) {
        perr(ps, "out of memory");
        goto out;
    }
    snprintf(kp.label, sizeof kp.label, "%s", f[1]);
    kp.usage = (enum ks_usage)u;
    kp.bits = (unsigned)bits;
    kp.exportable = ex;
    kp.created = (int64_t)created;
    kp.priv_encrypted = form;
    ks->keys[ks->nkeys++] = kp;
    memset(&kp, 0, sizeof kp);
    st = 0;
out:
    keypair_clear(&kp);
    return st;
}

/* rsa-pubkey KIND NAME USAGE SOURCE PUBLIC */
static int parse_peer(struct parser *ps, struct keystore *ks, char **f, int nf)
{
    static const char *const kind_words[] = { "named", "addressed" };
    static const char *const source_words[] = { "manual", "certificate" };
    if (nf != 6)
        return perr(ps, "rsa-pubkey needs 5 fields, not %d", nf - 1);
    int kind, u, src;
    if ((kind = pick(f[1], kind_words, 2)) < 0)
        return perr(ps, "expected named or addressed");
    if (!peer_name_ok((enum ks_kind)kind, f[2]))
        return perr(ps, kind == KS_ADDRESSED ? "invalid IPv4 address" : "invalid key name");
    if ((u = pick(f[3], usage_words, 3)) < 0)
        return perr(ps, "invalid usage '%.20s'", f[3]);
    if ((src = pick(f[4], source_words, 2)) < 0)
        return perr(ps, "expected manual or certificate");
    if (ks_find_peer(ks, (enum ks_kind)kind, f[2], (enum ks_usage)u))
        return perr(ps, "duplicate public key");
    uint8_t *der;
    size_t len;
    unsigned bits;
    if (parse_public(ps, f[5], KS_PEER_MIN_BITS, KS_PEER_MAX_BITS, &der, &len, &bits) != 0) {
        free(der);
        return -1;
    }
    if (grow((void **)&ks->peers, ks->npeers, sizeof *ks->peers) != 0) {
        free(der);
        return perr(ps, "out of memory");
    }
    struct ks_peer *pe = &ks->peers[ks->npeers++];
    memset(pe, 0, sizeof *pe);
    pe->kind = (enum ks_kind)kind;
    snprintf(pe->name, sizeof pe->name, "%s", f[2]);
    pe->usage = (enum ks_usage)u;
    pe->source = (enum ks_source)src;
    pe->bits = bits;
    pe->pub = der;
    pe->pub_len = len;
    return 0;
}

#define MAX_FIELDS 10

/* Split line (NUL-terminated, only printable ASCII and single blanks) in
 * place. Returns the number of fields, or -1 with the error reported. */
static int split(struct parser *ps, char *line, char **f)
{
    int nf = 0;
    char *p = line;
    for (;;) {
        if (*p == ' ' || *p == '\0')
            return perr(ps, *p ? "empty field (two blanks, or a blank at the start)" : "empty line");
        if (nf == MAX_FIELDS)
            return perr(ps, "too many fields");
        f[nf++] = p;
        while (*p && *p != ' ')
            p++;
        if (!*p)
            return nf;
        *p++ = '\0';
        if (!*p)
            return perr(ps, "blank at the end of the line");
    }
}

int ks_parse(struct keystore *ks, const char *text, size_t len, const char *path, char *err, size_t errlen)
{
    struct parser ps = { path, 0, err, errlen };
    ks_init(ks);
    char *line = malloc(KS_LINE_MAX + 1);
    if (!line) {
        errf(err, errlen, "keystore %s: out of memory", path);
        return -1;
    }
    int st = -1, seen_end = 0, seen_encrypt = 0;
    size_t at = 0;
    if (len == 0) {
        ps.line = 1;
        perr(&ps, "empty file (not an xce keystore)");
        goto out;
    }
    while (at < len) {
        ps.line++;
        if (seen_end) {
            perr(&ps, "data after 'end'");
            goto out;
        }
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        if (n > KS_LINE_MAX) {
            perr(&ps, "line longer than %d characters", KS_LINE_MAX);
            goto out;
        }
        if (!nl) {
            perr(&ps, "incomplete last line (file truncated?)");
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)text[at + i];
            if (c < 0x20 || c > 0x7e) {
                perr(&ps, "invalid character 0x%02x at column %zu", c, i + 1);
                goto out;
            }
        }
        memcpy(line, text + at, n);
        line[n] = '\0';
        at += n + 1;

        if (ps.line == 1) {
            char *f[MAX_FIELDS];
            int nf = split(&ps, line, f);
            uint64_t v;
            if (nf < 0)
                goto out;
            if (nf != 2 || strcmp(f[0], KS_HEADER) != 0 || parse_u64(f[1], 1000000, &v) != 0) {
                perr(&ps, "not an xce keystore (no '" KS_HEADER " %d' header)", KS_VERSION);
                goto out;
            }
            if (v != KS_VERSION) {
                perr(&ps, "unsupported keystore version %u (this xce reads version %d)", (unsigned)v, KS_VERSION);
                goto out;
            }
            continue;
        }
        if (line[0] == '#')
            continue;
        char *f[MAX_FIELDS];
        int nf = split(&ps, line, f);
        if (nf < 0)
            goto out;
        if (strcmp(f[0], "end") == 0) {
            if (nf != 1) {
                perr(&ps, "'end' takes no fields");
                goto out;
            }
            seen_end = 1;
        } else if (strcmp(f[0], "encrypt") == 0) {
            if (nf != 2 || strcmp(f[1], KS_ENCRYPT_SCHEME) != 0) {
                perr(&ps, "expected 'encrypt " KS_ENCRYPT_SCHEME "'");
                goto out;
            }
            if (seen_encrypt++) {
                perr(&ps, "duplicate 'encrypt'");
                goto out;
            }
            if (ks->nkeys) {
                perr(&ps, "'encrypt' must come before the key pairs");
                goto out;
            }
            ks->encrypt = 1;
        } else if (strcmp(f[0], "rsa-keypair") == 0) {
            if (parse_keypair(&ps, ks, f, nf) != 0)
                goto out;
        } else if (strcmp(f[0], "rsa-pubkey") == 0) {
            if (parse_peer(&ps, ks, f, nf) != 0)
                goto out;
        } else {
            perr(&ps, "unknown record '%.32s'", f[0]);
            goto out;
        }
    }
    if (!seen_end) {
        ps.line++;
        perr(&ps, "missing 'end' (file truncated?)");
        goto out;
    }
    st = 0;
out:
    OPENSSL_cleanse(line, KS_LINE_MAX + 1);
    free(line);
    if (st != 0)
        ks_free(ks);
    return st;
}

/* --- writing -------------------------------------------------------------- */

struct text {
    char *buf;
    size_t len, cap;
    int failed;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (n > t->cap - t->len - 1) {
        size_t cap = t->cap * 2 > t->len + n + 1 ? t->cap * 2 : t->len + n + 1 + 4096;
        char *nb = malloc(cap);
        if (!nb) {
            t->failed = 1;
            return;
        }
        memcpy(nb, t->buf, t->len);
        ks_secret_free(t->buf, t->cap);   /* it may hold private keys */
        t->buf = nb;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

static void put_b64(struct text *t, const uint8_t *p, size_t n)
{
    size_t m = B64_ENCODED_LEN(n);
    char *tmp = malloc(m + 1);
    if (!tmp) {
        t->failed = 1;
        return;
    }
    b64_encode(p, n, tmp);
    put(t, tmp, m);
    ks_secret_free(tmp, m + 1);
}

int ks_format(const struct keystore *ks, char **out, size_t *outlen)
{
    struct text t = { malloc(4096), 0, 4096, 0 };
    if (!t.buf)
        return -1;
    t.buf[0] = '\0';
    char num[64];
    snprintf(num, sizeof num, "%s %d\n", KS_HEADER, KS_VERSION);
    puts_(&t, num);
    puts_(&t, "# xce RSA key store, written by xce: do not edit. It holds private keys: keep it mode 0600.\n");
    if (ks->encrypt)
        puts_(&t, "encrypt " KS_ENCRYPT_SCHEME "\n");
    for (size_t i = 0; i < ks->nkeys; i++) {
        const struct ks_keypair *kp = &ks->keys[i];
        puts_(&t, "rsa-keypair ");
        puts_(&t, kp->label);
        snprintf(num, sizeof num, " %s %u %s %lld ", ks_usage_word(kp->usage), kp->bits,
                 kp->exportable ? "exportable" : "non-exportable", (long long)kp->created);
        puts_(&t, num);
        put_b64(&t, kp->pub, kp->pub_len);
        puts_(&t, kp->priv_encrypted ? " encrypted " : " clear ");
        put_b64(&t, kp->priv, kp->priv_len);
        puts_(&t, "\n");
    }
    for (size_t i = 0; i < ks->npeers; i++) {
        const struct ks_peer *pe = &ks->peers[i];
        puts_(&t, pe->kind == KS_ADDRESSED ? "rsa-pubkey addressed " : "rsa-pubkey named ");
        puts_(&t, pe->name);
        snprintf(num, sizeof num, " %s %s ", ks_usage_word(pe->usage),
                 pe->source == KS_CERTIFICATE ? "certificate" : "manual");
        puts_(&t, num);
        put_b64(&t, pe->pub, pe->pub_len);
        puts_(&t, "\n");
    }
    puts_(&t, "end\n");
    if (t.failed) {
        ks_secret_free(t.buf, t.cap);
        return -1;
    }
    *out = t.buf;
    *outlen = t.cap;   /* what ks_secret_free must wipe */
    return 0;
}

int ks_path(const char *override, char *buf, size_t len, char *err, size_t errlen)
{
    const char *env;
    int n;
    if (override && *override)
        n = snprintf(buf, len, "%s", override);
    else if ((env = getenv("XCE_KEYSTORE")) && *env)
        n = snprintf(buf, len, "%s", env);
    else if ((env = getenv("XDG_DATA_HOME")) && env[0] == '/')   /* the spec: relative paths are ignored */
        n = snprintf(buf, len, "%s/xce/keystore", env);
    else if ((env = getenv("HOME")) && *env)
        n = snprintf(buf, len, "%s/.local/share/xce/keystore", env);
    else {
        errf(err, errlen, "cannot locate the key store: set XCE_KEYSTORE or HOME, or use --keystore");
        return -1;
    }
    if (n < 0 || (size_t)n >= len) {
        errf(err, errlen, "key store path too long");
        return -1;
    }
    return 0;
}

/* The directory part of path (malloc'd; "." when there is none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *dir, char *err, size_t errlen)
{
    char *d = strdup(dir);
    if (!d) {
        errf(err, errlen, "out of memory");
        return -1;
    }
    for (char *p = d + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0700) != 0 && errno != EEXIST) {
                errf(err, errlen, "cannot create directory %s: %s", d, strerror(errno));
                free(d);
                return -1;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    free(d);
    return 0;
}

int ks_load(struct keystore *ks, const char *path, char *err, size_t errlen)
{
    ks_init(ks);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        errf(err, errlen, "keystore %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat stbuf;
    if (fstat(fd, &stbuf) != 0 || !S_ISREG(stbuf.st_mode)) {
        errf(err, errlen, "keystore %s: not a regular file", path);
        close(fd);
        return -1;
    }
    if ((uintmax_t)stbuf.st_size > KS_FILE_MAX) {
        errf(err, errlen, "keystore %s: larger than %u bytes", path, KS_FILE_MAX);
        close(fd);
        return -1;
    }
    size_t cap = (size_t)stbuf.st_size + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        errf(err, errlen, "keystore %s: out of memory", path);
        close(fd);
        return -1;
    }
    for (;;) {
        if (len == cap) {   /* the file grew: it is not ours to read now */
            errf(err, errlen, "keystore %s: changed while being read", path);
            ks_secret_free(buf, cap);
            close(fd);
            return -1;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            errf(err, errlen, "keystore %s: %s", path, strerror(errno));
            ks_secret_free(buf, cap);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    int st = ks_parse(ks, buf, len, path, err, errlen);
    ks_secret_free(buf, cap);
    return st;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ks_save(const struct keystore *ks, const char *path, char *err, size_t errlen)
{
    char *text = NULL, *dir = NULL, *tmp = NULL;
    size_t cap = 0;
    int fd = -1, st = -1;
    if (ks_format(ks, &text, &cap) != 0) {
        errf(err, errlen, "keystore %s: out of memory", path);
        return -1;
    }
    dir = dir_of(path);
    tmp = malloc(strlen(path) + sizeof ".tmp-XXXXXX");
    if (!dir || !tmp) {
        errf(err, errlen, "keystore %s: out of memory", path);
        goto out;
    }
    if (make_dirs(dir, err, errlen) != 0)
        goto out;
    sprintf(tmp, "%s.tmp-XXXXXX", path);
    fd = mkostemp(tmp, O_CLOEXEC);   /* created 0600 */
    if (fd < 0) {
        errf(err, errlen, "keystore %s: cannot create a temporary file in %s: %s", path, dir, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0 || write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
        errf(err, errlen, "keystore %s: cannot write %s: %s", path, tmp, strerror(errno));
        goto out;
    }
    int c = close(fd);
    fd = -1;
    if (c != 0 || rename(tmp, path) != 0) {
        errf(err, errlen, "keystore %s: cannot replace the file: %s", path, strerror(errno));
        goto out;
    }
    tmp[0] = '\0';   /* renamed: nothing to remove */
    /* the rename itself must reach the disk */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0) {
        errf(err, errlen, "keystore %s: cannot sync directory %s: %s", path, dir, strerror(errno));
        if (dfd >= 0)
            close(dfd);
        goto out;
    }
    close(dfd);
    st = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp && tmp[0])
        unlink(tmp);
    free(tmp);
    free(dir);
    ks_secret_free(text, cap);
    return st;
}

int ks_lock(const char *path, char *err, size_t errlen)
{
    char *dir = dir_of(path);
    char *lock = malloc(strlen(path) + sizeof ".lock");
    int fd = -1;
    if (!dir || !lock) {
        errf(err, errlen, "out of memory");
        goto out;
    }
    if (make_dirs(dir, err, errlen) != 0)
        goto out;
    sprintf(lock, "%s.lock", path);
    fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        errf(err, errlen, "keystore %s: cannot open lock file %s: %s", path, lock, strerror(errno));
        goto out;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        errf(err, errlen, "keystore %s: cannot lock %s: %s", path, lock, strerror(errno));
        close(fd);
        fd = -1;
        break;
    }
out:
    free(dir);
    free(lock);
    return fd;
}

void ks_unlock(int fd)
{
    if (fd >= 0)
        close(fd);   /* releases the flock */
}
