/* hash.c - hash and HMAC sessions and the streaming context on top of hash
 * operations. A message goes out as whole-block requests carrying its
 * state (chaining value, bytes so far), then one final request with the
 * rest; each request may be served by the engine or in software, so a
 * fallback in the middle of a message is seamless. HMAC's inner and outer
 * states are computed once per session (RFC 2104), so every message starts
 * one block in and the engine finishes the outer hash itself. */
#include <stdlib.h>
#include <string.h>

#include "xce_internal.h"

/* Bytes buffered until a whole block or the end: the largest block. */
#define HASH_BUF 128

struct xce_hash_ctx {
    xce_session *s;
    uint8_t state[XCE_HASH_STATE_BYTES];
    uint64_t prior;          /* bytes hashed by requests already run */
    int started;             /* a request has run: the state buffer holds the chaining value */
    uint8_t buf[HASH_BUF];
    size_t buffered;
};

const char *xce_hash_name(enum xce_hash_alg alg)
{
    static const char *const names[] = { "?", "MD5", "SHA1", "SHA2-224", "SHA2-256", "SHA2-384", "SHA2-512" };
    return (unsigned)alg <= XCE_HASH_SHA512 ? names[alg] : "?";
}

int xce_hash_session_create(xce_dev *dev, const struct xce_hash_params *p, xce_session **out)
{
    dev = xce_pool_pick(dev);
    if (!dev || !p || !out || p->alg < XCE_HASH_MD5 || p->alg > XCE_HASH_SHA512 ||
        (p->hmac_key_len && !p->hmac_key))
        return XCE_ERR_INVAL;
    *out = NULL;
    struct xce_session *s = calloc(1, sizeof *s);
    if (!s)
        return XCE_ERR_NOMEM;
    s->dev = dev;
    s->is_hash = 1;
    s->hash_alg = p->alg;
    s->hmac = p->hmac_key != NULL;
    if (s->hmac)
        xce_sw_hmac_states(p->alg, p->hmac_key, p->hmac_key_len, s->hmac_inner, s->hmac_outer);
    uint32_t need = 1u << (7 + p->alg) | (s->hmac ? XCE_CAP_HMAC : 0);
    s->hw_capable = (dev->cap_algos & need) == need;
    s->ring = dev->next_ring++;   /* spread sessions over the cores */
    *out = s;
    return XCE_OK;
}

size_t xce_digest_size(const xce_session *s)
{
    return s && s->is_hash ? xce_hash_alg_digest(s->hash_alg) : 0;
}

int xce_hash_init(xce_session *s, xce_hash_ctx **out)
{
    if (!s || !s->is_hash || !out)
        return XCE_ERR_INVAL;
    xce_hash_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return XCE_ERR_NOMEM;
    c->s = s;
    if (s->hmac) {
        /* the key blocks are already in: start from the inner state */
        memcpy(c->state, s->hmac_inner, 64);
        memcpy(c->state + 64, s->hmac_outer, 64);
        c->prior = xce_hash_alg_block(s->hash_alg);
        c->started = 1;
    }
    *out = c;
    return XCE_OK;
}

/* One request of this message: len bytes from p, final or whole blocks. */
static int submit(xce_hash_ctx *c, const uint8_t *p, size_t len, int final, uint8_t *digest)
{
    for (int i = 0; i < 8; i++)
        c->state[128 + i] = (uint8_t)(c->prior >> (8 * i));
    struct xce_op op = {
        .session = c->s, .src = p, .dst = digest, .len = len, .hash_state = c->state,
        .hash_flags = (c->started ? 0 : XCE_HASH_INIT) | (final ? XCE_HASH_FINAL : 0),
    };
    xce_dev *dev = c->s->dev;
    pthread_mutex_lock(&dev->lock);
    int r = xce_run_one(dev, &op);
    pthread_mutex_unlock(&dev->lock);
    if (r == XCE_OK) {
        c->prior += len;
        c->started = 1;
    }
    return r;
}

int xce_hash_update(xce_hash_ctx *c, const void *data, size_t len)
{
    if (!c || (len && !data))
        return XCE_ERR_INVAL;
    const uint8_t *p = data;
    size_t bs = xce_hash_alg_block(c->s->hash_alg);
    int r = XCE_OK;
    if (c->buffered) {
        size_t take = bs - c->buffered < len ? bs - c->buffered : len;
        memcpy(c->buf + c->buffered, p, take);
        c->buffered += take;
        p += take;
        len -= take;
        if (c->buffered < bs)
            return XCE_OK;
        r = submit(c, c->buf, bs, 0, NULL);
        c->buffered = 0;
    }
    /* whole blocks straight from the caller's memory, a request at a time */
    while (r == XCE_OK && len >= bs) {
        size_t n = len - len % bs;
        if (n > XCE_MAX_REQUEST)
            n = XCE_MAX_REQUEST;
        r = submit(c, p, n, 0, NULL);
        p += n;
        len -= n;
    }
    if (r == XCE_OK && len) {
        memcpy(c->buf, p, len);
        c->buffered = len;
    }
    return r;
}

void xce_hash_free(xce_hash_ctx *c)
{
    if (!c)
        return;
    xce_wipe(c, sizeof *c);
    free(c);
}

int xce_hash_final(xce_hash_ctx *c, uint8_t *digest)
{
    if (!c)
        return XCE_ERR_INVAL;
    if (!digest) {
        xce_hash_free(c);   /* final always ends the context */
        return XCE_ERR_INVAL;
    }
    int r = submit(c, c->buf, c->buffered, 1, digest);
    xce_hash_free(c);
    return r;
}

int xce_hash(xce_session *s, const void *data, size_t len, uint8_t *digest)
{
    xce_hash_ctx *c;
    int r = xce_hash_init(s, &c);
    if (r != XCE_OK)
        return r;
    r = xce_hash_update(c, data, len);
    if (r != XCE_OK) {
        xce_hash_free(c);
        return r;
    }
    return xce_hash_final(c, digest);
}
