/* chain.c - cipher and MAC in one request: sessions, the software path with
 * the engine's exact semantics, and the synchronous helper. ESP and SSH
 * records go out as one descriptor each; whichever path serves it, the
 * result and the ICV are the same, a mismatch is XCE_ERR_AUTH and (for
 * verify-then-decrypt) nothing is written. */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "xce_internal.h"

int xce_chain_session_create(xce_dev *dev, const struct xce_chain_params *p, xce_session **out)
{
    dev = xce_pool_pick(dev);
    if (!dev || !p || !out || p->order < XCE_CHAIN_ENC_MAC || p->order > XCE_CHAIN_DEC_MAC ||
        p->mac.alg < XCE_HASH_MD5 || p->mac.alg > XCE_HASH_SHA512 || p->icv_len == 0 ||
        p->icv_len > xce_hash_alg_digest(p->mac.alg) || (p->mac.hmac_key_len && !p->mac.hmac_key))
        return XCE_ERR_INVAL;
    *out = NULL;
    struct xce_session *s = calloc(1, sizeof *s);
    if (!s)
        return XCE_ERR_NOMEM;
    int decrypt = p->order == XCE_CHAIN_MAC_DEC || p->order == XCE_CHAIN_DEC_MAC;
    int r = xce_cipher_session_init(s, dev, &p->cipher, decrypt);
    if (r != XCE_OK) {
        free(s);
        return r;
    }
    s->chain = p->order;
    s->icv_len = p->icv_len;
    s->hash_alg = p->mac.alg;
    s->hmac = p->mac.hmac_key != NULL;
    if (s->hmac)
        xce_sw_hmac_states(p->mac.alg, p->mac.hmac_key, p->mac.hmac_key_len, s->hmac_inner, s->hmac_outer);
    uint32_t need = 1u << (7 + p->mac.alg) | (s->hmac ? XCE_CAP_HMAC : 0);
    s->hw_capable = s->hw_capable && (dev->cap_algos & need) == need;
    *out = s;
    return XCE_OK;
}

/* The session's MAC over len bytes of p. */
static int mac(const struct xce_session *s, const uint8_t *p, size_t len, uint8_t md[64])
{
    uint8_t state[XCE_HASH_STATE_BYTES] = { 0 };
    unsigned flags = XCE_HASH_FINAL;
    if (s->hmac) {
        memcpy(state, s->hmac_inner, 64);
        memcpy(state + 64, s->hmac_outer, 64);
        state[128] = (uint8_t)xce_hash_alg_block(s->hash_alg);
        flags |= XCE_HASH_HMAC;
    } else {
        flags |= XCE_HASH_INIT;
    }
    int r = xce_sw_hash(s->hash_alg, flags, state, p, len, md);
    xce_wipe(state, sizeof state);
    return r;
}

int xce_sw_chain(struct xce_session *s, struct xce_op *op)
{
    size_t aad = op->aad_len, plen = op->len - aad;
    uint8_t md[64];
    int r = XCE_OK;
    int mac_first = s->chain == XCE_CHAIN_MAC_DEC || s->chain == XCE_CHAIN_MAC_ENC;
    int verify = s->chain == XCE_CHAIN_MAC_DEC || s->chain == XCE_CHAIN_DEC_MAC;
    /* decrypt-then-verify works on a copy, so a mismatch writes nothing,
     * as on the engine */
    uint8_t *out = op->dst;
    if (s->chain == XCE_CHAIN_DEC_MAC && !(out = malloc(op->len ? op->len : 1)))
        return XCE_ERR_NOMEM;
    if (mac_first) {
        r = mac(s, op->src, op->len, md);
        if (r == XCE_OK && verify && CRYPTO_memcmp(md, op->src + op->len, s->icv_len) != 0)
            r = XCE_ERR_AUTH;   /* before anything is written */
    }
    if (r == XCE_OK) {
        if (aad && out != op->src)
            memmove(out, op->src, aad);
        r = xce_sw_cipher(s, op->iv, op->src + aad, out + aad, plen);
    }
    if (r == XCE_OK && !mac_first) {
        r = mac(s, out, op->len, md);
        if (r == XCE_OK && verify && CRYPTO_memcmp(md, op->src + op->len, s->icv_len) != 0)
            r = XCE_ERR_AUTH;
    }
    if (r == XCE_OK && !verify)
        memcpy(op->dst + op->len, md, s->icv_len);
    if (out != op->dst) {
        if (r == XCE_OK)
            memcpy(op->dst, out, op->len);
        xce_wipe(out, op->len);
        free(out);
    }
    xce_wipe(md, sizeof md);
    return r;
}

int xce_chain(xce_session *s, const uint8_t iv[16], const uint8_t *src, uint8_t *dst, size_t len, size_t aad_len)
{
    if (!s || !s->chain || !src || !dst || (s->mode != XCE_MODE_ECB && !iv))
        return XCE_ERR_INVAL;
    struct xce_op op = { .session = s, .src = src, .dst = dst, .len = len, .aad_len = aad_len };
    if (iv)
        memcpy(op.iv, iv, 16);
    xce_dev *dev = s->dev;
    pthread_mutex_lock(&dev->lock);
    int r = xce_run_one(dev, &op);
    pthread_mutex_unlock(&dev->lock);
    return r;
}
