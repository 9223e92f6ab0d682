/* test_rsa_pad.c - the RSA encoding methods (driver/src/rsa_pad.c) and the
 * Diffie-Hellman MODP groups (driver/src/dh_groups.c) against OpenSSL.
 *
 * The encodings are glued to OpenSSL's raw RSA (RSA_NO_PADDING) so each
 * direction meets the real thing: our PKCS #1 v1.5 signature blocks must
 * give OpenSSL's signatures byte for byte, our PSS signatures must verify
 * in OpenSSL and OpenSSL's in ours, ciphertexts made from our PKCS #1 v1.5
 * and OAEP blocks must decrypt in OpenSSL and OpenSSL's ciphertexts must
 * decode in ours. Keys come fresh from OpenSSL: 1024, 1025 (emBits a
 * multiple of 8: PSS's extra leading zero byte), 2048 and 3072 bits.
 * Then hand-made malformed blocks of every kind must be refused alike,
 * without writing past the output buffer, and the DH primes must equal
 * OpenSSL's copies of RFC 2409 and RFC 3526.
 */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "dh_groups.h"
#include "rsa_pad.h"

#define MAXK 512   /* bytes: up to a 4096-bit modulus */

static const char *hname[] = { NULL, "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512" };

static const EVP_MD *md_of(int h)
{
    static const EVP_MD *(*const f[])(void) = { NULL, EVP_md5, EVP_sha1, EVP_sha224,
                                                 EVP_sha256, EVP_sha384, EVP_sha512 };
    return h >= XCE_HASH_MD5 && h <= XCE_HASH_SHA512 ? f[h]() : NULL;
}

static size_t hash_msg(int h, const uint8_t *m, size_t len, uint8_t *md)
{
    unsigned n = 0;
    EVP_Digest(m, len, md, &n, md_of(h), NULL);
    return n;
}

/* --- OpenSSL glue -------------------------------------------------------- */

enum op { SIGN, VERIFY, RECOVER, ENCRYPT, DECRYPT };

static EVP_PKEY_CTX *start(EVP_PKEY *key, enum op op, int pad)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    int ok = c != NULL;
    switch (op) {
    case SIGN: ok = ok && EVP_PKEY_sign_init(c) == 1; break;
    case VERIFY: ok = ok && EVP_PKEY_verify_init(c) == 1; break;
    case RECOVER: ok = ok && EVP_PKEY_verify_recover_init(c) == 1; break;
    case ENCRYPT: ok = ok && EVP_PKEY_encrypt_init(c) == 1; break;
    case DECRYPT: ok = ok && EVP_PKEY_decrypt_init(c) == 1; break;
    }
    if (!ok || EVP_PKEY_CTX_set_rsa_padding(c, pad) != 1) {
        EVP_PKEY_CTX_free(c);
        return NULL;
    }
    return c;
}

/* Raw RSA, k bytes in and out: x^d for SIGN and DECRYPT, x^e for RECOVER
 * and ENCRYPT. */
static int raw(EVP_PKEY *key, enum op op, const uint8_t *in, size_t k, uint8_t *out)
{
    EVP_PKEY_CTX *c = start(key, op, RSA_NO_PADDING);
    size_t n = k;
    int ok = c != NULL;
    if (ok) {
        switch (op) {
        case SIGN: ok = EVP_PKEY_sign(c, out, &n, in, k) == 1; break;
        case RECOVER: ok = EVP_PKEY_verify_recover(c, out, &n, in, k) == 1; break;
        case ENCRYPT: ok = EVP_PKEY_encrypt(c, out, &n, in, k) == 1; break;
        case DECRYPT: ok = EVP_PKEY_decrypt(c, out, &n, in, k) == 1; break;
        case VERIFY: ok = 0; break;
        }
    }
    EVP_PKEY_CTX_free(c);
    return ok && n == k;
}

/* OpenSSL's own PKCS #1 v1.5 or PSS signature of a digest (saltlen is an
 * OpenSSL RSA_PSS_SALTLEN_* value or a length; ignored for v1.5) */
static int ossl_sign(EVP_PKEY *key, int pad, int h, int saltlen, const uint8_t *md, size_t mdlen, uint8_t *sig,
                     size_t k)
{
    EVP_PKEY_CTX *c = start(key, SIGN, pad);
    size_t n = k;
    int ok = c && EVP_PKEY_CTX_set_signature_md(c, md_of(h)) == 1 &&
             (pad != RSA_PKCS1_PSS_PADDING || (EVP_PKEY_CTX_set_rsa_mgf1_md(c, md_of(h)) == 1 &&
                                               EVP_PKEY_CTX_set_rsa_pss_saltlen(c, saltlen) == 1)) &&
             EVP_PKEY_sign(c, sig, &n, md, mdlen) == 1 && n == k;
    EVP_PKEY_CTX_free(c);
    return ok;
}

static int ossl_verify(EVP_PKEY *key, int pad, int h, int saltlen, const uint8_t *md, size_t mdlen,
                       const uint8_t *sig, size_t k)
{
    EVP_PKEY_CTX *c = start(key, VERIFY, pad);
    int ok = c && EVP_PKEY_CTX_set_signature_md(c, md_of(h)) == 1 &&
             (pad != RSA_PKCS1_PSS_PADDING || (EVP_PKEY_CTX_set_rsa_mgf1_md(c, md_of(h)) == 1 &&
                                               EVP_PKEY_CTX_set_rsa_pss_saltlen(c, saltlen) == 1)) &&
             EVP_PKEY_verify(c, sig, k, md, mdlen) == 1;
    EVP_PKEY_CTX_free(c);
    return ok;
}

