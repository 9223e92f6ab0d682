/* queue.c - sessions and the operation queue: choosing the engine or
 * software for each operation, burst enqueue with partial acceptance,
 * burst dequeue, and the synchronous helper on top. */
#include <stdlib.h>
#include <string.h>

#include "xce_internal.h"

/* The cipher half of a session (plain or chained); decrypt as given. */
int xce_cipher_session_init(struct xce_session *s, xce_dev *dev, const struct xce_cipher_params *p, int decrypt)
{
    if (!p->key)
        return XCE_ERR_INVAL;
    int aes = p->alg == XCE_ALG_AES;
    if ((unsigned)p->mode > XCE_MODE_CTR)
        return XCE_ERR_INVAL;
    if (aes ? (p->key_len != 16 && p->key_len != 24 && p->key_len != 32)
            : p->alg == XCE_ALG_DES ? p->key_len != 8
            : p->alg == XCE_ALG_3DES ? (p->key_len != 16 && p->key_len != 24) : 1)
        return XCE_ERR_INVAL;
    if (!aes && p->mode == XCE_MODE_CTR)
        return XCE_ERR_INVAL;   /* DES/3DES: ECB and CBC */
    s->dev = dev;
    s->alg = p->alg;
    s->mode = p->mode;
    s->decrypt = decrypt ? 1 : 0;
    s->key_len = p->key_len;
    memcpy(s->key, p->key, p->key_len);
    uint32_t cap = !aes ? (p->alg == XCE_ALG_DES ? XCE_CAP_DES : XCE_CAP_TDES)
                   : p->key_len == 16 ? XCE_CAP_AES128 : p->key_len == 24 ? XCE_CAP_AES192 : XCE_CAP_AES256;
    /* the engine's mode bits describe AES; DES/3DES do ECB and CBC when present */
    s->hw_capable = (dev->cap_algos & cap) && (!aes || (dev->cap_modes & (1u << p->mode)));
    s->ring = dev->next_ring++;   /* spread sessions over the cores */
    int r = xce_sw_session_init(s);
    if (r != XCE_OK)
        xce_wipe(s->key, sizeof s->key);
    return r;
}

int xce_session_create(xce_dev *dev, const struct xce_cipher_params *p, xce_session **out)
{
    dev = xce_pool_pick(dev);
    if (!dev || !p || !out)
        return XCE_ERR_INVAL;
    *out = NULL;
    struct xce_session *s = calloc(1, sizeof *s);
    if (!s)
        return XCE_ERR_NOMEM;
    int r = xce_cipher_session_init(s, dev, p, p->decrypt);
    if (r != XCE_OK) {
        free(s);
        return r;
    }
    *out = s;
    return XCE_OK;
}

void xce_session_destroy(xce_session *s)
{
    if (!s)
        return;
    xce_sw_session_free(s);
    xce_wipe(s, sizeof *s);
    free(s);
}

void xce_done_push(xce_dev *dev, struct xce_op *op)
{
    op->priv_next = NULL;
    if (dev->done_tail)
        dev->done_tail->priv_next = op;
    else
        dev->done_head = op;
    dev->done_tail = op;
    dev->done_count++;
}

static void done_remove(xce_dev *dev, struct xce_op *op)
{
    struct xce_op **pp = &dev->done_head, *prev = NULL;
    while (*pp && *pp != op) {
        prev = *pp;
        pp = &(*pp)->priv_next;
    }
    if (!*pp)
        return;
    *pp = op->priv_next;
    if (dev->done_tail == op)
        dev->done_tail = prev;
    dev->done_count--;
}

/* Serve op in software, counted under reason; under the hardware policy
 * the reason is reported as the operation's error instead. */
void xce_complete_sw(xce_dev *dev, struct xce_op *op, enum xce_fallback reason)
{
    if (dev->policy == XCE_POLICY_HARDWARE) {
        op->status = reason == XCE_FB_ENGINE_TIMEOUT ? XCE_ERR_TIMEOUT
                     : reason == XCE_FB_ENGINE_ERROR ? XCE_ERR_ENGINE
                     : reason == XCE_FB_QUEUE_FULL ? XCE_ERR_BUSY : XCE_ERR_UNSUPPORTED;
        op->path = XCE_PATH_NONE;
    } else if (op->session->chain) {
        op->status = xce_sw_chain(op->session, op);
        op->path = XCE_PATH_SOFTWARE;
        dev->st.sw_requests++;
        dev->st.sw_bytes += op->len;
        dev->st.fallback[reason]++;
    } else if (op->session->is_hash) {
        op->status = xce_sw_hash(op->session->hash_alg, op->hash_flags | (op->session->hmac ? XCE_HASH_HMAC : 0),
                                 op->hash_state, op->src, op->len, op->dst);
        op->path = XCE_PATH_SOFTWARE;
        dev->st.sw_requests++;
        dev->st.sw_bytes += op->len;
        dev->st.fallback[reason]++;
    } else {
        op->status = xce_sw_cipher(op->session, op->iv, op->src, op->dst, op->len);
        op->path = XCE_PATH_SOFTWARE;
        dev->st.sw_requests++;
        dev->st.sw_bytes += op->len;
        dev->st.fallback[reason]++;
    }
    xce_done_push(dev, op);
}

