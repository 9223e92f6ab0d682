/* test_pka.c - the public-key engine (PKA) through the driver's public API:
 * firmware load at attach, xce_modexp against OpenSSL's BN_mod_exp at every
 * modulus size the engine takes (and its edge cases), the rejections, the
 * fallbacks (too large for the engine, no or bad firmware, accelerator off,
 * "sw" device, hardware policy), constant time (the engine's cycle count
 * depends only on the lengths), RSA with real OpenSSL keys in both
 * directions, a corrupted engine result caught by verify-after-sign, and a
 * pool of two engines.
 *
 * Run from the repository root (the default firmware is
 * build/firmware/xce-pka.fw when $XCE_FIRMWARE is not set). Heaviest
 * operations: a 2048-bit modulus with a 1024-bit exponent and the 2048-bit
 * RSA private operations (two 1024-bit exponentiations each); never a full
 * 4096-bit exponent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "check.h"
#include "xce.h"
#include "xce_testing.h"

#define MAXB 600   /* bytes: the largest modulus here is 4160 bits (520 bytes) */

static char fw_path[4096];   /* the good firmware, as $XCE_FIRMWARE names it */

/* --- helpers ------------------------------------------------------------ */

static struct xce_stats stats(xce_dev *dev)
{
    struct xce_stats st;
    if (xce_get_stats(dev, &st) != XCE_OK)
        memset(&st, 0xff, sizeof st);   /* makes every delta check fail */
    return st;
}

static uint64_t fb_total(const struct xce_stats *st)
{
    uint64_t n = 0;
    for (int i = 0; i < XCE_FB_COUNT; i++)
        n += st->fallback[i];
    return n;
}

/* A random odd modulus of exactly `bits` bits (bits a multiple of 8). */
static size_t rand_modulus(unsigned bits, uint8_t *m)
{
    size_t n = bits / 8;
    check_random(m, n);
    m[0] |= 0x80;
    m[n - 1] |= 1;
    return n;
}

/* Random number below the modulus m (same length, top byte smaller). */
static void rand_below(const uint8_t *m, size_t n, uint8_t *x)
{
    check_random(x, n);
    x[0] = (uint8_t)(x[0] % m[0]);
}

/* OpenSSL's answer, exactly mlen bytes; 0 on success. */
static int ref_modexp(const uint8_t *b, size_t blen, const uint8_t *e, size_t elen, const uint8_t *m, size_t mlen,
                      uint8_t *out)
{
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *bb = BN_bin2bn(b, (int)blen, NULL), *eb = BN_bin2bn(e, (int)elen, NULL);
    BIGNUM *mb = BN_bin2bn(m, (int)mlen, NULL), *r = BN_new();
    int ok = ctx && bb && eb && mb && r && BN_mod_exp(r, bb, eb, mb, ctx) && BN_bn2binpad(r, out, (int)mlen) >= 0;
    BN_free(bb);
    BN_free(eb);
    BN_free(mb);
    BN_free(r);
    BN_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* What one xce_modexp did: its return, whether the result equals OpenSSL's
 * (and the bytes after the mod_len output were not touched), and the
 * statistics delta. */
struct mx {
    int rc;
    int correct;
    uint64_t hw, sw, cycles, fb[XCE_FB_COUNT];
};

static struct mx modexp(xce_dev *dev, const uint8_t *b, size_t blen, const uint8_t *e, size_t elen, const uint8_t *m,
                        size_t mlen)
{
    static uint8_t out[MAXB + 16], ref[MAXB];
    struct mx r;
    memset(&r, 0, sizeof r);
    struct xce_stats a = stats(dev);
    memset(out, 0xa5, sizeof out);
    r.rc = xce_modexp(dev, b, blen, e, elen, m, mlen, out);
    struct xce_stats z = stats(dev);
    int canary = 1;
    for (size_t i = mlen; i < mlen + 16; i++)
        canary &= out[i] == 0xa5;
    r.correct = r.rc == XCE_OK && ref_modexp(b, blen, e, elen, m, mlen, ref) == 0 && memcmp(out, ref, mlen) == 0 &&
                canary;
    r.hw = z.pk_hw_ops - a.pk_hw_ops;
    r.sw = z.pk_sw_ops - a.pk_sw_ops;
    r.cycles = z.pk_cycles - a.pk_cycles;
    for (int i = 0; i < XCE_FB_COUNT; i++)
        r.fb[i] = z.fallback[i] - a.fallback[i];
    return r;
}

/* On the engine: right answer, one engine operation, nothing in software. */
static int on_engine(const struct mx *r) { return r->rc == XCE_OK && r->correct && r->hw == 1 && r->sw == 0; }

/* In software for `why`: right answer, counted once under it. */
static int in_software(const struct mx *r, enum xce_fallback why)
{
    uint64_t others = 0;
    for (int i = 0; i < XCE_FB_COUNT; i++)
        others += i == (int)why ? 0 : r->fb[i];
    return r->rc == XCE_OK && r->correct && r->hw == 0 && r->sw == 1 && r->fb[why] == 1 && others == 0;
}

static const char *rcs(int rc) { return xce_strerror(rc); }

/* Cycles the firmware's modexp takes: (2L+3)(s^2+3s+3) + 7L + 10. */
static uint64_t formula(unsigned mod_bits, unsigned exp_bits)
{
    uint64_t s = (mod_bits + 63) / 64;
    if (s < 3)
        s = 3;
    return (2ull * exp_bits + 3) * (s * s + 3 * s + 3) + 7ull * exp_bits + 10;
}

/* --- 1. attach ------------------------------------------------------------ */

static void attach(xce_dev *dev)
{
    struct xce_info info;
    int ok = xce_get_info(dev, &info) == XCE_OK;
    CHECK(ok && info.pka_enabled == 1 && info.pka_reason == NULL,
          "attach: PKA enabled, no reason given (reason: %s)", ok && info.pka_reason ? info.pka_reason : "none");
    CHECK(ok && info.fw_version == 0x00010000u, "attach: firmware version 0x%08x (want 0x00010000)",
          ok ? info.fw_version : 0);
    CHECK(ok && info.pka_max_bits == 4096, "attach: PKA takes up to %u bits (want 4096)", ok ? info.pka_max_bits : 0);
}

/* --- 2. differential against OpenSSL ------------------------------------ */

static void differential(xce_dev *dev)
{
    static const unsigned sizes[] = { 512, 768, 1024, 1536, 2048, 3072, 4096 };
    static uint8_t m[MAXB], b[MAXB], e[MAXB];
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned bits = sizes[i];
        size_t n = rand_modulus(bits, m);
        rand_below(m, n, b);

        /* short: 65537, 17 bits in 3 bytes */
        static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
        struct mx r = modexp(dev, b, n, f4, 3, m, n);
        CHECK(on_engine(&r), "%u-bit modulus, exponent 65537: equals BN_mod_exp, on the engine (%s, hw +%llu, sw +%llu)",
              bits, rcs(r.rc), (unsigned long long)r.hw, (unsigned long long)r.sw);

        /* 64-bit random exponent */
        check_random(e, 8);
        e[0] |= 0x80;
        r = modexp(dev, b, n, e, 8, m, n);
        CHECK(on_engine(&r), "%u-bit modulus, 64-bit random exponent: equals BN_mod_exp, on the engine (%s, hw +%llu, sw +%llu)",
              bits, rcs(r.rc), (unsigned long long)r.hw, (unsigned long long)r.sw);

        /* long exponent: full length up to 1024 bits, 1024 bits for 2048 */
        size_t elen = bits <= 1024 ? n : bits == 2048 ? 128 : 0;
        if (elen) {
            check_random(e, elen);
            e[0] |= 0x80;
            r = modexp(dev, b, n, e, elen, m, n);
            CHECK(on_engine(&r),
                  "%u-bit modulus, %zu-bit random exponent: equals BN_mod_exp, on the engine (%s, hw +%llu, sw +%llu)",
                  bits, 8 * elen, rcs(r.rc), (unsigned long long)r.hw, (unsigned long long)r.sw);
        }
    }
}