/* OpenSSL's PKCS #1 v1.5 (h == 0) or OAEP encryption/decryption */
static int ossl_crypt(EVP_PKEY *key, enum op op, int h, int mgf, const uint8_t *label, size_t llen,
                      const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
    EVP_PKEY_CTX *c = start(key, op, h ? RSA_PKCS1_OAEP_PADDING : RSA_PKCS1_PADDING);
    int ok = c != NULL;
    if (ok && h) {
        ok = EVP_PKEY_CTX_set_rsa_oaep_md(c, md_of(h)) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, md_of(mgf)) == 1;
        if (ok && llen) {
            void *l = OPENSSL_memdup(label, llen);   /* the context takes it */
            ok = l && EVP_PKEY_CTX_set0_rsa_oaep_label(c, l, (int)llen) == 1;
            if (!ok)
                OPENSSL_free(l);
        }
    }
    *outlen = MAXK;
    if (ok)
        ok = (op == ENCRYPT ? EVP_PKEY_encrypt(c, out, outlen, in, inlen)
                            : EVP_PKEY_decrypt(c, out, outlen, in, inlen)) == 1;
    EVP_PKEY_CTX_free(c);
    return ok;
}

/* --- hashes, MGF1, DigestInfo --------------------------------------------- */

/* MGF1 straight from RFC 8017 B.2.1, for comparison */
static void ref_mgf1(int h, const uint8_t *seed, size_t slen, uint8_t *mask, size_t len)
{
    uint8_t buf[600], md[64];
    memcpy(buf, seed, slen);
    for (uint32_t ctr = 0; len; ctr++) {
        buf[slen] = (uint8_t)(ctr >> 24), buf[slen + 1] = (uint8_t)(ctr >> 16);
        buf[slen + 2] = (uint8_t)(ctr >> 8), buf[slen + 3] = (uint8_t)ctr;
        size_t n = hash_msg(h, buf, slen + 4, md);
        n = n < len ? n : len;
        memcpy(mask, md, n);
        mask += n, len -= n;
    }
}

static void test_hashes(void)
{
    static const size_t want[] = { 0, 16, 20, 28, 32, 48, 64 };
    int ok = rsa_hash_len((enum xce_hash_alg)0) == 0 && rsa_hash_len((enum xce_hash_alg)7) == 0;
    for (int h = XCE_HASH_MD5; h <= XCE_HASH_SHA512; h++)
        ok &= rsa_hash_len((enum xce_hash_alg)h) == want[h] && (size_t)EVP_MD_get_size(md_of(h)) == want[h];
    CHECK(ok, "rsa_hash_len: 16/20/28/32/48/64 as OpenSSL says, 0 for unknown algorithms");

    for (int h = XCE_HASH_MD5; h <= XCE_HASH_SHA512; h++) {
        static const size_t lens[] = { 0, 1, 15, 16, 20, 63, 64, 65, 129, 500 };
        int bad = 0;
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            uint8_t seed[80], got[520], ref[520];
            size_t slen = check_rand32() % sizeof seed;
            check_random(seed, slen);
            memset(got, 0xa5, sizeof got);
            ref_mgf1(h, seed, slen, ref, lens[i]);
            bad |= rsa_mgf1((enum xce_hash_alg)h, seed, slen, got, lens[i]) != XCE_OK ||
                   memcmp(got, ref, lens[i]) != 0 || got[lens[i]] != 0xa5;
        }
        CHECK(!bad, "MGF1-%s: lengths 0 to 500 equal RFC 8017 B.2.1, nothing written past the mask", hname[h]);
    }
    uint8_t m[4];
    CHECK(rsa_mgf1((enum xce_hash_alg)9, m, 4, m, 4) == XCE_ERR_INVAL, "MGF1 with an unknown hash: XCE_ERR_INVAL");
}

/* The DER of DigestInfo { algorithm, NULL parameters, digest } made by
 * OpenSSL's ASN.1 code: an independent check of our typed-in prefixes. */
static int der_digest_info(int h, const uint8_t *md, size_t mdlen, uint8_t *out)
{
    X509_SIG *sig = X509_SIG_new();
    X509_ALGOR *alg;
    ASN1_OCTET_STRING *dg;
    unsigned char *der = NULL;
    int n = -1;
    if (sig) {
        X509_SIG_getm(sig, &alg, &dg);
        if (X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md_of(h))), V_ASN1_NULL, NULL) == 1 &&
            ASN1_OCTET_STRING_set(dg, md, (int)mdlen) == 1)
            n = i2d_X509_SIG(sig, &der);
    }
    if (n > 0 && n <= 100)
        memcpy(out, der, (size_t)n);
    OPENSSL_free(der);
    X509_SIG_free(sig);
    return n;
}

static void test_digest_info(void)
{
    for (int h = XCE_HASH_MD5; h <= XCE_HASH_SHA512; h++) {
        uint8_t md[64], der[100], em[128];
        size_t hl = rsa_hash_len((enum xce_hash_alg)h);
        check_random(md, hl);
        int n = der_digest_info(h, md, hl, der);
        int ok = n > 0 && rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl, em, sizeof em) == XCE_OK &&
                 memcmp(em + sizeof em - (size_t)n, der, (size_t)n) == 0 && em[0] == 0 && em[1] == 1 &&
                 em[sizeof em - (size_t)n - 1] == 0;
        for (size_t i = 2; ok && i < sizeof em - (size_t)n - 1; i++)
            ok = em[i] == 0xff;
        CHECK(ok, "EMSA-PKCS1-v1_5 %s: 00 01 FF.. 00 and the DigestInfo OpenSSL's DER encoder makes", hname[h]);

        /* the shortest block: exactly eight FF (RFC 8017 9.2 step 3) */
        size_t t = (size_t)n;
        CHECK(n > 0 && rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl, em, t + 11) == XCE_OK && em[9] == 0xff &&
                  em[10] == 0 && rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl, em, t + 10) == XCE_ERR_INVAL,
              "EMSA-PKCS1-v1_5 %s: k = tLen + 11 fits, tLen + 10 is XCE_ERR_INVAL", hname[h]);
        CHECK(rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl - 1, em, sizeof em) == XCE_ERR_INVAL &&
                  rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl + 1, em, sizeof em) == XCE_ERR_INVAL,
              "EMSA-PKCS1-v1_5 %s: a digest of the wrong length is XCE_ERR_INVAL", hname[h]);
    }
    /* MD5("abc") (RFC 1321 A.5) behind the MD5 prefix of RFC 8017 9.2 note 1 */
    uint8_t want[34], em[64], md[16];
    check_unhex("3020300c06082a864886f70d020505000410"
                "900150983cd24fb0d6963f7d28e17f72", want);
    hash_msg(XCE_HASH_MD5, (const uint8_t *)"abc", 3, md);
    CHECK(rsa_emsa_pkcs1_encode(XCE_HASH_MD5, md, 16, em, sizeof em) == XCE_OK &&
              memcmp(em + sizeof em - 34, want, 34) == 0,
          "EMSA-PKCS1-v1_5 MD5(\"abc\"): the RFC 8017 DigestInfo with the RFC 1321 digest");
    CHECK(rsa_emsa_pkcs1_encode((enum xce_hash_alg)0, md, 16, em, sizeof em) == XCE_ERR_INVAL,
          "EMSA-PKCS1-v1_5 with an unknown hash: XCE_ERR_INVAL");
}