static int op_valid(const struct xce_op *op, xce_dev *dev)
{
    const struct xce_session *s = op->session;
    if (!s || s->dev != dev || op->len > XCE_MAX_REQUEST || (op->len && !op->src))
        return 0;
    if (s->chain) {
        size_t bs = xce_block_size(s);
        return op->dst && op->aad_len <= op->len && op->aad_len <= 0xffff &&
               (s->mode == XCE_MODE_CTR || (op->len - op->aad_len) % bs == 0);
    }
    if (s->is_hash) {
        int final = (op->hash_flags & XCE_HASH_FINAL) != 0;
        return op->hash_state && (op->hash_flags & ~(XCE_HASH_INIT | XCE_HASH_FINAL)) == 0 &&
               (!final || op->dst) && (final || op->len % xce_hash_alg_block(s->hash_alg) == 0);
    }
    if (op->len && !op->dst)
        return 0;
    return s->mode == XCE_MODE_CTR || op->len % xce_block_size(s) == 0;
}

/* Why op cannot go to the engine, or -1 if it can. */
static int software_reason(xce_dev *dev, const struct xce_op *op)
{
    if (!dev->engine_present)
        return XCE_FB_NO_DEVICE;
    if (dev->policy == XCE_POLICY_SOFTWARE || !dev->accel_enabled)
        return XCE_FB_DISABLED;
    if (!dev->engine_ok)
        return dev->unusable_reason;
    if (!op->session->hw_capable)
        return XCE_FB_ALG_UNSUPPORTED;
    if (dev->policy == XCE_POLICY_AUTO && op->len < dev->crossover)
        return XCE_FB_BELOW_CROSSOVER;
    return -1;
}

/* Lock held. Returns 1 if taken, 0 if the queue is full (hardware policy). */
static int enqueue_one(xce_dev *dev, struct xce_op *op, int *rang)
{
    op->path = XCE_PATH_NONE;
    op->status = XCE_OK;
    int why = software_reason(dev, op);
    if (why < 0) {
        if (xce_ring_submit(dev, op) == XCE_OK) {
            *rang = 1;
            return 1;
        }
        if (dev->policy == XCE_POLICY_HARDWARE)
            return 0;
        why = XCE_FB_QUEUE_FULL;
    }
    xce_complete_sw(dev, op, (enum xce_fallback)why);
    return 1;
}

unsigned xce_enqueue_burst(xce_dev *dev, struct xce_op **ops, unsigned n)
{
    if (!dev || !ops)
        return 0;
    if (dev->nmembers)
        return xce_pool_enqueue(dev, ops, n);
    unsigned taken = 0;
    int rang = 0;
    pthread_mutex_lock(&dev->lock);
    for (; taken < n; taken++) {
        struct xce_op *op = ops[taken];
        if (!op)
            break;
        if (!op_valid(op, dev)) {
            op->status = XCE_ERR_INVAL;
            op->path = XCE_PATH_NONE;
            break;
        }
        if (!enqueue_one(dev, op, &rang))
            break;
    }
    if (rang)
        xce_ring_doorbell(dev);
    pthread_mutex_unlock(&dev->lock);
    return taken;
}

unsigned xce_dequeue_burst(xce_dev *dev, struct xce_op **ops, unsigned max)
{
    if (!dev || !ops || max == 0)
        return 0;
    if (dev->nmembers)
        return xce_pool_dequeue(dev, ops, max);
    return xce_dequeue_ready(dev, ops, max, 1);
}

/* Finished operations; with wait, wait for the engine if none is ready. */
unsigned xce_dequeue_ready(xce_dev *dev, struct xce_op **ops, unsigned max, int wait)
{
    pthread_mutex_lock(&dev->lock);
    if (!dev->done_head)
        xce_ring_poll(dev, wait);
    unsigned n = 0;
    while (n < max && dev->done_head) {
        struct xce_op *op = dev->done_head;
        done_remove(dev, op);
        ops[n++] = op;
    }
    pthread_mutex_unlock(&dev->lock);
    return n;
}

