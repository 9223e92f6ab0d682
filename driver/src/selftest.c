/* selftest.c - known-answer tests run at attach (on the engine) and by
 * "test crypto self-test" (software and engine). A failure on the engine
 * disables it; software keeps serving.
 *
 * Vectors: FIPS-197 Appendix C.1-C.3 (AES-128/192/256 block cipher),
 * NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt) and F.5.5 (CTR-AES256.Encrypt),
 * first two blocks each; DES key 133457799BBCDFF1 on 0123456789ABCDEF (the
 * worked example of FIPS 46); SP 800-67 Appendix B TDEA, first block. */
#include <stdio.h>
#include <string.h>

#include "xce_internal.h"

int xce_engine_run(xce_dev *dev, struct xce_op *op);

struct kat {
    const char *name;
    enum xce_alg alg;
    enum xce_mode mode;
    const char *key, *iv, *pt, *ct;
};

static const struct kat kats[] = {
    { "aes-128-ecb (FIPS-197 C.1)", XCE_ALG_AES, XCE_MODE_ECB, "000102030405060708090a0b0c0d0e0f", NULL,
      "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a" },
    { "aes-192-ecb (FIPS-197 C.2)", XCE_ALG_AES, XCE_MODE_ECB, "000102030405060708090a0b0c0d0e0f1011121314151617", NULL,
      "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191" },
    { "aes-256-ecb (FIPS-197 C.3)", XCE_ALG_AES, XCE_MODE_ECB,
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", NULL,
      "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089" },
    { "aes-128-cbc (SP 800-38A F.2.1)", XCE_ALG_AES, XCE_MODE_CBC, "2b7e151628aed2a6abf7158809cf4f3c",
      "000102030405060708090a0b0c0d0e0f",
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
      "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2" },
    { "aes-256-ctr (SP 800-38A F.5.5)", XCE_ALG_AES, XCE_MODE_CTR,
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
      "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5" },
    { "des-ecb (classic FIPS 46 example)", XCE_ALG_DES, XCE_MODE_ECB, "133457799bbcdff1", NULL,
      "0123456789abcdef", "85e813540f0ab405" },
    { "des-ede3-ecb (SP 800-67 B.1)", XCE_ALG_3DES, XCE_MODE_ECB,
      "0123456789abcdef23456789abcdef01456789abcdef0123", NULL, "5468652071756663", "a826fd8ce53b855f" },
};

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h && h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* Run one direction of a vector; returns 1 when the result matches. */
static int run_kat(xce_dev *dev, const struct kat *k, int decrypt, int on_engine)
{
    uint8_t key[32], iv[16] = { 0 }, pt[32], ct[32], out[32];
    size_t klen = unhex(k->key, key);
    unhex(k->iv, iv);
    size_t n = unhex(k->pt, pt);
    unhex(k->ct, ct);
    struct xce_session s = { .dev = dev, .alg = k->alg, .mode = k->mode, .decrypt = decrypt, .key_len = klen };
    memcpy(s.key, key, klen);
    if (xce_sw_session_init(&s) != XCE_OK)
        return 0;
    int ok;
    if (on_engine) {
        struct xce_op op = { .session = &s, .src = decrypt ? ct : pt, .dst = out, .len = n };
        memcpy(op.iv, iv, 16);
        ok = xce_engine_run(dev, &op) == XCE_OK && op.path == XCE_PATH_ENGINE;
    } else {
        ok = xce_sw_cipher(&s, iv, decrypt ? ct : pt, out, n) == XCE_OK;
    }
    ok = ok && memcmp(out, decrypt ? pt : ct, n) == 0;
    xce_sw_session_free(&s);
    xce_wipe(&s, sizeof s);
    return ok;
}

static int engine_has(const xce_dev *dev, const struct kat *k)
{
    size_t klen = strlen(k->key) / 2;
    if (k->alg != XCE_ALG_AES)
        return (dev->cap_algos & (k->alg == XCE_ALG_DES ? XCE_CAP_DES : XCE_CAP_TDES)) != 0;
    uint32_t key_cap = klen == 16 ? XCE_CAP_AES128 : klen == 24 ? XCE_CAP_AES192 : XCE_CAP_AES256;
    return (dev->cap_algos & key_cap) && (dev->cap_modes & (1u << k->mode));
}