/* --- signatures ----------------------------------------------------------- */

struct key {
    EVP_PKEY *pkey;
    unsigned bits;
    size_t k;
};

static void test_pkcs1_sign(const struct key *key)
{
    for (int h = XCE_HASH_MD5; h <= XCE_HASH_SHA512; h++) {
        uint8_t msg[100], md[64], em[MAXK], ours[MAXK], theirs[MAXK];
        check_random(msg, sizeof msg);
        size_t hl = hash_msg(h, msg, sizeof msg, md);
        int ok = rsa_emsa_pkcs1_encode((enum xce_hash_alg)h, md, hl, em, key->k) == XCE_OK &&
                 raw(key->pkey, SIGN, em, key->k, ours) &&
                 ossl_sign(key->pkey, RSA_PKCS1_PADDING, h, 0, md, hl, theirs, key->k) &&
                 memcmp(ours, theirs, key->k) == 0 &&
                 ossl_verify(key->pkey, RSA_PKCS1_PADDING, h, 0, md, hl, ours, key->k);
        CHECK(ok, "RSA %u PKCS#1 v1.5 %s: our block signed raw equals OpenSSL's signature", key->bits, hname[h]);
    }
}

/* OpenSSL's salt length for our choice, as a verifier needs it spelled out */
static int explicit_salt(int salt, size_t emlen, size_t hl)
{
    return salt == XCE_PSS_SALT_DIGEST ? (int)hl : salt == XCE_PSS_SALT_MAX ? (int)(emlen - hl - 2) : salt;
}

