/* test_image.c - signed images and the trust store (doc/signed-images.md)
 * through the public API, against keys and signatures made by OpenSSL:
 *
 *   - a store installed from PEM public keys (and the install refusals),
 *     its files' modes, its keys enumerated;
 *   - valid images of every type and key size verify, from a file and from
 *     memory, and the info matches what was signed (OpenSSL made the
 *     signatures: they verify with xce);
 *   - every header byte flipped is refused; each field with its own check,
 *     re-signed after the change, is refused for that field's reason;
 *     payload and signature tampered, truncated and overlong files, a
 *     payload length near 2^64, the name against the envelope, unknown and
 *     revoked keys;
 *   - revocation images: adds, revokes (only once a newer key is there, never
 *     the last one), a revoked key never coming back, refusals changing
 *     nothing, the state surviving a reopen;
 *   - a damaged primary (truncated, a byte flipped, missing): the backup is
 *     used and says so; both damaged: open fails;
 *   - a 64 MiB image streams through xce_image_verify in flat memory.
 *
 * Run from the repository root. The 64 MiB image is hashed on the "sw"
 * device (the simulated engine hashes at a few MB/s); everything else runs
 * on "sim" with small payloads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "check.h"
#include "xce.h"

#define HDR 256
#define WHY 512

static char tmp[256];              /* everything this test writes */
static char why[WHY];

/* --- keys ------------------------------------------------------------- */

struct key {
    const char *file;              /* its PEM in the install directory, or NULL: not installed */
    char type, version;
    unsigned bits;
    EVP_PKEY *pk;
};
enum { RA, RB, PA, PB, SA, SB, NKEYS };
static struct key keys[NKEYS] = {
    [RA] = { "rollover-A.pem", 'R', 'A', 2048, NULL },
    [RB] = { "rollover-B.pub.pem", 'R', 'B', 2048, NULL },
    [PA] = { "production-A.pem", 'P', 'A', 2048, NULL },
    [PB] = { NULL, 'P', 'B', 2048, NULL },              /* comes with a revocation image */
    [SA] = { "special-A.pem", 'S', 'A', 3072, NULL },
    [SB] = { "special-B.pem", 'S', 'B', 4096, NULL },
};

static int write_pem(EVP_PKEY *pk, const char *path, int priv)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = priv ? PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) : PEM_write_PUBKEY(f, pk);
    return fclose(f) == 0 && ok ? 0 : -1;
}

static size_t spki_of(EVP_PKEY *pk, uint8_t *out, size_t cap)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(pk, &der);
    size_t r = n > 0 && (size_t)n <= cap ? (size_t)n : 0;
    if (r)
        memcpy(out, der, r);
    OPENSSL_free(der);
    return r;
}

/* PKCS#1 v1.5 signature of a SHA-512 digest, by OpenSSL */
static size_t ossl_sign(EVP_PKEY *pk, const uint8_t digest[64], uint8_t *sig)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
    size_t len = 512;
    int ok = c && EVP_PKEY_sign_init(c) == 1 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
             EVP_PKEY_CTX_set_signature_md(c, EVP_sha512()) == 1 && EVP_PKEY_sign(c, sig, &len, digest, 64) == 1;
    EVP_PKEY_CTX_free(c);
    return ok ? len : 0;
}

/* --- images ----------------------------------------------------------- */

struct img {
    uint8_t *b;
    size_t len;
};

static void img_free(struct img *m)
{
    free(m->b);
    m->b = NULL;
    m->len = 0;
}

static struct xce_image_info base_info(enum xce_image_type type, const struct key *k, uint64_t payload_len)
{
    struct xce_image_info in;
    memset(&in, 0, sizeof in);
    in.type = type;
    in.key_type = k->type;
    in.key_version = k->version;
    in.sig_bits = k->bits;
    in.payload_len = payload_len;
    in.build_time = 1700000000 + (int64_t)(check_rand32() % 100000);
    snprintf(in.common_name, sizeof in.common_name, "xce release signing");
    snprintf(in.org_unit, sizeof in.org_unit, "engineering");
    snprintf(in.org_name, sizeof in.org_name, "xce project");
    check_random(in.serial, sizeof in.serial);
    return in;
}

/* hdr || payload || signature by pk over both; sig_pad: extra bytes after
 * the signature (to make the file as long as a tampered header says) */
static struct img assemble(const uint8_t hdr[HDR], const uint8_t *payload, size_t plen, EVP_PKEY *pk, long sig_adjust)
{
    struct img m = { NULL, 0 };
    uint8_t digest[64], sig[512];
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha512(), NULL) == 1 && EVP_DigestUpdate(c, hdr, HDR) == 1 &&
             EVP_DigestUpdate(c, payload, plen) == 1 && EVP_DigestFinal_ex(c, digest, NULL) == 1;
    EVP_MD_CTX_free(c);
    size_t slen = ok ? ossl_sign(pk, digest, sig) : 0;
    if (!slen || (sig_adjust < 0 && (size_t)-sig_adjust > slen))
        return m;
    size_t total = HDR + plen + (size_t)((long)slen + sig_adjust);
    m.b = calloc(1, total);
    if (!m.b)
        return m;
    memcpy(m.b, hdr, HDR);
    if (plen)
        memcpy(m.b + HDR, payload, plen);
    memcpy(m.b + HDR + plen, sig, sig_adjust < 0 ? slen - (size_t)-sig_adjust : slen);
    m.len = total;
    return m;
}

static struct img make_image(const struct xce_image_info *in, const uint8_t *payload, EVP_PKEY *pk)
{
    uint8_t hdr[HDR];
    struct img none = { NULL, 0 };
    if (xce_image_header(in, hdr) != XCE_OK)
        return none;
    return assemble(hdr, payload, (size_t)in->payload_len, pk, 0);
}

static int write_file(const char *path, const uint8_t *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = len ? fwrite(b, 1, len, f) : 0;
    return fclose(f) == 0 && w == len ? 0 : -1;
}

static char *path_in(const char *name)
{
    static char p[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof p[i], "%s/%s", tmp, name);
    return p[i];
}

/* verify from memory (name may be NULL) */
static int vbuf(xce_dev *dev, xce_trust *t, const struct img *m, const char *name, struct xce_image_info *info)
{
    const uint8_t *pl = NULL;
    size_t pll = 0;
    struct xce_image_info mine;
    if (!info)
        info = &mine;
    why[0] = 0;
    int rc = xce_image_verify_buffer(dev, t, m->b, m->len, name, info, &pl, &pll, why, sizeof why);
    if (rc == XCE_OK && (pl != m->b + HDR || pll != m->len - HDR - info->sig_bits / 8))
        rc = 99;   /* the payload pointer is wrong */
    return rc;
}