/* Hashes: FIPS 180-4 / RFC 1321 "abc", RFC 4231 test case 2 (HMAC-SHA-256). */
struct hash_kat {
    const char *name;
    enum xce_hash_alg alg;
    const char *key, *msg, *md;
};

static const struct hash_kat hash_kats[] = {
    { "md5 (RFC 1321 A.5)", XCE_HASH_MD5, NULL, "abc", "900150983cd24fb0d6963f7d28e17f72" },
    { "sha1 (FIPS 180-4 abc)", XCE_HASH_SHA1, NULL, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
    { "sha256 (FIPS 180-4 abc)", XCE_HASH_SHA256, NULL, "abc",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "sha512 (FIPS 180-4 abc)", XCE_HASH_SHA512, NULL, "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
    { "hmac-sha256 (RFC 4231 case 2)", XCE_HASH_SHA256, "Jefe", "what do ya want for nothing?",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
};

static int run_hash_kat(xce_dev *dev, const struct hash_kat *k, int on_engine)
{
    struct xce_session s = { .dev = dev, .is_hash = 1, .hash_alg = k->alg, .hmac = k->key != NULL };
    uint8_t state[XCE_HASH_STATE_BYTES] = { 0 }, md[64], want[64];
    size_t n = unhex(k->md, want);
    unsigned flags = XCE_HASH_FINAL;
    if (s.hmac) {
        xce_sw_hmac_states(k->alg, (const uint8_t *)k->key, strlen(k->key), state, state + 64);
        state[128] = (uint8_t)xce_hash_alg_block(k->alg);   /* prior: the key block */
    } else {
        flags |= XCE_HASH_INIT;
    }
    int ok;
    if (on_engine) {
        struct xce_op op = { .session = &s, .src = (const uint8_t *)k->msg, .dst = md, .len = strlen(k->msg),
                             .hash_state = state, .hash_flags = flags };
        ok = xce_engine_run(dev, &op) == XCE_OK && op.path == XCE_PATH_ENGINE;
    } else {
        ok = xce_sw_hash(k->alg, flags | (s.hmac ? XCE_HASH_HMAC : 0), state, (const uint8_t *)k->msg,
                         strlen(k->msg), md) == XCE_OK;
    }
    ok = ok && memcmp(md, want, n) == 0;
    xce_wipe(state, sizeof state);
    xce_wipe(&s, sizeof s);
    return ok;
}

static void report_line(void (*report)(void *, const char *), void *arg, int on_engine, const char *name,
                        const char *dir, const char *verdict)
{
    if (!report)
        return;
    char line[128];
    snprintf(line, sizeof line, "%-8s %-32s %-7s %s", on_engine ? "engine" : "software", name, dir, verdict);
    report(arg, line);
}

int xce_selftest_run(xce_dev *dev, int on_engine, void (*report)(void *, const char *), void *arg)
{
    int all = 1;
    dev->st.selftests++;
    for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
        /* the engine is tested on what its capability bits claim, no more */
        int skip = on_engine && !engine_has(dev, &kats[i]);
        for (int decrypt = 0; decrypt < 2; decrypt++) {
            int ok = skip || run_kat(dev, &kats[i], decrypt, on_engine);
            all &= ok;
            report_line(report, arg, on_engine, kats[i].name, decrypt ? "decrypt" : "encrypt",
                        skip ? "not in engine" : ok ? "passed" : "FAILED");
        }
    }
    for (size_t i = 0; i < sizeof hash_kats / sizeof hash_kats[0]; i++) {
        uint32_t need = 1u << (7 + hash_kats[i].alg) | (hash_kats[i].key ? XCE_CAP_HMAC : 0);
        int skip = on_engine && (dev->cap_algos & need) != need;
        int ok = skip || run_hash_kat(dev, &hash_kats[i], on_engine);
        all &= ok;
        report_line(report, arg, on_engine, hash_kats[i].name, "digest", skip ? "not in engine" : ok ? "passed" : "FAILED");
    }
    if (!all)
        dev->st.selftest_failures++;
    return all ? XCE_OK : XCE_ERR_SELFTEST;
}
