/* test_ike_crypto.c - IKEv1's cryptography (sw/ike/ike_crypto.c) against an
 * independent implementation written here with OpenSSL alone (EVP_MAC
 * HMAC, EVP digests and ciphers, BN): every suite (DES, 3DES, AES-128/192/
 * 256 with MD5, SHA-1, SHA-256, SHA-384, SHA-512) on random inputs, every
 * authentication method's SKEYID, appendix B's key expansion where it
 * applies, HASH_I/HASH_R, phase 1 and phase 2 IV chains across messages,
 * encryption both ways with the padding checked, quick mode HASH(1..3)
 * and KEYMAT with and without PFS, Diffie-Hellman for each IKE group,
 * RSA signatures, DES weak keys; published known answers (ike-scan); run
 * on the "sw" device and on the simulated engine, whose counters must show
 * it served everything. */
#define OPENSSL_SUPPRESS_DEPRECATED   /* DES_is_weak_key: the reference for the weak-key table */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/des.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "check.h"
#include "ike_crypto.h"
#include "isakmp.h"

/* ---- the reference: OpenSSL, whole buffers ---------------------------------- */

static const char *md_name(int hash)
{
    switch (hash) {
    case ISAKMP_HASH_MD5: return "MD5";
    case ISAKMP_HASH_SHA: return "SHA1";
    case ISAKMP_HASH_SHA2_256: return "SHA256";
    case ISAKMP_HASH_SHA2_384: return "SHA384";
    default: return "SHA512";
    }
}

static size_t ref_hmac(int hash, const uint8_t *key, size_t klen, const uint8_t *msg, size_t mlen, uint8_t *out)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    char name[16];
    snprintf(name, sizeof name, "%s", md_name(hash));
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0),
                            OSSL_PARAM_construct_end() };
    size_t n = 0;
    if (!ctx || !EVP_MAC_init(ctx, key, klen, params) || !EVP_MAC_update(ctx, msg, mlen) ||
        !EVP_MAC_final(ctx, out, &n, 64))
        n = 0;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return n;
}

static void ref_digest(int hash, const uint8_t *msg, size_t len, uint8_t *out)
{
    unsigned n;
    EVP_Digest(msg, len, out, &n, EVP_get_digestbyname(md_name(hash)), NULL);
}

static const EVP_CIPHER *ref_cipher(int cipher, size_t key_len)
{
    if (cipher == ISAKMP_ENC_DES_CBC)
        return EVP_des_cbc();
    if (cipher == ISAKMP_ENC_3DES_CBC)
        return EVP_des_ede3_cbc();
    return key_len == 16 ? EVP_aes_128_cbc() : key_len == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
}

/* CBC without padding */
static int ref_cbc(int enc, int cipher, const uint8_t *key, size_t key_len, const uint8_t *iv, const uint8_t *in,
                   size_t len, uint8_t *out)
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    int ok = x && EVP_CipherInit_ex(x, ref_cipher(cipher, key_len), NULL, key, iv, enc) &&
             EVP_CIPHER_CTX_set_padding(x, 0) && EVP_CipherUpdate(x, out, &l1, in, (int)len) &&
             EVP_CipherFinal_ex(x, out + l1, &l2) && (size_t)(l1 + l2) == len;
    EVP_CIPHER_CTX_free(x);
    return ok;
}

/* a byte string built piece by piece */
struct cat {
    uint8_t b[4096];
    size_t n;
};
static struct cat *cat_add(struct cat *c, const void *p, size_t len)
{
    memcpy(c->b + c->n, p, len);
    c->n += len;
    return c;
}

static void be32(uint32_t v, uint8_t *b)
{
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
}

struct ref_keys {
    uint8_t skeyid[64], d[64], a[64], e[64], enc[32];
    size_t prf_len, key_len;
    int expanded;
};

/* RFC 2409 5 and appendix B, concatenating */
static void ref_phase1(int hash, size_t key_len, const struct ike_phase1 *in, struct ref_keys *k)
{
    struct cat m = { .n = 0 }, key = { .n = 0 };
    uint8_t h[64];
    k->prf_len = ike_hash_len(hash);
    k->key_len = key_len;
    switch (in->auth) {
    case ISAKMP_AUTH_PSK:
        cat_add(cat_add(&m, in->ni, in->ni_len), in->nr, in->nr_len);
        ref_hmac(hash, in->psk, in->psk_len, m.b, m.n, k->skeyid);
        break;
    case ISAKMP_AUTH_DSS:
    case ISAKMP_AUTH_RSA_SIG:
        cat_add(cat_add(&key, in->ni, in->ni_len), in->nr, in->nr_len);
        ref_hmac(hash, key.b, key.n, in->gxy, in->gxy_len, k->skeyid);
        break;
    default:
        cat_add(cat_add(&key, in->ni, in->ni_len), in->nr, in->nr_len);
        ref_digest(hash, key.b, key.n, h);
        cat_add(cat_add(&m, in->cky_i, 8), in->cky_r, 8);
        ref_hmac(hash, h, k->prf_len, m.b, m.n, k->skeyid);
        break;
    }
    uint8_t *out[3] = { k->d, k->a, k->e };
    for (uint8_t i = 0; i < 3; i++) {
        m.n = 0;
        if (i)
            cat_add(&m, out[i - 1], k->prf_len);
        cat_add(cat_add(cat_add(cat_add(&m, in->gxy, in->gxy_len), in->cky_i, 8), in->cky_r, 8), &i, 1);
        ref_hmac(hash, k->skeyid, k->prf_len, m.b, m.n, out[i]);
    }
    k->expanded = key_len > k->prf_len;
    if (!k->expanded) {
        memcpy(k->enc, k->e, key_len);
        return;
    }
    uint8_t km[128], zero = 0;
    size_t have = 0;
    ref_hmac(hash, k->e, k->prf_len, &zero, 1, km);
    for (have = k->prf_len; have < key_len; have += k->prf_len)
        ref_hmac(hash, k->e, k->prf_len, km + have - k->prf_len, k->prf_len, km + have);
    memcpy(k->enc, km, key_len);
}

/* ---- helpers --------------------------------------------------------------- */

static size_t rand_len(size_t lo, size_t hi)
{
    return lo + check_rand32() % (hi - lo + 1);
}

static const char *hash_show(int hash)
{
    return md_name(hash);
}

static const char *cipher_show(int cipher, unsigned bits)
{
    static char b[16];
    if (cipher == ISAKMP_ENC_DES_CBC)
        return "DES";
    if (cipher == ISAKMP_ENC_3DES_CBC)
        return "3DES";
    snprintf(b, sizeof b, "AES-%u", bits);
    return b;
}