/* verify from a file of that name in tmp/img/ */
static int vfile(xce_dev *dev, xce_trust *t, const struct img *m, const char *name, struct xce_image_info *info)
{
    char p[512];
    snprintf(p, sizeof p, "%s/img/%s", tmp, name);
    why[0] = 0;
    if (write_file(p, m->b, m->len) != 0)
        return 98;
    int rc = xce_image_verify(dev, t, p, info, why, sizeof why);
    unlink(p);
    return rc;
}

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static int same_info(const struct xce_image_info *a, const struct xce_image_info *b)
{
    return a->type == b->type && a->key_type == b->key_type && a->key_version == b->key_version &&
           a->sig_bits == b->sig_bits && a->payload_len == b->payload_len && a->build_time == b->build_time &&
           strcmp(a->common_name, b->common_name) == 0 && strcmp(a->org_unit, b->org_unit) == 0 &&
           strcmp(a->org_name, b->org_name) == 0 && memcmp(a->serial, b->serial, 16) == 0;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return rc == 0 ? 0 : -1;
}

static int file_bytes(const char *path, uint8_t **b, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *b = NULL;
    *len = 0;
    if (!f)
        return -1;
    size_t cap = 1 << 20;
    *b = malloc(cap);
    *len = *b ? fread(*b, 1, cap, f) : 0;
    fclose(f);
    return *b ? 0 : -1;
}

static int same_file(const char *a, const char *b)
{
    uint8_t *x, *y;
    size_t xl, yl;
    int r = file_bytes(a, &x, &xl) == 0 && file_bytes(b, &y, &yl) == 0 && xl == yl && memcmp(x, y, xl) == 0;
    free(x);
    free(y);
    return r;
}

static long max_rss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- 1. the store: install ---------------------------------------------- */

static int make_keys(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/pub", tmp);
    if (mkdir(p, 0755) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/img", tmp);
    if (mkdir(p, 0755) != 0)
        return -1;
    for (int i = 0; i < NKEYS; i++) {
        keys[i].pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)keys[i].bits);
        if (!keys[i].pk)
            return -1;
        if (keys[i].file) {
            snprintf(p, sizeof p, "%s/pub/%s", tmp, keys[i].file);
            if (write_pem(keys[i].pk, p, 0) != 0)
                return -1;
        }
    }
    return 0;
}

/* a scratch directory of public keys: the install set plus one more file */
static int install_variant(const char *extra_name, EVP_PKEY *extra, int extra_priv, const char *store)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf %s/var %s && cp -r %s/pub %s/var", tmp, store, tmp, tmp);
    if (run(cmd) != 0)
        return -1;
    if (extra_name) {
        snprintf(cmd, sizeof cmd, "%s/var/%s", tmp, extra_name);
        if (write_pem(extra, cmd, extra_priv) != 0)
            return -1;
    }
    snprintf(cmd, sizeof cmd, "%s/var", tmp);
    why[0] = 0;
    return xce_trust_install(store, cmd, why, sizeof why);
}

static void install_tests(void)
{
    char store[512], pub[512], vstore[512];
    snprintf(store, sizeof store, "%s/store", tmp);
    snprintf(pub, sizeof pub, "%s/pub", tmp);
    snprintf(vstore, sizeof vstore, "%s/vstore", tmp);
    int rc = xce_trust_install(store, pub, why, sizeof why);
    CHECK(rc == XCE_OK, "install a store from %s (%s; %s)", pub, xce_strerror(rc), why);
    static const char *const what[] = { "", "/primary", "/backup" };
    for (int i = 0; i < 3; i++) {
        char p[600];
        struct stat st;
        snprintf(p, sizeof p, "%s%s", store, what[i]);
        unsigned mode = stat(p, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
        unsigned want = i ? 0644 : 0755;
        CHECK(mode == want, "store%s: mode %o (want %o)", what[i], mode, want);
    }
    CHECK(same_file(path_in("store/primary"), path_in("store/backup")), "primary and backup are the same bytes");

    rc = xce_trust_install(store, pub, why, sizeof why);
    CHECK(rc != XCE_OK && strstr(why, "already exists"), "install over an existing store refused (%s)", why);

    rc = install_variant("production-A.pub.pem", keys[PB].pk, 0, vstore);
    CHECK(rc != XCE_OK && strstr(why, "both production key A"), "two files for production-A refused (%s)", why);
    rc = install_variant("special-C.pem", keys[PB].pk, 1, vstore);
    CHECK(rc != XCE_OK && strstr(why, "holds a private key"), "a private key in the directory refused (%s)", why);
    rc = install_variant("production-a.pem", keys[PB].pk, 0, vstore);
    CHECK(rc != XCE_OK && strstr(why, "unexpected name"), "a key file with a bad name refused (%s)", why);
    rc = install_variant("special-C.pem", keys[PA].pk, 0, vstore);
    CHECK(rc != XCE_OK && strstr(why, "hold the same key"), "the same key under two names refused (%s)", why);
    EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    rc = small ? install_variant("special-C.pem", small, 0, vstore) : -100;
    CHECK(rc != XCE_OK && strstr(why, "RSA-1024"), "an RSA-1024 key refused (%s)", why);
    EVP_PKEY_free(small);
    CHECK(access(vstore, F_OK) != 0 || access(path_in("vstore/primary"), F_OK) != 0,
          "a refused install writes no store");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/empty && echo hello >%s/empty/README", tmp, tmp);
    rc = run(cmd) == 0 ? xce_trust_install(vstore, path_in("empty"), why, sizeof why) : -100;
    CHECK(rc != XCE_OK && strstr(why, "no public keys"), "a directory without keys refused (%s)", why);

    /* enumerate */
    xce_trust *t = NULL;
    rc = xce_trust_open(store, &t, why, sizeof why);
    CHECK(rc == XCE_OK && why[0] == 0, "open the store: no message (%s)", why);
    if (rc != XCE_OK)
        return;
    static const int order[] = { PA, RA, RB, SA, SB };
    int all = 1;
    for (unsigned i = 0; i < 5; i++) {
        struct xce_trust_key k;
        uint8_t der[2048];
        const struct key *want = &keys[order[i]];
        size_t dl = spki_of(want->pk, der, sizeof der);
        all &= xce_trust_key(t, i, &k) == XCE_OK && k.key_type == want->type && k.key_version == want->version &&
               !k.revoked && k.bits == want->bits && k.spki_len == dl && memcmp(k.spki, der, dl) == 0;
    }
    struct xce_trust_key k;
    CHECK(all, "keys enumerated in store order (PA RA RB SA SB), types, versions, sizes and DER right");
    CHECK(xce_trust_key(t, 5, &k) == XCE_ERR_INVAL, "xce_trust_key past the end: XCE_ERR_INVAL");
    xce_trust_close(t);

    /* the default directory comes from $XCE_KEY_STORE (which also names the
     * store the driver checks its firmware with: put it back after) */
    char saved[4096];
    snprintf(saved, sizeof saved, "%s", getenv("XCE_KEY_STORE") ? getenv("XCE_KEY_STORE") : "");
    setenv("XCE_KEY_STORE", store, 1);
    t = NULL;
    rc = xce_trust_open(NULL, &t, why, sizeof why);
    CHECK(rc == XCE_OK, "open the store named by $XCE_KEY_STORE (%s)", why);
    xce_trust_close(t);
    if (saved[0])
        setenv("XCE_KEY_STORE", saved, 1);
    else
        unsetenv("XCE_KEY_STORE");
}

/* --- 2. memory stays flat ------------------------------------------------ */

static void big_image(void)
{
    xce_dev *dev = check_open("sw", XCE_POLICY_AUTO);
    xce_trust *t = NULL;
    int rc = xce_trust_open(path_in("store"), &t, why, sizeof why);
    if (!CHECK(dev && rc == XCE_OK, "big image: sw device and store open (%s)", why)) {
        xce_close(dev);
        xce_trust_close(t);
        return;
    }
    const uint64_t plen = 64ull << 20;
    struct xce_image_info in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], plen);
    uint8_t hdr[HDR], digest[64], sig[512];
    char *path = path_in("img/big-64M.SPA.bin");
    FILE *f = fopen(path, "wb");
    size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = f && buf && c && xce_image_header(&in, hdr) == XCE_OK && EVP_DigestInit_ex(c, EVP_sha512(), NULL) == 1 &&
             EVP_DigestUpdate(c, hdr, HDR) == 1 && fwrite(hdr, 1, HDR, f) == HDR;
    for (uint64_t off = 0; ok && off < plen; off += chunk) {
        for (size_t i = 0; i < chunk; i += 8)
            put_le(buf + i, (off + i) * 0x9e3779b97f4a7c15ull, 8);
        ok = EVP_DigestUpdate(c, buf, chunk) == 1 && fwrite(buf, 1, chunk, f) == chunk;
    }
    size_t slen = 0;
    ok = ok && EVP_DigestFinal_ex(c, digest, NULL) == 1 && (slen = ossl_sign(keys[PA].pk, digest, sig)) == 256 &&
         fwrite(sig, 1, slen, f) == slen;
    if (f)
        ok = fclose(f) == 0 && ok;
    EVP_MD_CTX_free(c);
    free(buf);
    if (CHECK(ok, "big image: 64 MiB image written and signed by OpenSSL")) {
        long before = max_rss_kib();
        double t0 = now_s();
        struct xce_image_info got;
        rc = xce_image_verify(dev, t, path, &got, why, sizeof why);
        double dt = now_s() - t0;
        long after = max_rss_kib();
        CHECK(rc == XCE_OK && same_info(&got, &in), "64 MiB image verifies (%s; %s) in %.2f s", xce_strerror(rc), why,
              dt);
        CHECK(before > 0 && after - before < 8 * 1024, "64 MiB image: peak RSS grew %ld KiB (< 8 MiB; %ld -> %ld)",
              after - before, before, after);
        /* the last payload byte changed: the whole file is hashed */
        FILE *g = fopen(path, "r+b");
        int tampered = g && fseek(g, (long)(HDR + plen - 1), SEEK_SET) == 0 && fputc(0x5a, g) != EOF;
        if (g)
            tampered = fclose(g) == 0 && tampered;
        rc = tampered ? xce_image_verify(dev, t, path, NULL, why, sizeof why) : -100;
        CHECK(rc == XCE_ERR_AUTH && starts(why, "signature does not match"),
              "64 MiB image, last payload byte changed: refused (%s)", why);
    }
    unlink(path);
    xce_trust_close(t);
    xce_close(dev);
}

