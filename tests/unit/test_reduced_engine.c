/* test_reduced_engine.c - the driver against a reduced RTL build (built
 * with CAP_AES=AES-128 only, CAP_MODE=ECB|CBC, 3DES but no single DES,
 * SHA-256 as the only hash), as a small FPGA would carry. Nothing in the driver is told: it must read the capability bits,
 * offload what they allow, and serve the rest in software counted as
 * 'algorithm not in hardware'; the hardware policy refuses clearly. */
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

static int run(xce_dev *dev, int mode, size_t klen, uint64_t *hw, uint64_t *unsupported)
{
    uint8_t key[32], iv[16], in[1024], out[1024], ref[1024];
    check_random(key, sizeof key);
    check_random(iv, sizeof iv);
    check_random(in, sizeof in);
    struct xce_cipher_params p = { XCE_ALG_AES, (enum xce_mode)mode, key, klen, 0 };
    xce_session *s;
    struct xce_stats a, b;
    if (xce_session_create(dev, &p, &s) != XCE_OK)
        return XCE_ERR_INVAL;
    if (xce_get_stats(dev, &a) != XCE_OK)
        memset(&a, 0, sizeof a);
    int r = xce_cipher(s, iv, in, out, sizeof in);
    if (xce_get_stats(dev, &b) != XCE_OK)
        b = a;
    xce_session_destroy(s);
    aes_ref(mode, klen, 0, key, iv, in, ref, sizeof in);
    if (r == XCE_OK && memcmp(out, ref, sizeof in) != 0)
        r = XCE_ERR_ENGINE;
    *hw = b.hw_requests - a.hw_requests;
    *unsupported = b.fallback[XCE_FB_ALG_UNSUPPORTED] - a.fallback[XCE_FB_ALG_UNSUPPORTED];
    return r;
}

int main(void)
{
    check_seed();
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_AUTO, .crossover_bytes = 1 };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach to the reduced engine"))
        return check_done();
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK)
        memset(&info, 0, sizeof info);
    CHECK(info.cap_algos == (XCE_CAP_AES128 | XCE_CAP_TDES | XCE_CAP_SHA256 | XCE_CAP_HMAC) &&
              info.cap_modes == (XCE_CAP_MODE_ECB | XCE_CAP_MODE_CBC) && info.engine_enabled,
          "ID block: AES-128 ECB/CBC, 3DES, SHA-256 only (algos %x, modes %x); self-test passed",
          info.cap_algos, info.cap_modes);
    uint64_t hw, uns;
    CHECK(run(dev, 1, 16, &hw, &uns) == XCE_OK && hw == 1 && uns == 0, "aes-128-cbc: on the engine");
    CHECK(run(dev, 0, 16, &hw, &uns) == XCE_OK && hw == 1 && uns == 0, "aes-128-ecb: on the engine");
    CHECK(run(dev, 1, 32, &hw, &uns) == XCE_OK && hw == 0 && uns == 1,
          "aes-256-cbc: software, counted as 'algorithm not in hardware'");
    CHECK(run(dev, 2, 16, &hw, &uns) == XCE_OK && hw == 0 && uns == 1,
          "aes-128-ctr: software, counted as 'algorithm not in hardware'");
    for (int alg = XCE_HASH_SHA1; alg <= XCE_HASH_SHA256; alg += XCE_HASH_SHA256 - XCE_HASH_SHA1) {
        struct xce_hash_params hp = { (enum xce_hash_alg)alg, NULL, 0 };
        xce_session *hs;
        struct xce_stats a, b;
        uint8_t md[64];
        int ok = xce_hash_session_create(dev, &hp, &hs) == XCE_OK && xce_get_stats(dev, &a) == XCE_OK &&
                 xce_hash(hs, "abc", 3, md) == XCE_OK && xce_get_stats(dev, &b) == XCE_OK;
        xce_session_destroy(hs);
        if (alg == XCE_HASH_SHA256)
            CHECK(ok && b.hw_requests == a.hw_requests + 1 && md[0] == 0xba, "SHA-256: on the engine");
        else
            CHECK(ok && b.fallback[XCE_FB_ALG_UNSUPPORTED] == a.fallback[XCE_FB_ALG_UNSUPPORTED] + 1 &&
                      md[0] == 0xa9,
                  "SHA-1: software, counted as 'algorithm not in hardware'");
    }
    xce_close(dev);

    o.policy = XCE_POLICY_HARDWARE;
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach under the hardware policy"))
        return check_done();
    CHECK(run(dev, 1, 24, &hw, &uns) == XCE_ERR_UNSUPPORTED && hw == 0 && uns == 0,
          "hardware policy: aes-192-cbc refused with '%s'", xce_strerror(XCE_ERR_UNSUPPORTED));
    CHECK(run(dev, 1, 16, &hw, &uns) == XCE_OK && hw == 1, "hardware policy: aes-128-cbc served");
    xce_close(dev);
    return check_done();
}
