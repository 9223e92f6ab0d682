/* rsa_pad.c - the RSA encoding methods of RFC 8017, see rsa_pad.h.
 *
 * Hashes are OpenSSL's (EVP), randomness is RAND_bytes. The two decoders
 * handle the result of a private-key operation on an attacker's
 * ciphertext, so they follow the constant-time discipline of RFC 8017's
 * notes on Bleichenbacher's and Manger's attacks: every byte is looked at
 * whatever the earlier ones were, conditions become all-ones/all-zero
 * masks instead of branches, the message is moved to a fixed place by a
 * shift whose memory accesses do not depend on its amount, and the only
 * exits before the end depend on public lengths or a failing library call.
 */
#include "rsa_pad.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

/* rsa.c hands the public API's salt codes through unchanged */
#ifdef XCE_RSA_SALT_DIGEST
_Static_assert(XCE_PSS_SALT_DIGEST == XCE_RSA_SALT_DIGEST && XCE_PSS_SALT_MAX == XCE_RSA_SALT_MAX &&
                   XCE_PSS_SALT_AUTO == XCE_RSA_SALT_AUTO,
               "PSS salt codes differ from xce.h's XCE_RSA_SALT_*");
#endif

/* --- constant-time helpers ------------------------------------------------
 * Masks are size_t, all ones for true and zero for false. */

/* Hide a value from the optimiser so it cannot turn a mask back into a
 * branch on the condition it came from. */
static inline size_t ct_barrier(size_t x)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

static inline size_t ct_msb(size_t x) { return ct_barrier(0 - (x >> (sizeof x * CHAR_BIT - 1))); }
static inline size_t ct_is_zero(size_t x) { return ct_msb(~x & (x - 1)); }
static inline size_t ct_eq(size_t a, size_t b) { return ct_is_zero(a ^ b); }
/* unsigned a < b from the sign of a - b with the borrow folded in
 * (Hacker's Delight, 2-12) */
static inline size_t ct_lt(size_t a, size_t b) { return ct_msb((~a & b) | (~(a ^ b) & (a - b))); }
static inline size_t ct_sel(size_t m, size_t a, size_t b) { return (a & m) | (b & ~m); }
static inline uint8_t ct_sel8(size_t m, uint8_t a, uint8_t b) { return (uint8_t)ct_sel(m, a, b); }

/* region[0..len-shift) = region[shift..len): one pass per bit of shift
 * below len, each reading and writing every byte and taking the moved or
 * the unmoved one by mask. Bits of shift at or above len are ignored (only
 * an invalid block has them, and its result is discarded). */
static void ct_shift_left(uint8_t *region, size_t len, size_t shift)
{
    for (size_t s = 1; s != 0 && s < len; s <<= 1) {
        size_t m = ~ct_is_zero(shift & s);
        for (size_t i = 0; i < len - s; i++)
            region[i] = ct_sel8(m, region[i + s], region[i]);
    }
}

/* out[i] = msg[i] for i < mlen when good, else leave out[i] as it was; the
 * same bytes are read and written either way, never beyond outcap. */
static void ct_copy_out(size_t good, const uint8_t *msg, size_t mlen, size_t maxlen, uint8_t *out, size_t outcap)
{
    size_t n = outcap < maxlen ? outcap : maxlen;
    for (size_t i = 0; i < n; i++)
        out[i] = ct_sel8(good & ct_lt(i, mlen), msg[i], out[i]);
}

/* XCE_OK (0) or XCE_ERR_AUTH from a mask, without a branch (even at -O0,
 * where gcc makes one of a multiplication by 0 or 1) */
static int ct_result(size_t good)
{
    int bad = -(int)(ct_barrier(~good) & 1);   /* 0 or all ones */
    return XCE_ERR_AUTH & bad;
}

/* --- hashes ---------------------------------------------------------------- */

static const EVP_MD *evp_md(enum xce_hash_alg h)
{
    switch (h) {
    case XCE_HASH_MD5: return EVP_md5();
    case XCE_HASH_SHA1: return EVP_sha1();
    case XCE_HASH_SHA224: return EVP_sha224();
    case XCE_HASH_SHA256: return EVP_sha256();
    case XCE_HASH_SHA384: return EVP_sha384();
    case XCE_HASH_SHA512: return EVP_sha512();
    }
    return NULL;
}