/* --- 3. valid images ------------------------------------------------------ */

static void valid_images(xce_dev *dev, xce_trust *t)
{
    static const struct {
        enum xce_image_type type;
        int key;
        const char *name;
        size_t plen;
    } cases[] = {
        { XCE_IMAGE_FIRMWARE, PA, "xce-pka-1.0.SPA.img", 1376 },
        { XCE_IMAGE_BITSTREAM, SA, "xce-top.SSA.bit", 3000 },
        { XCE_IMAGE_SOFTWARE, SB, "xce-1.0.SSB.bin", 517 },
        { XCE_IMAGE_SOFTWARE, PA, "SPA", 0 },
        { XCE_IMAGE_REVOCATION, RB, "revoke-none.SRB.img", 100 },
        { XCE_IMAGE_FIRMWARE, PA, "x.SPA", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct key *k = &keys[cases[i].key];
        uint8_t payload[4096];
        check_random(payload, cases[i].plen);
        struct xce_image_info in = base_info(cases[i].type, k, cases[i].plen), got;
        struct img m = make_image(&in, payload, k->pk);
        int rc = m.b ? vfile(dev, t, &m, cases[i].name, &got) : -100;
        CHECK(rc == XCE_OK && same_info(&got, &in),
              "type %d, RSA-%u (S%c%c), %zu-byte payload, file %s: verifies, info matches (%s; %s)", cases[i].type,
              k->bits, k->type, k->version, cases[i].plen, cases[i].name, xce_strerror(rc), why);
        rc = m.b ? vbuf(dev, t, &m, cases[i].name, &got) : -100;
        CHECK(rc == XCE_OK && same_info(&got, &in), "the same from memory, payload pointer into the buffer (%s; %s)",
              xce_strerror(rc), why);
        img_free(&m);
    }
    /* a longest possible signer name: 64 characters, no NUL */
    uint8_t payload[64] = { 0 };
    struct xce_image_info in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], sizeof payload), got;
    memset(in.common_name, 'n', 64);
    in.common_name[64] = 0;
    in.org_unit[0] = 0;
    in.org_name[0] = 0;
    struct img m = make_image(&in, payload, keys[PA].pk);
    int rc = m.b ? vbuf(dev, t, &m, "a.SPA.b", &got) : -100;
    CHECK(rc == XCE_OK && same_info(&got, &in) && strlen(got.common_name) == 64,
          "64-character common name, empty unit and organization: verifies (%s)", why);
    img_free(&m);

    /* the header writer refuses what the reader would */
    in = base_info(XCE_IMAGE_REVOCATION, &keys[PA], 10);
    uint8_t hdr[HDR];
    CHECK(xce_image_header(&in, hdr) == XCE_ERR_INVAL, "xce_image_header: revocation with a production key refused");
    in = base_info(XCE_IMAGE_SOFTWARE, &keys[RA], 10);
    CHECK(xce_image_header(&in, hdr) == XCE_ERR_INVAL, "xce_image_header: software image with a rollover key refused");
    in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], 10);
    in.common_name[0] = 0;
    CHECK(xce_image_header(&in, hdr) == XCE_ERR_INVAL, "xce_image_header: empty common name refused");
    in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], (1ull << 40) + 1);
    CHECK(xce_image_header(&in, hdr) == XCE_ERR_INVAL, "xce_image_header: payload over 2^40 refused");
    in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], 10);
    in.sig_bits = 1024;
    CHECK(xce_image_header(&in, hdr) == XCE_ERR_INVAL, "xce_image_header: RSA-1024 signature length refused");
    in.sig_bits = 2048;
    CHECK(xce_image_header(&in, hdr) == XCE_OK, "xce_image_header: a good one accepted");
}

