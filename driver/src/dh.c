/* dh.c - Diffie-Hellman key agreement over MODP groups (the IKE groups of
 * dh_groups.c, or any group-exchange prime an SSH server offers), with the
 * exponentiations on the PKA (pka.c). The private exponent's length is the
 * caller's (priv_len bytes) and is what the engine's time depends on. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/rand.h>

#include "xce_internal.h"   /* first: xce.h's enums before xce_regs.h's macros */
#include "dh_groups.h"
#include "pka.h"

int xce_dh_group(int group, uint8_t *prime, size_t cap, size_t *prime_len, unsigned *generator)
{
    const struct xce_dh_group *g = xce_dh_group_find(group);
    if (!g || !prime_len)
        return XCE_ERR_INVAL;
    if (generator)
        *generator = g->generator;
    if (!prime) {
        *prime_len = g->bits / 8;
        return XCE_OK;
    }
    return xce_dh_prime_bytes(g, prime, cap, prime_len);
}

/* r = base^priv mod p, written as p_len bytes. */
static int dh_exp(xce_dev *dev, const BIGNUM *base, const uint8_t *priv, size_t priv_len, const BIGNUM *p,
                  size_t p_len, uint8_t *out)
{
    BN_CTX *ctx = BN_CTX_secure_new();
    BIGNUM *x = BN_secure_new(), *r = BN_secure_new();
    int rc = XCE_ERR_NOMEM;
    if (ctx && x && r && BN_bin2bn(priv, (int)priv_len, x)) {
        rc = xce_pka_modexp(dev, r, base, x, (unsigned)(8 * priv_len), p, ctx, NULL, -1);
        if (rc == XCE_OK && BN_bn2binpad(r, out, (int)p_len) < 0)
            rc = XCE_ERR_SOFTWARE;
    }
    BN_clear_free(x);
    BN_clear_free(r);
    BN_CTX_free(ctx);
    return rc;
}

/* A usable modulus: odd, at least 512 bits, at most 8192. */
static BIGNUM *dh_prime(const uint8_t *p, size_t p_len)
{
    if (!p || p_len < 64 || p_len > 1024)
        return NULL;
    BIGNUM *bp = BN_bin2bn(p, (int)p_len, NULL);
    if (bp && (!BN_is_odd(bp) || BN_num_bits(bp) < 512)) {
        BN_free(bp);
        bp = NULL;
    }
    return bp;
}

int xce_dh_generate(xce_dev *dev, const uint8_t *p, size_t p_len, unsigned g, uint8_t *priv, size_t priv_len,
                    uint8_t *pub)
{
    if (!dev || !priv || !pub || priv_len < 16 || priv_len > 1024 || g < 2)
        return XCE_ERR_INVAL;
    BIGNUM *bp = dh_prime(p, p_len), *bg = BN_new();
    int rc = XCE_ERR_INVAL;
    if (!bp || !bg || !BN_set_word(bg, g) || BN_cmp(bg, bp) >= 0)
        goto out;
    /* a random exponent; one that is 0 or 1 (probability 2^-127 and less) is drawn again */
    for (int tries = 0;; tries++) {
        if (tries == 4 || RAND_priv_bytes(priv, (int)priv_len) != 1) {
            rc = XCE_ERR_SOFTWARE;
            goto out;
        }
        size_t nz = 0;
        for (size_t i = 0; i + 1 < priv_len; i++)
            nz |= priv[i];
        if (nz || priv[priv_len - 1] > 1)
            break;
    }
    rc = dh_exp(dev, bg, priv, priv_len, bp, p_len, pub);
    if (rc != XCE_OK)
        xce_wipe(priv, priv_len);
out:
    BN_free(bp);
    BN_free(bg);
    return rc;
}

int xce_dh_compute(xce_dev *dev, const uint8_t *p, size_t p_len, const uint8_t *priv, size_t priv_len,
                   const uint8_t *peer, size_t peer_len, uint8_t *secret)
{
    if (!dev || !priv || !peer || !secret || priv_len == 0 || priv_len > 1024)
        return XCE_ERR_INVAL;
    BIGNUM *bp = dh_prime(p, p_len), *y = NULL;
    int rc = XCE_ERR_INVAL;
    if (!bp || xce_dh_check_public(peer, peer_len, p, p_len) != XCE_OK)
        goto out;
    y = BN_bin2bn(peer, (int)peer_len, NULL);
    rc = y ? dh_exp(dev, y, priv, priv_len, bp, p_len, secret) : XCE_ERR_NOMEM;
out:
    BN_free(bp);
    BN_free(y);
    return rc;
}