static int key_matches(ike_crypto *c, enum ike_key which, const uint8_t *want, size_t want_len)
{
    uint8_t got[64];
    size_t n = 0;
    return ike_crypto_key(c, which, got, sizeof got, &n) == XCE_OK && n == want_len && !memcmp(got, want, n);
}

static int keys_match(ike_crypto *c, const struct ref_keys *k)
{
    return key_matches(c, IKE_KEY_SKEYID, k->skeyid, k->prf_len) && key_matches(c, IKE_KEY_SKEYID_D, k->d, k->prf_len) &&
           key_matches(c, IKE_KEY_SKEYID_A, k->a, k->prf_len) && key_matches(c, IKE_KEY_SKEYID_E, k->e, k->prf_len) &&
           key_matches(c, IKE_KEY_ENC, k->enc, k->key_len);
}

/* the random inputs of one phase 1 */
struct p1_data {
    uint8_t ni[256], nr[256], gxy[256], psk[64], cky_i[8], cky_r[8];
    uint8_t gxi[256], gxr[256], sai[120], idi[12], idr[12];
    size_t sai_len;
    struct ike_phase1 in;
};

static void p1_random(struct p1_data *d, int auth)
{
    check_random(d, sizeof *d);
    d->gxy[0] = 0;   /* a shared secret with a leading zero byte keeps it */
    d->sai_len = rand_len(40, sizeof d->sai);
    d->in = (struct ike_phase1){ auth,      d->psk,   rand_len(1, sizeof d->psk), d->ni,    d->nr,
                                 rand_len(8, 256), rand_len(8, 256), d->gxy, sizeof d->gxy, d->cky_i,
                                 d->cky_r };
}

static int make_pair(xce_dev *dev, const struct ike_suite *s, const struct p1_data *d, ike_crypto **i, ike_crypto **r)
{
    *i = *r = NULL;
    int ok = ike_crypto_new(dev, s, i) == XCE_OK && ike_crypto_new(dev, s, r) == XCE_OK &&
             ike_crypto_phase1_keys(*i, &d->in) == XCE_OK && ike_crypto_phase1_keys(*r, &d->in) == XCE_OK &&
             ike_crypto_phase1_iv(*i, d->gxi, sizeof d->gxi, d->gxr, sizeof d->gxr) == XCE_OK &&
             ike_crypto_phase1_iv(*r, d->gxi, sizeof d->gxi, d->gxr, sizeof d->gxr) == XCE_OK;
    return ok;
}

/* ---- one suite: keys, hashes, IV chains, encryption, quick mode ------------- */

struct chain_ref {   /* the reference side of one exchange's CBC chain */
    uint8_t iv[16];
};

/* HASH_I, or HASH_R (responder): prf(SKEYID, g^x mine | g^x theirs | CKY mine | CKY theirs | SAi_b | ID mine) */
static void ref_hash_phase1(int hash, const struct ref_keys *k, const struct p1_data *d, int responder, uint8_t *out)
{
    struct cat m = { .n = 0 };
    cat_add(&m, responder ? d->gxr : d->gxi, sizeof d->gxi);
    cat_add(&m, responder ? d->gxi : d->gxr, sizeof d->gxi);
    cat_add(&m, responder ? d->cky_r : d->cky_i, 8);
    cat_add(&m, responder ? d->cky_i : d->cky_r, 8);
    cat_add(cat_add(&m, d->sai, d->sai_len), responder ? d->idr : d->idi, sizeof d->idi);
    ref_hmac(hash, k->skeyid, k->prf_len, m.b, m.n, out);
}

/* sender encrypts; the reference checks the bytes and the padding, the
 * receiver decrypts and confirms; both chains and the reference move on */
static int message(ike_crypto *snd, ike_crypto *rcv, uint32_t msgid, struct chain_ref *ref, const uint8_t *key,
                   size_t key_len, int cipher, int zero_pad)
{
    size_t bs = ike_crypto_block_len(snd), len = rand_len(1, 300);
    uint8_t plain[320], ct[336], dec[336], back[336];
    size_t clen = 0, plen = 0;
    check_random(plain, len);
    ike_crypto_set_padding(snd, zero_pad ? IKE_PAD_ZERO : IKE_PAD_RFC2409);
    if (ike_crypto_encrypt(snd, msgid, plain, len, ct, sizeof ct, &clen) != XCE_OK || clen % bs || clen <= len ||
        clen > len + bs)
        return 0;
    if (!ref_cbc(0, cipher, key, key_len, ref->iv, ct, clen, dec) || memcmp(dec, plain, len))
        return 0;
    size_t pad = clen - len;
    for (size_t i = len; i < clen - 1; i++)
        if (dec[i])
            return 0;
    if (dec[clen - 1] != (zero_pad ? 0 : pad - 1))
        return 0;
    memcpy(ref->iv, ct + clen - bs, bs);
    int ok = ike_crypto_decrypt(rcv, msgid, ct, clen, back, sizeof back, &plen) == XCE_OK && plen == clen &&
             !memcmp(back, dec, clen) && ike_crypto_iv_confirm(rcv, msgid) == XCE_OK;
    uint8_t a[16], b[16];
    return ok && ike_crypto_iv(snd, msgid, a) == XCE_OK && ike_crypto_iv(rcv, msgid, b) == XCE_OK &&
           !memcmp(a, ref->iv, bs) && !memcmp(b, ref->iv, bs);
}