/* --- 4. tampering ------------------------------------------------------- */

#define PLEN 1000

static void header_flips(xce_dev *dev, xce_trust *t)
{
    uint8_t payload[PLEN];
    check_random(payload, sizeof payload);
    struct xce_image_info in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], PLEN);
    struct img m = make_image(&in, payload, keys[PA].pk);
    if (!CHECK(m.b && vbuf(dev, t, &m, "x.SPA.bin", NULL) == XCE_OK, "header flips: the untouched image verifies"))
        return;
    unsigned refused = 0;
    for (unsigned i = 0; i < HDR; i++) {
        m.b[i] ^= 0x01;
        int rc = vbuf(dev, t, &m, "x.SPA.bin", NULL);
        m.b[i] ^= 0x01;
        /* an unchecked byte (time, names, serial) that stays valid must fail the signature */
        CHECK(rc == XCE_ERR_AUTH && why[0], "header byte %u flipped (bit 0): refused (%s)", i, why);
        refused += rc == XCE_ERR_AUTH;
    }
    unsigned sig_refused = 0;
    for (unsigned i = 0; i < HDR; i++) {
        m.b[i] ^= 0x80;
        int rc = vbuf(dev, t, &m, "x.SPA.bin", NULL);
        m.b[i] ^= 0x80;
        sig_refused += rc == XCE_ERR_AUTH && why[0];
    }
    CHECK(sig_refused == HDR, "every header byte flipped in bit 7: refused (%u of %d)", sig_refused, HDR);
    CHECK(vbuf(dev, t, &m, "x.SPA.bin", NULL) == XCE_OK, "header flips: restored image verifies again");
    img_free(&m);
}

/* a field set to a bad value, the image re-signed: the field check must
 * refuse it (not the signature) */
struct field_case {
    const char *what;
    unsigned off;
    unsigned len;                 /* bytes written little-endian from val (or bytes from str) */
    uint64_t val;
    const char *str;
    long sig_adjust;              /* make the file match a changed signature length */
    const char *reason;
};

static void field_checks(xce_dev *dev, xce_trust *t)
{
    static const struct field_case cases[] = {
        { "magic XCESIMG2", 0, 8, 0, "XCESIMG2", 0, "bad magic" },
        { "magic lower case", 0, 8, 0, "xcesimg1", 0, "bad magic" },
        { "format version 2", 8, 2, 2, NULL, 0, "unsupported format version" },
        { "format version 0", 8, 2, 0, NULL, 0, "unsupported format version" },
        { "header length 255", 10, 2, 255, NULL, 0, "bad header length" },
        { "header length 512", 10, 2, 512, NULL, 0, "bad header length" },
        { "image type 0", 12, 1, 0, NULL, 0, "bad image type" },
        { "image type 5", 12, 1, 5, NULL, 0, "bad image type" },
        { "hash algorithm 5 (SHA-384)", 13, 1, 5, NULL, 0, "unsupported hash algorithm" },
        { "hash algorithm 0", 13, 1, 0, NULL, 0, "unsupported hash algorithm" },
        { "signature algorithm 2", 14, 1, 2, NULL, 0, "unsupported signature algorithm" },
        { "key type X", 15, 1, 'X', NULL, 0, "bad key type" },
        { "key type p", 15, 1, 'p', NULL, 0, "bad key type" },
        { "key version a", 16, 1, 'a', NULL, 0, "bad key version" },
        { "key version [", 16, 1, '[', NULL, 0, "bad key version" },
        { "reserved byte 17", 17, 1, 1, NULL, 0, "reserved field not zero" },
        { "signature length 128", 18, 2, 128, NULL, -128, "bad signature length" },
        { "signature length 257", 18, 2, 257, NULL, 1, "bad signature length" },
        { "signature length 0", 18, 2, 0, NULL, -256, "bad signature length" },
        { "reserved bytes 20..23", 20, 4, 0x01000000, NULL, 0, "reserved field not zero" },
        { "payload length 2^40 + 1", 24, 8, (1ull << 40) + 1, NULL, 0, "payload too long" },
        { "payload length 2^64 - 1", 24, 8, ~0ull, NULL, 0, "payload too long" },
        { "payload length 2^64 - 256 (wraps the sum)", 24, 8, ~0ull - 255, NULL, 0, "payload too long" },
        { "payload length 2^64 - 256 - 256 - 1000", 24, 8, ~0ull - 511 - PLEN, NULL, 0, "payload too long" },
        { "payload length 2^40", 24, 8, 1ull << 40, NULL, 0, "truncated" },
        { "payload length one less", 24, 8, PLEN - 1, NULL, 0, "trailing data" },
        { "payload length one more", 24, 8, PLEN + 1, NULL, 0, "truncated" },
        { "common name empty", 40, 64, 0, "", 0, "bad signer name" },
        { "common name with DEL", 40, 4, 0, "ab\x7f" "c", 0, "bad signer name" },
        { "common name with a control character", 40, 4, 0, "ab\tc", 0, "bad signer name" },
        { "common name with text after the NUL", 40, 4, 0, "ab\0c", 0, "bad signer name" },
        { "organization unit with a byte >= 0x80", 104, 2, 0, "e\x80", 0, "bad signer name" },
        { "organization name with text after the NUL", 168 + 20, 1, 0, "z", 0, "bad signer name" },
        { "reserved bytes 248..255", 255, 1, 0x80, NULL, 0, "reserved field not zero" },
        { "software image signed with a rollover key", 15, 1, 'R', NULL, 0,
          "rollover key signs only revocation images" },
        { "revocation type with a production key", 12, 1, 4, NULL, 0,
          "revocation image not signed with a rollover key" },
        { "signature length 384 with an RSA-2048 key", 18, 2, 384, NULL, 128,
          "signature length does not match key SPA" },
        { "key version C (not in the store)", 16, 1, 'C', NULL, 0, "no such key: SPC" },
    };
    uint8_t payload[PLEN];
    check_random(payload, sizeof payload);
    struct xce_image_info in = base_info(XCE_IMAGE_SOFTWARE, &keys[PA], PLEN);
    uint8_t hdr[HDR];
    if (!CHECK(xce_image_header(&in, hdr) == XCE_OK, "field checks: header laid out"))
        return;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct field_case *c = &cases[i];
        uint8_t h[HDR];
        memcpy(h, hdr, HDR);
        if (c->str && c->len == 64) {
            memset(h + c->off, 0, 64);   /* the whole field: "" */
        } else if (c->str) {
            memcpy(h + c->off, c->str, c->len);
        } else {
            put_le(h + c->off, c->val, c->len);
        }
        struct img m = assemble(h, payload, PLEN, keys[PA].pk, c->sig_adjust);
        /* a name that agrees with whatever key the header names */
        char name[32];
        snprintf(name, sizeof name, "img.S%c%c.bin", h[15] >= 'A' && h[15] <= 'Z' ? h[15] : 'P',
                 h[16] >= 'A' && h[16] <= 'Z' ? h[16] : 'A');
        struct xce_image_info got;
        int rc = m.b ? vbuf(dev, t, &m, name, &got) : -100;
        CHECK(rc == XCE_ERR_AUTH && starts(why, c->reason), "%s, re-signed: refused for '%s' (%s)", c->what, c->reason,
              why);
        img_free(&m);
    }
}