static void test_pss(const struct key *key)
{
    static const int ours_salts[] = { XCE_PSS_SALT_DIGEST, XCE_PSS_SALT_MAX, 0, 10 };
    static const int ossl_salts[] = { RSA_PSS_SALTLEN_DIGEST, RSA_PSS_SALTLEN_MAX, 0, 10 };
    static const char *salt_name[] = { "digest", "max", "0", "10" };
    size_t emlen = (key->bits - 1 + 7) / 8;
    for (int h = XCE_HASH_MD5; h <= XCE_HASH_SHA512; h++) {
        uint8_t msg[64], md[64], em[MAXK], sig[MAXK];
        check_random(msg, sizeof msg);
        size_t hl = hash_msg(h, msg, sizeof msg, md);
        int other = h % XCE_HASH_SHA512 + 1;
        uint8_t md2[64];
        size_t hl2 = hash_msg(other, msg, sizeof msg, md2);

        /* ours -> OpenSSL, with the salt length spelled out so it is checked */
        int ours_ok = 1, top_ok = 1;
        for (int s = 0; s < 4; s++) {
            /* does not fit: a 64-byte salt with SHA-512 in 1024 bits */
            if (hl + (size_t)explicit_salt(ours_salts[s], emlen, hl) + 2 > emlen) {
                ours_ok &= rsa_emsa_pss_encode((enum xce_hash_alg)h, md, hl, ours_salts[s], key->bits, em, key->k) ==
                           XCE_ERR_INVAL;
                continue;
            }
            int ok = rsa_emsa_pss_encode((enum xce_hash_alg)h, md, hl, ours_salts[s], key->bits, em, key->k) == XCE_OK;
            top_ok &= key->k == emlen ? !(em[0] & 0x80) : em[0] == 0 && key->k == emlen + 1;
            ok = ok && raw(key->pkey, SIGN, em, key->k, sig) &&
                 ossl_verify(key->pkey, RSA_PKCS1_PSS_PADDING, h, explicit_salt(ours_salts[s], emlen, hl), md, hl, sig,
                             key->k);
            if (!ok)
                CHECK(0, "RSA %u PSS %s salt %s: our signature", key->bits, hname[h], salt_name[s]);
            ours_ok &= ok;
        }
        CHECK(ours_ok, "RSA %u PSS %s: our encodings (salt digest/max/0/10 where it fits) verify in OpenSSL",
              key->bits, hname[h]);
        CHECK(top_ok, "RSA %u PSS %s: encoding is emBits = %u bits%s", key->bits, hname[h], key->bits - 1,
              key->k == emlen ? "" : " (em[0] = 0)");

        /* OpenSSL -> ours, and every kind of wrong signature refused */
        int theirs_ok = 1, bad_ok = 1;
        for (int s = 0; s < 4; s++) {
            int want = explicit_salt(ours_salts[s], emlen, hl);
            if (hl + (size_t)want + 2 > emlen) {
                theirs_ok &= !ossl_sign(key->pkey, RSA_PKCS1_PSS_PADDING, h, ossl_salts[s], md, hl, sig, key->k);
                continue;
            }
            int ok = ossl_sign(key->pkey, RSA_PKCS1_PSS_PADDING, h, ossl_salts[s], md, hl, sig, key->k) &&
                     raw(key->pkey, RECOVER, sig, key->k, em);
            ok = ok && rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, want, key->bits, em, key->k) == XCE_OK &&
                 rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, XCE_PSS_SALT_AUTO, key->bits, em, key->k) ==
                     XCE_OK &&
                 (s > 1 ||
                  rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, ours_salts[s], key->bits, em, key->k) == XCE_OK);
            if (!ok)
                CHECK(0, "RSA %u PSS %s salt %s: OpenSSL's signature", key->bits, hname[h], salt_name[s]);
            theirs_ok &= ok;

            int bad = 0;
            /* a flipped bit anywhere: the top byte, the trailer, H, maskedDB, random */
            size_t spots[] = { 0, key->k - 1, key->k - 2, key->k - 1 - hl, 1 + check_rand32() % (key->k - 1) };
            for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
                for (int bit = 0; bit < 8; bit += 7) {
                    em[spots[i]] ^= (uint8_t)(1 << bit);
                    bad |= rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, XCE_PSS_SALT_AUTO, key->bits, em,
                                               key->k) != XCE_ERR_AUTH;
                    em[spots[i]] ^= (uint8_t)(1 << bit);
                }
            }
            md[hl / 2] ^= 0x10;   /* another message */
            bad |= rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, want, key->bits, em, key->k) != XCE_ERR_AUTH;
            md[hl / 2] ^= 0x10;
            bad |= rsa_emsa_pss_verify((enum xce_hash_alg)other, md2, hl2, XCE_PSS_SALT_AUTO, key->bits, em,
                                       key->k) != XCE_ERR_AUTH;
            bad |= rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, want + 1, key->bits, em, key->k) != XCE_ERR_AUTH;
            if (want > 0)
                bad |= rsa_emsa_pss_verify((enum xce_hash_alg)h, md, hl, want - 1, key->bits, em, key->k) !=
                       XCE_ERR_AUTH;
            if (bad)
                CHECK(0, "RSA %u PSS %s salt %s: a wrong signature passed", key->bits, hname[h], salt_name[s]);
            bad_ok &= !bad;
        }
        CHECK(theirs_ok,
              "RSA %u PSS %s: OpenSSL's signatures (salt digest/max/0/10 where it fits) verify in ours, "
              "explicit and AUTO",
              key->bits, hname[h]);
        CHECK(bad_ok,
              "RSA %u PSS %s: flipped bits, another digest, %s instead of %s, wrong salt lengths -> XCE_ERR_AUTH",
              key->bits, hname[h], hname[other], hname[h]);
    }

    /* the limits of the salt and the arguments */
    uint8_t md[32], em[MAXK];
    int room = (int)(emlen - 32 - 2);
    check_random(md, sizeof md);
    CHECK(rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, room, key->bits, em, key->k) == XCE_OK &&
              rsa_emsa_pss_verify(XCE_HASH_SHA256, md, 32, XCE_PSS_SALT_MAX, key->bits, em, key->k) == XCE_OK &&
              rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, room + 1, key->bits, em, key->k) == XCE_ERR_INVAL,
          "RSA %u PSS SHA-256: salt emLen-hLen-2 = %d fits, one more is XCE_ERR_INVAL", key->bits, room);
    CHECK(rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, 0, key->bits, em, key->k + 1) == XCE_ERR_INVAL &&
              rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, 0, key->bits + 8, em, key->k) == XCE_ERR_INVAL &&
              rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 31, 0, key->bits, em, key->k) == XCE_ERR_INVAL &&
              rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, XCE_PSS_SALT_AUTO, key->bits, em, key->k) == XCE_ERR_INVAL &&
              rsa_emsa_pss_verify(XCE_HASH_SHA256, md, 32, -4, key->bits, em, key->k) == XCE_ERR_INVAL,
          "RSA %u PSS: k not the modulus' bytes, wrong hLen, AUTO to encode, bad salt code -> XCE_ERR_INVAL",
          key->bits);
    /* emBits: the bits above it and the extra leading byte must be zero */
    int e0 = rsa_emsa_pss_encode(XCE_HASH_SHA256, md, 32, 0, key->bits, em, key->k) == XCE_OK &&
             rsa_emsa_pss_verify(XCE_HASH_SHA256, md, 32, 0, key->bits, em, key->k) == XCE_OK;
    if (key->k == emlen) {
        uint8_t clear = (uint8_t)(0xff >> ((8 - (key->bits - 1) % 8) % 8));
        em[0] |= (uint8_t)~clear;   /* set the bits above emBits */
    } else {
        em[0] = 1;
    }
    CHECK(e0 && rsa_emsa_pss_verify(XCE_HASH_SHA256, md, 32, 0, key->bits, em, key->k) == XCE_ERR_AUTH,
          "RSA %u PSS: %s -> XCE_ERR_AUTH", key->bits,
          key->k == emlen ? "bits above emBits set" : "nonzero byte in front of the emLen-byte encoding");
}

/* --- encryption ----------------------------------------------------------- */

