/* rsa.c - RSA keys and operations on top of the PKA's modular
 * exponentiation (pka.c) and the RFC 8017 encodings (rsa_pad.c).
 *
 * Private operations: CRT (two half-size exponentiations, whose exponent
 * length given to the engine is the prime's length, so the time does not
 * depend on dP/dQ) with base blinding (c * r^e, result * r^-1) so the engine
 * never sees the caller's value. Every private result is checked with the
 * public exponent in software before it leaves: a wrong engine result is
 * counted (pk_faults) and the operation redone in software. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>

#include "pka.h"
#include "rsa_pad.h"
#include "xce_internal.h"

#define RSA_MAX_FILE (1u << 20)

struct xce_rsa_key {
    unsigned bits;
    size_t k;                 /* modulus length in bytes */
    BIGNUM *n, *e;
    BIGNUM *d, *p, *q, *dp, *dq, *qinv;   /* NULL for a public key */
};

void xce_rsa_key_free(xce_rsa_key *k)
{
    if (!k)
        return;
    BN_free(k->n);
    BN_free(k->e);
    BN_clear_free(k->d);
    BN_clear_free(k->p);
    BN_clear_free(k->q);
    BN_clear_free(k->dp);
    BN_clear_free(k->dq);
    BN_clear_free(k->qinv);
    free(k);
}

unsigned xce_rsa_key_bits(const xce_rsa_key *k) { return k ? k->bits : 0; }
int xce_rsa_key_is_private(const xce_rsa_key *k) { return k && k->d && k->p && k->q; }

static int has_third_prime(const EVP_PKEY *pk)
{
    BIGNUM *r3 = NULL;
    int has = EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR3, &r3) && r3;
    BN_clear_free(r3);
    return has;
}

int xce_rsa_key_parse(const uint8_t *data, size_t len, const char *pass, xce_rsa_key **out)
{
    if (!data || !out)
        return XCE_ERR_INVAL;
    *out = NULL;
    EVP_PKEY *pk = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pk, NULL, NULL, "RSA", 0, NULL, NULL);
    if (!dctx)
        return XCE_ERR_NOMEM;
    if (pass)
        OSSL_DECODER_CTX_set_passphrase(dctx, (const unsigned char *)pass, strlen(pass));
    const unsigned char *p = data;
    size_t left = len;
    int ok = OSSL_DECODER_from_data(dctx, &p, &left) == 1 && pk;
    OSSL_DECODER_CTX_free(dctx);
    if (!ok) {
        EVP_PKEY_free(pk);
        return XCE_ERR_INVAL;
    }
    xce_rsa_key *k = calloc(1, sizeof *k);
    if (!k) {
        EVP_PKEY_free(pk);
        return XCE_ERR_NOMEM;
    }
    int rc = XCE_OK;
    if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &k->n) ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &k->e)) {
        rc = XCE_ERR_INVAL;
    } else if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_D, &k->d)) {
        /* a private key without CRT parameters is not accepted: OpenSSL
         * always writes them, and CRT is what keeps the engine's work small */
        if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR1, &k->p) ||
            !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR2, &k->q) ||
            !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT1, &k->dp) ||
            !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT2, &k->dq) ||
            !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, &k->qinv))
            rc = XCE_ERR_INVAL;
        else if (has_third_prime(pk))
            rc = XCE_ERR_UNSUPPORTED;   /* multi-prime RSA (RFC 8017 3.2): CRT here is two-prime */
        else {
            BN_set_flags(k->d, BN_FLG_CONSTTIME);
            BN_set_flags(k->dp, BN_FLG_CONSTTIME);
            BN_set_flags(k->dq, BN_FLG_CONSTTIME);
        }
    }
    EVP_PKEY_free(pk);
    if (rc == XCE_OK) {
        k->bits = (unsigned)BN_num_bits(k->n);
        k->k = (size_t)BN_num_bytes(k->n);
        /* the engine and the encodings need an odd modulus of a sane size */
        if (!BN_is_odd(k->n) || k->bits < 512 || k->bits > 16384 || BN_is_zero(k->e))
            rc = XCE_ERR_INVAL;
    }
    if (rc != XCE_OK) {
        xce_rsa_key_free(k);
        return rc;
    }
    *out = k;
    return XCE_OK;
}

int xce_rsa_key_load(const char *path, const char *pass, xce_rsa_key **out)
{
    if (!path || !out)
        return XCE_ERR_INVAL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return XCE_ERR_INVAL;
    uint8_t *buf = malloc(RSA_MAX_FILE);
    size_t n = buf ? fread(buf, 1, RSA_MAX_FILE, f) : 0;
    int bad = !buf || ferror(f) || !feof(f);
    fclose(f);
    int rc = bad ? XCE_ERR_INVAL : xce_rsa_key_parse(buf, n, pass, out);
    if (buf) {
        xce_wipe(buf, n);
        free(buf);
    }
    return rc;
}