static void tampering(xce_dev *dev, xce_trust *t)
{
    uint8_t payload[PLEN];
    check_random(payload, sizeof payload);
    struct xce_image_info in = base_info(XCE_IMAGE_FIRMWARE, &keys[PA], PLEN), got;
    struct img m = make_image(&in, payload, keys[PA].pk);
    if (!m.b)
        return;
    /* payload bytes: the first, the last and a sample */
    unsigned pos[10] = { 0, PLEN - 1 }, bad = 0;
    for (int i = 2; i < 10; i++)
        pos[i] = check_rand32() % PLEN;
    for (int i = 0; i < 10; i++) {
        m.b[HDR + pos[i]] ^= (uint8_t)(1u << (i % 8));
        int rc = vbuf(dev, t, &m, "x.SPA.fw", &got);
        m.b[HDR + pos[i]] ^= (uint8_t)(1u << (i % 8));
        bad += !(rc == XCE_ERR_AUTH && strcmp(why, "signature does not match") == 0 && same_info(&got, &in));
    }
    CHECK(bad == 0, "payload byte changed (10 places): 'signature does not match', info still filled (%u wrong)", bad);
    m.b[HDR + 500] ^= 0x10;
    int rc = vfile(dev, t, &m, "x.SPA.fw", NULL);
    m.b[HDR + 500] ^= 0x10;
    CHECK(rc == XCE_ERR_AUTH && strcmp(why, "signature does not match") == 0,
          "payload byte changed, streamed from a file: refused (%s)", why);
    /* the signature: first, middle, last byte */
    size_t sp[3] = { HDR + PLEN, HDR + PLEN + 128, m.len - 1 };
    bad = 0;
    for (int i = 0; i < 3; i++) {
        m.b[sp[i]] ^= 0x01;
        rc = vbuf(dev, t, &m, "x.SPA.fw", NULL);
        m.b[sp[i]] ^= 0x01;
        bad += !(rc == XCE_ERR_AUTH && strcmp(why, "signature does not match") == 0);
    }
    CHECK(bad == 0, "signature byte changed (first, middle, last): 'signature does not match' (%u wrong)", bad);
    memset(m.b + HDR + PLEN, 0xff, 256);
    rc = vbuf(dev, t, &m, "x.SPA.fw", NULL);
    CHECK(rc == XCE_ERR_AUTH && strcmp(why, "signature does not match") == 0,
          "signature all 0xff (above the modulus): refused (%s)", why);
    img_free(&m);

    /* truncated and overlong */
    m = make_image(&in, payload, keys[PA].pk);
    size_t full = m.len;
    size_t cuts[] = { 0, 1, 8, 255, 256, 257, HDR + PLEN, full - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        m.len = cuts[i];
        rc = vbuf(dev, t, &m, "x.SPA.fw", NULL);
        CHECK(rc == XCE_ERR_AUTH && starts(why, "truncated"), "cut to %zu bytes: refused as truncated (%s)", cuts[i],
              why);
    }
    m.len = 100;
    rc = vfile(dev, t, &m, "x.SPA.fw", NULL);
    CHECK(rc == XCE_ERR_AUTH && starts(why, "truncated"), "a 100-byte file: refused as truncated (%s)", why);
    m.len = full - 1;
    rc = vfile(dev, t, &m, "x.SPA.fw", NULL);
    CHECK(rc == XCE_ERR_AUTH && starts(why, "truncated"), "a file one byte short: refused as truncated (%s)", why);
    uint8_t *longer = realloc(m.b, full + 1);
    if (longer) {
        m.b = longer;
        m.b[full] = 0;
        m.len = full + 1;
        rc = vbuf(dev, t, &m, "x.SPA.fw", NULL);
        CHECK(rc == XCE_ERR_AUTH && starts(why, "trailing data"), "one byte too long: refused (%s)", why);
        rc = vfile(dev, t, &m, "x.SPA.fw", NULL);
        CHECK(rc == XCE_ERR_AUTH && starts(why, "trailing data"), "a file one byte too long: refused (%s)", why);
    }
    m.len = full;

    /* the name against the envelope */
    rc = vfile(dev, t, &m, "xce-pka-1.0.SSA.img", NULL);
    CHECK(rc == XCE_ERR_AUTH && strcmp(why, "name says SSA, envelope says SPA") == 0,
          "SPA image named .SSA.: refused (%s)", why);
    rc = vfile(dev, t, &m, "xce-pka-1.0.SPB.img", NULL);
    CHECK(rc == XCE_ERR_AUTH && strcmp(why, "name says SPB, envelope says SPA") == 0,
          "SPA image named .SPB.: refused (%s)", why);
    rc = vfile(dev, t, &m, "xce-pka-1.0.img", NULL);
    CHECK(rc == XCE_ERR_AUTH && starts(why, "not a signed image name"), "no signing component: refused (%s)", why);
    rc = vfile(dev, t, &m, "xce-pka-1.0.spa.img", NULL);
    CHECK(rc == XCE_ERR_AUTH && starts(why, "not a signed image name"), "lower-case .spa.: refused (%s)", why);
    rc = vfile(dev, t, &m, "xce-pka-1.0SPA.img", NULL);
    CHECK(rc == XCE_ERR_AUTH && starts(why, "not a signed image name"), "SPA not a component of its own: refused (%s)",
          why);
    rc = vbuf(dev, t, &m, "/some/dir.SSA/xce.SPA.img", NULL);
    CHECK(rc == XCE_OK, "only the last path component is the name (%s)", why);
    rc = vbuf(dev, t, &m, NULL, NULL);
    CHECK(rc == XCE_OK, "buffer with no name: the name check is skipped (%s)", why);
    img_free(&m);
}

/* --- 5. revocation ------------------------------------------------------ */

struct rec {
    int action;
    char type, version;
    EVP_PKEY *pk;                 /* add: the key */
};

static size_t revk_payload(const struct rec *r, unsigned n, uint8_t *out)
{
    size_t off = 0;
    memcpy(out, "XCEREVK1", 8);
    put_le(out + 8, n, 4);
    off = 12;
    for (unsigned i = 0; i < n; i++) {
        out[off] = (uint8_t)r[i].action;
        out[off + 1] = (uint8_t)r[i].type;
        out[off + 2] = (uint8_t)r[i].version;
        out[off + 3] = 0;
        size_t kl = r[i].pk ? spki_of(r[i].pk, out + off + 6, 2048) : 0;
        put_le(out + off + 4, kl, 2);
        off += 6 + kl;
    }
    return off;
}