size_t rsa_hash_len(enum xce_hash_alg h)
{
    switch (h) {
    case XCE_HASH_MD5: return 16;
    case XCE_HASH_SHA1: return 20;
    case XCE_HASH_SHA224: return 28;
    case XCE_HASH_SHA256: return 32;
    case XCE_HASH_SHA384: return 48;
    case XCE_HASH_SHA512: return 64;
    }
    return 0;
}

static int hash_once(enum xce_hash_alg h, const uint8_t *in, size_t len, uint8_t *md)
{
    const EVP_MD *m = evp_md(h);
    return m && EVP_Digest(in, len, md, NULL, m, NULL) == 1 ? XCE_OK : XCE_ERR_SOFTWARE;
}

/* buf ^= MGF1(seed)[0..len) (RFC 8017 B.2.1); seed and buf must not overlap */
static int mgf1_xor(enum xce_hash_alg h, const uint8_t *seed, size_t slen, uint8_t *buf, size_t len)
{
    const EVP_MD *md = evp_md(h);
    size_t hlen = rsa_hash_len(h);
    if (!md || (!seed && slen) || (!buf && len))
        return XCE_ERR_INVAL;
    /* the counter is four bytes: at most 2^32 blocks (B.2.1 step 1) */
    if (len && (len - 1) / hlen > 0xffffffffu)
        return XCE_ERR_INVAL;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c)
        return XCE_ERR_NOMEM;
    uint8_t block[EVP_MAX_MD_SIZE];
    int rc = XCE_OK;
    uint32_t counter = 0;
    for (size_t done = 0; done < len; counter++) {
        uint8_t cb[4] = { (uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
                          (uint8_t)counter };
        if (EVP_DigestInit_ex(c, md, NULL) != 1 || EVP_DigestUpdate(c, seed, slen) != 1 ||
            EVP_DigestUpdate(c, cb, sizeof cb) != 1 || EVP_DigestFinal_ex(c, block, NULL) != 1) {
            rc = XCE_ERR_SOFTWARE;
            break;
        }
        size_t take = len - done < hlen ? len - done : hlen;
        for (size_t i = 0; i < take; i++)
            buf[done + i] ^= block[i];
        done += take;
    }
    OPENSSL_cleanse(block, sizeof block);
    EVP_MD_CTX_free(c);
    return rc;
}

int rsa_mgf1(enum xce_hash_alg h, const uint8_t *seed, size_t slen, uint8_t *mask, size_t mlen)
{
    if (!mask && mlen)
        return XCE_ERR_INVAL;
    if (mlen)
        memset(mask, 0, mlen);
    return mgf1_xor(h, seed, slen, mask, mlen);
}

/* RAND_bytes takes an int */
static int random_bytes(uint8_t *p, size_t n)
{
    if (n > INT_MAX)
        return XCE_ERR_INVAL;
    return n == 0 || RAND_bytes(p, (int)n) == 1 ? XCE_OK : XCE_ERR_SOFTWARE;
}

/* --- EMSA-PKCS1-v1_5 -------------------------------------------------------- */

/* DER of DigestInfo up to the digest itself, RFC 8017 9.2 note 1 */
static const uint8_t di_md5[] = { 0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                  0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10 };
static const uint8_t di_sha1[] = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                   0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
static const uint8_t di_sha224[] = { 0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c };
static const uint8_t di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
static const uint8_t di_sha384[] = { 0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30 };
static const uint8_t di_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 };

static const uint8_t *digestinfo(enum xce_hash_alg h, size_t *len)
{
#define DI(a) (*len = sizeof a, a)
    switch (h) {
    case XCE_HASH_MD5: return DI(di_md5);
    case XCE_HASH_SHA1: return DI(di_sha1);
    case XCE_HASH_SHA224: return DI(di_sha224);
    case XCE_HASH_SHA256: return DI(di_sha256);
    case XCE_HASH_SHA384: return DI(di_sha384);
    case XCE_HASH_SHA512: return DI(di_sha512);
    }
#undef DI
    return NULL;
}

int rsa_emsa_pkcs1_encode(enum xce_hash_alg h, const uint8_t *digest, size_t dlen, uint8_t *em, size_t k)
{
    size_t plen;
    const uint8_t *prefix = digestinfo(h, &plen);
    if (!prefix || !digest || !em || dlen != rsa_hash_len(h))
        return XCE_ERR_INVAL;
    size_t tlen = plen + dlen;   /* at most 83 */
    /* 00 01, at least eight FF, 00 (9.2 step 3) */
    if (k < tlen + 11)
        return XCE_ERR_INVAL;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, k - tlen - 3);
    em[k - tlen - 1] = 0x00;
    memcpy(em + k - tlen, prefix, plen);
    memcpy(em + k - dlen, digest, dlen);
    return XCE_OK;
}

