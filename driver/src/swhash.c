/* swhash.c - the software path of hash requests, with exactly the engine's
 * semantics so any request of a message can be served by either: start
 * from the initial value or from a chaining state, absorb whole blocks,
 * and either hand the chaining state back or finish (pad, digest, and for
 * HMAC the outer hash from the precomputed outer state).
 *
 * OpenSSL's EVP interface cannot start from a chaining state, so this uses
 * its low-level MD5/SHA contexts (deprecated in 3.0, still the same code
 * EVP runs) and sets their state words and bit counts directly. State
 * bytes are in digest order, as the engine keeps them: big-endian words
 * for SHA, little-endian for MD5.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <string.h>

#include "xce_internal.h"

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static void put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

union hctx {
    MD5_CTX md5;
    SHA_CTX sha1;
    SHA256_CTX s256;
    SHA512_CTX s512;
};

/* Initial value, then (if state) the chaining state and bit count. */
static void start(union hctx *c, enum xce_hash_alg alg, const uint8_t *state, uint64_t prior)
{
    uint64_t bits = prior * 8;
    switch (alg) {
    case XCE_HASH_MD5:
        MD5_Init(&c->md5);
        if (state) {
            c->md5.A = le32(state), c->md5.B = le32(state + 4);
            c->md5.C = le32(state + 8), c->md5.D = le32(state + 12);
            c->md5.Nl = (MD5_LONG)bits, c->md5.Nh = (MD5_LONG)(bits >> 32);
        }
        break;
    case XCE_HASH_SHA1:
        SHA1_Init(&c->sha1);
        if (state) {
            c->sha1.h0 = be32(state), c->sha1.h1 = be32(state + 4), c->sha1.h2 = be32(state + 8);
            c->sha1.h3 = be32(state + 12), c->sha1.h4 = be32(state + 16);
            c->sha1.Nl = (SHA_LONG)bits, c->sha1.Nh = (SHA_LONG)(bits >> 32);
        }
        break;
    case XCE_HASH_SHA224:
    case XCE_HASH_SHA256:
        if (alg == XCE_HASH_SHA224)
            SHA224_Init(&c->s256);
        else
            SHA256_Init(&c->s256);
        if (state) {
            for (int i = 0; i < 8; i++)
                c->s256.h[i] = be32(state + 4 * i);
            c->s256.Nl = (SHA_LONG)bits, c->s256.Nh = (SHA_LONG)(bits >> 32);
        }
        break;
    case XCE_HASH_SHA384:
    case XCE_HASH_SHA512:
        if (alg == XCE_HASH_SHA384)
            SHA384_Init(&c->s512);
        else
            SHA512_Init(&c->s512);
        if (state) {
            for (int i = 0; i < 8; i++)
                c->s512.h[i] = be64(state + 8 * i);
            c->s512.Nl = bits, c->s512.Nh = 0;
        }
        break;
    }
}

static void update(union hctx *c, enum xce_hash_alg alg, const uint8_t *p, size_t n)
{
    switch (alg) {
    case XCE_HASH_MD5: MD5_Update(&c->md5, p, n); break;
    case XCE_HASH_SHA1: SHA1_Update(&c->sha1, p, n); break;
    case XCE_HASH_SHA224:
    case XCE_HASH_SHA256: SHA256_Update(&c->s256, p, n); break;
    case XCE_HASH_SHA384:
    case XCE_HASH_SHA512: SHA512_Update(&c->s512, p, n); break;
    }
}

static void finish(union hctx *c, enum xce_hash_alg alg, uint8_t *md)
{
    switch (alg) {
    case XCE_HASH_MD5: MD5_Final(md, &c->md5); break;
    case XCE_HASH_SHA1: SHA1_Final(md, &c->sha1); break;
    case XCE_HASH_SHA224:
    case XCE_HASH_SHA256: SHA256_Final(md, &c->s256); break;   /* md_len set by the init */
    case XCE_HASH_SHA384:
    case XCE_HASH_SHA512: SHA512_Final(md, &c->s512); break;
    }
}