/* a revocation image file signed by key k, under name; 0 on success */
static int write_revk(const char *name, const struct rec *r, unsigned n, const struct key *k, char *path)
{
    uint8_t payload[8192];
    size_t plen = revk_payload(r, n, payload);
    struct xce_image_info in = base_info(XCE_IMAGE_REVOCATION, k, plen);
    struct img m = make_image(&in, payload, k->pk);
    snprintf(path, 512, "%s/img/%s", tmp, name);
    int rc = m.b ? write_file(path, m.b, m.len) : -1;
    img_free(&m);
    return rc;
}

static int verify_with(xce_dev *dev, xce_trust *t, int key, const char *name)
{
    uint8_t payload[300];
    check_random(payload, sizeof payload);
    struct xce_image_info in = base_info(XCE_IMAGE_SOFTWARE, &keys[key], sizeof payload);
    struct img m = make_image(&in, payload, keys[key].pk);
    int rc = m.b ? vbuf(dev, t, &m, name, NULL) : -100;
    img_free(&m);
    return rc;
}

static int store_unchanged(const char *saved)
{
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/%s/primary", tmp, saved);
    snprintf(b, sizeof b, "%s/store/primary", tmp);
    int same = same_file(a, b);
    snprintf(b, sizeof b, "%s/store/backup", tmp);
    return same && same_file(a, b);
}

static int save_store(const char *as)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf %s/%s && cp -rp %s/store %s/%s", tmp, as, tmp, tmp, as);
    return run(cmd);
}

