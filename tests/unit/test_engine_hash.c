/* test_engine_hash.c - MD5, SHA-1, SHA-224/256/384/512 and their HMACs
 * through the whole simulated path (hardware padding, state carried across
 * requests, HMAC outer hash on the engine) against OpenSSL: every length
 * around the padding boundaries, random lengths up to 1 MiB fed in random
 * pieces, the standards' vectors (FIPS 180-4 "abc", RFC 1321, RFC 2202,
 * RFC 4231), hardware policy so nothing falls back unnoticed. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xce.h"

static const char *evp_names[] = { NULL, "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };

static void ref(int alg, const uint8_t *key, size_t klen, const uint8_t *in, size_t len, uint8_t *md)
{
    unsigned n = 0;
    const EVP_MD *m = EVP_get_digestbyname(evp_names[alg]);
    if (key)
        HMAC(m, key, (int)klen, in, len, md, &n);
    else
        EVP_Digest(in, len, md, &n, m, NULL);
}

/* hash in random pieces through the streaming interface */
static int xce_pieces(xce_session *s, const uint8_t *in, size_t len, uint8_t *md)
{
    xce_hash_ctx *c;
    if (xce_hash_init(s, &c) != XCE_OK)
        return 0;
    size_t off = 0;
    while (off < len) {
        size_t n = 1 + check_rand32() % (len - off < 70000 ? len - off : 70000);
        if (xce_hash_update(c, in + off, n) != XCE_OK) {
            xce_hash_free(c);
            return 0;
        }
        off += n;
    }
    return xce_hash_final(c, md) == XCE_OK;
}


int main(void)
{
    check_seed();
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach, hardware policy"))
        return check_done();
    static const size_t edges[] = { 0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1500 };
    size_t big = 1 << 20;
    uint8_t *in = malloc(big);
    check_random(in, big);
    for (int alg = XCE_HASH_MD5; alg <= XCE_HASH_SHA512; alg++) {
        for (int hmac = 0; hmac < 2; hmac++) {
            uint8_t key[200];
            size_t klen = hmac ? 1 + check_rand32() % 199 : 0;   /* shorter and longer than a block */
            check_random(key, sizeof key);
            struct xce_hash_params p = { (enum xce_hash_alg)alg, hmac ? key : NULL, klen };
            xce_session *s;
            if (!CHECK(xce_hash_session_create(dev, &p, &s) == XCE_OK, "%s session", evp_names[alg]))
                continue;
            unsigned bad = 0, n = 0;
            for (size_t i = 0; i < sizeof edges / sizeof edges[0] + 4; i++) {
                size_t len = i < sizeof edges / sizeof edges[0] ? edges[i] : check_rand32() % (i == 16 ? big : 5000);
                uint8_t md[64], want[64];
                int ok = (i % 2 ? xce_hash(s, in, len, md) == XCE_OK : xce_pieces(s, in, len, md));
                ref(alg, hmac ? key : NULL, klen, in, len, want);
                n++;
                if (!ok || memcmp(md, want, xce_digest_size(s))) {
                    bad++;
                    CHECK(0, "%s%s length %zu", hmac ? "HMAC-" : "", evp_names[alg], len);
                }
            }
            CHECK(bad == 0, "%s%s: %u messages equal OpenSSL (lengths across the padding edges, up to 1 MiB)",
                  hmac ? "HMAC-" : "", evp_names[alg], n);
            xce_session_destroy(s);
        }
    }

    /* the standards' known answers */
    static const struct { int alg; const char *key, *msg, *md, *std; } kat[] = {
        { XCE_HASH_MD5, NULL, "abc", "900150983cd24fb0d6963f7d28e17f72", "RFC 1321 A.5" },
        { XCE_HASH_SHA1, NULL, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d", "FIPS 180-4 SHA-1 abc" },
        { XCE_HASH_SHA256, NULL, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          "FIPS 180-4 SHA-256 abc" },
        { XCE_HASH_SHA512, NULL, "abc",
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
          "454d4423643ce80e2a9ac94fa54ca49f", "FIPS 180-4 SHA-512 abc" },
        { XCE_HASH_MD5, "Jefe", "what do ya want for nothing?", "750c783e6ab0b503eaa86e310a5db738",
          "RFC 2202 HMAC-MD5 test 2" },
        { XCE_HASH_SHA1, "Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
          "RFC 2202 HMAC-SHA-1 test 2" },
        { XCE_HASH_SHA256, "Jefe", "what do ya want for nothing?",
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "RFC 4231 test 2 HMAC-SHA-256" },
    };
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        struct xce_hash_params p = { (enum xce_hash_alg)kat[i].alg, (const uint8_t *)kat[i].key,
                                     kat[i].key ? strlen(kat[i].key) : 0 };
        xce_session *s;
        uint8_t md[64], want[64];
        size_t n = check_unhex(kat[i].md, want);
        int ok = xce_hash_session_create(dev, &p, &s) == XCE_OK;
        ok = ok && xce_hash(s, kat[i].msg, strlen(kat[i].msg), md) == XCE_OK && memcmp(md, want, n) == 0;
        CHECK(ok, "%s", kat[i].std);
        xce_session_destroy(s);
    }
    struct xce_stats st;
    if (xce_get_stats(dev, &st) != XCE_OK)
        memset(&st, 0, sizeof st);
    CHECK(st.sw_requests == 0 && st.hw_requests > 100,
          "every request on the engine (%llu)", (unsigned long long)st.hw_requests);
    free(in);
    xce_close(dev);
    return check_done();
}