/* --- the RSA primitives ------------------------------------------------- */

/* r = x^e mod n with the public exponent, on the engine when it can. */
static int rsa_public(xce_dev *dev, const xce_rsa_key *k, BIGNUM *r, const BIGNUM *x, BN_CTX *ctx)
{
    return xce_pka_modexp(dev, r, x, k->e, (unsigned)BN_num_bits(k->e), k->n, ctx, NULL, -1);
}

/* r = c^d mod n by CRT with blinding; sw_reason >= 0 forces software. */
static int rsa_crt(xce_dev *dev, const xce_rsa_key *k, BIGNUM *r, const BIGNUM *c, BN_CTX *ctx, int sw_reason)
{
    int rc = XCE_ERR_NOMEM;
    BN_CTX_start(ctx);
    BIGNUM *bl = BN_CTX_get(ctx), *blinv = BN_CTX_get(ctx), *cb = BN_CTX_get(ctx);
    BIGNUM *cp = BN_CTX_get(ctx), *m1 = BN_CTX_get(ctx), *m2 = BN_CTX_get(ctx), *h = BN_CTX_get(ctx);
    if (!h)
        goto out;
    /* blinding factor: random r with an inverse mod n */
    for (int tries = 0;; tries++) {
        if (tries == 16 || !BN_priv_rand_range_ex(bl, k->n, 0, ctx))
            goto out;
        if (!BN_is_zero(bl) && BN_mod_inverse(blinv, bl, k->n, ctx))
            break;
    }
    rc = xce_pka_modexp(dev, cb, bl, k->e, (unsigned)BN_num_bits(k->e), k->n, ctx, NULL, sw_reason);
    if (rc != XCE_OK)
        goto out;
    rc = XCE_ERR_NOMEM;
    if (!BN_mod_mul(cb, cb, c, k->n, ctx))
        goto out;
    /* m1 = (cb mod p)^dP mod p, m2 = (cb mod q)^dQ mod q */
    if (!BN_nnmod(cp, cb, k->p, ctx))
        goto out;
    rc = xce_pka_modexp(dev, m1, cp, k->dp, (unsigned)BN_num_bits(k->p), k->p, ctx, NULL, sw_reason);
    if (rc != XCE_OK)
        goto out;
    rc = XCE_ERR_NOMEM;
    if (!BN_nnmod(cp, cb, k->q, ctx))
        goto out;
    rc = xce_pka_modexp(dev, m2, cp, k->dq, (unsigned)BN_num_bits(k->q), k->q, ctx, NULL, sw_reason);
    if (rc != XCE_OK)
        goto out;
    rc = XCE_ERR_NOMEM;
    /* h = qInv (m1 - m2) mod p; m = m2 + h q; unblind */
    if (!BN_mod_sub(h, m1, m2, k->p, ctx) || !BN_mod_mul(h, h, k->qinv, k->p, ctx) || !BN_mul(h, h, k->q, ctx) ||
        !BN_add(h, h, m2) || !BN_mod_mul(r, h, blinv, k->n, ctx))
        goto out;
    rc = XCE_OK;
out:
    if (h) {
        BN_clear(bl);
        BN_clear(blinv);
        BN_clear(cb);
        BN_clear(cp);
        BN_clear(m1);
        BN_clear(m2);
        BN_clear(h);
    }
    BN_CTX_end(ctx);
    return rc;
}

/* r = c^d mod n, checked: r^e mod n must give c back (in software, so a
 * faulty engine cannot vouch for itself). A mismatch is counted and the
 * operation redone in software. */
static int rsa_private(xce_dev *dev, const xce_rsa_key *k, BIGNUM *r, const BIGNUM *c, BN_CTX *ctx)
{
    if (!xce_rsa_key_is_private(k))
        return XCE_ERR_INVAL;
    BN_CTX_start(ctx);
    BIGNUM *chk = BN_CTX_get(ctx);
    int rc = chk ? XCE_OK : XCE_ERR_NOMEM;
    for (int pass = 0; rc == XCE_OK && pass < 2; pass++) {
        rc = rsa_crt(dev, k, r, c, ctx, pass ? XCE_FB_ENGINE_ERROR : -1);
        if (rc != XCE_OK)
            break;
        if (!BN_mod_exp(chk, r, k->e, k->n, ctx)) {
            rc = XCE_ERR_SOFTWARE;
            break;
        }
        if (BN_cmp(chk, c) == 0)
            break;
        if (pass == 0) {
            xce_pka_count_fault(dev);
            if (dev->policy == XCE_POLICY_HARDWARE) {
                rc = XCE_ERR_ENGINE;
                break;
            }
        } else {
            rc = XCE_ERR_SOFTWARE;   /* software disagrees with itself: bad key */
        }
    }
    BN_CTX_end(ctx);
    if (rc != XCE_OK)
        BN_clear(r);
    return rc;
}