static void test_pkcs1_crypt(const struct key *key)
{
    size_t k = key->k, max = k - 11;
    size_t lens[] = { 0, 1, 16, 1 + check_rand32() % max, max - 1, max };
    int to_ossl = 1, from_ossl = 1, form = 1;
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t m[MAXK], em[MAXK], c[MAXK], back[MAXK];
        size_t n = lens[i], blen;
        check_random(m, n);
        /* ours -> OpenSSL */
        int ok = rsa_eme_pkcs1_encode(m, n, em, k) == XCE_OK;
        size_t ps = k - n - 3;
        int f = ok && em[0] == 0 && em[1] == 2 && em[2 + ps] == 0 && memcmp(em + k - n, m, n) == 0;
        for (size_t j = 2; j < 2 + ps; j++)
            f &= em[j] != 0;
        form &= f;
        ok = ok && raw(key->pkey, ENCRYPT, em, k, c) &&
             ossl_crypt(key->pkey, DECRYPT, 0, 0, NULL, 0, c, k, back, &blen) &&
             blen == n && memcmp(back, m, n) == 0;
        if (!ok)
            CHECK(0, "RSA %u PKCS#1 v1.5 encryption, %zu bytes, ours -> OpenSSL", key->bits, n);
        to_ossl &= ok;
        /* OpenSSL -> ours */
        uint8_t out[MAXK + 8];
        size_t olen = 0;
        memset(out, 0xa5, sizeof out);
        ok = ossl_crypt(key->pkey, ENCRYPT, 0, 0, NULL, 0, m, n, c, &blen) && blen == k &&
             raw(key->pkey, DECRYPT, c, k, em) &&
             rsa_eme_pkcs1_decode(em, k, out, n, &olen) == XCE_OK && olen == n && memcmp(out, m, n) == 0 &&
             out[n] == 0xa5;
        if (!ok)
            CHECK(0, "RSA %u PKCS#1 v1.5 encryption, %zu bytes, OpenSSL -> ours", key->bits, n);
        from_ossl &= ok;
    }
    CHECK(form, "RSA %u PKCS#1 v1.5 encryption: 00 02, >= 8 nonzero PS bytes, 00, M", key->bits);
    CHECK(to_ossl, "RSA %u PKCS#1 v1.5 encryption: our blocks (0 to %zu bytes) decrypt in OpenSSL", key->bits, max);
    CHECK(from_ossl,
          "RSA %u PKCS#1 v1.5 encryption: OpenSSL's ciphertexts (0 to %zu bytes) decode in ours, exact outcap",
          key->bits, max);
    uint8_t m[MAXK], em[MAXK];
    CHECK(rsa_eme_pkcs1_encode(m, max + 1, em, k) == XCE_ERR_INVAL,
          "RSA %u PKCS#1 v1.5 encryption: %zu bytes is too long -> XCE_ERR_INVAL", key->bits, max + 1);
}

struct oaep_case {
    int h, mgf;
    const char *label;
};

static void test_oaep(const struct key *key, const struct oaep_case *oc)
{
    size_t k = key->k, hl = rsa_hash_len((enum xce_hash_alg)oc->h);
    const uint8_t *label = (const uint8_t *)oc->label;
    size_t llen = oc->label ? strlen(oc->label) : 0;
    char what[120];
    snprintf(what, sizeof what, "RSA %u OAEP %s MGF1-%s %s", key->bits, hname[oc->h], hname[oc->mgf],
             oc->label ? "with label" : "no label");
    uint8_t m[MAXK], em[MAXK], c[MAXK], back[MAXK + 8];
    if (k < 2 * hl + 2) {
        size_t olen;
        CHECK(rsa_eme_oaep_encode(oc->h, oc->mgf, label, llen, m, 0, em, k) == XCE_ERR_INVAL &&
                  rsa_eme_oaep_decode(oc->h, oc->mgf, label, llen, em, k, back, k, &olen) == XCE_ERR_INVAL,
              "%s: k < 2 hLen + 2 -> XCE_ERR_INVAL", what);
        return;
    }
    size_t max = k - 2 * hl - 2;
    size_t lens[] = { 0, 1, 1 + check_rand32() % max, max };
    int to_ossl = 1, from_ossl = 1, wrong_label = 1;
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t n = lens[i], blen, olen = 0;
        check_random(m, n);
        int ok = rsa_eme_oaep_encode(oc->h, oc->mgf, label, llen, m, n, em, k) == XCE_OK && em[0] == 0 &&
                 raw(key->pkey, ENCRYPT, em, k, c) &&
                 ossl_crypt(key->pkey, DECRYPT, oc->h, oc->mgf, label, llen, c, k, back, &blen) && blen == n &&
                 memcmp(back, m, n) == 0;
        if (!ok)
            CHECK(0, "%s, %zu bytes, ours -> OpenSSL", what, n);
        to_ossl &= ok;
        memset(back, 0xa5, sizeof back);
        ok = ossl_crypt(key->pkey, ENCRYPT, oc->h, oc->mgf, label, llen, m, n, c, &blen) && blen == k &&
             raw(key->pkey, DECRYPT, c, k, em) &&
             rsa_eme_oaep_decode(oc->h, oc->mgf, label, llen, em, k, back, n, &olen) == XCE_OK && olen == n &&
             memcmp(back, m, n) == 0 && back[n] == 0xa5;
        if (!ok)
            CHECK(0, "%s, %zu bytes, OpenSSL -> ours", what, n);
        from_ossl &= ok;
        /* another label (or one where there was none) */
        wrong_label &= rsa_eme_oaep_decode(oc->h, oc->mgf, (const uint8_t *)"other", 5, em, k, back, k, &olen) ==
                           XCE_ERR_AUTH &&
                       olen == 0;
    }
    CHECK(to_ossl, "%s: our blocks (0 to %zu bytes) decrypt in OpenSSL", what, max);
    CHECK(from_ossl, "%s: OpenSSL's ciphertexts (0 to %zu bytes) decode in ours, exact outcap", what, max);
    CHECK(wrong_label, "%s: decoding with another label -> XCE_ERR_AUTH", what);
    CHECK(rsa_eme_oaep_encode(oc->h, oc->mgf, label, llen, m, max + 1, em, k) == XCE_ERR_INVAL,
          "%s: %zu bytes is too long -> XCE_ERR_INVAL", what, max + 1);
}

/* --- malformed blocks ----------------------------------------------------- */

/* Decode with out = a buffer of outcap bytes followed by guard bytes, all
 * 0xa5 before; on success the message must be there, on failure out must
 * be untouched; the guard always. */