static void suite_case(xce_dev *dev, const char *devname, int hash, int cipher, unsigned bits, int auth)
{
    struct ike_suite s = { hash, cipher, bits };
    char what[64];
    snprintf(what, sizeof what, "%s: %s %s %s", devname, cipher_show(cipher, bits), hash_show(hash),
             auth == ISAKMP_AUTH_PSK ? "psk" : auth == ISAKMP_AUTH_RSA_SIG ? "rsa-sig" : "rsa-encr");
    static struct p1_data d;
    p1_random(&d, auth);
    ike_crypto *ci, *cr;
    int ok = make_pair(dev, &s, &d, &ci, &cr);
    struct ref_keys k;
    size_t key_len = ike_crypto_key_len(ci), bs = ike_crypto_block_len(ci), plen = ike_hash_len(hash);
    ref_phase1(hash, key_len, &d.in, &k);
    CHECK(ok && keys_match(ci, &k) && keys_match(cr, &k), "%s: SKEYID, SKEYID_d/a/e, %zu-byte key%s", what, key_len,
          k.expanded ? " (appendix B expansion)" : "");
    if (!ok)
        goto out;

    /* HASH_I and HASH_R, and their checks */
    struct ike_auth ai = { d.gxi, d.gxr, sizeof d.gxi, sizeof d.gxr, d.cky_i, d.cky_r, d.sai, d.sai_len, d.idi,
                           sizeof d.idi };
    struct ike_auth ar = ai;
    ar.id_b = d.idr;
    uint8_t hi[64], hr[64], want[64];
    struct cat m = { .n = 0 };
    ref_hash_phase1(hash, &k, &d, 0, want);
    ok = ike_crypto_hash_phase1(ci, 0, &ai, hi) == XCE_OK && !memcmp(hi, want, plen);
    ref_hash_phase1(hash, &k, &d, 1, want);
    ok = ok && ike_crypto_hash_phase1(cr, 1, &ar, hr) == XCE_OK && !memcmp(hr, want, plen);
    uint8_t mine[64];
    int accepted = ike_crypto_hash_phase1(cr, 0, &ai, mine) == XCE_OK && ike_hash_check(mine, plen, hi, plen) == XCE_OK;
    hi[check_rand32() % plen] ^= (uint8_t)(1u << (check_rand32() % 8));
    int flipped = ike_hash_check(mine, plen, hi, plen);
    int shorter = ike_hash_check(mine, plen, mine, plen - 1);
    CHECK(ok && accepted && flipped == XCE_ERR_AUTH && shorter == XCE_ERR_AUTH,
          "%s: HASH_I, HASH_R; received HASH_I accepted, one bit flipped or one byte short refused", what);

    /* phase 1 IV and three messages each way, ciphertexts as OpenSSL makes them */
    struct chain_ref p1;
    m.n = 0;
    cat_add(cat_add(&m, d.gxi, sizeof d.gxi), d.gxr, sizeof d.gxr);
    ref_digest(hash, m.b, m.n, want);
    memcpy(p1.iv, want, bs);
    uint8_t iv[16];
    ok = ike_crypto_iv(ci, 0, iv) == XCE_OK && !memcmp(iv, p1.iv, bs);
    ok = ok && message(ci, cr, 0, &p1, k.enc, key_len, cipher, 0) && message(cr, ci, 0, &p1, k.enc, key_len, cipher, 0);
    /* a garbled message decrypts to garbage and, unconfirmed, leaves the chain alone */
    uint8_t junk[64], out[64];
    size_t n;
    check_random(junk, sizeof junk);
    int garbled = ike_crypto_decrypt(cr, 0, junk, 4 * bs, out, sizeof out, &n) == XCE_OK && n == 4 * bs;
    ok = ok && garbled && message(ci, cr, 0, &p1, k.enc, key_len, cipher, 1);
    CHECK(ok, "%s: phase 1 IV = hash(g^xi | g^xr); 3 messages chained, equal to OpenSSL's CBC, padding %s then zero, "
              "an unconfirmed garbled message skipped",
          what, "RFC 2409");

    /* refused lengths, the chain untouched */
    int refused = ike_crypto_decrypt(cr, 0, junk, 0, out, sizeof out, &n) == IKE_CRYPTO_ERR_LENGTH &&
                  ike_crypto_decrypt(cr, 0, junk, bs - 1, out, sizeof out, &n) == IKE_CRYPTO_ERR_LENGTH &&
                  ike_crypto_decrypt(cr, 0, junk, bs + 1, out, sizeof out, &n) == IKE_CRYPTO_ERR_LENGTH &&
                  ike_crypto_iv(cr, 0, iv) == XCE_OK && !memcmp(iv, p1.iv, bs);
    CHECK(refused, "%s: ciphertext of 0, %zu, %zu bytes refused (not whole blocks), chain unchanged", what, bs - 1,
          bs + 1);

    /* quick mode: IV from the last phase 1 block, three messages */
    uint32_t mid = check_rand32() | 1;
    struct chain_ref qm;
    uint8_t mb[4];
    be32(mid, mb);
    m.n = 0;
    cat_add(cat_add(&m, p1.iv, bs), mb, 4);
    ref_digest(hash, m.b, m.n, want);
    memcpy(qm.iv, want, bs);
    ok = message(ci, cr, mid, &qm, k.enc, key_len, cipher, 0) && message(cr, ci, mid, &qm, k.enc, key_len, cipher, 0) &&
         message(ci, cr, mid, &qm, k.enc, key_len, cipher, 0) && ike_crypto_iv(ci, 0, iv) == XCE_OK &&
         !memcmp(iv, p1.iv, bs);
    /* informational from the peer, made by OpenSSL with arbitrary padding bytes */
    uint32_t imid = mid + 1;
    be32(imid, mb);
    m.n = 0;
    cat_add(cat_add(&m, p1.iv, bs), mb, 4);
    ref_digest(hash, m.b, m.n, want);
    uint8_t info[48], ict[48], back[48];
    check_random(info, sizeof info);
    ok = ok && ref_cbc(1, cipher, k.enc, key_len, want, info, sizeof info, ict) &&
         ike_crypto_decrypt(ci, imid, ict, sizeof ict, back, sizeof back, &n) == XCE_OK && n == sizeof info &&
         !memcmp(back, info, n);
    ike_crypto_iv_forget(ci, imid);
    ok = ok && ike_crypto_iv(ci, imid, iv) == IKE_CRYPTO_ERR_STATE;
    CHECK(ok, "%s: quick mode IV = hash(last phase 1 block | M-ID), 3 messages chained; informational of "
              "OpenSSL's making decrypted",
          what);

    /* quick mode HASH(1), HASH(2), HASH(3): "rest" in pieces */
    uint8_t rest[200], qni[32], qnr[40], h1[64], h2[64], h3[64];
    check_random(rest, sizeof rest);
    check_random(qni, sizeof qni);
    check_random(qnr, sizeof qnr);
    size_t cut = rand_len(0, sizeof rest);
    struct ike_buf pieces[] = { { rest, cut }, { NULL, 0 }, { rest + cut, sizeof rest - cut } };
    be32(mid, mb);
    ok = ike_crypto_hash1(ci, mid, pieces, 3, h1) == XCE_OK &&
         ike_crypto_hash2(cr, mid, qni, sizeof qni, pieces, 3, h2) == XCE_OK &&
         ike_crypto_hash3(ci, mid, qni, sizeof qni, qnr, sizeof qnr, h3) == XCE_OK;
    m.n = 0;
    cat_add(cat_add(&m, mb, 4), rest, sizeof rest);
    ref_hmac(hash, k.a, plen, m.b, m.n, want);
    ok = ok && !memcmp(h1, want, plen);
    m.n = 0;
    cat_add(cat_add(cat_add(&m, mb, 4), qni, sizeof qni), rest, sizeof rest);
    ref_hmac(hash, k.a, plen, m.b, m.n, want);
    ok = ok && !memcmp(h2, want, plen);
    m.n = 0;
    uint8_t zero = 0;
    cat_add(cat_add(cat_add(cat_add(&m, &zero, 1), mb, 4), qni, sizeof qni), qnr, sizeof qnr);
    ref_hmac(hash, k.a, plen, m.b, m.n, want);
    ok = ok && !memcmp(h3, want, plen);
    CHECK(ok, "%s: quick mode HASH(1), HASH(2), HASH(3) with SKEYID_a", what);

    /* KEYMAT both directions, without and with PFS: cipher key + HMAC key, expanded */
    uint8_t spi_in[4], spi_out[4], gqm[256], km[2][160], ref_km[160];
    check_random(spi_in, 4);
    check_random(spi_out, 4);
    check_random(gqm, sizeof gqm);
    size_t kl = key_len + plen + rand_len(0, 20);
    ok = 1;
    for (int pfs = 0; pfs < 2; pfs++) {
        for (int dir = 0; dir < 2; dir++) {
            struct ike_keymat in = { pfs ? gqm : NULL, pfs ? sizeof gqm : 0, ISAKMP_PROTO_IPSEC_ESP,
                                     dir ? spi_out : spi_in, 4, qni, qnr, sizeof qni, sizeof qnr };
            ok &= ike_crypto_keymat(ci, &in, km[dir], kl) == XCE_OK;
            uint8_t proto = ISAKMP_PROTO_IPSEC_ESP;
            for (size_t have = 0; have < kl; have += plen) {
                m.n = 0;
                if (have)
                    cat_add(&m, ref_km + have - plen, plen);
                if (pfs)
                    cat_add(&m, gqm, sizeof gqm);
                cat_add(cat_add(cat_add(cat_add(&m, &proto, 1), dir ? spi_out : spi_in, 4), qni, sizeof qni), qnr,
                        sizeof qnr);
                uint8_t blk[64];
                ref_hmac(hash, k.d, plen, m.b, m.n, blk);
                memcpy(ref_km + have, blk, kl - have < plen ? kl - have : plen);
            }
            ok &= !memcmp(km[dir], ref_km, kl);
        }
        ok &= memcmp(km[0], km[1], kl) != 0;
    }
    CHECK(ok, "%s: KEYMAT of %zu bytes (%zu prf blocks) per SPI, without and with PFS", what, kl, (kl + plen - 1) / plen);
out:
    ike_crypto_free(ci);
    ike_crypto_free(cr);
}