unsigned xce_pending(xce_dev *dev)
{
    if (!dev)
        return 0;
    unsigned n = 0;
    for (unsigned i = 0; i < dev->nmembers; i++)
        n += xce_pending(dev->members[i]);
    pthread_mutex_lock(&dev->lock);
    n += dev->inflight + dev->done_count;
    pthread_mutex_unlock(&dev->lock);
    return n;
}

static int op_done(xce_dev *dev, struct xce_op *op)
{
    for (struct xce_op *p = dev->done_head; p; p = p->priv_next)
        if (p == op)
            return 1;
    return 0;
}

/* Lock held: run one operation to completion, leaving other callers'
 * completions queued. force_engine bypasses the policy (self-test). */
static int run_one(xce_dev *dev, struct xce_op *op, int force_engine)
{
    int rang = 0;
    if (!op_valid(op, dev)) {
        op->status = XCE_ERR_INVAL;   /* the same checks as a burst */
        return XCE_ERR_INVAL;
    }
    if (force_engine) {
        op->path = XCE_PATH_NONE;
        if (xce_ring_submit(dev, op) != XCE_OK)
            return XCE_ERR_BUSY;
        xce_ring_doorbell(dev);
    } else {
        while (!enqueue_one(dev, op, &rang)) {
            /* hardware policy and a full queue: let it drain */
            if (dev->inflight == 0)
                return XCE_ERR_BUSY;
            xce_ring_poll(dev, 1);
        }
        if (rang)
            xce_ring_doorbell(dev);
    }
    while (!op_done(dev, op))
        xce_ring_poll(dev, 1);
    done_remove(dev, op);
    return op->status;
}

int xce_engine_run(xce_dev *dev, struct xce_op *op)
{
    return run_one(dev, op, 1);
}

int xce_run_one(xce_dev *dev, struct xce_op *op)
{
    return run_one(dev, op, 0);
}

int xce_cipher(xce_session *s, const uint8_t iv_in[16], const uint8_t *in, uint8_t *out, size_t len)
{
    if (!s || s->is_hash || s->chain || (len && (!in || !out)) || (s->mode != XCE_MODE_ECB && !iv_in))
        return XCE_ERR_INVAL;
    size_t bs = xce_block_size(s);
    if (s->mode != XCE_MODE_CTR && len % bs)
        return XCE_ERR_INVAL;
    xce_dev *dev = s->dev;
    uint8_t iv[16] = { 0 };
    if (iv_in)
        memcpy(iv, iv_in, 16);
    int r = XCE_OK;
    pthread_mutex_lock(&dev->lock);
    do {
        size_t n = len > XCE_MAX_REQUEST ? XCE_MAX_REQUEST : len;
        struct xce_op op = { .session = s, .src = in, .dst = out, .len = n };
        memcpy(op.iv, iv, 16);
        /* CBC decryption in place needs the last input block before it is overwritten */
        uint8_t last_in[16];
        if (n >= bs)
            memcpy(last_in, in + n - bs, bs);
        r = run_one(dev, &op, 0);
        if (r != XCE_OK)
            break;
        if (n >= bs)
            xce_iv_advance(s, iv, last_in - (n - bs), out, n);
        in += n;
        out += n;
        len -= n;
    } while (len > 0);
    pthread_mutex_unlock(&dev->lock);
    xce_wipe(iv, sizeof iv);
    return r;
}

size_t xce_block_size(const xce_session *s)
{
    if (s && s->is_hash && !s->chain)
        return xce_hash_alg_block(s->hash_alg);
    return s && s->alg != XCE_ALG_AES ? 8 : 16;
}

void xce_iv_advance(const xce_session *s, uint8_t iv[16], const uint8_t *in, const uint8_t *out, size_t len)
{
    size_t bs = xce_block_size(s);
    if (!s || len < bs)
        return;
    switch (s->mode) {
    case XCE_MODE_CBC:
        memcpy(iv, (s->decrypt ? in : out) + len - bs, bs);
        break;
    case XCE_MODE_CTR: {
        uint64_t blocks = len / 16;
        for (int i = 15; i >= 0 && blocks; i--) {
            uint64_t sum = (uint64_t)iv[i] + (blocks & 0xff);
            iv[i] = (uint8_t)sum;
            blocks = (blocks >> 8) + (sum >> 8);
        }
        break;
    }
    default:
        break;
    }
}
