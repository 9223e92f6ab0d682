/* test_engine_des.c - DES and 3DES (two- and three-key) through the whole
 * simulated path against OpenSSL (legacy provider): random keys including
 * the weak keys, random IVs, lengths 0 to 64 KiB in 8-byte blocks (odd
 * block counts exercise the half-beat at the end), ECB and CBC, both
 * directions, hardware policy so nothing can fall back unnoticed. */
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

struct variant {
    enum xce_alg alg;
    size_t key_len;
    const char *evp[2];   /* ECB, CBC */
};

static const struct variant variants[] = {
    { XCE_ALG_DES, 8, { "DES-ECB", "DES-CBC" } },
    { XCE_ALG_3DES, 16, { "DES-EDE-ECB", "DES-EDE-CBC" } },
    { XCE_ALG_3DES, 24, { "DES-EDE3-ECB", "DES-EDE3-CBC" } },
};

/* FIPS 74: the four weak DES keys (with parity) */
static const uint64_t weak[4] = { 0x0101010101010101ull, 0xfefefefefefefefeull, 0xe0e0e0e0f1f1f1f1ull,
                                  0x1f1f1f1f0e0e0e0eull };

int main(void)
{
    check_seed();
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach, hardware policy"))
        return check_done();
    static const size_t fixed[] = { 0, 8, 16, 24, 1496, 1504, 65536 };
    uint8_t *in = malloc(65536), *out = malloc(65536), *ref = malloc(65536);
    unsigned cases = 0, bad = 0;
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        for (int mode = 0; mode < 2; mode++) {
            for (int dec = 0; dec < 2; dec++) {
                for (int i = 0; i < 9; i++) {
                    size_t len = i < 7 ? fixed[i] : (check_rand32() % 8193) * 8;
                    uint8_t key[24], iv[16];
                    check_random(key, sizeof key);
                    check_random(iv, sizeof iv);
                    if (i == 8)   /* a weak key in the first position */
                        for (int b = 0; b < 8; b++)
                            key[b] = (uint8_t)(weak[check_rand32() % 4] >> (56 - 8 * b));
                    check_random(in, len);
                    struct xce_cipher_params p = { variants[v].alg, (enum xce_mode)mode, key,
                                                   variants[v].key_len, dec };
                    xce_session *s;
                    int r = xce_session_create(dev, &p, &s);
                    if (r == XCE_OK) {
                        r = xce_cipher(s, iv, in, out, len);
                        xce_session_destroy(s);
                    }
                    int ok = r == XCE_OK &&
                             cipher_ref(variants[v].evp[mode], dec, key, mode ? iv : NULL, in, ref, len) &&
                             memcmp(out, ref, len) == 0;
                    cases++;
                    if (!ok) {
                        bad++;
                        CHECK(0, "%s %s len %zu: %s", variants[v].evp[mode], dec ? "decrypt" : "encrypt", len,
                              xce_strerror(r));
                    }
                }
            }
        }
    }
    CHECK(bad == 0, "%u random DES/3DES engine results equal OpenSSL", cases);
    struct xce_stats st;
    if (xce_get_stats(dev, &st) != XCE_OK)
        memset(&st, 0, sizeof st);
    CHECK(st.sw_requests == 0 && st.hw_requests >= cases,
          "all served by the engine (%llu)", (unsigned long long)st.hw_requests);

    /* what the API refuses */
    uint8_t key[24] = { 0 };
    struct xce_cipher_params p = { XCE_ALG_DES, XCE_MODE_CTR, key, 8, 0 };
    xce_session *s;
    CHECK(xce_session_create(dev, &p, &s) == XCE_ERR_INVAL, "DES-CTR refused");
    p.mode = XCE_MODE_CBC;
    p.key_len = 16;
    CHECK(xce_session_create(dev, &p, &s) == XCE_ERR_INVAL, "16-byte single-DES key refused");
    p.key_len = 8;
    if (CHECK(xce_session_create(dev, &p, &s) == XCE_OK, "DES-CBC session")) {
        CHECK(xce_cipher(s, key, in, out, 12) == XCE_ERR_INVAL, "length not a multiple of 8 refused");
        xce_session_destroy(s);
    }
    free(in);
    free(out);
    free(ref);
    xce_close(dev);
    return check_done();
}