/* every authentication method's SKEYID, with each hash */
static void auth_methods(xce_dev *dev, const char *devname)
{
    static const int auths[] = { ISAKMP_AUTH_PSK, ISAKMP_AUTH_DSS, ISAKMP_AUTH_RSA_SIG, ISAKMP_AUTH_RSA_ENC,
                                 ISAKMP_AUTH_RSA_ENC_REV };
    static const int hashes[] = { ISAKMP_HASH_MD5, ISAKMP_HASH_SHA, ISAKMP_HASH_SHA2_256 };
    static const char *const names[] = { "pre-shared key", "DSS signatures", "RSA signatures", "RSA encryption",
                                         "revised RSA encryption" };
    for (size_t a = 0; a < 5; a++) {
        int ok = 1;
        for (size_t h = 0; h < 3; h++) {
            static struct p1_data d;
            p1_random(&d, auths[a]);
            struct ike_suite s = { hashes[h], ISAKMP_ENC_AES_CBC, 256 };
            ike_crypto *c = NULL;
            struct ref_keys k;
            ref_phase1(hashes[h], 32, &d.in, &k);
            ok &= ike_crypto_new(dev, &s, &c) == XCE_OK && ike_crypto_phase1_keys(c, &d.in) == XCE_OK &&
                  keys_match(c, &k);
            ike_crypto_free(c);
        }
        CHECK(ok, "%s: %s: SKEYID and children with MD5, SHA-1, SHA-256", devname, names[a]);
    }
    /* the PSK is what keys SKEYID: another one gives other keys; no PSK is refused */
    static struct p1_data d;
    p1_random(&d, ISAKMP_AUTH_PSK);
    struct ike_suite s = { ISAKMP_HASH_SHA, ISAKMP_ENC_3DES_CBC, 0 };
    ike_crypto *c = NULL;
    uint8_t a[20], b[20];
    size_t n;
    int ok = ike_crypto_new(dev, &s, &c) == XCE_OK && ike_crypto_phase1_keys(c, &d.in) == XCE_OK &&
             ike_crypto_key(c, IKE_KEY_SKEYID, a, sizeof a, &n) == XCE_OK;
    d.psk[0] ^= 1;
    ok = ok && ike_crypto_phase1_keys(c, &d.in) == XCE_OK && ike_crypto_key(c, IKE_KEY_SKEYID, b, sizeof b, &n) == XCE_OK &&
         memcmp(a, b, 20);
    d.in.psk = NULL;
    ok = ok && ike_crypto_phase1_keys(c, &d.in) == XCE_ERR_INVAL &&
         ike_crypto_key(c, IKE_KEY_SKEYID, b, sizeof b, &n) == IKE_CRYPTO_ERR_STATE;
    CHECK(ok, "%s: a different PSK gives a different SKEYID; no PSK refused, and the old keys are gone", devname);
    ike_crypto_free(c);
}

static void suites(xce_dev *dev, const char *devname, int hashes)
{
    static const int hash[] = { ISAKMP_HASH_MD5, ISAKMP_HASH_SHA, ISAKMP_HASH_SHA2_256, ISAKMP_HASH_SHA2_384,
                                ISAKMP_HASH_SHA2_512 };
    static const struct {
        int cipher;
        unsigned bits;
    } ciph[] = { { ISAKMP_ENC_DES_CBC, 0 },
                 { ISAKMP_ENC_3DES_CBC, 0 },
                 { ISAKMP_ENC_AES_CBC, 128 },
                 { ISAKMP_ENC_AES_CBC, 192 },
                 { ISAKMP_ENC_AES_CBC, 256 } };
    static const int auths[] = { ISAKMP_AUTH_PSK, ISAKMP_AUTH_RSA_SIG, ISAKMP_AUTH_RSA_ENC };
    unsigned i = 0;
    for (int h = 0; h < hashes; h++)
        for (size_t c = 0; c < 5; c++)
            suite_case(dev, devname, hash[h], ciph[c].cipher, ciph[c].bits, auths[i++ % 3]);
}

