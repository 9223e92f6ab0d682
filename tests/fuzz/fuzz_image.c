/* fuzz_image.c - libFuzzer target for the signed-image verifier
 * (xce_image_verify_buffer and the header, name and revocation-payload
 * parsers behind it), on the "sw" device against a small trust store built
 * once at startup: production, special and rollover keys, version A,
 * RSA-2048, generated fresh (no private key is kept in the tree).
 *
 * Each input is verified twice: as it is, and "resealed" - its last 256
 * bytes replaced by a real signature, with the key its header names, over
 * everything before them. A mutated input never carries a valid signature,
 * so without the second pass the fuzzer would only reach the signature
 * check; resealed, every mutation of header, length and payload is judged
 * by the checks themselves, and a revocation image that verifies has its
 * payload parsed too.
 *
 * Properties, checked independently of the parser: an accepted header is
 * exactly the one xce_image_header lays out from the info it returned; an
 * accepted image is exactly 256 + payload + signature bytes long, names a
 * key of the store, and its payload pointer and length are right; a refusal
 * always gives a reason; the name check accepts exactly the names with an
 * S<type><version> component equal to the envelope's and none different.
 * Any violation aborts. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "xce_internal.h"

/* the simulated backend is not linked into this target */
int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    (void)arg, (void)o, (void)be;
    return XCE_ERR_NODEV;
}

static xce_dev *dev;
static xce_trust *store;
static const char key_types[3] = { 'P', 'S', 'R' };
static EVP_PKEY *priv[3];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_image: setup failed: %s\n", what);
    exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (xce_open("sw", NULL, &dev) != XCE_OK)
        die("open sw");
    const char *td = getenv("TMPDIR");
    char dir[512], pub[600], st[600], p[700];
    snprintf(dir, sizeof dir, "%s/xce-fuzz-image-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(pub, sizeof pub, "%s/pub", dir);
    snprintf(st, sizeof st, "%s/store", dir);
    if (mkdir(pub, 0755) != 0)
        die("mkdir");
    static const char *const files[3] = { "production-A.pem", "special-A.pem", "rollover-A.pem" };
    for (int i = 0; i < 3; i++) {
        priv[i] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        snprintf(p, sizeof p, "%s/%s", pub, files[i]);
        FILE *f = priv[i] ? fopen(p, "w") : NULL;
        if (!f || !PEM_write_PUBKEY(f, priv[i]) || fclose(f) != 0)
            die("key");
    }
    char why[512];
    if (xce_trust_install(st, pub, why, sizeof why) != XCE_OK || xce_trust_open(st, &store, why, sizeof why) != XCE_OK)
        die(why);
    /* the store lives in memory from here on */
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", pub, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/primary", st);
    unlink(p);
    snprintf(p, sizeof p, "%s/backup", st);
    unlink(p);
    rmdir(pub);
    rmdir(st);
    rmdir(dir);
    return 0;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* the name rule, written again from the specification */
static int name_ok_ref(const char *name, char kt, char kv)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    int found = 0;
    size_t n = strlen(base);
    for (size_t start = 0; start <= n;) {
        size_t end = start;
        while (end < n && base[end] != '.')
            end++;
        if (end - start == 3 && base[start] == 'S' &&
            (base[start + 1] == 'P' || base[start + 1] == 'S' || base[start + 1] == 'R') && base[start + 2] >= 'A' &&
            base[start + 2] <= 'Z') {
            if (base[start + 1] != kt || base[start + 2] != kv)
                return 0;
            found = 1;
        }
        start = end + 1;
    }
    return found;
}

static void check_header(const uint8_t *data, size_t size)
{
    struct xce_image_info info;
    char why[256] = "";
    if (xce_image_parse_header(data, size, &info, why, sizeof why) != 0) {
        if (!why[0])
            abort();
        return;
    }
    /* one spelling per header: the writer reproduces it byte for byte */
    uint8_t h[XCE_IMG_HDR_LEN];
    if (size < XCE_IMG_HDR_LEN || xce_image_header(&info, h) != XCE_OK || memcmp(h, data, XCE_IMG_HDR_LEN) != 0)
        abort();
    if (info.payload_len != le(data + 24, 8) || info.sig_bits != 8 * le(data + 18, 2) ||
        info.key_type != (char)data[15] || info.key_version != (char)data[16] ||
        (info.type == XCE_IMAGE_REVOCATION) != (info.key_type == 'R'))
        abort();
}