/* The chaining state after whole blocks, in digest byte order. */
static void chaining(const union hctx *c, enum xce_hash_alg alg, uint8_t state[64])
{
    memset(state, 0, 64);
    switch (alg) {
    case XCE_HASH_MD5:
        put_le32(state, c->md5.A), put_le32(state + 4, c->md5.B);
        put_le32(state + 8, c->md5.C), put_le32(state + 12, c->md5.D);
        break;
    case XCE_HASH_SHA1:
        put_be32(state, c->sha1.h0), put_be32(state + 4, c->sha1.h1), put_be32(state + 8, c->sha1.h2);
        put_be32(state + 12, c->sha1.h3), put_be32(state + 16, c->sha1.h4);
        break;
    case XCE_HASH_SHA224:
    case XCE_HASH_SHA256:
        for (int i = 0; i < 8; i++)
            put_be32(state + 4 * i, c->s256.h[i]);
        break;
    case XCE_HASH_SHA384:
    case XCE_HASH_SHA512:
        for (int i = 0; i < 8; i++)
            put_be64(state + 8 * i, c->s512.h[i]);
        break;
    }
}

size_t xce_hash_alg_block(enum xce_hash_alg alg)
{
    return alg == XCE_HASH_SHA384 || alg == XCE_HASH_SHA512 ? 128 : 64;
}

size_t xce_hash_alg_digest(enum xce_hash_alg alg)
{
    static const size_t sizes[] = { 0, 16, 20, 28, 32, 48, 64 };
    return (unsigned)alg <= XCE_HASH_SHA512 ? sizes[alg] : 0;
}

int xce_sw_hash(enum xce_hash_alg alg, unsigned flags, uint8_t state[XCE_HASH_STATE_BYTES],
                const uint8_t *in, size_t len, uint8_t *digest)
{
    union hctx c;
    int hmac = (flags & XCE_HASH_HMAC) != 0;
    uint64_t prior = 0;
    for (int i = 7; i >= 0; i--)
        prior = prior << 8 | state[128 + i];
    int from_iv = (flags & XCE_HASH_INIT) && !hmac;
    if (!(flags & XCE_HASH_FINAL) && len % xce_hash_alg_block(alg))
        return XCE_ERR_INVAL;
    start(&c, alg, from_iv ? NULL : state, from_iv ? 0 : prior);
    update(&c, alg, in, len);
    if (!(flags & XCE_HASH_FINAL)) {
        chaining(&c, alg, state);
    } else {
        uint8_t inner[64];
        finish(&c, alg, inner);
        if (hmac) {
            start(&c, alg, state + 64, xce_hash_alg_block(alg));
            update(&c, alg, inner, xce_hash_alg_digest(alg));
            finish(&c, alg, digest);
        } else {
            memcpy(digest, inner, xce_hash_alg_digest(alg));
        }
        xce_wipe(inner, sizeof inner);
    }
    xce_wipe(&c, sizeof c);
    return XCE_OK;
}

/* HMAC (RFC 2104): the states after one block of key ^ ipad and key ^ opad. */
void xce_sw_hmac_states(enum xce_hash_alg alg, const uint8_t *key, size_t key_len,
                        uint8_t inner[64], uint8_t outer[64])
{
    size_t bs = xce_hash_alg_block(alg);
    uint8_t k[128] = { 0 }, pad[128];
    union hctx c;
    if (key_len > bs) {
        start(&c, alg, NULL, 0);
        update(&c, alg, key, key_len);
        finish(&c, alg, k);
    } else if (key_len) {
        memcpy(k, key, key_len);
    }
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < bs; i++)
            pad[i] = k[i] ^ (round ? 0x5c : 0x36);
        start(&c, alg, NULL, 0);
        update(&c, alg, pad, bs);
        chaining(&c, alg, round ? outer : inner);
    }
    xce_wipe(k, sizeof k);
    xce_wipe(pad, sizeof pad);
    xce_wipe(&c, sizeof c);
}