/* appendix B's expansion where SKEYID_e is too short, truncation elsewhere */
static void expansion(xce_dev *dev)
{
    static const struct {
        int hash, cipher;
        unsigned bits;
        int expands;
    } cases[] = {
        { ISAKMP_HASH_MD5, ISAKMP_ENC_3DES_CBC, 0, 1 },    { ISAKMP_HASH_SHA, ISAKMP_ENC_3DES_CBC, 0, 1 },
        { ISAKMP_HASH_SHA, ISAKMP_ENC_AES_CBC, 256, 1 },   { ISAKMP_HASH_MD5, ISAKMP_ENC_AES_CBC, 192, 1 },
        { ISAKMP_HASH_SHA, ISAKMP_ENC_AES_CBC, 128, 0 },   { ISAKMP_HASH_MD5, ISAKMP_ENC_AES_CBC, 128, 0 },
        { ISAKMP_HASH_SHA2_256, ISAKMP_ENC_3DES_CBC, 0, 0 }, { ISAKMP_HASH_SHA2_256, ISAKMP_ENC_AES_CBC, 256, 0 },
        { ISAKMP_HASH_MD5, ISAKMP_ENC_DES_CBC, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct p1_data d;
        p1_random(&d, ISAKMP_AUTH_PSK);
        struct ike_suite s = { cases[i].hash, cases[i].cipher, cases[i].bits };
        ike_crypto *c = NULL;
        uint8_t e[64], key[32];
        size_t en = 0, kn = 0;
        int ok = ike_crypto_new(dev, &s, &c) == XCE_OK && ike_crypto_phase1_keys(c, &d.in) == XCE_OK &&
                 ike_crypto_key(c, IKE_KEY_SKEYID_E, e, sizeof e, &en) == XCE_OK &&
                 ike_crypto_key(c, IKE_KEY_ENC, key, sizeof key, &kn) == XCE_OK;
        /* expanded: the key is K1 | K2..., not SKEYID_e's start; else exactly its start */
        int prefix = ok && !memcmp(key, e, kn < en ? kn : en);
        CHECK(ok && (kn > en) == cases[i].expands && prefix != cases[i].expands,
              "%s with %s: %zu-byte key from a %zu-byte SKEYID_e: %s", cipher_show(s.cipher, s.key_bits),
              hash_show(s.hash), kn, en, cases[i].expands ? "expanded (K1 = prf(SKEYID_e, 0) ...)" : "its first bytes");
        ike_crypto_free(c);
    }
}

/* ---- published known answers ----------------------------------------------
 * ike-scan's psk-crack test data (royhills/ike-scan, check-psk-crack-2): an
 * aggressive mode exchange of ike-scan 1.6.4 with Check Point Firewall-1
 * NG AI R54, pre-shared key "abc123", once with MD5 and once with SHA-1.
 * Fields: g^xr, g^xi, CKY-R, CKY-I, SAi_b, IDir_b, Ni_b, Nr_b, HASH_R. The
 * exchange's g^xy is not published; SKEYID (PSK) and HASH_R do not use it. */
static const char *const kat[2] = {
    "5c7916ddf8db4d233b3b36005bb3ccc115a73807e11a897be943fd4a2d0f942624cb00588d8b3a0a26502b73e639df217ef6c4cb90f96b0a"
    "3c3ef2f62ed025b4a705df9de65e33e380c1ba5fa23bf1f9911bbf388d0844256fa0131fc5cf8acb396936ba3295b4637b039d93f58db90a"
    "3a1cf1ef5051103bacf6e1a3334f9f89:fde8c68c5f324c7dbcbadde1d757af6962c63496c009f77cad647f2997fd4295e50821453a6dc2f"
    "6279fd7fef68768584d9cee0da6e68a534a097ce206bf77ecc798310206f3f82d92d02c885794e0a430ceb2d6b43c2aff45a6e14c6558382"
    "df0692ff65c2724eef750764ee456f31424a5ebd9e115d826bbb9722111aa4e01:b2a3c7aa4be95e85:756e3fa11c1b102c:000000010000"
    "00010000002c01010001000000240101000080010001800200018003000180040002800b0001000c000400007080:01000000ac100202:25"
    "1d7ace920b17cb34f9d561bca46d037b337d19:e045819a64edbf022620bff3efdb935216584cc4:b9c594fa3fca6bb30a85c4208a8df348",
    "9bdee7aa341cf1a6c19bc0191106b5056537ce6b837cd70678ea5a3ccb606b56dee4548feb67f24fd6f4d5f58967a9ff3c674d9d79e4195b"
    "7def5aac147c9fe9abdc2f8ba2eca58f4c863fedc7a8c8e1ad6e1551b1e44bf9a0e258561a5db1c2ca1e8b5dfda1b012012b6fdf24ecd07d"
    "a6b10d76ab3b58d07b30b4f9da26aee4:c9b7ef0610a22b3e1c88b1a01ce4d4110edf6baa122ed1285eb2184cd75d30a11520a725c2d263d"
    "e5a157f77f953880732f3b14521836d7f3585cb0ce3fcadf81c541dde2680bd81953cf88e8f8096c173470694ca7414fff9df0cdcdbb9d4f"
    "70ef1d6347293b507cfad965e2d2c1fa07326353e9a493d93284970040344fb11:3506592130312567:6c362583ce7a2a26:000000010000"
    "00010000002c01010001000000240101000080010001800200028003000180040002800b0001000c000400007080:01000000ac100202:84"
    "943233f42a0b5a9b33c327162fe0efee2545e4:76f451dce3fea6402b67f3fddae561ebdb4a6efe:f63f237b3c0f1fe57a5b852203cfd27c"
    "bf0c78d4",
};

static void known_answers(xce_dev *dev, const char *devname)
{
    for (int v = 0; v < 2; v++) {
        uint8_t f[9][256];
        size_t len[9], nf = 0;
        char hex[2048];
        snprintf(hex, sizeof hex, "%s", kat[v]);
        for (char *save, *tok = strtok_r(hex, ":", &save); tok && nf < 9; tok = strtok_r(NULL, ":", &save)) {
            len[nf] = check_unhex(tok, f[nf]);
            nf++;
        }
        int hash = v ? ISAKMP_HASH_SHA : ISAKMP_HASH_MD5;
        struct ike_suite s = { hash, ISAKMP_ENC_3DES_CBC, 0 };
        const uint8_t psk[] = "abc123";
        struct ike_phase1 in = { ISAKMP_AUTH_PSK, psk, 6, f[6], f[7], len[6], len[7], f[0], len[0], f[3], f[2] };
        struct ike_auth a = { f[1], f[0], len[1], len[0], f[3], f[2], f[4], len[4], f[5], len[5] };
        ike_crypto *c = NULL;
        uint8_t hr[64];
        int ok = nf == 9 && ike_crypto_new(dev, &s, &c) == XCE_OK && ike_crypto_phase1_keys(c, &in) == XCE_OK &&
                 ike_crypto_hash_phase1(c, 1, &a, hr) == XCE_OK &&
                 ike_hash_check(hr, ike_crypto_prf_len(c), f[8], len[8]) == XCE_OK;
        CHECK(ok, "%s: ike-scan psk-crack vector (Firewall-1 NG AI R54, %s): SKEYID from \"abc123\", HASH_R as published",
              devname, v ? "SHA-1" : "MD5");
        ike_crypto_free(c);
    }
}

/* ---- Diffie-Hellman ------------------------------------------------------------ */

/* g^e mod p by BN, p_len bytes */
static int ref_modexp(const uint8_t *base, size_t blen, const uint8_t *e, size_t elen, const uint8_t *p, size_t plen,
                      uint8_t *out)
{
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *b = BN_bin2bn(base, (int)blen, NULL), *x = BN_bin2bn(e, (int)elen, NULL), *m = BN_bin2bn(p, (int)plen, NULL);
    BIGNUM *r = BN_new();
    int ok = ctx && b && x && m && r && BN_mod_exp(r, b, x, m, ctx) && BN_bn2binpad(r, out, (int)plen) == (int)plen;
    BN_free(b), BN_free(x), BN_free(m), BN_free(r);
    BN_CTX_free(ctx);
    return ok;
}

static void dh_groups(xce_dev *dev, const char *devname, const int *groups, size_t ng)
{
    static const struct {
        int group;
        size_t len;
    } lens[] = { { 1, 96 }, { 2, 128 }, { 5, 192 }, { 14, 256 }, { 15, 384 }, { 16, 512 } };
    for (size_t i = 0; i < ng; i++) {
        static struct ike_dh a, b;
        static uint8_t sa[IKE_DH_MAX], sb[IKE_DH_MAX], want[IKE_DH_MAX];
        size_t want_len = 0, glen = 0;
        for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++)
            if (lens[j].group == groups[i])
                want_len = lens[j].len;
        uint8_t two = 2;
        int ok = ike_dh_group_len(groups[i], &glen) == XCE_OK && glen == want_len &&
                 ike_dh_start(&a, dev, groups[i]) == XCE_OK && ike_dh_start(&b, dev, groups[i]) == XCE_OK &&
                 a.len == want_len && ref_modexp(&two, 1, a.priv, a.priv_len, a.prime, a.len, want) &&
                 !memcmp(want, a.pub, a.len) && ike_dh_finish(&a, b.pub, b.len, sa, sizeof sa) == XCE_OK &&
                 ike_dh_finish(&b, a.pub, a.len, sb, sizeof sb) == XCE_OK &&
                 ref_modexp(b.pub, b.len, a.priv, a.priv_len, a.prime, a.len, want) && !memcmp(sa, sb, a.len) &&
                 !memcmp(sa, want, a.len);
        CHECK(ok, "%s: group %d: %zu-byte g^x = 2^x mod p (BN), both sides' g^xy equal and equal BN's (%zu-byte "
                  "exponent)",
              devname, groups[i], want_len, a.priv_len);
        ike_dh_clear(&a);
        ike_dh_clear(&b);
    }
}

