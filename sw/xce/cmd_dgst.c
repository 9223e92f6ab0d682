/* cmd_dgst.c - "xce dgst": message digests and HMACs as openssl dgst
 * prints them, each file streamed through libxce in 64 KiB pieces (the
 * engine pads in hardware and carries the state between requests).
 *
 *   xce dgst [-md5|-sha1|-sha224|-sha256|-sha384|-sha512] [-hmac KEY]
 *            [-hex|-binary] [-c] [-r] [-out FILE] [FILE...]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"

#define CHUNK 65536

struct dgst_opts {
    enum xce_hash_alg alg;
    int alg_given;              /* openssl names the default "SHA256", a chosen one "SHA2-256" */
    const char *hmac_key;
    int binary, colons, coreutils;
    const char *out;
    char **files;
    int nfiles;
};

static const struct {
    const char *opt;
    enum xce_hash_alg alg;
} algs[] = {
    { "-md5", XCE_HASH_MD5 }, { "-sha1", XCE_HASH_SHA1 }, { "-sha224", XCE_HASH_SHA224 },
    { "-sha256", XCE_HASH_SHA256 }, { "-sha384", XCE_HASH_SHA384 }, { "-sha512", XCE_HASH_SHA512 },
};

static int parse(int argc, char **argv, struct dgst_opts *o)
{
    memset(o, 0, sizeof *o);
    o->alg = XCE_HASH_SHA256;   /* openssl's default */
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        int known = 0;
        for (size_t k = 0; k < sizeof algs / sizeof algs[0]; k++) {
            if (strcmp(a, algs[k].opt) == 0) {
                o->alg = algs[k].alg;
                o->alg_given = 1;
                known = 1;
            }
        }
        if (known)
            continue;
        if (strcmp(a, "-hmac") == 0 || strcmp(a, "-out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "xce dgst: %s needs an argument\n", a);
                return -1;
            }
            if (a[1] == 'h')
                o->hmac_key = argv[++i];
            else
                o->out = argv[++i];
        } else if (strcmp(a, "-hex") == 0) {
            o->binary = 0;
        } else if (strcmp(a, "-binary") == 0) {
            o->binary = 1;
        } else if (strcmp(a, "-c") == 0) {
            o->colons = 1;
        } else if (strcmp(a, "-r") == 0) {
            o->coreutils = 1;
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "--help") == 0) {
            help_dgst(stdout);
            return 1;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else {
            fprintf(stderr, "xce dgst: unknown option '%s'; see \"xce dgst -help\"\n", a);
            return -1;
        }
    }
    o->files = argv + i;
    o->nfiles = argc - i;
    return 0;
}

/* Digest of one open stream; returns 0, or -1 after printing why. */
static int digest_stream(xce_session *s, FILE *in, const char *name, uint8_t *md)
{
    static uint8_t buf[CHUNK];
    xce_hash_ctx *c;
    int r = xce_hash_init(s, &c);
    while (r == XCE_OK) {
        size_t n = fread(buf, 1, sizeof buf, in);
        if (n)
            r = xce_hash_update(c, buf, n);
        if (n < sizeof buf) {
            if (ferror(in)) {
                fprintf(stderr, "xce dgst: %s: read error\n", name);
                xce_hash_free(c);
                return -1;
            }
            break;
        }
    }
    if (r == XCE_OK)
        return xce_hash_final(c, md) == XCE_OK ? 0 : -1;
    xce_hash_free(c);
    fprintf(stderr, "xce dgst: %s: %s\n", name, xce_strerror(r));
    return -1;
}

static void print_digest(FILE *f, const struct dgst_opts *o, const uint8_t *md, size_t n, const char *name,
                         int is_file)
{
    if (o->binary) {
        fwrite(md, 1, n, f);
        return;
    }
    if (!o->coreutils)
        /* openssl 3.0's labels: HMAC- only before file names, and the
         * default digest under its old name */
        fprintf(f, "%s%s(%s)= ", o->hmac_key && is_file ? "HMAC-" : "",
                o->alg_given ? xce_hash_name(o->alg) : "SHA256", name);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%02x", o->colons && i ? ":" : "", md[i]);
    if (o->coreutils)
        fprintf(f, " *%s", name);
    fputc('\n', f);
}

int cmd_dgst(struct cli *cli, int argc, char **argv)
{
    struct dgst_opts o;
    int p = parse(argc, argv, &o);
    if (p != 0)
        return p < 0;
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return 1;
    struct xce_hash_params hp = { o.alg, (const uint8_t *)o.hmac_key, o.hmac_key ? strlen(o.hmac_key) : 0 };
    xce_session *s;
    int r = xce_hash_session_create(dev, &hp, &s);
    if (r != XCE_OK) {
        fprintf(stderr, "xce dgst: %s\n", xce_strerror(r));
        return 1;
    }
    FILE *out = stdout;
    if (o.out && !(out = fopen(o.out, o.binary ? "wb" : "w"))) {
        fprintf(stderr, "xce dgst: cannot write %s: %s\n", o.out, strerror(errno));
        xce_session_destroy(s);
        return 1;
    }
    int status = 0;
    uint8_t md[64];
    size_t n = xce_digest_size(s);
    for (int i = 0; i < (o.nfiles ? o.nfiles : 1); i++) {
        const char *name = o.nfiles ? o.files[i] : "stdin";
        FILE *in = o.nfiles ? fopen(name, "rb") : stdin;
        if (!in) {
            fprintf(stderr, "xce dgst: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        if (digest_stream(s, in, name, md) == 0)
            print_digest(out, &o, md, n, name, o.nfiles > 0);
        else
            status = 1;
        if (in != stdin)
            fclose(in);
    }
    OPENSSL_cleanse(md, sizeof md);
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "xce dgst: cannot write %s\n", o.out);
        status = 1;
    }
    xce_session_destroy(s);
    return status;
}