/* --- EMSA-PSS ------------------------------------------------------------------ */

struct pss_geom {
    size_t emlen;       /* ceil(emBits / 8) */
    size_t off;         /* k - emlen: 1 when emBits is a multiple of 8 */
    uint8_t top;        /* the bits of the first byte that emBits allows */
};

static int pss_geometry(size_t mod_bits, size_t k, struct pss_geom *g)
{
    if (mod_bits < 2 || k != mod_bits / 8 + (mod_bits % 8 != 0))
        return XCE_ERR_INVAL;
    size_t embits = mod_bits - 1;
    g->emlen = embits / 8 + (embits % 8 != 0);
    g->off = k - g->emlen;
    g->top = (uint8_t)(0xff >> ((8 - embits % 8) % 8));
    return XCE_OK;
}

/* The salt length a named choice stands for; SIZE_MAX when it cannot fit
 * (emLen < hLen + sLen + 2). */
static size_t pss_salt(int salt_len, size_t emlen, size_t hlen)
{
    if (emlen < hlen + 2)
        return SIZE_MAX;
    size_t room = emlen - hlen - 2;
    size_t s = salt_len == XCE_PSS_SALT_DIGEST ? hlen : salt_len == XCE_PSS_SALT_MAX ? room : (size_t)salt_len;
    return s <= room ? s : SIZE_MAX;
}

/* H = Hash(00 00 00 00 00 00 00 00 || mHash || salt), 9.1.1 steps 5-6 */
static int pss_hash(enum xce_hash_alg h, const uint8_t *mhash, size_t hlen, const uint8_t *salt, size_t slen,
                    uint8_t *out)
{
    static const uint8_t zeros[8];
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c)
        return XCE_ERR_NOMEM;
    int ok = EVP_DigestInit_ex(c, evp_md(h), NULL) == 1 && EVP_DigestUpdate(c, zeros, sizeof zeros) == 1 &&
             EVP_DigestUpdate(c, mhash, hlen) == 1 && EVP_DigestUpdate(c, salt, slen) == 1 &&
             EVP_DigestFinal_ex(c, out, NULL) == 1;
    EVP_MD_CTX_free(c);
    return ok ? XCE_OK : XCE_ERR_SOFTWARE;
}

int rsa_emsa_pss_encode(enum xce_hash_alg h, const uint8_t *mhash, size_t hlen, int salt_len, size_t mod_bits,
                        uint8_t *em, size_t k)
{
    struct pss_geom g;
    if (!mhash || !em || hlen == 0 || hlen != rsa_hash_len(h) || salt_len < XCE_PSS_SALT_MAX ||
        pss_geometry(mod_bits, k, &g) != XCE_OK)
        return XCE_ERR_INVAL;
    size_t slen = pss_salt(salt_len, g.emlen, hlen);
    if (slen == SIZE_MAX)
        return XCE_ERR_INVAL;
    /* em = [00 when off is 1] maskedDB H BC, DB = PS(zeros) 01 salt */
    uint8_t *e = em + g.off;
    size_t dblen = g.emlen - hlen - 1;
    uint8_t *salt = e + dblen - slen;
    memset(em, 0, g.off + dblen - slen - 1);
    salt[-1] = 0x01;
    int rc = random_bytes(salt, slen);
    if (rc == XCE_OK)
        rc = pss_hash(h, mhash, hlen, salt, slen, e + dblen);
    if (rc == XCE_OK)
        rc = mgf1_xor(h, e + dblen, hlen, e, dblen);
    if (rc != XCE_OK) {
        OPENSSL_cleanse(em, k);
        return rc;
    }
    e[0] &= g.top;
    e[g.emlen - 1] = 0xbc;
    return XCE_OK;
}