static int decode_case(int oaep, const uint8_t *em, size_t k, size_t outcap, int want_rc, const uint8_t *msg,
                       size_t mlen)
{
    uint8_t *out = malloc(outcap + 16);
    size_t olen = 12345;
    memset(out, 0xa5, outcap + 16);
    int rc = oaep ? rsa_eme_oaep_decode(XCE_HASH_SHA256, XCE_HASH_SHA256, NULL, 0, em, k, out, outcap, &olen)
                  : rsa_eme_pkcs1_decode(em, k, out, outcap, &olen);
    int ok = rc == want_rc;
    if (rc == XCE_OK) {
        ok = ok && olen == mlen && memcmp(out, msg, mlen) == 0;
        for (size_t i = mlen; i < outcap + 16; i++)
            ok &= out[i] == 0xa5;
    } else {
        ok = ok && olen == 0;
        for (size_t i = 0; i < outcap + 16; i++)
            ok &= out[i] == 0xa5;
    }
    free(out);
    return ok;
}

/* 00 02 PS 00 M with a PS of pslen nonzero bytes */
static void pkcs1_block(uint8_t *em, size_t k, size_t pslen, const uint8_t *m)
{
    em[0] = 0, em[1] = 2;
    for (size_t i = 0; i < pslen; i++)
        em[2 + i] = (uint8_t)(1 + check_rand32() % 255);
    em[2 + pslen] = 0;
    memcpy(em + 3 + pslen, m, k - 3 - pslen);
}

static void test_pkcs1_malformed(void)
{
    const size_t k = 256;
    uint8_t em[256], m[256];
    check_random(m, sizeof m);
    for (size_t i = 0; i < sizeof m; i++)
        m[i] |= 1;   /* no zero byte in M, so "no separator" cases stay so */
    size_t mlen = 40, ps = k - 3 - mlen;

    pkcs1_block(em, k, ps, m);
    CHECK(decode_case(0, em, k, mlen, XCE_OK, m, mlen), "PKCS#1 v1.5 decode: a valid block, outcap = mlen");
    CHECK(decode_case(0, em, k, 200, XCE_OK, m, mlen), "PKCS#1 v1.5 decode: a valid block, outcap larger");
    CHECK(decode_case(0, em, k, mlen - 1, XCE_ERR_AUTH, m, mlen),
          "PKCS#1 v1.5 decode: message one byte longer than outcap -> XCE_ERR_AUTH, out untouched");
    CHECK(decode_case(0, em, k, 0, XCE_ERR_AUTH, m, mlen), "PKCS#1 v1.5 decode: outcap 0 -> XCE_ERR_AUTH");
    em[0] = 1;
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, mlen), "PKCS#1 v1.5 decode: first byte 01 -> XCE_ERR_AUTH");
    em[0] = 0, em[1] = 1;
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, mlen), "PKCS#1 v1.5 decode: block type 01 -> XCE_ERR_AUTH");
    em[1] = 0;
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, mlen), "PKCS#1 v1.5 decode: block type 00 -> XCE_ERR_AUTH");
    em[1] = 2, em[2 + ps] = 0x5a;
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, mlen), "PKCS#1 v1.5 decode: no 00 separator -> XCE_ERR_AUTH");
    pkcs1_block(em, k, 7, m);
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, k - 10), "PKCS#1 v1.5 decode: PS of 7 bytes -> XCE_ERR_AUTH");
    pkcs1_block(em, k, 0, m);
    CHECK(decode_case(0, em, k, k, XCE_ERR_AUTH, m, k - 3), "PKCS#1 v1.5 decode: PS of 0 bytes -> XCE_ERR_AUTH");
    pkcs1_block(em, k, 8, m);
    CHECK(decode_case(0, em, k, k - 11, XCE_OK, m, k - 11),
          "PKCS#1 v1.5 decode: PS of 8 bytes, the longest message (k - 11) -> XCE_OK");
    pkcs1_block(em, k, k - 3, m);
    CHECK(decode_case(0, em, k, 0, XCE_OK, m, 0) && decode_case(0, em, k, 8, XCE_OK, m, 0),
          "PKCS#1 v1.5 decode: separator in the last byte, the empty message -> XCE_OK, length 0");
    pkcs1_block(em, 11, 8, m);
    CHECK(decode_case(0, em, 11, 0, XCE_OK, m, 0) && decode_case(0, em, 10, 4, XCE_ERR_INVAL, m, 0),
          "PKCS#1 v1.5 decode: k = 11 works (empty message), k = 10 -> XCE_ERR_INVAL");

    /* every separator position in a small block against the rule */
    int all = 1;
    for (size_t z = 2; z < 40; z++) {
        uint8_t b[40];
        pkcs1_block(b, sizeof b, z - 2, m);
        size_t n = sizeof b - z - 1;
        all &= decode_case(0, b, sizeof b, sizeof b, z >= 10 ? XCE_OK : XCE_ERR_AUTH, m, n);
        all &= decode_case(0, b, sizeof b, n ? n - 1 : 0, z >= 10 && !n ? XCE_OK : XCE_ERR_AUTH, m, n);
    }
    CHECK(all,
          "PKCS#1 v1.5 decode: separator at each index 2..39 of a 40-byte block: valid from index 10, outcap enforced");
}

/* 00 maskedSeed maskedDB from a DB the test writes itself (SHA-256, MGF1-SHA-256) */
static void oaep_block(uint8_t *em, size_t k, const uint8_t *db)
{
    const size_t hl = 32, dblen = k - hl - 1;
    uint8_t mask[MAXK];
    em[0] = 0;
    check_random(em + 1, hl);
    ref_mgf1(XCE_HASH_SHA256, em + 1, hl, mask, dblen);
    for (size_t i = 0; i < dblen; i++)
        em[1 + hl + i] = db[i] ^ mask[i];
    ref_mgf1(XCE_HASH_SHA256, em + 1 + hl, dblen, mask, hl);
    for (size_t i = 0; i < hl; i++)
        em[1 + i] ^= mask[i];
}

/* DB = lHash(empty label) zeros 01 M for an mlen-byte message */
static void oaep_db(uint8_t *db, size_t dblen, const uint8_t *m, size_t mlen)
{
    hash_msg(XCE_HASH_SHA256, (const uint8_t *)"", 0, db);
    memset(db + 32, 0, dblen - 32);
    db[dblen - mlen - 1] = 1;
    memcpy(db + dblen - mlen, m, mlen);
}

