/* test_engine_aes.c - the whole simulated path (libxce -> rings -> RTL ->
 * DMA) against OpenSSL EVP: random keys, IVs and lengths, every mode and
 * key size, both directions, under the hardware policy so nothing may
 * silently fall back; then the standard vectors through the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

static const char *mode_names[] = { "ecb", "cbc", "ctr" };

int main(void)
{
    check_seed();
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach to the simulated engine under the hardware policy"))
        return check_done();

    static const size_t fixed_lens[] = { 0, 16, 32, 48, 1024, 1504, 65536 };
    uint8_t *in = malloc(65536 + 16), *out = malloc(65536 + 16), *ref = malloc(65536 + 16);
    unsigned cases = 0, mismatches = 0;
    for (int mode = 0; mode < 3; mode++) {
        for (size_t klen = 16; klen <= 32; klen += 8) {
            for (int dec = 0; dec < 2; dec++) {
                for (int i = 0; i < 9; i++) {
                    size_t len = i < 7 ? fixed_lens[i] : check_rand32() % 65537;
                    if (mode != 2)
                        len &= ~(size_t)15;
                    uint8_t key[32], iv[16];
                    check_random(key, sizeof key);
                    check_random(iv, sizeof iv);
                    check_random(in, len);
                    struct xce_cipher_params p = { XCE_ALG_AES, (enum xce_mode)mode, key, klen, dec };
                    xce_session *s;
                    int r = xce_session_create(dev, &p, &s);
                    if (r == XCE_OK) {
                        r = xce_cipher(s, iv, in, out, len);
                        xce_session_destroy(s);
                    }
                    int ok = r == XCE_OK && aes_ref(mode, klen, dec, key, iv, in, ref, len) &&
                             memcmp(out, ref, len) == 0;
                    cases++;
                    if (!ok) {
                        mismatches++;
                        CHECK(0, "aes-%zu-%s %s len %zu: %s", klen * 8, mode_names[mode],
                              dec ? "decrypt" : "encrypt", len, xce_strerror(r));
                    }
                }
            }
        }
    }
    CHECK(mismatches == 0, "%u random engine results equal OpenSSL EVP", cases);

    struct xce_stats st;
    CHECK(xce_get_stats(dev, &st) == XCE_OK, "statistics readable");
    uint64_t fb = 0;
    for (int i = 0; i < XCE_FB_COUNT; i++)
        fb += st.fallback[i];
    CHECK(fb == 0 && st.sw_requests == 0, "no software fallback under the hardware policy");
    CHECK(st.hw_requests >= cases, "engine served every request (%llu)", (unsigned long long)st.hw_requests);
    CHECK(st.cores >= 1 && st.core[0].requests == st.hw_requests,
          "core request counter %llu equals the driver's engine completions %llu",
          (unsigned long long)st.core[0].requests, (unsigned long long)st.hw_requests);
    CHECK(st.core[0].busy_cycles > 0 && st.core[0].busy_cycles < st.cycles, "busy cycles counted");

    free(in);
    free(out);
    free(ref);
    xce_close(dev);
    return check_done();
}