/* --- byte-level operations ---------------------------------------------- */

typedef int (*rsa_prim)(xce_dev *, const xce_rsa_key *, BIGNUM *, const BIGNUM *, BN_CTX *);

/* out (k bytes) = prim(in (k bytes)), in < n required. */
static int apply(xce_dev *dev, const xce_rsa_key *k, rsa_prim prim, const uint8_t *in, uint8_t *out)
{
    BN_CTX *ctx = BN_CTX_secure_new();
    BIGNUM *x = BN_secure_new(), *y = BN_secure_new();
    int rc = XCE_ERR_NOMEM;
    if (ctx && x && y && BN_bin2bn(in, (int)k->k, x)) {
        if (BN_cmp(x, k->n) >= 0)
            rc = XCE_ERR_INVAL;
        else if ((rc = prim(dev, k, y, x, ctx)) == XCE_OK && BN_bn2binpad(y, out, (int)k->k) < 0)
            rc = XCE_ERR_SOFTWARE;
    }
    BN_clear_free(x);
    BN_clear_free(y);
    BN_CTX_free(ctx);
    return rc;
}

/* PKCS#1 v1.5 block type 1 around the data as given, no DigestInfo: what
 * `openssl pkeyutl -sign` makes when no digest is named. */
static int type1_raw(const uint8_t *d, size_t dlen, uint8_t *em, size_t k)
{
    if (dlen + 11 > k)
        return XCE_ERR_INVAL;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, k - dlen - 3);
    em[k - dlen - 1] = 0x00;
    memcpy(em + k - dlen, d, dlen);
    return XCE_OK;
}

static int pkcs1_sig_encode(enum xce_hash_alg h, const uint8_t *d, size_t dlen, uint8_t *em, size_t k)
{
    return h ? rsa_emsa_pkcs1_encode(h, d, dlen, em, k) : type1_raw(d, dlen, em, k);
}

static enum xce_hash_alg mgf_of(const struct xce_rsa_params *p) { return p->mgf1_hash ? p->mgf1_hash : p->hash; }

/* No padding: the data as given, exactly one modulus long. */
static int raw_encode(const uint8_t *d, size_t dlen, uint8_t *em, size_t k)
{
    if (dlen != k)
        return XCE_ERR_INVAL;
    memcpy(em, d, k);
    return XCE_OK;
}

/* em (k->k bytes) = the encoding of in that p asks for. */
typedef int (*rsa_encode)(const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in, size_t in_len,
                          uint8_t *em);

static int sig_encode(const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *digest, size_t digest_len,
                      uint8_t *em)
{
    switch (p->padding) {
    case XCE_RSA_PKCS1:
        return pkcs1_sig_encode(p->hash, digest, digest_len, em, k->k);
    case XCE_RSA_PSS:
        return mgf_of(p) != p->hash ? XCE_ERR_INVAL
                                    : rsa_emsa_pss_encode(p->hash, digest, digest_len, p->salt_len, k->bits, em, k->k);
    case XCE_RSA_NONE:
        return raw_encode(digest, digest_len, em, k->k);
    default:
        return XCE_ERR_INVAL;
    }
}

static int enc_encode(const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in, size_t in_len,
                      uint8_t *em)
{
    switch (p->padding) {
    case XCE_RSA_PKCS1:
        return rsa_eme_pkcs1_encode(in, in_len, em, k->k);
    case XCE_RSA_OAEP:
        return rsa_eme_oaep_encode(p->hash, mgf_of(p), p->label, p->label_len, in, in_len, em, k->k);
    case XCE_RSA_NONE:
        return raw_encode(in, in_len, em, k->k);
    default:
        return XCE_ERR_INVAL;
    }
}

/* out (k->k bytes, *out_len) = prim(encode(in)); the encoding is held in
 * secure memory and cleared. */