int rsa_emsa_pss_verify(enum xce_hash_alg h, const uint8_t *mhash, size_t hlen, int salt_len, size_t mod_bits,
                        const uint8_t *em, size_t k)
{
    struct pss_geom g;
    if (!mhash || !em || hlen == 0 || hlen != rsa_hash_len(h) || salt_len < XCE_PSS_SALT_AUTO ||
        pss_geometry(mod_bits, k, &g) != XCE_OK)
        return XCE_ERR_INVAL;
    /* Signatures are public: plain early exits are fine here. */
    if (g.emlen < hlen + 2)
        return XCE_ERR_AUTH;
    const uint8_t *e = em + g.off;
    /* the leading 00 of a block one byte longer than emLen, the bits above
     * emBits, the trailer (9.1.2 steps 4 and 6) */
    if ((g.off && em[0] != 0) || (e[0] & ~g.top) || e[g.emlen - 1] != 0xbc)
        return XCE_ERR_AUTH;
    size_t dblen = g.emlen - hlen - 1;
    uint8_t *db = OPENSSL_malloc(dblen);
    if (!db)
        return XCE_ERR_NOMEM;
    memcpy(db, e, dblen);
    int rc = mgf1_xor(h, e + dblen, hlen, db, dblen);
    if (rc == XCE_OK) {
        db[0] &= g.top;
        /* DB = PS(zeros) 01 salt (step 10) */
        size_t i = 0;
        while (i < dblen && db[i] == 0)
            i++;
        size_t slen = i < dblen ? dblen - i - 1 : 0;
        uint8_t hh[EVP_MAX_MD_SIZE];
        if (i == dblen || db[i] != 0x01 ||
            (salt_len != XCE_PSS_SALT_AUTO && pss_salt(salt_len, g.emlen, hlen) != slen))
            rc = XCE_ERR_AUTH;
        else if ((rc = pss_hash(h, mhash, hlen, db + i + 1, slen, hh)) == XCE_OK)
            rc = CRYPTO_memcmp(hh, e + dblen, hlen) == 0 ? XCE_OK : XCE_ERR_AUTH;
    }
    OPENSSL_clear_free(db, dblen);
    return rc;
}

/* --- RSAES-PKCS1-v1_5 ------------------------------------------------------- */

/* Random bytes none of which is zero (PS, 7.2.1 step 2a): draw again where
 * one is. Only the positions of the redrawn bytes show in the timing, and
 * they say nothing of the message. */
static int random_nonzero(uint8_t *p, size_t n)
{
    int rc = random_bytes(p, n);
    for (size_t i = 0; rc == XCE_OK && i < n; i++)
        while (rc == XCE_OK && p[i] == 0)
            rc = random_bytes(p + i, 1);
    return rc;
}

int rsa_eme_pkcs1_encode(const uint8_t *m, size_t mlen, uint8_t *em, size_t k)
{
    if (!em || (!m && mlen) || k < 11 || mlen > k - 11)
        return XCE_ERR_INVAL;
    /* 00 02 PS 00 M (7.2.1 step 2b) */
    size_t pslen = k - mlen - 3;
    if (mlen)
        memmove(em + k - mlen, m, mlen);
    em[0] = 0x00;
    em[1] = 0x02;
    em[2 + pslen] = 0x00;
    int rc = random_nonzero(em + 2, pslen);
    if (rc != XCE_OK)
        OPENSSL_cleanse(em, k);
    return rc;
}

int rsa_eme_pkcs1_decode(const uint8_t *em, size_t k, uint8_t *out, size_t outcap, size_t *outlen)
{
    if (outlen)
        *outlen = 0;
    if (!em || !outlen || (!out && outcap) || k < 11)
        return XCE_ERR_INVAL;
    uint8_t *buf = OPENSSL_malloc(k);
    if (!buf)
        return XCE_ERR_NOMEM;
    memcpy(buf, em, k);
    /* 00 02, then the first 00 from index 2 on ends PS */
    size_t good = ct_is_zero(buf[0]) & ct_eq(buf[1], 2);
    size_t found = 0, zero_at = 0;
    for (size_t i = 2; i < k; i++) {
        size_t z = ct_is_zero(buf[i]);
        zero_at = ct_sel(~found & z, i, zero_at);
        found |= z;
    }
    /* PS = buf[2..zero_at) of at least eight bytes, and the message fits */
    size_t mlen = k - 1 - zero_at;
    good &= found & ~ct_lt(zero_at, 10) & ~ct_lt(outcap, mlen);
    /* the message starts at zero_at + 1 >= 11: bring it to buf[11] */
    ct_shift_left(buf + 11, k - 11, zero_at - 10);
    ct_copy_out(good, buf + 11, mlen, k - 11, out, outcap);
    *outlen = ct_sel(good, mlen, 0);
    OPENSSL_clear_free(buf, k);
    return ct_result(good);
}