static void dh_edges(xce_dev *dev, const char *devname)
{
    static struct ike_dh a, b;
    static uint8_t y[IKE_DH_MAX + 1], out[IKE_DH_MAX], want[IKE_DH_MAX];
    int ok = ike_dh_start(&a, dev, ISAKMP_GROUP_MODP1024) == XCE_OK;
    size_t len = a.len;
    int shortv = ike_dh_finish(&a, a.pub + 1, len - 1, out, sizeof out);
    memset(y, 0, sizeof y);
    memcpy(y + 1, a.pub, len);
    int longv = ike_dh_finish(&a, y, len + 1, out, sizeof out);
    memset(y, 0, len);
    y[len - 1] = 1;
    int one = ike_dh_finish(&a, y, len, out, sizeof out);
    memcpy(y, a.prime, len);
    int prime = ike_dh_finish(&a, y, len, out, sizeof out);
    y[len - 1] ^= 1;   /* p is odd: p - 1 */
    int pm1 = ike_dh_finish(&a, y, len, out, sizeof out);
    CHECK(ok && shortv == IKE_CRYPTO_ERR_PEER_KEY && longv == IKE_CRYPTO_ERR_PEER_KEY &&
              one == IKE_CRYPTO_ERR_PEER_KEY && prime == IKE_CRYPTO_ERR_PEER_KEY && pm1 == IKE_CRYPTO_ERR_PEER_KEY &&
              ike_crypto_notify(pm1) == ISAKMP_N_INVALID_KEY_INFORMATION,
          "%s: group 2 peer values 127 and 129 bytes long, 1, p, p-1: refused (INVALID-KEY-INFORMATION)", devname);
    size_t l;
    CHECK(ike_dh_start(&b, dev, ISAKMP_GROUP_MODP8192) == XCE_ERR_UNSUPPORTED &&
              ike_dh_start(&b, dev, ISAKMP_GROUP_ECP256) == XCE_ERR_UNSUPPORTED &&
              ike_dh_group_len(ISAKMP_GROUP_MODP6144, &l) == XCE_ERR_UNSUPPORTED,
          "%s: groups 17, 18 and 19 (not in libxce): unsupported", devname);
    /* values with leading zero bytes stay as long as the prime: find some (about 1 in 256) */
    int zpub = 0, zsec = 0;
    for (int tries = 0; tries < 4000 && !(zpub && zsec); tries++) {
        uint8_t two = 2;
        if (ike_dh_start(&b, dev, ISAKMP_GROUP_MODP1024) != XCE_OK)
            break;
        if (!zpub && b.pub[0] == 0)
            zpub = ref_modexp(&two, 1, b.priv, b.priv_len, b.prime, b.len, want) && !memcmp(want, b.pub, b.len) ? 1 : -1;
        if (!zsec && ike_dh_finish(&a, b.pub, b.len, out, sizeof out) == XCE_OK && out[0] == 0)
            zsec = ref_modexp(b.pub, b.len, a.priv, a.priv_len, a.prime, a.len, want) && !memcmp(want, out, a.len) ? 1
                                                                                                                  : -1;
    }
    CHECK(ok && zpub == 1 && zsec == 1, "%s: a g^x and a g^xy beginning with 0x00 are %zu bytes, equal to BN's", devname,
          len);
    ike_dh_clear(&a);
    ike_dh_clear(&b);
    int wiped = 1;
    for (size_t i = 0; i < sizeof a; i++)
        wiped &= ((uint8_t *)&a)[i] == 0;
    CHECK(wiped, "ike_dh_clear: nothing left of the private value");
}