static void test_oaep_malformed(void)
{
    const size_t k = 256, hl = 32, dblen = k - hl - 1, max = k - 2 * hl - 2;
    uint8_t em[256], db[256], m[256];
    check_random(m, sizeof m);
    size_t mlen = 50;

    oaep_db(db, dblen, m, mlen);
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, mlen, XCE_OK, m, mlen), "OAEP decode: a hand-made valid block, outcap = mlen");
    CHECK(decode_case(1, em, k, mlen - 1, XCE_ERR_AUTH, m, mlen),
          "OAEP decode: message one byte longer than outcap -> XCE_ERR_AUTH, out untouched");
    em[0] = 1;
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: Y = 01 -> XCE_ERR_AUTH");
    em[0] = 0x80;
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: Y = 80 -> XCE_ERR_AUTH");
    db[5] ^= 1;
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: lHash mismatch -> XCE_ERR_AUTH");
    db[5] ^= 1, db[31] ^= 0x80;
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen),
          "OAEP decode: lHash mismatch in its last byte -> XCE_ERR_AUTH");
    db[31] ^= 0x80;
    memset(db + hl, 0, dblen - hl);
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: all zeros, no 01 separator -> XCE_ERR_AUTH");
    oaep_db(db, dblen, m, mlen);
    db[hl + 3] = 2;
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: a 02 in PS before the 01 -> XCE_ERR_AUTH");
    oaep_db(db, dblen, m, mlen);
    db[dblen - mlen - 1] = 0x81;
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, k, XCE_ERR_AUTH, m, mlen), "OAEP decode: 81 where the 01 belongs -> XCE_ERR_AUTH");
    oaep_db(db, dblen, m, max);
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, max, XCE_OK, m, max),
          "OAEP decode: 01 right after lHash, the longest message -> XCE_OK");
    oaep_db(db, dblen, m, 0);
    oaep_block(em, k, db);
    CHECK(decode_case(1, em, k, 0, XCE_OK, m, 0), "OAEP decode: 01 in the last byte, the empty message -> XCE_OK");
    CHECK(decode_case(1, em, 2 * hl + 1, k, XCE_ERR_INVAL, m, 0), "OAEP decode: k = 2 hLen + 1 -> XCE_ERR_INVAL");

    /* the 01 at each position, a stray byte at each position before it */
    int all = 1;
    for (size_t n = 0; n <= max; n += 1 + n / 8) {
        oaep_db(db, dblen, m, n);
        oaep_block(em, k, db);
        all &= decode_case(1, em, k, n, XCE_OK, m, n) &&
               decode_case(1, em, k, n ? n - 1 : 0, n ? XCE_ERR_AUTH : XCE_OK, m, n);
        if (dblen - n - 1 > hl) {
            db[hl + check_rand32() % (dblen - n - 1 - hl)] = (uint8_t)(2 + check_rand32() % 254);
            oaep_block(em, k, db);
            all &= decode_case(1, em, k, k, XCE_ERR_AUTH, m, n);
        }
    }
    CHECK(all, "OAEP decode: message lengths 0..%zu decode exactly, outcap enforced, any stray PS byte refused", max);
}

/* --- Diffie-Hellman groups ---------------------------------------------------- */

static int check_bn(const BIGNUM *y, size_t ylen, const uint8_t *p, size_t plen)
{
    uint8_t buf[MAXK + 8];
    if (BN_is_negative(y) || (size_t)BN_num_bytes(y) > ylen || BN_bn2binpad(y, buf, (int)ylen) < 0)
        return -99;
    return xce_dh_check_public(buf, ylen, p, plen);
}