static void revocation(xce_dev *dev)
{
    xce_trust *t = NULL;
    int rc = xce_trust_open(path_in("store"), &t, why, sizeof why);
    if (!CHECK(rc == XCE_OK, "revocation: store open (%s)", why))
        return;
    char p_replace[512], p_prod[512], p_bad[512], p_readd[512], p_last[512], p_sa[512], p_namebad[512];
    char p_payload[512], p_readd2[512];
    const struct rec replace[] = { { 1, 'P', 'B', keys[PB].pk }, { 2, 'P', 'A', NULL } };
    int ok = write_revk("replace-A.SRA.img", replace, 2, &keys[RA], p_replace) == 0;

    /* the same image, but signed with the production key (header forged to say so) */
    uint8_t payload[8192];
    size_t plen = revk_payload(replace, 2, payload);
    struct xce_image_info in = base_info(XCE_IMAGE_REVOCATION, &keys[RA], plen);
    uint8_t hdr[HDR];
    ok = ok && xce_image_header(&in, hdr) == XCE_OK;
    hdr[15] = 'P';
    struct img m = assemble(hdr, payload, plen, keys[PA].pk, 0);
    snprintf(p_prod, sizeof p_prod, "%s/img/replace-A.SPA.img", tmp);
    ok = ok && m.b && write_file(p_prod, m.b, m.len) == 0;
    rc = m.b ? vbuf(dev, t, &m, "replace-A.SPA.img", NULL) : -100;
    CHECK(rc == XCE_ERR_AUTH && starts(why, "revocation image not signed with a rollover key"),
          "revocation image signed with a production key: refused (%s)", why);
    img_free(&m);
    if (!CHECK(ok, "revocation images written"))
        goto out;

    save_store("s0");
    rc = xce_trust_apply(dev, t, p_prod, 1, 'P', why, sizeof why);
    CHECK(rc != XCE_OK && starts(why, "revocation image not signed with a rollover key") && store_unchanged("s0"),
          "apply a revocation image signed with a production key: refused, store unchanged (%s)", why);
    rc = xce_trust_apply(dev, t, p_replace, 2, 'P', why, sizeof why);
    CHECK(rc != XCE_OK && starts(why, "refused: revoking SPA would leave no active production key") &&
              store_unchanged("s0"),
          "revoke SPA before its replacement is in: refused, store unchanged (%s)", why);
    CHECK(verify_with(dev, t, PA, "x.SPA.bin") == XCE_OK, "SPA still verifies after the refusal (%s)", why);
    rc = xce_trust_apply(dev, t, p_replace, 1, 'S', why, sizeof why);
    CHECK(rc != XCE_OK && starts(why, "nothing to apply") && store_unchanged("s0"),
          "apply special adds from an image with none: refused (%s)", why);
    CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_ERR_AUTH && strcmp(why, "no such key: SPB") == 0,
          "SPB not in the store yet: 'no such key: SPB' (%s)", why);

    /* a tampered copy changes nothing */
    uint8_t *b;
    size_t bl;
    if (file_bytes(p_replace, &b, &bl) == 0 && bl > 300) {
        snprintf(p_bad, sizeof p_bad, "%s/img/replace-bad.SRA.img", tmp);
        b[HDR + 20] ^= 1;
        rc = write_file(p_bad, b, bl) == 0 ? xce_trust_apply(dev, t, p_bad, 1, 'P', why, sizeof why) : -100;
        CHECK(rc == XCE_ERR_AUTH && strcmp(why, "signature does not match") == 0 && store_unchanged("s0"),
              "tampered revocation image: refused, store unchanged (%s)", why);
        b[HDR + 20] ^= 1;
        snprintf(p_namebad, sizeof p_namebad, "%s/img/replace-A.SPA.rev", tmp);
        rc = write_file(p_namebad, b, bl) == 0 ? xce_trust_apply(dev, t, p_namebad, 1, 'P', why, sizeof why) : -100;
        CHECK(rc == XCE_ERR_AUTH && strcmp(why, "name says SPA, envelope says SRA") == 0,
              "revocation image under a wrong name: refused (%s)", why);
    }
    free(b);
    /* a correctly signed image with a bad payload */
    in = base_info(XCE_IMAGE_REVOCATION, &keys[RA], plen);
    memcpy(payload, "XCEREVK2", 8);
    m = make_image(&in, payload, keys[RA].pk);
    snprintf(p_payload, sizeof p_payload, "%s/img/badpayload.SRA.img", tmp);
    rc = m.b && write_file(p_payload, m.b, m.len) == 0 ? xce_trust_apply(dev, t, p_payload, 1, 'P', why, sizeof why)
                                                        : -100;
    CHECK(rc != XCE_OK && starts(why, "bad revocation payload") && store_unchanged("s0"),
          "signed revocation image with a bad payload magic: refused (%s)", why);
    img_free(&m);

    /* add B, then revoke A */
    rc = xce_trust_apply(dev, t, p_replace, 1, 'P', why, sizeof why);
    CHECK(rc == XCE_OK && strcmp(why, "added SPB") == 0, "add SPB from the rollover-signed image (%s; %s)",
          xce_strerror(rc), why);
    CHECK(same_file(path_in("store/primary"), path_in("store/backup")), "primary and backup agree after the add");
    CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_OK, "an image signed with SPB verifies (%s)", why);
    CHECK(verify_with(dev, t, PA, "x.SPA.bin") == XCE_OK, "SPA still verifies until revoked (%s)", why);
    save_store("s1");
    rc = xce_trust_apply(dev, t, p_replace, 1, 'P', why, sizeof why);
    CHECK(rc != XCE_OK && strcmp(why, "key SPB already in the store") == 0 && store_unchanged("s1"),
          "add SPB again: refused (%s)", why);
    rc = xce_trust_apply(dev, t, p_replace, 2, 'P', why, sizeof why);
    CHECK(rc == XCE_OK && strcmp(why, "revoked SPA") == 0, "revoke SPA now that SPB is in (%s; %s)",
          xce_strerror(rc), why);
    CHECK(verify_with(dev, t, PA, "x.SPA.bin") == XCE_ERR_AUTH && strcmp(why, "key revoked: SPA") == 0,
          "an image signed with SPA: 'key revoked: SPA' (%s)", why);
    CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_OK, "SPB verifies (%s)", why);
    save_store("s2");
    rc = xce_trust_apply(dev, t, p_replace, 2, 'P', why, sizeof why);
    CHECK(rc != XCE_OK && strcmp(why, "key revoked already: SPA") == 0 && store_unchanged("s2"),
          "revoke SPA again: refused (%s)", why);

    /* a revoked key never comes back: not under its version, not under another */
    const struct rec readd[] = { { 1, 'P', 'A', keys[PA].pk } };
    const struct rec readd2[] = { { 1, 'P', 'C', keys[PA].pk } };
    ok = write_revk("readd.SRB.img", readd, 1, &keys[RB], p_readd) == 0 &&
         write_revk("readd2.SRA.img", readd2, 1, &keys[RA], p_readd2) == 0;
    rc = ok ? xce_trust_apply(dev, t, p_readd, 1, 'P', why, sizeof why) : -100;
    CHECK(rc != XCE_OK && strstr(why, "a revoked key can never verify again") && store_unchanged("s2"),
          "add SPA again (signed by rollover B): refused (%s)", why);
    rc = ok ? xce_trust_apply(dev, t, p_readd2, 1, 'P', why, sizeof why) : -100;
    CHECK(rc != XCE_OK && strstr(why, "a revoked key can never verify again") && store_unchanged("s2"),
          "the revoked SPA key added as SPC: refused (%s)", why);

    /* the last active production key stays */
    const struct rec last[] = { { 2, 'P', 'B', NULL } };
    ok = write_revk("last.SRA.img", last, 1, &keys[RA], p_last) == 0;
    rc = ok ? xce_trust_apply(dev, t, p_last, 2, 'P', why, sizeof why) : -100;
    CHECK(rc != XCE_OK && starts(why, "refused: revoking SPB would leave no active production key") &&
              store_unchanged("s2"),
          "revoke the last active production key: refused (%s)", why);
    CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_OK, "SPB still verifies (%s)", why);

    /* special: SSB (RSA-4096) is newer than SSA, so SSA may go, but not SSB */
    const struct rec sb[] = { { 2, 'S', 'B', NULL } };
    ok = write_revk("revoke-SB.SRA.img", sb, 1, &keys[RA], p_sa) == 0;
    rc = ok ? xce_trust_apply(dev, t, p_sa, 2, 'S', why, sizeof why) : -100;
    CHECK(rc != XCE_OK && starts(why, "refused: no newer active special key than SSB") && store_unchanged("s2"),
          "revoke SSB while only the older SSA remains: refused (%s)", why);
    const struct rec sa[] = { { 2, 'S', 'A', NULL } };
    ok = write_revk("revoke-SA.SRB.img", sa, 1, &keys[RB], p_sa) == 0;
    rc = ok ? xce_trust_apply(dev, t, p_sa, 2, 'P', why, sizeof why) : -100;
    CHECK(rc != XCE_OK && starts(why, "nothing to apply"), "special revokes applied as production: nothing (%s)", why);
    rc = ok ? xce_trust_apply(dev, t, p_sa, 2, 'S', why, sizeof why) : -100;
    CHECK(rc == XCE_OK && strcmp(why, "revoked SSA") == 0, "revoke SSA (SSB is newer; signed by rollover B) (%s)", why);
    CHECK(verify_with(dev, t, SA, "x.SSA.bin") == XCE_ERR_AUTH && strcmp(why, "key revoked: SSA") == 0,
          "SSA images refused now (%s)", why);
    CHECK(verify_with(dev, t, SB, "x.SSB.bin") == XCE_OK, "SSB images verify (%s)", why);

    /* across restarts */
    xce_trust_close(t);
    t = NULL;
    rc = xce_trust_open(path_in("store"), &t, why, sizeof why);
    CHECK(rc == XCE_OK && why[0] == 0, "store reopened, no message (%s)", why);
    if (rc != XCE_OK)
        return;
    CHECK(verify_with(dev, t, PA, "x.SPA.bin") == XCE_ERR_AUTH && strcmp(why, "key revoked: SPA") == 0,
          "after reopening: SPA still revoked (%s)", why);
    CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_OK, "after reopening: SPB verifies (%s)", why);
    static const struct {
        char type, version;
        int revoked;
    } want[] = { { 'P', 'A', 1 }, { 'P', 'B', 0 }, { 'R', 'A', 0 }, { 'R', 'B', 0 }, { 'S', 'A', 1 }, { 'S', 'B', 0 } };
    int all = 1;
    for (unsigned i = 0; i < 6; i++) {
        struct xce_trust_key k;
        all &= xce_trust_key(t, i, &k) == XCE_OK && k.key_type == want[i].type && k.key_version == want[i].version &&
               k.revoked == want[i].revoked;
    }
    struct xce_trust_key k;
    CHECK(all && xce_trust_key(t, 6, &k) == XCE_ERR_INVAL, "after reopening: 6 keys, SPA and SSA revoked");
out:
    xce_trust_close(t);
}

/* --- 6. damage ---------------------------------------------------------- */