/* --- RSAES-OAEP -------------------------------------------------------------- */

int rsa_eme_oaep_encode(enum xce_hash_alg h, enum xce_hash_alg mgf1, const uint8_t *label, size_t llen,
                        const uint8_t *m, size_t mlen, uint8_t *em, size_t k)
{
    size_t hlen = rsa_hash_len(h);
    if (!hlen || !rsa_hash_len(mgf1) || !em || (!m && mlen) || (!label && llen))
        return XCE_ERR_INVAL;
    if (k < 2 * hlen + 2 || mlen > k - 2 * hlen - 2)
        return XCE_ERR_INVAL;
    /* EM = 00 maskedSeed maskedDB, DB = lHash PS(zeros) 01 M (7.1.1 step 2) */
    uint8_t *seed = em + 1, *db = em + 1 + hlen;
    size_t dblen = k - hlen - 1;
    if (mlen)
        memmove(db + dblen - mlen, m, mlen);
    int rc = hash_once(h, label, llen, db);
    if (rc == XCE_OK) {
        memset(db + hlen, 0, dblen - mlen - hlen - 1);
        db[dblen - mlen - 1] = 0x01;
        em[0] = 0x00;
        rc = random_bytes(seed, hlen);
    }
    if (rc == XCE_OK)
        rc = mgf1_xor(mgf1, seed, hlen, db, dblen);
    if (rc == XCE_OK)
        rc = mgf1_xor(mgf1, db, dblen, seed, hlen);
    if (rc != XCE_OK)
        OPENSSL_cleanse(em, k);
    return rc;
}

int rsa_eme_oaep_decode(enum xce_hash_alg h, enum xce_hash_alg mgf1, const uint8_t *label, size_t llen,
                        const uint8_t *em, size_t k, uint8_t *out, size_t outcap, size_t *outlen)
{
    size_t hlen = rsa_hash_len(h);
    if (outlen)
        *outlen = 0;
    if (!hlen || !rsa_hash_len(mgf1) || !em || !outlen || (!out && outcap) || (!label && llen))
        return XCE_ERR_INVAL;
    if (k < 2 * hlen + 2)
        return XCE_ERR_INVAL;
    uint8_t lhash[EVP_MAX_MD_SIZE];
    int rc = hash_once(h, label, llen, lhash);
    if (rc != XCE_OK)
        return rc;
    uint8_t *buf = OPENSSL_malloc(k);
    if (!buf)
        return XCE_ERR_NOMEM;
    memcpy(buf, em, k);
    uint8_t *seed = buf + 1, *db = buf + 1 + hlen;
    size_t dblen = k - hlen - 1;
    /* unmask the seed, then DB (7.1.2 step 3) */
    rc = mgf1_xor(mgf1, db, dblen, seed, hlen);
    if (rc == XCE_OK)
        rc = mgf1_xor(mgf1, seed, hlen, db, dblen);
    if (rc != XCE_OK) {
        OPENSSL_clear_free(buf, k);
        return rc;
    }
    /* Y = 00 and lHash' = lHash */
    size_t good = ct_is_zero(buf[0]);
    size_t diff = 0;
    for (size_t i = 0; i < hlen; i++)
        diff |= db[i] ^ lhash[i];
    good &= ct_is_zero(diff);
    /* then zeros up to the first 01; any other byte before it is an error */
    size_t found = 0, one_at = 0, stray = 0;
    for (size_t i = hlen; i < dblen; i++) {
        size_t z = ct_is_zero(db[i]), one = ct_eq(db[i], 1);
        stray |= ~found & ~z & ~one;
        one_at = ct_sel(~found & one, i, one_at);
        found |= one;
    }
    size_t maxlen = dblen - hlen - 1;   /* k - 2 hLen - 2 */
    size_t mlen = dblen - 1 - one_at;
    good &= found & ~stray & ~ct_lt(outcap, mlen);
    /* the message starts at one_at + 1 >= hLen + 1: bring it there */
    ct_shift_left(db + hlen + 1, maxlen, one_at - hlen);
    ct_copy_out(good, db + hlen + 1, mlen, maxlen, out, outcap);
    *outlen = ct_sel(good, mlen, 0);
    OPENSSL_clear_free(buf, k);
    OPENSSL_cleanse(lhash, sizeof lhash);
    return ct_result(good);
}