/* ---- RSA signatures ----------------------------------------------------------- */

static void signatures(xce_dev *dev, const char *devname)
{
    EVP_PKEY *pk = EVP_RSA_gen(2048);
    unsigned char *der = NULL;
    int dlen = pk ? i2d_PrivateKey(pk, &der) : -1;
    xce_rsa_key *k = NULL;
    int ok = dlen > 0 && xce_rsa_key_parse(der, (size_t)dlen, NULL, &k) == XCE_OK;
    OPENSSL_free(der);
    uint8_t hash[20], sig[256], osig[256];
    size_t slen = 0, olen = sizeof osig;
    check_random(hash, sizeof hash);
    ok = ok && ike_sig_sign(dev, k, hash, sizeof hash, sig, sizeof sig, &slen) == XCE_OK && slen == 256;
    EVP_PKEY_CTX *v = pk ? EVP_PKEY_CTX_new(pk, NULL) : NULL;
    ok = ok && v && EVP_PKEY_verify_init(v) > 0 && EVP_PKEY_CTX_set_rsa_padding(v, RSA_PKCS1_PADDING) > 0 &&
         EVP_PKEY_verify(v, sig, slen, hash, sizeof hash) == 1;
    EVP_PKEY_CTX_free(v);
    v = pk ? EVP_PKEY_CTX_new(pk, NULL) : NULL;
    ok = ok && v && EVP_PKEY_sign_init(v) > 0 && EVP_PKEY_CTX_set_rsa_padding(v, RSA_PKCS1_PADDING) > 0 &&
         EVP_PKEY_sign(v, osig, &olen, hash, sizeof hash) == 1 && olen == slen && !memcmp(osig, sig, slen);
    EVP_PKEY_CTX_free(v);
    ok = ok && ike_sig_verify(dev, k, hash, sizeof hash, osig, olen) == XCE_OK;
    hash[3] ^= 0x10;
    int wrong = k ? ike_sig_verify(dev, k, hash, sizeof hash, osig, olen) : 0;
    CHECK(ok && wrong == XCE_ERR_AUTH,
          "%s: RSA-2048 SIG over a SHA-1 HASH_I (PKCS#1, no DigestInfo): OpenSSL verifies ours, ours is OpenSSL's "
          "byte for byte and verifies; another hash refused",
          devname);
    uint8_t small[100];
    CHECK(k && ike_sig_sign(dev, k, hash, sizeof hash, small, sizeof small, &slen) == IKE_CRYPTO_ERR_SPACE,
          "%s: a 100-byte signature buffer for a 2048-bit key: refused", devname);
    xce_rsa_key_free(k);
    EVP_PKEY_free(pk);
}

/* ---- without a device's help ---------------------------------------------------- */

static void weak_keys(void)
{
    static const char *const weak[16] = {
        "0101010101010101", "fefefefefefefefe", "e0e0e0e0f1f1f1f1", "1f1f1f1f0e0e0e0e",
        "01fe01fe01fe01fe", "fe01fe01fe01fe01", "1fe01fe00ef10ef1", "e01fe01ff10ef10e",
        "01e001e001f101f1", "e001e001f101f101", "1ffe1ffe0efe0efe", "fe1ffe1ffe0efe0e",
        "011f011f010e010e", "1f011f010e010e01", "e0fee0fef1fef1fe", "fee0fee0fef1fef1",
    };
    int agree = 1;
    for (size_t i = 0; i < 16; i++) {
        uint8_t k[8];
        check_unhex(weak[i], k);
        k[check_rand32() % 8] ^= 1;   /* a parity bit: still weak */
        DES_cblock odd;
        memcpy(odd, k, 8);
        DES_set_odd_parity(&odd);
        agree &= ike_des_key_check(k, 8) == IKE_CRYPTO_ERR_WEAK_KEY && DES_is_weak_key(&odd) == 1;
    }
    for (int i = 0; i < 1000; i++) {
        uint8_t k[8];
        check_random(k, 8);
        DES_cblock odd;
        memcpy(odd, k, 8);
        DES_set_odd_parity(&odd);
        agree &= (ike_des_key_check(k, 8) == IKE_CRYPTO_ERR_WEAK_KEY) == (DES_is_weak_key(&odd) == 1);
    }
    CHECK(agree, "DES: the 16 weak and semi-weak keys (a parity bit flipped) refused, 1000 random keys judged as "
                 "OpenSSL's DES_is_weak_key does");
    uint8_t k3[24];
    check_random(k3, 24);
    int fine = ike_des_key_check(k3, 24) == XCE_OK && ike_des_key_check(k3, 16) == XCE_OK;
    memcpy(k3 + 16, k3 + 8, 8);
    k3[16] ^= 1;
    int k2k3 = ike_des_key_check(k3, 24);
    check_random(k3 + 16, 8);
    memcpy(k3 + 8, k3, 8);
    int k1k2 = ike_des_key_check(k3, 24), two = ike_des_key_check(k3, 16);
    CHECK(fine && k2k3 == IKE_CRYPTO_ERR_WEAK_KEY && k1k2 == IKE_CRYPTO_ERR_WEAK_KEY && two == IKE_CRYPTO_ERR_WEAK_KEY,
          "3DES: random keys pass; K2 = K3 (parity aside), K1 = K2, two-key K1 = K2 refused as single DES");
}