static void edge_cases(xce_dev *dev)
{
    static const unsigned sizes[] = { 512, 1024 };
    static uint8_t m[MAXB], b[MAXB + 8], e[MAXB], out[MAXB + 16];
    for (size_t i = 0; i < 2; i++) {
        unsigned bits = sizes[i];
        size_t n = rand_modulus(bits, m);
        static const uint8_t f4[3] = { 0x01, 0x00, 0x01 }, zero[1] = { 0 }, one[1] = { 1 };
        struct mx r;

        memset(b, 0, n);
        r = modexp(dev, b, n, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: base 0 (%zu zero bytes)^65537 = 0", bits, n);
        r = modexp(dev, NULL, 0, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: base of length 0 ^65537 = 0", bits);

        r = modexp(dev, one, 1, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: base 1 ^65537 = 1", bits);

        memcpy(b, m, n);
        b[n - 1] ^= 1;   /* m - 1 (m is odd) */
        r = modexp(dev, b, n, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: (m-1)^65537 = m-1", bits);
        static const uint8_t two[1] = { 2 };
        r = modexp(dev, b, n, two, 1, m, n);
        CHECK(on_engine(&r), "%u: (m-1)^2 = 1", bits);

        r = modexp(dev, m, n, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: base = m gives 0", bits);
        check_random(b, n + 5);
        b[0] |= 0x80;
        r = modexp(dev, b, n + 5, f4, 3, m, n);
        CHECK(on_engine(&r), "%u: base of %zu bytes (above m) is reduced first", bits, n + 5);

        rand_below(m, n, b);
        r = modexp(dev, b, n, zero, 1, m, n);
        CHECK(on_engine(&r), "%u: exponent 0 (one zero byte) gives 1", bits);
        r = modexp(dev, b, n, NULL, 0, m, n);
        CHECK(on_engine(&r), "%u: exponent of length 0 gives 1 (%s, hw +%llu)", bits, rcs(r.rc),
              (unsigned long long)r.hw);
        r = modexp(dev, b, n, one, 1, m, n);
        CHECK(on_engine(&r), "%u: exponent 1 gives the base", bits);
        memset(e, 0, 16);
        e[13] = 0x01, e[14] = 0x00, e[15] = 0x01;   /* 65537 with 13 leading zero bytes */
        r = modexp(dev, b, n, e, 16, m, n);
        CHECK(on_engine(&r), "%u: exponent 65537 with 13 leading zero bytes", bits);

        /* a small result comes out as exactly mod_len bytes, zeros first */
        memset(out, 0xa5, sizeof out);
        int rc = xce_modexp(dev, two, 1, f4 + 2, 1, m, n, out);   /* 2^1 */
        int lead = 1;
        for (size_t k = 0; k + 1 < n; k++)
            lead &= out[k] == 0;
        CHECK(rc == XCE_OK && lead && out[n - 1] == 2 && out[n] == 0xa5,
              "%u: 2^1 written as %zu bytes, %zu leading zeros, nothing past the end", bits, n, n - 1);
        /* a modulus given with leading zero bytes: the output keeps its length */
        memmove(b + 3, m, n);
        memset(b, 0, 3);
        rand_below(m, n, e);
        r = modexp(dev, e, n, f4, 3, b, n + 3);
        CHECK(on_engine(&r), "%u: modulus given in %zu bytes (3 leading zeros): result in %zu bytes", bits, n + 3,
              n + 3);
    }
    /* the smallest moduli: fewer bits than one engine word */
    static const uint8_t small[3] = { 0xc3, 0x50, 0x07 }, x[2] = { 0x12, 0x34 }, f4[3] = { 0x01, 0x00, 0x01 };
    struct mx r = modexp(dev, x, 2, f4, 3, small, 3);
    CHECK(on_engine(&r), "24-bit modulus 0xc35007: equals BN_mod_exp on the engine (%s, hw +%llu)", rcs(r.rc),
          (unsigned long long)r.hw);
    static const uint8_t three[1] = { 3 };
    r = modexp(dev, x, 2, f4, 3, three, 1);
    CHECK(on_engine(&r), "modulus 3: equals BN_mod_exp on the engine (%s, hw +%llu)", rcs(r.rc),
          (unsigned long long)r.hw);
}

/* --- 3. rejections ------------------------------------------------------- */

static void rejections(xce_dev *dev)
{
    static uint8_t m[128], b[128], out[160];
    static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
    size_t n = rand_modulus(1024, m);
    rand_below(m, n, b);
    struct xce_stats a = stats(dev);
    uint8_t even[128], zero[128], one[128];
    memcpy(even, m, n);
    even[n - 1] &= 0xfe;
    memset(zero, 0, n);
    memset(one, 0, n);
    one[n - 1] = 1;
    static const uint8_t one1[1] = { 1 }, zero1[1] = { 0 };
    struct {
        const char *what;
        int rc;
    } cases[] = {
        { "even modulus", xce_modexp(dev, b, n, f4, 3, even, n, out) },
        { "zero modulus (128 zero bytes)", xce_modexp(dev, b, n, f4, 3, zero, n, out) },
        { "zero modulus (1 byte)", xce_modexp(dev, b, n, f4, 3, zero1, 1, out) },
        { "modulus 1 (1 byte)", xce_modexp(dev, b, n, f4, 3, one1, 1, out) },
        { "modulus 1 (128 bytes)", xce_modexp(dev, b, n, f4, 3, one, n, out) },
        { "modulus of length 0", xce_modexp(dev, b, n, f4, 3, m, 0, out) },
        { "NULL device", xce_modexp(NULL, b, n, f4, 3, m, n, out) },
        { "NULL base with a length", xce_modexp(dev, NULL, n, f4, 3, m, n, out) },
        { "NULL exponent with a length", xce_modexp(dev, b, n, NULL, 3, m, n, out) },
        { "NULL modulus", xce_modexp(dev, b, n, f4, 3, NULL, n, out) },
        { "NULL output", xce_modexp(dev, b, n, f4, 3, m, n, NULL) },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK(cases[i].rc == XCE_ERR_INVAL, "rejected: %s -> %s", cases[i].what, rcs(cases[i].rc));
    struct xce_stats z = stats(dev);
    CHECK(z.pk_hw_ops == a.pk_hw_ops && z.pk_sw_ops == a.pk_sw_ops && fb_total(&z) == fb_total(&a) &&
              z.pk_cycles == a.pk_cycles,
          "rejections: nothing counted (hw +%llu, sw +%llu, fallbacks +%llu)",
          (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops), (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops),
          (unsigned long long)(fb_total(&z) - fb_total(&a)));
}

/* --- 4. larger than the engine ------------------------------------------ */

static void too_large(xce_dev *dev)
{
    static uint8_t m[MAXB], b[MAXB], e[MAXB];
    static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
    static const unsigned sizes[] = { 4104, 4160 };
    xce_dev *hw = check_open("sim", XCE_POLICY_HARDWARE);
    CHECK(hw != NULL, "open sim under the hardware policy");
    for (size_t i = 0; i < 2; i++) {
        size_t n = rand_modulus(sizes[i], m);
        rand_below(m, n, b);
        struct mx r = modexp(dev, b, n, f4, 3, m, n);
        CHECK(in_software(&r, XCE_FB_ALG_UNSUPPORTED),
              "%u-bit modulus: right answer in software, counted as 'unsupported' (%s, hw +%llu, sw +%llu, unsupported +%llu)",
              sizes[i], rcs(r.rc), (unsigned long long)r.hw, (unsigned long long)r.sw,
              (unsigned long long)r.fb[XCE_FB_ALG_UNSUPPORTED]);
        if (hw) {
            r = modexp(hw, b, n, f4, 3, m, n);
            CHECK(r.rc == XCE_ERR_UNSUPPORTED && r.hw == 0 && r.sw == 0,
                  "%u-bit modulus under the hardware policy: %s (want %s), nothing run", sizes[i], rcs(r.rc),
                  rcs(XCE_ERR_UNSUPPORTED));
        }
    }
    /* an exponent longer than the engine takes (513 bytes) on a small modulus */
    size_t n = rand_modulus(512, m);
    rand_below(m, n, b);
    check_random(e, 513);
    e[0] |= 0x80;
    struct mx r = modexp(dev, b, n, e, 513, m, n);
    CHECK(in_software(&r, XCE_FB_ALG_UNSUPPORTED),
          "4104-bit exponent, 512-bit modulus: right answer in software, counted as 'unsupported' (%s)", rcs(r.rc));
    if (hw) {
        r = modexp(hw, b, n, e, 513, m, n);
        CHECK(r.rc == XCE_ERR_UNSUPPORTED, "4104-bit exponent under the hardware policy: %s", rcs(r.rc));
    }
    xce_close(hw);
}

/* --- 5. constant time ---------------------------------------------------- */

static void constant_time(xce_dev *dev)
{
    static uint8_t m[128], b[128], e[3][128];
    static const unsigned sizes[] = { 1024, 512 };
    for (size_t i = 0; i < 2; i++) {
        unsigned bits = sizes[i];
        size_t n = rand_modulus(bits, m);
        rand_below(m, n, b);
        memset(e[0], 0, n);
        e[0][0] = 0x80;
        e[0][n - 1] = 0x01;       /* Hamming weight 2 */
        memset(e[1], 0xff, n);    /* all ones */
        check_random(e[2], n);    /* random */
        e[2][0] |= 0x80;
        static const char *names[3] = { "weight 2", "all ones", "random" };
        uint64_t cyc[4] = { 0 };
        int all_ok = 1;
        for (int k = 0; k < 3; k++) {
            struct mx r = modexp(dev, b, n, e[k], n, m, n);
            cyc[k] = r.cycles;
            all_ok &= on_engine(&r);
            CHECK(on_engine(&r), "%u-bit modulus, %zu-byte exponent of %s: right answer on the engine", bits, n,
                  names[k]);
        }
        uint64_t want = formula(bits, (unsigned)(8 * n));
        CHECK(all_ok && cyc[0] == cyc[1] && cyc[1] == cyc[2],
              "%u-bit modulus: engine cycles independent of the exponent's bits (%llu, %llu, %llu)", bits,
              (unsigned long long)cyc[0], (unsigned long long)cyc[1], (unsigned long long)cyc[2]);
        CHECK(all_ok && cyc[0] == want && cyc[1] == want && cyc[2] == want,
              "%u-bit modulus, %zu-bit exponent: %llu cycles = (2L+3)(s^2+3s+3)+7L+10 = %llu", bits, 8 * n,
              (unsigned long long)cyc[0], (unsigned long long)want);
        if (bits == 512) {
            /* the exponent 1, zero-padded to the full length: same time */
            uint8_t one[64] = { 0 };
            one[63] = 1;
            struct mx r = modexp(dev, b, n, one, 64, m, n);
            CHECK(on_engine(&r) && r.cycles == want,
                  "512-bit modulus, exponent 1 in 64 bytes: right answer, same %llu cycles (want %llu)",
                  (unsigned long long)r.cycles, (unsigned long long)want);
        }
    }
}

/* --- 6. RSA with OpenSSL keys -------------------------------------------- */

static int pem_of(EVP_PKEY *pk, int pub, uint8_t **data, size_t *len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int ok = bio && (pub ? PEM_write_bio_PUBKEY(bio, pk) : PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL));
    char *p = NULL;
    long n = ok ? BIO_get_mem_data(bio, &p) : 0;
    ok = ok && n > 0 && (*data = malloc((size_t)n)) != NULL;
    if (ok) {
        memcpy(*data, p, (size_t)n);
        *len = (size_t)n;
    }
    BIO_free(bio);
    return ok ? 0 : -1;
}

static EVP_PKEY_CTX *pctx(EVP_PKEY *pk, int (*init)(EVP_PKEY_CTX *), int pad, int md)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
    int ok = c && init(c) == 1 && EVP_PKEY_CTX_set_rsa_padding(c, pad) == 1;
    if (ok && md && pad == RSA_PKCS1_OAEP_PADDING)
        ok = EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) == 1;
    else if (ok && md)
        ok = EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1;
    if (ok && pad == RSA_PKCS1_PSS_PADDING)
        ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(c, RSA_PSS_SALTLEN_AUTO) == 1;
    if (!ok) {
        EVP_PKEY_CTX_free(c);
        return NULL;
    }
    return c;
}

static int ossl_sign(EVP_PKEY *pk, int pad, const uint8_t *dg, uint8_t *sig, size_t *slen)
{
    EVP_PKEY_CTX *c = pctx(pk, EVP_PKEY_sign_init, pad, 1);
    if (c && pad == RSA_PKCS1_PSS_PADDING && EVP_PKEY_CTX_set_rsa_pss_saltlen(c, RSA_PSS_SALTLEN_MAX) != 1) {
        EVP_PKEY_CTX_free(c);
        c = NULL;
    }
    int ok = c && EVP_PKEY_sign(c, sig, slen, dg, 32) == 1;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

static int ossl_verify(EVP_PKEY *pk, int pad, const uint8_t *dg, const uint8_t *sig, size_t slen)
{
    EVP_PKEY_CTX *c = pctx(pk, EVP_PKEY_verify_init, pad, 1);
    int ok = c && EVP_PKEY_verify(c, sig, slen, dg, 32) == 1;
    EVP_PKEY_CTX_free(c);
    return ok;
}

static int ossl_encrypt(EVP_PKEY *pk, int pad, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
    EVP_PKEY_CTX *c = pctx(pk, EVP_PKEY_encrypt_init, pad, pad == RSA_PKCS1_OAEP_PADDING);
    int ok = c && EVP_PKEY_encrypt(c, out, outlen, in, inlen) == 1;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

static int ossl_decrypt(EVP_PKEY *pk, int pad, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
    EVP_PKEY_CTX *c = pctx(pk, EVP_PKEY_decrypt_init, pad, pad == RSA_PKCS1_OAEP_PADDING);
    int ok = c && EVP_PKEY_decrypt(c, out, outlen, in, inlen) == 1;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

struct keys {
    unsigned bits;
    EVP_PKEY *pk;
    xce_rsa_key *priv, *pub;
};

static int make_keys(unsigned bits, struct keys *k)
{
    memset(k, 0, sizeof *k);
    k->bits = bits;
    k->pk = EVP_RSA_gen(bits);
    uint8_t *pem = NULL;
    size_t len = 0;
    int ok = k->pk && pem_of(k->pk, 0, &pem, &len) == 0 && xce_rsa_key_parse(pem, len, NULL, &k->priv) == XCE_OK;
    free(pem);
    pem = NULL;
    ok = ok && pem_of(k->pk, 1, &pem, &len) == 0 && xce_rsa_key_parse(pem, len, NULL, &k->pub) == XCE_OK;
    free(pem);
    CHECK(ok && xce_rsa_key_bits(k->priv) == bits && xce_rsa_key_is_private(k->priv) &&
              xce_rsa_key_bits(k->pub) == bits && !xce_rsa_key_is_private(k->pub),
          "RSA-%u: OpenSSL key parsed from PEM, private (PKCS#8) and public (SPKI)", bits);
    return ok ? 0 : -1;
}

static void free_keys(struct keys *k)
{
    EVP_PKEY_free(k->pk);
    xce_rsa_key_free(k->priv);
    xce_rsa_key_free(k->pub);
}

static void rsa_ops(xce_dev *dev, struct keys *k)
{
    unsigned bits = k->bits;
    size_t klen = bits / 8;
    uint8_t dg[32], sig[512], ref[512], ct[512], pt[512], msg[48];
    size_t slen = 0, rlen = sizeof ref, clen, plen;
    check_random(dg, sizeof dg);
    check_random(msg, sizeof msg);
    const struct xce_rsa_params pkcs1 = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA256 };
    const struct xce_rsa_params pss = { .padding = XCE_RSA_PSS, .hash = XCE_HASH_SHA256, .salt_len = XCE_RSA_SALT_DIGEST };
    const struct xce_rsa_params pss_auto = { .padding = XCE_RSA_PSS, .hash = XCE_HASH_SHA256, .salt_len = XCE_RSA_SALT_AUTO };
    const struct xce_rsa_params oaep = { .padding = XCE_RSA_OAEP, .hash = XCE_HASH_SHA256 };
    const struct xce_rsa_params pkcs1_enc = { .padding = XCE_RSA_PKCS1 };
    struct xce_stats a, z;

    /* PKCS#1 v1.5 signature: deterministic, so byte for byte */
    a = stats(dev);
    int rc = xce_rsa_sign(dev, k->priv, &pkcs1, dg, 32, sig, &slen);
    z = stats(dev);
    int have_ref = ossl_sign(k->pk, RSA_PKCS1_PADDING, dg, ref, &rlen) == 0;
    CHECK(rc == XCE_OK && slen == klen && have_ref && rlen == klen && memcmp(sig, ref, klen) == 0,
          "RSA-%u: xce_rsa_sign PKCS1 SHA-256 equals EVP_PKEY_sign byte for byte (%s)", bits, rcs(rc));
    CHECK(z.pk_hw_ops - a.pk_hw_ops == 3 && z.pk_sw_ops == a.pk_sw_ops && z.pk_faults == a.pk_faults,
          "RSA-%u: a signature is 3 engine modexps (blinding, two CRT halves), none in software (hw +%llu, sw +%llu)",
          bits, (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops), (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops));

    /* PSS signature verified by OpenSSL */
    rc = xce_rsa_sign(dev, k->priv, &pss, dg, 32, sig, &slen);
    CHECK(rc == XCE_OK && slen == klen && ossl_verify(k->pk, RSA_PKCS1_PSS_PADDING, dg, sig, slen),
          "RSA-%u: OpenSSL verifies xce's PSS SHA-256 signature (%s)", bits, rcs(rc));

    /* OpenSSL's signatures verified by xce, with the public-only key */
    a = stats(dev);
    rc = have_ref ? xce_rsa_verify(dev, k->pub, &pkcs1, dg, 32, ref, rlen) : -99;
    z = stats(dev);
    CHECK(rc == XCE_OK, "RSA-%u: xce verifies OpenSSL's PKCS1 signature (%s)", bits, rcs(rc));
    CHECK(z.pk_hw_ops - a.pk_hw_ops == 1 && z.pk_sw_ops == a.pk_sw_ops,
          "RSA-%u: a verification is 1 engine modexp (hw +%llu)", bits, (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops));
    ref[klen / 2] ^= 0x01;
    rc = xce_rsa_verify(dev, k->pub, &pkcs1, dg, 32, ref, rlen);
    CHECK(rc == XCE_ERR_AUTH, "RSA-%u: xce refuses OpenSSL's PKCS1 signature with one bit flipped (%s)", bits, rcs(rc));
    rlen = sizeof ref;
    have_ref = ossl_sign(k->pk, RSA_PKCS1_PSS_PADDING, dg, ref, &rlen) == 0;
    rc = have_ref ? xce_rsa_verify(dev, k->pub, &pss_auto, dg, 32, ref, rlen) : -99;
    CHECK(rc == XCE_OK, "RSA-%u: xce verifies OpenSSL's PSS signature (maximum salt, verified with any) (%s)", bits,
          rcs(rc));
    dg[0] ^= 1;
    rc = have_ref ? xce_rsa_verify(dev, k->priv, &pss_auto, dg, 32, ref, rlen) : -99;
    dg[0] ^= 1;
    CHECK(rc == XCE_ERR_AUTH, "RSA-%u: xce refuses OpenSSL's PSS signature over another digest (%s)", bits, rcs(rc));

    /* OpenSSL's ciphertexts opened by xce */
    clen = sizeof ct;
    int have_ct = ossl_encrypt(k->pk, RSA_PKCS1_OAEP_PADDING, msg, sizeof msg, ct, &clen) == 0;
    a = stats(dev);
    rc = have_ct ? xce_rsa_decrypt(dev, k->priv, &oaep, ct, clen, pt, sizeof pt, &plen) : -99;
    z = stats(dev);
    CHECK(rc == XCE_OK && plen == sizeof msg && memcmp(pt, msg, plen) == 0,
          "RSA-%u: xce_rsa_decrypt opens OpenSSL's OAEP (SHA-256) ciphertext (%s)", bits, rcs(rc));
    CHECK(z.pk_hw_ops - a.pk_hw_ops == 3 && z.pk_sw_ops == a.pk_sw_ops,
          "RSA-%u: a decryption is 3 engine modexps (hw +%llu, sw +%llu)", bits,
          (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops), (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops));
    if (bits <= 1024) {   /* a private operation more: once is enough (time) */
        clen = sizeof ct;
        have_ct = ossl_encrypt(k->pk, RSA_PKCS1_PADDING, msg, sizeof msg, ct, &clen) == 0;
        rc = have_ct ? xce_rsa_decrypt(dev, k->priv, &pkcs1_enc, ct, clen, pt, sizeof pt, &plen) : -99;
        CHECK(rc == XCE_OK && plen == sizeof msg && memcmp(pt, msg, plen) == 0,
              "RSA-%u: xce_rsa_decrypt opens OpenSSL's PKCS1 v1.5 ciphertext (%s)", bits, rcs(rc));
    }

    /* xce's ciphertexts opened by OpenSSL (public-only key) */
    a = stats(dev);
    rc = xce_rsa_encrypt(dev, k->pub, &oaep, msg, sizeof msg, ct, &clen);
    z = stats(dev);
    plen = sizeof pt;
    CHECK(rc == XCE_OK && clen == klen && ossl_decrypt(k->pk, RSA_PKCS1_OAEP_PADDING, ct, clen, pt, &plen) == 0 &&
              plen == sizeof msg && memcmp(pt, msg, plen) == 0,
          "RSA-%u: OpenSSL decrypts xce_rsa_encrypt's OAEP (SHA-256) ciphertext (%s)", bits, rcs(rc));
    CHECK(z.pk_hw_ops - a.pk_hw_ops == 1 && z.pk_sw_ops == a.pk_sw_ops,
          "RSA-%u: an encryption is 1 engine modexp (hw +%llu)", bits, (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops));
    rc = xce_rsa_encrypt(dev, k->pub, &pkcs1_enc, msg, sizeof msg, ct, &clen);
    plen = sizeof pt;
    CHECK(rc == XCE_OK && clen == klen && ossl_decrypt(k->pk, RSA_PKCS1_PADDING, ct, clen, pt, &plen) == 0 &&
              plen == sizeof msg && memcmp(pt, msg, plen) == 0,
          "RSA-%u: OpenSSL decrypts xce_rsa_encrypt's PKCS1 v1.5 ciphertext (%s)", bits, rcs(rc));

    /* a public key cannot sign */
    rc = xce_rsa_sign(dev, k->pub, &pkcs1, dg, 32, sig, &slen);
    CHECK(rc == XCE_ERR_INVAL, "RSA-%u: signing with a public-only key is refused (%s)", bits, rcs(rc));
}

/* --- 7. a corrupted engine result caught by verify-after-sign ---------- */

/* k: the key whose signature is corrupted; small: a cheaper key for the
 * signature after it, which shows the engine serves normally again. */
static int small_sign_ok(xce_dev *dev, struct keys *small, struct xce_stats *a, struct xce_stats *z)
{
    uint8_t dg[32], sig[512], ref[512];
    size_t slen = 0, rlen = sizeof ref;
    const struct xce_rsa_params pkcs1 = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA256 };
    check_random(dg, sizeof dg);
    *a = stats(dev);
    int rc = small->priv ? xce_rsa_sign(dev, small->priv, &pkcs1, dg, 32, sig, &slen) : -99;
    *z = stats(dev);
    return rc == XCE_OK && ossl_sign(small->pk, RSA_PKCS1_PADDING, dg, ref, &rlen) == 0 && rlen == slen &&
           memcmp(sig, ref, slen) == 0;
}

static void fault_injection(xce_dev *dev, struct keys *k, struct keys *small)
{
    size_t klen = k->bits / 8;
    uint8_t dg[32], sig[512], ref[512];
    size_t slen = 0, rlen = sizeof ref;
    check_random(dg, sizeof dg);
    const struct xce_rsa_params pkcs1 = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA256 };
    int have_ref = ossl_sign(k->pk, RSA_PKCS1_PADDING, dg, ref, &rlen) == 0;

    xce_sim *sim = xce_testing_sim(dev);
    if (!CHECK(sim != NULL, "fault injection: the sim model behind the device"))
        return;
    struct xce_stats a = stats(dev);
    xce_sim_inject(sim, XCE_SIM_FAULT_PKA_CORRUPT, 3);
    int rc = xce_rsa_sign(dev, k->priv, &pkcs1, dg, 32, sig, &slen);
    struct xce_stats z = stats(dev);
    CHECK(rc == XCE_OK && slen == klen && ossl_verify(k->pk, RSA_PKCS1_PADDING, dg, sig, slen) && have_ref &&
              memcmp(sig, ref, klen) == 0,
          "RSA-%u, 3 corrupted PKA programs, auto policy: the signature is still right (%s)", k->bits, rcs(rc));
    CHECK(z.pk_faults - a.pk_faults == 1, "auto policy: pk_faults +%llu (want 1)",
          (unsigned long long)(z.pk_faults - a.pk_faults));
    uint64_t fb = z.fallback[XCE_FB_ENGINE_ERROR] - a.fallback[XCE_FB_ENGINE_ERROR];
    CHECK(fb == 3 && z.pk_sw_ops - a.pk_sw_ops == 3 && z.pk_hw_ops - a.pk_hw_ops == 3,
          "auto policy: redone in software: fallback 'engine error' +%llu, sw +%llu, hw +%llu (want 3, 3, 3)",
          (unsigned long long)fb, (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops),
          (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops));
    int ok = small_sign_ok(dev, small, &a, &z);
    CHECK(ok && z.pk_hw_ops - a.pk_hw_ops == 3 && z.pk_sw_ops == a.pk_sw_ops && z.pk_faults == a.pk_faults,
          "auto policy: the next signature (RSA-%u) is right, on the engine again, no fault", small->bits);

    xce_dev *hw = check_open("sim", XCE_POLICY_HARDWARE);
    if (!CHECK(hw != NULL && xce_testing_sim(hw) != NULL, "open sim under the hardware policy"))
        return;
    a = stats(hw);
    memset(sig, 0, sizeof sig);
    slen = 0;
    xce_sim_inject(xce_testing_sim(hw), XCE_SIM_FAULT_PKA_CORRUPT, 3);
    rc = xce_rsa_sign(hw, k->priv, &pkcs1, dg, 32, sig, &slen);
    z = stats(hw);
    int untouched = 1;
    for (size_t i = 0; i < sizeof sig; i++)
        untouched &= sig[i] == 0;
    CHECK(rc == XCE_ERR_ENGINE && untouched && !ossl_verify(k->pk, RSA_PKCS1_PADDING, dg, sig, klen),
          "RSA-%u, 3 corrupted PKA programs, hardware policy: %s (want %s), no signature written", k->bits, rcs(rc),
          rcs(XCE_ERR_ENGINE));
    CHECK(z.pk_faults - a.pk_faults == 1 && z.pk_sw_ops == a.pk_sw_ops,
          "hardware policy: pk_faults +%llu (want 1), nothing in software (sw +%llu)",
          (unsigned long long)(z.pk_faults - a.pk_faults), (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops));
    ok = small_sign_ok(hw, small, &a, &z);
    CHECK(ok && z.pk_hw_ops - a.pk_hw_ops == 3 && z.pk_faults == a.pk_faults,
          "hardware policy: the next signature (RSA-%u) is right, on the engine", small->bits);
    xce_close(hw);
}

/* --- 8. firmware problems ------------------------------------------------ */

static int write_file(const char *path, const uint8_t *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(d, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(buf, 1, cap, f) : 0;
    if (f)
        fclose(f);
    return len;
}

/* The build's firmware payload signed again with the build's key, as an
 * image of another type: a valid signature on the wrong kind of image. */
static size_t resign_as(enum xce_image_type type, const uint8_t *payload, size_t plen, uint8_t *out, size_t cap)
{
    FILE *f = fopen("build/keys/private/special-A.pem", "r");
    EVP_PKEY *pk = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    struct xce_image_info in;
    memset(&in, 0, sizeof in);
    in.type = type;
    in.key_type = XCE_IMAGE_KEY_SPECIAL;
    in.key_version = 'A';
    in.sig_bits = 2048;
    in.payload_len = plen;
    snprintf(in.common_name, sizeof in.common_name, "test_pka");
    size_t siglen = 256, total = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (pk && md && 256 + plen + 256 <= cap && xce_image_header(&in, out) == XCE_OK) {
        memcpy(out + 256, payload, plen);
        if (EVP_DigestSignInit(md, NULL, EVP_sha512(), NULL, pk) == 1 &&
            EVP_DigestSign(md, out + 256 + plen, &siglen, out, 256 + plen) == 1 && siglen == 256)
            total = 256 + plen + 256;
    }
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pk);
    return total;
}

static void firmware_problems(void)
{
    static uint8_t img[65536], raw[65536], typed[65536];
    size_t len = read_file(fw_path, img, sizeof img);
    size_t raw_len = read_file("build/firmware/xce-pka.fw", raw, sizeof raw);
    size_t typed_len = resign_as(XCE_IMAGE_SOFTWARE, raw, raw_len, typed, sizeof typed);
    char dir[] = "/tmp/xce-test-pka-XXXXXX";
    if (!CHECK(len > 256 + 64 && raw_len > 64 && typed_len > 0 && mkdtemp(dir) != NULL,
               "firmware: read %s (%zu bytes) and the unsigned firmware, re-signed one as a software image, "
               "temporary directory",
               fw_path, len))
        return;
    /* the signed image's payload is the firmware image: a byte of its second instruction word */
    const uint8_t *fw = img + 256;
    uint32_t nentries = (uint32_t)fw[20] | (uint32_t)fw[21] << 8 | (uint32_t)fw[22] << 16 | (uint32_t)fw[23] << 24;
    size_t insn = 256 + 32 + 16 * (size_t)nentries + 4 + 1;

    struct {
        const char *name, *prefix, *detail;
        const uint8_t *data;
        size_t len;     /* bytes of the image to write */
        int flip;       /* flip a byte of an instruction */
        int missing;
        const char *file;   /* the name it goes under */
    } cases[] = {
        { "missing file", "firmware missing", "No such file", NULL, 0, 0, 1, "fw.SSA.img" },
        { "one instruction byte flipped", "firmware invalid", "signature does not match", img, len, 1, 0,
          "fw.SSA.img" },
        { "truncated (last 10 bytes cut)", "firmware invalid", "truncated", img, len - 10, 0, 0, "fw.SSA.img" },
        { "zero-length file", "firmware invalid", "truncated", img, 0, 0, 0, "fw.SSA.img" },
        { "unsigned (the bare firmware image)", "firmware invalid", "truncated", raw, raw_len, 0, 0, "fw.SSA.img" },
        { "named .SPA. (production) but signed with the special key", "firmware invalid", "name says SPA", img, len,
          0, 0, "fw.SPA.img" },
        { "validly signed software image, not firmware", "firmware invalid", "not firmware", typed, typed_len, 0, 0,
          "sw.SSA.img" },
    };
    static uint8_t m[128], b[128];
    static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
    size_t n = rand_modulus(1024, m);
    rand_below(m, n, b);
    char path[4200];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, cases[i].file);
        if (!cases[i].missing) {
            static uint8_t copy[65536];
            memcpy(copy, cases[i].data, cases[i].len);
            if (cases[i].flip)
                copy[insn] ^= 0x10;
            if (!CHECK(write_file(path, copy, cases[i].len) == 0, "firmware %s: written to %s", cases[i].name, path))
                continue;
        }
        setenv("XCE_FIRMWARE", path, 1);
        xce_dev *dev = check_open("sim", XCE_POLICY_AUTO);
        struct xce_info info;
        int ok = dev && xce_get_info(dev, &info) == XCE_OK;
        const char *why = ok && info.pka_reason ? info.pka_reason : "(none)";
        CHECK(ok && info.engine_enabled && info.pka_enabled == 0 && info.fw_version == 0,
              "firmware %s: attach succeeds, engine enabled, PKA disabled, firmware version 0", cases[i].name);
        CHECK(ok && info.pka_reason && strncmp(info.pka_reason, cases[i].prefix, strlen(cases[i].prefix)) == 0 &&
                  strstr(info.pka_reason, cases[i].detail),
              "firmware %s: reason \"%s\" (want \"%s...%s\")", cases[i].name, why, cases[i].prefix, cases[i].detail);
        if (dev) {
            struct mx r1 = modexp(dev, b, n, f4, 3, m, n);
            struct mx r2 = modexp(dev, b, n, b, n, m, n);
            CHECK(in_software(&r1, XCE_FB_FIRMWARE) && in_software(&r2, XCE_FB_FIRMWARE),
                  "firmware %s: two modexps right in software, each counted as 'firmware' (%s, %s)", cases[i].name,
                  rcs(r1.rc), rcs(r2.rc));
        }
        xce_close(dev);
        dev = check_open("sim", XCE_POLICY_HARDWARE);
        CHECK(dev != NULL, "firmware %s: attach succeeds under the hardware policy", cases[i].name);
        if (dev) {
            struct mx r = modexp(dev, b, n, f4, 3, m, n);
            CHECK(r.rc == XCE_ERR_UNSUPPORTED && r.sw == 0 && r.hw == 0,
                  "firmware %s, hardware policy: modexp %s (want %s)", cases[i].name, rcs(r.rc),
                  rcs(XCE_ERR_UNSUPPORTED));
        }
        xce_close(dev);
        if (!cases[i].missing)
            unlink(path);
    }
    rmdir(dir);
    setenv("XCE_FIRMWARE", fw_path, 1);
    xce_dev *dev = check_open("sim", XCE_POLICY_AUTO);
    struct xce_info info;
    CHECK(dev && xce_get_info(dev, &info) == XCE_OK && info.pka_enabled && !info.pka_reason,
          "firmware restored: PKA enabled again");
    xce_close(dev);
}

/* --- 9. accelerator off, software policy, "sw" device ------------------- */

static void disabled(xce_dev *dev)
{
    static uint8_t m[64], b[64];
    static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
    size_t n = rand_modulus(512, m);
    rand_below(m, n, b);
    struct xce_info info;
    int rc = xce_set_accelerator(dev, 0);
    CHECK(rc == XCE_OK && xce_get_info(dev, &info) == XCE_OK && info.pka_enabled == 0,
          "no crypto engine accelerator: PKA reported disabled");
    struct mx r = modexp(dev, b, n, f4, 3, m, n);
    CHECK(in_software(&r, XCE_FB_DISABLED), "accelerator off: modexp in software, counted as 'disabled' (%s)",
          rcs(r.rc));
    rc = xce_set_accelerator(dev, 1);
    CHECK(rc == XCE_OK && xce_get_info(dev, &info) == XCE_OK && info.pka_enabled == 1,
          "crypto engine accelerator: PKA reported enabled");
    r = modexp(dev, b, n, f4, 3, m, n);
    CHECK(on_engine(&r), "accelerator on again: modexp on the engine (%s)", rcs(r.rc));

    /* a soft reset of the engine leaves the PKA and its firmware alone */
    rc = xce_reset(dev);
    r = modexp(dev, b, n, f4, 3, m, n);
    CHECK(rc == XCE_OK && on_engine(&r), "after xce_reset: modexp still on the engine (%s, %s)", rcs(rc), rcs(r.rc));

    /* a failed self-test disables the engine: "software serves from then on"
     * (xce.h), and info.pka_enabled says public-key operations no longer run
     * on the engine - so a modexp must not be counted on it either */
    xce_dev *st = check_open("sim", XCE_POLICY_AUTO);
    xce_sim *sim = st ? xce_testing_sim(st) : NULL;
    if (sim) {
        xce_sim_inject(sim, XCE_SIM_FAULT_STUCK_CORE, 1);
        rc = xce_self_test(st, NULL, NULL);
        int got = xce_get_info(st, &info) == XCE_OK;
        CHECK(rc == XCE_ERR_SELFTEST && got && !info.engine_enabled && !info.pka_enabled,
              "self-test failure (hung AES core): engine and PKA reported disabled (%s)", rcs(rc));
        r = modexp(st, b, n, f4, 3, m, n);
        CHECK(in_software(&r, XCE_FB_SELFTEST),
              "self-test failure: modexp right, served in software and counted as 'self-test' like every other "
              "operation (%s, hw +%llu, sw +%llu, self-test +%llu)",
              rcs(r.rc), (unsigned long long)r.hw, (unsigned long long)r.sw, (unsigned long long)r.fb[XCE_FB_SELFTEST]);
    } else {
        CHECK(0, "open sim for the self-test failure");
    }
    xce_close(st);

    xce_dev *sw = check_open("sim", XCE_POLICY_SOFTWARE);
    r = sw ? modexp(sw, b, n, f4, 3, m, n) : (struct mx){ .rc = -99 };
    CHECK(in_software(&r, XCE_FB_DISABLED), "software policy: modexp in software, counted as 'disabled' (%s)",
          rcs(r.rc));
    xce_close(sw);

    sw = check_open("sw", XCE_POLICY_AUTO);
    int got = sw && xce_get_info(sw, &info) == XCE_OK;
    CHECK(got && !info.pka_enabled && info.pka_reason, "\"sw\" device: PKA disabled (%s)",
          got && info.pka_reason ? info.pka_reason : "(none)");
    r = sw ? modexp(sw, b, n, f4, 3, m, n) : (struct mx){ .rc = -99 };
    CHECK(in_software(&r, XCE_FB_NO_DEVICE), "\"sw\" device: modexp in software, counted as 'no device' (%s)",
          rcs(r.rc));
    xce_close(sw);
}

/* --- 10. a pool of two engines ----------------------------------------- */

static void pool(struct keys *k)
{
    xce_dev *p = check_open("pool:sim,sim", XCE_POLICY_AUTO);
    if (!CHECK(p != NULL, "open pool:sim,sim"))
        return;
    static uint8_t m[128], b[128], e[128];
    size_t n = rand_modulus(1024, m);
    struct xce_stats a = stats(p);
    int good = 0;
    for (int i = 0; i < 4; i++) {
        rand_below(m, n, b);
        check_random(e, 8);
        struct mx r = modexp(p, b, n, e, 8, m, n);
        good += r.rc == XCE_OK && r.correct;
    }
    struct xce_stats z = stats(p);
    CHECK(good == 4, "pool: 4 modexps equal BN_mod_exp (%d)", good);
    CHECK(z.pk_hw_ops - a.pk_hw_ops == 4 && z.pk_sw_ops == a.pk_sw_ops,
          "pool: its statistics add up the members' engine modexps (hw +%llu, sw +%llu)",
          (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops), (unsigned long long)(z.pk_sw_ops - a.pk_sw_ops));
    if (k->priv) {
        uint8_t dg[32], sig[512], ref[512];
        size_t slen = 0, rlen = sizeof ref;
        check_random(dg, sizeof dg);
        const struct xce_rsa_params pkcs1 = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA256 };
        a = z;
        int rc = xce_rsa_sign(p, k->priv, &pkcs1, dg, 32, sig, &slen);
        z = stats(p);
        CHECK(rc == XCE_OK && ossl_sign(k->pk, RSA_PKCS1_PADDING, dg, ref, &rlen) == 0 && slen == rlen &&
                  memcmp(sig, ref, slen) == 0 && z.pk_hw_ops - a.pk_hw_ops == 3,
              "pool: RSA-%u signature equals OpenSSL's, 3 engine modexps across the members (%s, hw +%llu)", k->bits,
              rcs(rc), (unsigned long long)(z.pk_hw_ops - a.pk_hw_ops));
    }
    xce_close(p);
}

int main(void)
{
    check_seed();
    snprintf(fw_path, sizeof fw_path, "%s", check_firmware_env());
    printf("# firmware %s\n", fw_path);

    xce_dev *dev = check_open("sim", XCE_POLICY_AUTO);
    if (!CHECK(dev != NULL, "open sim (auto policy)"))
        return check_done();
    attach(dev);
    differential(dev);
    edge_cases(dev);
    rejections(dev);
    too_large(dev);
    constant_time(dev);

    struct keys k1024, k2048;
    int have1024 = make_keys(1024, &k1024) == 0, have2048 = make_keys(2048, &k2048) == 0;
    if (have1024)
        rsa_ops(dev, &k1024);
    if (have2048) {
        rsa_ops(dev, &k2048);
        fault_injection(dev, &k2048, &k1024);
    }
    firmware_problems();
    disabled(dev);
    pool(&k1024);
    free_keys(&k1024);
    free_keys(&k2048);
    xce_close(dev);
    return check_done();
}