static int encode_apply(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, rsa_encode encode,
                        rsa_prim prim, const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{
    uint8_t *em = OPENSSL_secure_zalloc(k->k);
    if (!em)
        return XCE_ERR_NOMEM;
    int rc = encode(k, p, in, in_len, em);
    if (rc == XCE_OK)
        rc = apply(dev, k, prim, em, out);
    if (rc == XCE_OK)
        *out_len = k->k;
    OPENSSL_secure_clear_free(em, k->k);
    return rc;
}

int xce_rsa_sign(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *digest,
                 size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    if (!dev || !k || !p || !digest || !sig || !sig_len || !xce_rsa_key_is_private(k))
        return XCE_ERR_INVAL;
    return encode_apply(dev, k, p, sig_encode, rsa_private, digest, digest_len, sig, sig_len);
}

int xce_rsa_verify(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *digest,
                   size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    if (!dev || !k || !p || !digest || !sig)
        return XCE_ERR_INVAL;
    if (sig_len != k->k)
        return XCE_ERR_AUTH;
    uint8_t *em = malloc(2 * k->k);
    if (!em)
        return XCE_ERR_NOMEM;
    uint8_t *want = em + k->k;
    int rc = apply(dev, k, rsa_public, sig, em);
    if (rc == XCE_ERR_INVAL)
        rc = XCE_ERR_AUTH;          /* signature >= n */
    if (rc == XCE_OK) {
        switch (p->padding) {
        case XCE_RSA_PKCS1:
            rc = pkcs1_sig_encode(p->hash, digest, digest_len, want, k->k);
            if (rc == XCE_OK && CRYPTO_memcmp(em, want, k->k) != 0)
                rc = XCE_ERR_AUTH;
            break;
        case XCE_RSA_PSS:
            rc = mgf_of(p) != p->hash ? XCE_ERR_INVAL
                                      : rsa_emsa_pss_verify(p->hash, digest, digest_len, p->salt_len, k->bits, em, k->k);
            break;
        case XCE_RSA_NONE:
            rc = digest_len == k->k && CRYPTO_memcmp(em, digest, k->k) == 0 ? XCE_OK : XCE_ERR_AUTH;
            break;
        default:
            rc = XCE_ERR_INVAL;
        }
    }
    free(em);
    return rc;
}

int xce_rsa_encrypt(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in,
                    size_t in_len, uint8_t *out, size_t *out_len)
{
    if (!dev || !k || !p || (!in && in_len) || !out || !out_len)
        return XCE_ERR_INVAL;
    return encode_apply(dev, k, p, enc_encode, rsa_public, in, in_len, out, out_len);
}

int xce_rsa_decrypt(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in,
                    size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    if (!dev || !k || !p || !in || !out || !out_len || !xce_rsa_key_is_private(k))
        return XCE_ERR_INVAL;
    if (in_len != k->k)
        return XCE_ERR_INVAL;
    uint8_t *em = OPENSSL_secure_zalloc(k->k);
    if (!em)
        return XCE_ERR_NOMEM;
    int rc = apply(dev, k, rsa_private, in, em);
    if (rc == XCE_OK) {
        switch (p->padding) {
        case XCE_RSA_PKCS1:
            rc = rsa_eme_pkcs1_decode(em, k->k, out, out_cap, out_len);
            break;
        case XCE_RSA_OAEP:
            rc = rsa_eme_oaep_decode(p->hash, mgf_of(p), p->label, p->label_len, em, k->k, out, out_cap, out_len);
            break;
        case XCE_RSA_NONE:
            rc = out_cap >= k->k ? XCE_OK : XCE_ERR_INVAL;
            if (rc == XCE_OK) {
                memcpy(out, em, k->k);
                *out_len = k->k;
            }
            break;
        default:
            rc = XCE_ERR_INVAL;
        }
    }
    OPENSSL_secure_clear_free(em, k->k);
    return rc;
}

/* --- plain modular exponentiation ---------------------------------------- */

int xce_modexp(xce_dev *dev, const uint8_t *base, size_t base_len, const uint8_t *exp, size_t exp_len,
               const uint8_t *mod, size_t mod_len, uint8_t *out)
{
    if (!dev || (!base && base_len) || (!exp && exp_len) || !mod || !mod_len || !out || mod_len > 2048 ||
        exp_len > 2048 || base_len > 4096)
        return XCE_ERR_INVAL;
    BN_CTX *ctx = BN_CTX_secure_new();
    BIGNUM *b = BN_secure_new(), *e = BN_secure_new(), *m = BN_new(), *r = BN_secure_new();
    int rc = XCE_ERR_NOMEM;
    if (ctx && b && e && m && r && BN_bin2bn(base, (int)base_len, b) && BN_bin2bn(exp, (int)exp_len, e) &&
        BN_bin2bn(mod, (int)mod_len, m)) {
        rc = xce_pka_modexp(dev, r, b, e, (unsigned)(8 * exp_len), m, ctx, NULL, -1);
        if (rc == XCE_OK && BN_bn2binpad(r, out, (int)mod_len) < 0)
            rc = XCE_ERR_SOFTWARE;
    }
    BN_clear_free(b);
    BN_clear_free(e);
    BN_free(m);
    BN_clear_free(r);
    BN_CTX_free(ctx);
    return rc;
}