static void api(xce_dev *dev)
{
    ike_crypto *c = NULL;
    struct ike_suite tiger = { ISAKMP_HASH_TIGER, ISAKMP_ENC_AES_CBC, 128 };
    struct ike_suite aes100 = { ISAKMP_HASH_SHA, ISAKMP_ENC_AES_CBC, 100 };
    struct ike_suite des128 = { ISAKMP_HASH_SHA, ISAKMP_ENC_DES_CBC, 128 };
    struct ike_suite cast = { ISAKMP_HASH_SHA, ISAKMP_ENC_CAST_CBC, 128 };
    CHECK(ike_crypto_new(dev, &tiger, &c) == XCE_ERR_UNSUPPORTED && !c &&
              ike_crypto_new(dev, &aes100, &c) == XCE_ERR_UNSUPPORTED &&
              ike_crypto_new(dev, &des128, &c) == XCE_ERR_UNSUPPORTED &&
              ike_crypto_new(dev, &cast, &c) == XCE_ERR_UNSUPPORTED && ike_crypto_new(NULL, &cast, &c) == XCE_ERR_INVAL,
          "Tiger, AES-100, 128-bit DES, CAST: unsupported; no device: refused");
    struct ike_suite s = { ISAKMP_HASH_SHA, ISAKMP_ENC_AES_CBC, 0 };
    uint8_t buf[64], iv[16], h[20];
    size_t n;
    int ok = ike_crypto_new(dev, &s, &c) == XCE_OK && ike_crypto_key_len(c) == 16 && ike_crypto_block_len(c) == 16 &&
             ike_crypto_prf_len(c) == 20;
    ok = ok && ike_crypto_encrypt(c, 0, buf, 16, buf, sizeof buf, &n) == IKE_CRYPTO_ERR_STATE &&
         ike_crypto_decrypt(c, 0, buf, 16, buf, sizeof buf, &n) == IKE_CRYPTO_ERR_STATE &&
         ike_crypto_hash1(c, 1, NULL, 0, h) == IKE_CRYPTO_ERR_STATE && ike_crypto_iv(c, 0, iv) == IKE_CRYPTO_ERR_STATE;
    static struct p1_data d;
    p1_random(&d, ISAKMP_AUTH_PSK);
    ok = ok && ike_crypto_phase1_keys(c, &d.in) == XCE_OK &&
         ike_crypto_encrypt(c, 7, buf, 16, buf, sizeof buf, &n) == IKE_CRYPTO_ERR_STATE &&
         ike_crypto_phase1_iv(c, d.gxi, 96, d.gxr, 96) == XCE_OK &&
         ike_crypto_encrypt(c, 0, buf, 16, buf, 31, &n) == IKE_CRYPTO_ERR_SPACE &&
         ike_crypto_iv_confirm(c, 0) == IKE_CRYPTO_ERR_STATE;
    d.in.ni_len = 7;
    ok = ok && ike_crypto_phase1_keys(c, &d.in) == XCE_ERR_INVAL;
    CHECK(ok, "AES without a key length is AES-128; before keys, before the phase 1 IV, small buffer, nothing to "
              "confirm, a 7-byte nonce: refused");
    ike_crypto_free(c);
    ike_crypto_free(NULL);
    int named = 1;
    for (int rc = IKE_CRYPTO_ERR_SPACE; rc <= XCE_OK; rc++)
        named &= ike_crypto_strerror(rc) != NULL && strlen(ike_crypto_strerror(rc)) > 0;
    CHECK(named && ike_crypto_notify(IKE_CRYPTO_ERR_LENGTH) == ISAKMP_N_PAYLOAD_MALFORMED &&
              ike_crypto_notify(XCE_ERR_AUTH) == ISAKMP_N_INVALID_HASH_INFORMATION &&
              ike_crypto_notify(XCE_ERR_ENGINE) == 0,
          "every code has a message; notify types for malformed ciphertext and hash mismatch, none for a device error");
}

/* many phase 2 exchanges at once: the least recently used chain goes */
static void many_exchanges(xce_dev *dev)
{
    struct ike_suite s = { ISAKMP_HASH_SHA, ISAKMP_ENC_3DES_CBC, 0 };
    static struct p1_data d;
    p1_random(&d, ISAKMP_AUTH_PSK);
    ike_crypto *ci, *cr;
    int ok = make_pair(dev, &s, &d, &ci, &cr);
    uint8_t p[8] = { 1 }, ct[16], back[16], iv[8];
    size_t n;
    for (uint32_t mid = 1; ok && mid <= IKE_CRYPTO_EXCHANGES + 1; mid++)
        ok = ike_crypto_encrypt(ci, mid, p, sizeof p, ct, sizeof ct, &n) == XCE_OK &&
             ike_crypto_decrypt(cr, mid, ct, n, back, sizeof back, &n) == XCE_OK && !memcmp(back, p, 8);
    CHECK(ok && ike_crypto_iv(ci, 1, iv) == IKE_CRYPTO_ERR_STATE && ike_crypto_iv(ci, 2, iv) == XCE_OK &&
              ike_crypto_iv(ci, IKE_CRYPTO_EXCHANGES + 1, iv) == XCE_OK,
          "%d phase 2 exchanges: each decrypts; the oldest chain of %d was replaced", IKE_CRYPTO_EXCHANGES + 1,
          IKE_CRYPTO_EXCHANGES);
    ike_crypto_free(ci);
    ike_crypto_free(cr);
}

int main(void)
{
    check_seed();
    check_firmware_env();
    weak_keys();

    xce_dev *sw = check_open("sw", XCE_POLICY_AUTO);
    if (CHECK(sw != NULL, "sw: open")) {
        suites(sw, "sw", 5);
        auth_methods(sw, "sw");
        expansion(sw);
        known_answers(sw, "sw");
        static const int all[] = { 1, 2, 5, 14, 15, 16 };
        dh_groups(sw, "sw", all, 6);
        dh_edges(sw, "sw");
        signatures(sw, "sw");
        api(sw);
        many_exchanges(sw);
        struct xce_stats st = { 0 };
        int got = xce_get_stats(sw, &st) == XCE_OK;
        CHECK(got && st.hw_requests == 0 && st.sw_requests > 0 && st.pk_sw_ops > 0,
              "sw: %llu requests and %llu exponentiations, all in software", (unsigned long long)st.sw_requests,
              (unsigned long long)st.pk_sw_ops);
    }

    xce_close(sw);   /* the last device: OpenSSL's providers must survive it (test_providers) */

    /* The engine serves every request: the hardware policy refuses any
     * fallback. */
    xce_dev *dev = check_open("sim", XCE_POLICY_HARDWARE);
    if (CHECK(dev != NULL, "sim: attach, hardware policy")) {
        suites(dev, "sim", 3);
        auth_methods(dev, "sim");
        known_answers(dev, "sim");
        static const int some[] = { 2, 14 };
        dh_groups(dev, "sim", some, 2);
        signatures(dev, "sim");
        struct xce_stats st = { 0 };
        int got = xce_get_stats(dev, &st) == XCE_OK;
        CHECK(got && st.hw_requests > 0 && st.sw_requests == 0 && st.pk_hw_ops > 0 &&
                  st.pk_sw_ops == 0 && st.engine_errors == 0,
              "sim: %llu requests and %llu exponentiations, all on the engine, no errors",
              (unsigned long long)st.hw_requests, (unsigned long long)st.pk_hw_ops);
        xce_close(dev);
    }
    return check_done();
}