static int damage(const char *file, int how)
{
    char p[512];
    snprintf(p, sizeof p, "%s/store/%s", tmp, file);
    if (how == 0)
        return unlink(p);
    if (how == 1)
        return truncate(p, 50);
    FILE *f = fopen(p, "r+b");
    if (!f)
        return -1;
    int ok = fseek(f, 200, SEEK_SET) == 0;
    int c = ok ? fgetc(f) : EOF;
    ok = c != EOF && fseek(f, 200, SEEK_SET) == 0 && fputc(c ^ 0x04, f) != EOF;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int restore(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf %s/store && cp -rp %s/good %s/store", tmp, tmp, tmp);
    return run(cmd);
}

static void damaged_store(xce_dev *dev)
{
    save_store("good");
    static const char *const hows[] = { "missing", "truncated", "a byte flipped" };
    static const char *const whys[] = { "primary copy of the key store in", "primary copy of the key store in",
                                        "primary copy of the key store in" };
    for (int how = 0; how < 3; how++) {
        xce_trust *t = NULL;
        int rc = restore() == 0 && damage("primary", how) == 0 ? xce_trust_open(path_in("store"), &t, why, sizeof why)
                                                               : -100;
        CHECK(rc == XCE_OK && starts(why, whys[how]) && strstr(why, "using the backup") &&
                  strstr(why, how == 0 ? "missing" : "damaged"),
              "primary %s: the backup is used, and said so (%s)", hows[how], why);
        if (rc == XCE_OK) {
            CHECK(verify_with(dev, t, PB, "x.SPB.bin") == XCE_OK, "primary %s: SPB verifies from the backup (%s)",
                  hows[how], why);
            CHECK(verify_with(dev, t, PA, "x.SPA.bin") == XCE_ERR_AUTH && strcmp(why, "key revoked: SPA") == 0,
                  "primary %s: SPA still revoked (%s)", hows[how], why);
        }
        xce_trust_close(t);
    }
    for (int how = 1; how < 3; how++) {
        xce_trust *t = NULL;
        int rc = restore() == 0 && damage("backup", how) == 0 ? xce_trust_open(path_in("store"), &t, why, sizeof why)
                                                              : -100;
        CHECK(rc == XCE_OK && starts(why, "backup copy of the key store in") && strstr(why, "damaged"),
              "backup %s: the primary is used, the damage reported (%s)", hows[how], why);
        xce_trust_close(t);
    }
    /* a change made from the backup rewrites both copies */
    xce_trust *t = NULL;
    int rc = restore() == 0 && damage("primary", 2) == 0 ? xce_trust_open(path_in("store"), &t, why, sizeof why) : -100;
    char p_add[512];
    const struct rec add_sc[] = { { 1, 'S', 'C', keys[PB].pk } };   /* PB's key: refused, same key */
    EVP_PKEY *sc = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    const struct rec add_sc2[] = { { 1, 'S', 'C', sc } };
    if (rc == XCE_OK && write_revk("add-SC.SRA.img", add_sc, 1, &keys[RA], p_add) == 0) {
        rc = xce_trust_apply(dev, t, p_add, 1, 'S', why, sizeof why);
        CHECK(rc != XCE_OK && strstr(why, "the same key as SPB"), "adding SPB's key as SSC: refused (%s)", why);
    }
    xce_trust *t2 = NULL;
    if (t && sc && write_revk("add-SC.SRA.img", add_sc2, 1, &keys[RA], p_add) == 0 &&
        xce_trust_open(path_in("store"), &t2, why, sizeof why) == XCE_OK) {
        rc = xce_trust_apply(dev, t, p_add, 1, 'S', why, sizeof why);
        CHECK(rc == XCE_OK && strcmp(why, "added SSC") == 0, "with the primary damaged: add SSC (%s)", why);
        rc = xce_trust_apply(dev, t2, p_add, 1, 'S', why, sizeof why);
        CHECK(rc == XCE_ERR_INVAL && strstr(why, "changed since it was opened"),
              "a second handle opened before the change: its change is refused (%s)", why);
        xce_trust_close(t);
        t = NULL;
        rc = xce_trust_open(path_in("store"), &t, why, sizeof why);
        CHECK(rc == XCE_OK && why[0] == 0 && same_file(path_in("store/primary"), path_in("store/backup")),
              "the change rewrote both copies: reopened without a message (%s)", why);
    }
    EVP_PKEY_free(sc);
    xce_trust_close(t);
    xce_trust_close(t2);

    /* both damaged */
    t = NULL;
    rc = restore() == 0 && damage("primary", 2) == 0 && damage("backup", 1) == 0
             ? xce_trust_open(path_in("store"), &t, why, sizeof why)
             : -100;
    CHECK(rc == XCE_ERR_INVAL && !t && strstr(why, "unusable") && strstr(why, "digest mismatch") &&
              strstr(why, "truncated"),
          "both copies damaged: open fails, both reasons given (%s)", why);
    t = NULL;
    rc = xce_trust_open(path_in("nowhere"), &t, why, sizeof why);
    CHECK(rc == XCE_ERR_INVAL && !t && starts(why, "no key store in"), "no store at all: open fails (%s)", why);
    restore();
}

int main(void)
{
    check_seed();
    check_firmware_env();
    const char *td = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/xce-image-XXXXXX", td && *td ? td : "/tmp");
    if (!CHECK(mkdtemp(tmp) != NULL, "scratch directory %s", tmp))
        return check_done();
    double t0 = now_s();
    if (!CHECK(make_keys() == 0, "RSA keys generated by OpenSSL (2048, 3072, 4096 bits)"))
        goto out;
    printf("# keys in %.1f s\n", now_s() - t0);
    install_tests();
    big_image();   /* first: the RSS baseline is lowest before the model is loaded */
    printf("# big image done at %.1f s\n", now_s() - t0);

    xce_dev *dev = check_open("sim", XCE_POLICY_AUTO);
    xce_trust *t = NULL;
    if (CHECK(dev != NULL, "open the sim device") &&
        CHECK(xce_trust_open(path_in("store"), &t, why, sizeof why) == XCE_OK, "open the store (%s)", why)) {
        valid_images(dev, t);
        header_flips(dev, t);
        field_checks(dev, t);
        tampering(dev, t);
        printf("# image checks done at %.1f s\n", now_s() - t0);
        xce_trust_close(t);
        revocation(dev);
        damaged_store(dev);
        struct xce_stats st;
        int sok = xce_get_stats(dev, &st) == XCE_OK;
        CHECK(sok && st.pk_hw_ops > 0 && st.hw_requests > 0,
              "the engine did the work: %llu RSA verifications on the PKA (%llu in software), %llu requests on the "
              "engine (%llu in software)",
              sok ? (unsigned long long)st.pk_hw_ops : 0, sok ? (unsigned long long)st.pk_sw_ops : 0,
              sok ? (unsigned long long)st.hw_requests : 0, sok ? (unsigned long long)st.sw_requests : 0);
        struct xce_image_info fi;
        char fp[4096];
        const char *want = getenv("XCE_FIRMWARE");
        CHECK(xce_get_firmware_image(dev, &fi, fp, sizeof fp) == XCE_OK && fi.type == XCE_IMAGE_FIRMWARE &&
                  fi.key_type == XCE_IMAGE_KEY_SPECIAL && fi.key_version == 'A' && want &&
                  strncmp(fp, want, sizeof fp - 1) == 0,
              "xce_get_firmware_image: the signed firmware image the driver loaded (%s, key S%c)", fp,
              fi.key_version ? fi.key_version : '?');
    }
    xce_close(dev);
    printf("# done in %.1f s\n", now_s() - t0);
out:
    for (int i = 0; i < NKEYS; i++)
        EVP_PKEY_free(keys[i].pk);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (run(cmd) != 0)
        printf("# could not remove %s\n", tmp);
    return check_done();
}