static void test_dh(void)
{
    static const struct {
        int id;
        unsigned bits;
        BIGNUM *(*ossl)(BIGNUM *);
        const char *fn;
    } want[] = {
        { 1, 768, BN_get_rfc2409_prime_768, "BN_get_rfc2409_prime_768" },
        { 2, 1024, BN_get_rfc2409_prime_1024, "BN_get_rfc2409_prime_1024" },
        { 5, 1536, BN_get_rfc3526_prime_1536, "BN_get_rfc3526_prime_1536" },
        { 14, 2048, BN_get_rfc3526_prime_2048, "BN_get_rfc3526_prime_2048" },
        { 15, 3072, BN_get_rfc3526_prime_3072, "BN_get_rfc3526_prime_3072" },
        { 16, 4096, BN_get_rfc3526_prime_4096, "BN_get_rfc3526_prime_4096" },
    };
    BN_CTX *bc = BN_CTX_new();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct xce_dh_group *g = xce_dh_group_find(want[i].id);
        if (!CHECK(g && g->id == want[i].id && g->bits == want[i].bits && g->generator == 2 && g->name,
                   "DH group %d: %u-bit, generator 2", want[i].id, want[i].bits))
            continue;
        uint8_t p[MAXK], ref[MAXK];
        size_t plen = 0, n = 0;
        BIGNUM *bp = want[i].ossl(NULL);
        int ok = bp && xce_dh_prime_bytes(g, p, sizeof p, &plen) == XCE_OK && plen == g->bits / 8 &&
                 BN_num_bits(bp) == (int)g->bits && BN_bn2binpad(bp, ref, (int)plen) == (int)plen &&
                 memcmp(p, ref, plen) == 0;
        CHECK(ok, "DH group %d (%s): prime equals OpenSSL's %s", g->id, g->name, want[i].fn);
        CHECK(xce_dh_prime_bytes(g, p, plen - 1, &n) == XCE_ERR_INVAL && n == plen,
              "DH group %d: a buffer one byte short -> XCE_ERR_INVAL, size needed reported", g->id);

        /* the bounds of 1 < y < p - 1, as numbers and as bytes */
        BIGNUM *y = BN_new();
        int b = 1;
        struct { long add; int from_p; int ok; } pts[] = {
            { 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 1 }, { 3, 0, 1 },
            { -2, 1, 1 }, { -1, 1, 0 }, { 0, 1, 0 }, { 1, 1, 0 },
        };
        for (size_t j = 0; j < sizeof pts / sizeof pts[0]; j++) {
            if (pts[j].from_p)
                BN_copy(y, bp);
            else
                BN_zero(y);
            if (pts[j].add >= 0)
                BN_add_word(y, (BN_ULONG)pts[j].add);
            else
                BN_sub_word(y, (BN_ULONG)-pts[j].add);
            int rc = pts[j].ok ? XCE_OK : XCE_ERR_INVAL;
            int r1 = check_bn(y, plen, p, plen), r2 = check_bn(y, plen + 3, p, plen);
            if (r1 != rc || r2 != rc)
                CHECK(0, "DH group %d: y = %s%+ld", g->id, pts[j].from_p ? "p" : "", pts[j].add);
            b &= r1 == rc && r2 == rc;
        }
        CHECK(b, "DH group %d: y = 0, 1, p-1, p, p+1 refused; 2, 3, p-2 accepted (also with 3 leading zero bytes)",
              g->id);
        uint8_t yb[MAXK + 8];
        BIGNUM *pm1 = BN_dup(bp);
        BN_sub_word(pm1, 1);
        BN_rand_range(y, bp);
        int rr = BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, pm1) < 0 ? XCE_OK : XCE_ERR_INVAL;
        BN_free(pm1);
        b = check_bn(y, plen, p, plen) == rr && check_bn(y, plen + 5, p, plen) == rr;
        memset(yb, 0, sizeof yb);
        yb[0] = 2;
        b &= xce_dh_check_public(yb, 1, p, plen) == XCE_OK && xce_dh_check_public(yb, 0, p, plen) == XCE_ERR_INVAL;
        memset(yb, 0xff, plen);
        b &= xce_dh_check_public(yb, plen, p, plen) == XCE_ERR_INVAL;
        yb[0] = 1, yb[1] = 0;   /* 256 */
        b &= xce_dh_check_public(yb, 2, p, plen) == XCE_OK;
        CHECK(b,
              "DH group %d: a random y < p (also with leading zeros), y = 2 in one byte, 256 in two; "
              "empty y and all-ones refused",
              g->id);
        BN_free(y);
        BN_free(bp);
    }
    CHECK(!xce_dh_group_find(0) && !xce_dh_group_find(3) && !xce_dh_group_find(4) && !xce_dh_group_find(17) &&
              !xce_dh_group_find(-1) && !xce_dh_group_find(24),
          "DH groups 0, 3, 4, 17, 24, -1: none");

    /* small primes (and non-primes: the check is plain arithmetic) of 1..4
     * bytes against BN, y up to 6 bytes with leading zeros */
    int agree = 1;
    BIGNUM *bp = BN_new(), *by = BN_new(), *pm1 = BN_new();
    for (int t = 0; t < 20000; t++) {
        uint8_t p[4], y[6];
        size_t plen = 1 + check_rand32() % 4, ylen = check_rand32() % 7;
        check_random(p, plen);
        check_random(y, ylen);
        BN_bin2bn(p, (int)plen, bp);
        if (check_rand32() % 2) {   /* near p: y = p - 2 .. p + 2 when it fits in ylen bytes */
            uint32_t d = check_rand32() % 5;
            BN_copy(by, bp);
            BN_add_word(by, d);
            BN_sub_word(by, 2);
            if (!BN_is_negative(by) && BN_num_bytes(by) <= (int)ylen)
                BN_bn2binpad(by, y, (int)ylen);
        }
        BN_bin2bn(y, (int)ylen, by);
        BN_copy(pm1, bp);
        BN_sub_word(pm1, 1);
        int ref = BN_cmp(by, BN_value_one()) > 0 && !BN_is_zero(bp) && BN_cmp(by, pm1) < 0 ? XCE_OK : XCE_ERR_INVAL;
        if (BN_is_zero(bp))
            ref = XCE_ERR_INVAL;
        int rc = xce_dh_check_public(ylen ? y : NULL, ylen, p, plen);
        if (rc != ref && agree)
            CHECK(0, "DH check_public disagrees with BN: p %zu bytes, y %zu bytes", plen, ylen);
        agree &= rc == ref;
    }
    CHECK(agree, "DH check_public: 20000 random and near-p values of 1..4-byte p, 0..6-byte y agree with BN");
    BN_free(bp), BN_free(by), BN_free(pm1);
    BN_CTX_free(bc);
}

int main(void)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    check_seed();
    test_hashes();
    test_digest_info();
    test_pkcs1_malformed();
    test_oaep_malformed();
    test_dh();

    static const unsigned sizes[] = { 1024, 1025, 2048, 3072 };
    static const struct oaep_case oaep[] = {
        { XCE_HASH_SHA1, XCE_HASH_SHA1, NULL },        { XCE_HASH_SHA1, XCE_HASH_SHA1, "xce label" },
        { XCE_HASH_SHA256, XCE_HASH_SHA256, NULL },    { XCE_HASH_SHA256, XCE_HASH_SHA256, "xce label" },
        { XCE_HASH_SHA256, XCE_HASH_SHA1, "mixed" },   { XCE_HASH_SHA512, XCE_HASH_SHA512, NULL },
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct key key = { EVP_RSA_gen(sizes[i]), sizes[i], (sizes[i] + 7) / 8 };
        if (!CHECK(key.pkey && EVP_PKEY_get_bits(key.pkey) == (int)sizes[i], "RSA key of %u bits from OpenSSL",
                   sizes[i]))
            continue;
        test_pkcs1_sign(&key);
        test_pss(&key);
        if (sizes[i] != 3072) {   /* the 3072-bit key only signs: keep the run short */
            test_pkcs1_crypt(&key);
            for (size_t j = 0; j < sizeof oaep / sizeof oaep[0]; j++)
                test_oaep(&key, &oaep[j]);
        }
        EVP_PKEY_free(key.pkey);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("# %.2f s\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return check_done();
}