static void check_revocation(const uint8_t *p, size_t len)
{
    struct xce_revk rv;
    char why[256] = "";
    if (xce_revocation_parse(p, len, &rv, why, sizeof why) != 0) {
        if (!why[0])
            abort();
        return;
    }
    if (rv.n < 1 || rv.n > XCE_REVK_MAX_RECORDS || len < 12 || memcmp(p, XCE_REVK_MAGIC, 8) != 0 ||
        le(p + 8, 4) != rv.n)
        abort();
    size_t off = 12;
    for (unsigned i = 0; i < rv.n; i++) {
        const struct xce_revk_record *r = &rv.rec[i];
        if (off + 6 > len || p[off] != r->action || p[off + 1] != (uint8_t)r->key_type ||
            p[off + 2] != (uint8_t)r->key_version || p[off + 3] != 0)
            abort();
        size_t kl = (size_t)le(p + off + 4, 2);
        if (r->action == XCE_REVK_ADD) {
            if (!kl || kl != r->spki_len || r->spki != p + off + 6 ||
                (r->bits != 2048 && r->bits != 3072 && r->bits != 4096))
                abort();
        } else if (r->action != XCE_REVK_REVOKE || kl || r->spki) {
            abort();
        }
        if ((r->key_type != 'P' && r->key_type != 'S') || r->key_version < 'A' || r->key_version > 'Z')
            abort();
        off += 6 + kl;
    }
    if (off != len)
        abort();
}

static void verify(const uint8_t *data, size_t size, const char *name)
{
    struct xce_image_info info;
    const uint8_t *pl = NULL;
    size_t pll = 0;
    char why[256] = "";
    int rc = xce_image_verify_buffer(dev, store, data, size, name, &info, &pl, &pll, why, sizeof why);
    if (rc != XCE_OK) {
        if (rc != XCE_ERR_AUTH || !why[0])
            abort();
        return;
    }
    uint8_t h[XCE_IMG_HDR_LEN];
    int revoked = 1;
    if (xce_image_header(&info, h) != XCE_OK || memcmp(h, data, XCE_IMG_HDR_LEN) != 0 ||
        size != XCE_IMG_HDR_LEN + info.payload_len + info.sig_bits / 8 || pl != data + XCE_IMG_HDR_LEN ||
        pll != info.payload_len || !xce_trust_find(store, info.key_type, info.key_version, &revoked) || revoked ||
        (name && !name_ok_ref(name, info.key_type, info.key_version)))
        abort();
    if (info.type == XCE_IMAGE_REVOCATION)
        check_revocation(pl, pll);
}

/* The signature the key named in the header would make over everything
 * but the last 256 bytes; 0 if the header names no key of ours. */
static int reseal(uint8_t *copy, size_t size, char *name, size_t name_cap)
{
    if (size < XCE_IMG_HDR_LEN + 256 || le(copy + 18, 2) != 256 || copy[16] != 'A')
        return 0;
    int k = copy[15] == 'P' ? 0 : copy[15] == 'S' ? 1 : copy[15] == 'R' ? 2 : -1;
    if (k < 0)
        return 0;
    uint8_t md[64];
    size_t slen = 256;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(priv[k], NULL);
    int ok = c && EVP_Digest(copy, size - 256, md, NULL, EVP_sha512(), NULL) == 1 && EVP_PKEY_sign_init(c) == 1 &&
             EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
             EVP_PKEY_CTX_set_signature_md(c, EVP_sha512()) == 1 &&
             EVP_PKEY_sign(c, copy + size - 256, &slen, md, sizeof md) == 1 && slen == 256;
    EVP_PKEY_CTX_free(c);
    snprintf(name, name_cap, "fuzz.S%c%c.img", key_types[k], 'A');
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_header(data, size);
    check_revocation(data, size);

    /* the name rule on the input's first bytes taken as a file name */
    char name[48];
    size_t nl = size < sizeof name - 1 ? size : sizeof name - 1;
    memcpy(name, data, nl);
    name[nl] = 0;
    for (int k = 0; k < 3; k++) {
        char why[256] = "";
        int ok = xce_image_check_name(name, key_types[k], 'A', why, sizeof why) == 0;
        if (ok != name_ok_ref(name, key_types[k], 'A') || (!ok && !why[0]))
            abort();
    }

    verify(data, size, NULL);
    uint8_t *copy = malloc(size ? size : 1);   /* its own allocation: ASan sees any overread */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char fname[32];
    if (reseal(copy, size, fname, sizeof fname)) {
        verify(copy, size, fname);
        verify(copy, size, name);   /* and under an arbitrary name */
    }
    free(copy);
    return 0;
}
