/* test_engine_vectors.c - the standards' known answers through the whole
 * engine path (libxce -> rings -> RTL), hardware policy, both directions:
 * FIPS-197 Appendix C.1-C.3, NIST SP 800-38A F.1 (ECB), F.2 (CBC) and
 * F.5 (CTR) for AES-128/192/256, four blocks each, as one request and as
 * one request per block (IV carried with xce_iv_advance). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "xce.h"


/* SP 800-38A F.1-F.5: plaintext shared by every example */
static const char *pt38a = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                           "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const char *keys38a[3] = {
    "2b7e151628aed2a6abf7158809cf4f3c",
    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
};
static const char *ivs38a[3] = { NULL, "000102030405060708090a0b0c0d0e0f", "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" };
static const char *ct38a[3][3] = {
    { /* F.1.1, F.1.3, F.1.5 ECB */
      "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
      "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
      "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eef"
      "ef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e",
      "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
      "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7" },
    { /* F.2.1, F.2.3, F.2.5 CBC */
      "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
      "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
      "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
      "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd",
      "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
    { /* F.5.1, F.5.3, F.5.5 CTR */
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
      "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
      "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
      "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050",
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
};

/* FIPS-197 Appendix C */
static const struct { const char *key, *ct; } fips197[3] = {
    { "000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a" },
    { "000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191" },
    { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089" },
};

static int cipher(xce_dev *dev, int mode, const uint8_t *key, size_t klen, int dec, const uint8_t *iv,
                  const uint8_t *in, uint8_t *out, size_t len, size_t piece)
{
    struct xce_cipher_params p = { XCE_ALG_AES, (enum xce_mode)mode, key, klen, dec };
    xce_session *s;
    if (xce_session_create(dev, &p, &s) != XCE_OK)
        return 0;
    uint8_t v[16] = { 0 };
    if (iv)
        memcpy(v, iv, 16);
    int ok = 1;
    for (size_t off = 0; ok && off < len; off += piece) {
        ok = xce_cipher(s, mode ? v : NULL, in + off, out + off, piece) == XCE_OK;
        xce_iv_advance(s, v, in + off, out + off, piece);
    }
    xce_session_destroy(s);
    return ok;
}

int main(void)
{
    static const char *modes[] = { "ECB", "CBC", "CTR" };
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach, hardware policy"))
        return check_done();
    for (int k = 0; k < 3; k++) {
        uint8_t key[32], pt[16], ct[16], out[16];
        size_t klen = check_unhex(fips197[k].key, key);
        check_unhex("00112233445566778899aabbccddeeff", pt);
        check_unhex(fips197[k].ct, ct);
        CHECK(cipher(dev, 0, key, klen, 0, NULL, pt, out, 16, 16) && !memcmp(out, ct, 16),
              "FIPS-197 C.%d AES-%zu cipher", k + 1, klen * 8);
        CHECK(cipher(dev, 0, key, klen, 1, NULL, ct, out, 16, 16) && !memcmp(out, pt, 16),
              "FIPS-197 C.%d AES-%zu inverse cipher", k + 1, klen * 8);
    }
    static const char *sections[3] = { "F.1", "F.2", "F.5" };
    for (int m = 0; m < 3; m++) {
        for (int k = 0; k < 3; k++) {
            uint8_t key[32], iv[16] = { 0 }, pt[64], ct[64], out[64];
            size_t klen = check_unhex(keys38a[k], key);
            if (ivs38a[m])
                check_unhex(ivs38a[m], iv);
            check_unhex(pt38a, pt);
            check_unhex(ct38a[m][k], ct);
            for (size_t piece = 64; piece >= 16; piece /= 4) {
                CHECK(cipher(dev, m, key, klen, 0, iv, pt, out, 64, piece) && !memcmp(out, ct, 64),
                      "SP 800-38A %s.%d %s-AES%zu.Encrypt (%zu-byte requests)", sections[m], 2 * k + 1,
                      modes[m], klen * 8, piece);
                CHECK(cipher(dev, m, key, klen, 1, iv, ct, out, 64, piece) && !memcmp(out, pt, 64),
                      "SP 800-38A %s.%d %s-AES%zu.Decrypt (%zu-byte requests)", sections[m], 2 * k + 2,
                      modes[m], klen * 8, piece);
            }
        }
    }
    struct xce_stats st;
    if (xce_get_stats(dev, &st) != XCE_OK)
        memset(&st, 0, sizeof st);
    CHECK(st.sw_requests == 0 && st.hw_requests > 100,
          "all %llu requests served by the engine", (unsigned long long)st.hw_requests);
    xce_close(dev);
    return check_done();
}
