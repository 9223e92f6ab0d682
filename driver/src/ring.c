/* ring.c - the engine's command and completion rings, one pair per core.
 *
 * Each request gets a slot on its session's ring and a bounce buffer in the
 * DMA arena (key, IV, payload in place). The tag in a descriptor is
 * slot | ring << 6 | gen << 8, so a completion for a slot that was since
 * reused, or a corrupted record, is recognised and never completes the
 * wrong operation. Anything the
 * engine gets wrong (error status, bad record, no answer in time) ends in
 * the request being re-run in software, counted under its reason; a bad
 * record or a timeout also resets the engine, since its state is then
 * unknown.
 */
#include <string.h>

#include "xce_internal.h"

#define RING_CMD_BYTES (XCE_RING_N * XCE_DESC_BYTES)
#define RING_CPL_BYTES (XCE_RING_N * XCE_CPL_BYTES)
#define RING_PAIR_BYTES (RING_CMD_BYTES + RING_CPL_BYTES)

static uint8_t *cmd_va(xce_dev *dev, unsigned r) { return dev->ring_va + (size_t)r * RING_PAIR_BYTES; }
static uint8_t *cpl_va(xce_dev *dev, unsigned r) { return cmd_va(dev, r) + RING_CMD_BYTES; }

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A 64-bit bus address into a descriptor's LO/HI word pair (HI follows LO). */
static void put_addr(uint8_t *d, unsigned lo_word, uint64_t addr)
{
    put32(d + 4 * lo_word, (uint32_t)addr);
    put32(d + 4 * (lo_word + 1), (uint32_t)(addr >> 32));
}

static uint32_t get32(const volatile uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr(xce_dev *dev, uint32_t off, uint32_t v) { dev->be.write32(dev->be.ctx, off, v); }
static uint32_t rd(xce_dev *dev, uint32_t off) { return dev->be.read32(dev->be.ctx, off); }

static void program_engine(xce_dev *dev)
{
    wr(dev, XCE_REG_CTRL, 0);
    wr(dev, XCE_REG_WIN_BASE_LO(0), (uint32_t)dev->arena.bus);
    wr(dev, XCE_REG_WIN_BASE_HI(0), (uint32_t)(dev->arena.bus >> 32));
    wr(dev, XCE_REG_WIN_SIZE_LO(0), XCE_ARENA_PAGES * XCE_ARENA_PAGE);
    wr(dev, XCE_REG_WIN_SIZE_HI(0), 0);
    wr(dev, XCE_REG_WIN_BASE_LO(1), (uint32_t)dev->ring_bus);
    wr(dev, XCE_REG_WIN_BASE_HI(1), (uint32_t)(dev->ring_bus >> 32));
    wr(dev, XCE_REG_WIN_SIZE_LO(1), (uint32_t)dev->ring_size);
    wr(dev, XCE_REG_WIN_SIZE_HI(1), 0);
    for (unsigned r = 0; r < dev->nrings; r++) {
        uint64_t cmd_bus = dev->ring_bus + (uint64_t)r * RING_PAIR_BYTES, cpl_bus = cmd_bus + RING_CMD_BYTES;
        wr(dev, XCE_REG_CMD_BASE_LO(r), (uint32_t)cmd_bus);
        wr(dev, XCE_REG_CMD_BASE_HI(r), (uint32_t)(cmd_bus >> 32));
        wr(dev, XCE_REG_CMD_SIZE_LOG2(r), XCE_RING_LOG2);
        wr(dev, XCE_REG_CMD_PROD(r), 0);
        wr(dev, XCE_REG_CPL_BASE_LO(r), (uint32_t)cpl_bus);
        wr(dev, XCE_REG_CPL_BASE_HI(r), (uint32_t)(cpl_bus >> 32));
        wr(dev, XCE_REG_CPL_SIZE_LOG2(r), XCE_RING_LOG2);
        wr(dev, XCE_REG_CPL_CONS(r), 0);
        dev->ring[r].prod = 0;
        dev->ring[r].cpl_cons = 0;
        dev->ring[r].cpl_phase = 1;
    }
    wr(dev, XCE_REG_INT_COAL_COUNT, 1);
    wr(dev, XCE_REG_INT_COAL_CYCLES, 256);
    wr(dev, XCE_REG_INT_MASK, (1u << XCE_INT_MASK_CPL_SHIFT) | (1u << XCE_INT_MASK_ERR_SHIFT));
    wr(dev, XCE_REG_CTRL, 1u << XCE_CTRL_ENABLE_SHIFT);
}

int xce_ring_setup(xce_dev *dev)
{
    dev->nrings = dev->rings < 1 ? 1 : dev->rings > XCE_MAX_RINGS ? XCE_MAX_RINGS : dev->rings;
    dev->ring_size = (size_t)dev->nrings * RING_PAIR_BYTES;
    dev->ring_va = dev->be.dma_alloc(dev->be.ctx, dev->ring_size, &dev->ring_bus);
    dev->arena.va = dev->be.dma_alloc(dev->be.ctx, (size_t)XCE_ARENA_PAGES * XCE_ARENA_PAGE, &dev->arena.bus);
    if (!dev->ring_va || !dev->arena.va) {
        xce_ring_teardown(dev);
        return XCE_ERR_NOMEM;
    }
    memset(dev->arena.used, 0, sizeof dev->arena.used);
    dev->arena_ok = 1;
    program_engine(dev);
    return XCE_OK;
}

void xce_ring_teardown(xce_dev *dev)
{
    if (dev->have_backend && dev->engine_present)
        wr(dev, XCE_REG_CTRL, 0);
    if (dev->arena.va) {
        xce_wipe(dev->arena.va, (size_t)XCE_ARENA_PAGES * XCE_ARENA_PAGE);
        dev->be.dma_free(dev->be.ctx, dev->arena.va, (size_t)XCE_ARENA_PAGES * XCE_ARENA_PAGE);
    }
    if (dev->ring_va)
        dev->be.dma_free(dev->be.ctx, dev->ring_va, dev->ring_size);
    dev->arena.va = NULL;
    dev->ring_va = NULL;
    dev->arena_ok = 0;
}

static void release_slot(xce_dev *dev, struct xce_ring *rg, struct xce_slot *sl)
{
    xce_wipe(sl->buf, XCE_BUF_HDATA);   /* key and IV, or hash state (the larger) */
    xce_arena_free(&dev->arena, sl->buf);
    sl->op = NULL;
    sl->buf = NULL;
    rg->inflight--;
    dev->inflight--;
}

/* The key as the engine reads it: 3DES always K1 K2 K3. */
static void stage_key(const struct xce_session *s, uint8_t *at)
{
    memcpy(at, s->key, s->key_len);
    if (s->alg == XCE_ALG_3DES && s->key_len == 16)
        memcpy(at + 16, s->key, 8);   /* two-key 3DES: K3 = K1 */
}

/* CTRL bits naming the session's cipher. */
static uint32_t cipher_bits(const struct xce_session *s)
{
    return (uint32_t)s->alg << XCE_DESC_CTRL_ALG_SHIFT | (uint32_t)s->mode << XCE_DESC_CTRL_MODE_SHIFT |
           (uint32_t)(s->decrypt ? 1 : 0) << XCE_DESC_CTRL_DECRYPT_SHIFT |
           (uint32_t)(s->alg == XCE_ALG_AES ? s->key_len / 8 - 2 : 0) << XCE_DESC_CTRL_KEY_LEN_SHIFT;
}

/* Fill the bounce buffer and the descriptor words particular to each
 * kind of request; returns the descriptor's CTRL word. */
static uint32_t stage_cipher(const struct xce_op *op, uint8_t *buf, uint64_t bus, uint8_t *d)
{
    const struct xce_session *s = op->session;
    memset(buf, 0, XCE_BUF_DATA);
    stage_key(s, buf + XCE_BUF_KEY);
    memcpy(buf + XCE_BUF_IV, op->iv, 16);
    if (op->len)
        memcpy(buf + XCE_BUF_DATA, op->src, op->len);
    uint64_t data = bus + XCE_BUF_DATA, key = bus + XCE_BUF_KEY, iv = bus + XCE_BUF_IV;
    put_addr(d, XCE_DESC_SRC_LO_WORD, data);
    put_addr(d, XCE_DESC_DST_LO_WORD, data);
    put_addr(d, XCE_DESC_KEY_LO_WORD, key);
    put_addr(d, XCE_DESC_IV_LO_WORD, iv);
    return (uint32_t)XCE_OPCODE_CIPHER << XCE_DESC_CTRL_OPCODE_SHIFT | cipher_bits(s);
}

static uint32_t stage_hash(const struct xce_op *op, uint8_t *buf, uint64_t bus, uint8_t *d)
{
    const struct xce_session *s = op->session;
    memset(buf, 0, XCE_BUF_HDATA);
    memcpy(buf + XCE_BUF_HSTATE, op->hash_state, XCE_HASH_STATE_BYTES);
    if (op->len)
        memcpy(buf + XCE_BUF_HDATA, op->src, op->len);
    uint64_t data = bus + XCE_BUF_HDATA, digest = bus + XCE_BUF_HDIGEST, state = bus + XCE_BUF_HSTATE;
    uint32_t hw = (uint32_t)s->hash_alg << XCE_DESC_HASH_ALG_SHIFT |
                  (uint32_t)(s->hmac ? 1 : 0) << XCE_DESC_HASH_HMAC_SHIFT |
                  (uint32_t)(op->hash_flags & XCE_HASH_INIT ? 1 : 0) << XCE_DESC_HASH_INIT_SHIFT |
                  (uint32_t)(op->hash_flags & XCE_HASH_FINAL ? 1 : 0) << XCE_DESC_HASH_FINAL_SHIFT;
    put32(d + 4 * XCE_DESC_HASH_WORD, hw);
    put_addr(d, XCE_DESC_SRC_LO_WORD, data);
    put_addr(d, XCE_DESC_DST_LO_WORD, digest);
    put_addr(d, XCE_DESC_STATE_LO_WORD, state);
    return (uint32_t)XCE_OPCODE_HASH << XCE_DESC_CTRL_OPCODE_SHIFT;
}

static uint32_t stage_chain(const struct xce_op *op, uint8_t *buf, uint64_t bus, uint8_t *d)
{
    const struct xce_session *s = op->session;
    int verify = s->chain == XCE_CHAIN_MAC_DEC || s->chain == XCE_CHAIN_DEC_MAC;
    memset(buf, 0, XCE_BUF_CDATA);
    if (s->hmac) {
        memcpy(buf + XCE_BUF_HSTATE, s->hmac_inner, 64);
        memcpy(buf + XCE_BUF_HSTATE + 64, s->hmac_outer, 64);
        buf[XCE_BUF_HSTATE + 128] = (uint8_t)xce_hash_alg_block(s->hash_alg);
    }
    stage_key(s, buf + XCE_BUF_CKEY);
    memcpy(buf + XCE_BUF_CIV, op->iv, 16);
    memcpy(buf + XCE_BUF_CDATA, op->src, op->len + (verify ? s->icv_len : 0));
    uint64_t data = bus + XCE_BUF_CDATA, key = bus + XCE_BUF_CKEY, iv = bus + XCE_BUF_CIV;
    uint64_t state = bus + XCE_BUF_HSTATE;
    put32(d + 4 * XCE_DESC_HASH_WORD, (uint32_t)s->hash_alg << XCE_DESC_HASH_ALG_SHIFT |
                                          (uint32_t)(s->hmac ? 1 : 0) << XCE_DESC_HASH_HMAC_SHIFT |
                                          (uint32_t)(s->hmac ? 0 : 1) << XCE_DESC_HASH_INIT_SHIFT |
                                          1u << XCE_DESC_HASH_FINAL_SHIFT);
    put32(d + 4 * XCE_DESC_CHAIN_WORD, (uint32_t)op->aad_len << XCE_DESC_CHAIN_AAD_LEN_SHIFT |
                                           (uint32_t)s->icv_len << XCE_DESC_CHAIN_ICV_LEN_SHIFT);
    put_addr(d, XCE_DESC_SRC_LO_WORD, data);
    put_addr(d, XCE_DESC_DST_LO_WORD, data);
    put_addr(d, XCE_DESC_KEY_LO_WORD, key);
    put_addr(d, XCE_DESC_IV_LO_WORD, iv);
    put_addr(d, XCE_DESC_STATE_LO_WORD, state);
    /* the engine takes the direction from the order */
    return (uint32_t)s->chain << XCE_DESC_CTRL_OPCODE_SHIFT | cipher_bits(s);
}

int xce_ring_submit(xce_dev *dev, struct xce_op *op)
{
    unsigned r = op->session->ring % dev->nrings;
    struct xce_ring *rg = &dev->ring[r];
    uint32_t slot = rg->prod;
    struct xce_slot *sl = &rg->slots[slot];
    if (rg->inflight >= XCE_RING_N - 1 || sl->op)
        return XCE_ERR_BUSY;
    int hash = op->session->is_hash, chain = op->session->chain;
    size_t head = chain ? XCE_BUF_CDATA : hash ? XCE_BUF_HDATA : XCE_BUF_DATA;
    uint8_t *buf;
    uint64_t bus;
    if (xce_arena_alloc(&dev->arena, head + op->len + (chain ? XCE_ICV_MAX : 0), &buf, &bus) != XCE_OK)
        return XCE_ERR_BUSY;
    sl->gen = (sl->gen + 1) & 0xffffff;
    sl->op = op;
    sl->buf = buf;

    uint8_t *d = cmd_va(dev, r) + (size_t)slot * XCE_DESC_BYTES;
    memset(d, 0, XCE_DESC_BYTES);
    uint32_t ctrl = chain ? stage_chain(op, buf, bus, d) : hash ? stage_hash(op, buf, bus, d)
                                                                : stage_cipher(op, buf, bus, d);
    put32(d + 4 * XCE_DESC_CTRL_WORD, ctrl | 1u << XCE_DESC_CTRL_IRQ_SHIFT);
    put32(d + 4 * XCE_DESC_TAG_WORD, slot | r << 6 | sl->gen << 8);
    put32(d + 4 * XCE_DESC_LEN_WORD, (uint32_t)op->len);

    if (rg->inflight == 0)
        rg->last_progress = dev->be.now(dev->be.ctx);
    rg->inflight++;
    dev->inflight++;
    rg->prod = (slot + 1) & (XCE_RING_N - 1);
    return XCE_OK;
}

void xce_ring_doorbell(xce_dev *dev)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);   /* descriptors before the doorbell */
    for (unsigned r = 0; r < dev->nrings; r++)
        if (dev->ring[r].inflight)
            wr(dev, XCE_REG_CMD_PROD(r), dev->ring[r].prod);
}

/* Bring the engine back to a clean state, then re-run everything that was
 * in flight in software. The reset comes first so the engine can no longer
 * write into bounce buffers that are about to be freed. */
int xce_ring_reset(xce_dev *dev, enum xce_fallback reason)
{
    wr(dev, XCE_REG_CTRL, 1u << XCE_CTRL_SOFT_RESET_SHIFT);
    /* let in-flight bus traffic drain before the rings are reused */
    for (int tries = 0; tries < 100 && (rd(dev, XCE_REG_STATUS) >> XCE_STATUS_BUSY_SHIFT & 1); tries++)
        dev->be.wait(dev->be.ctx, 64);
    wr(dev, XCE_REG_INT_STATUS, rd(dev, XCE_REG_INT_STATUS));
    memset(dev->ring_va, 0, dev->ring_size);
    dev->st.resets++;
    for (unsigned r = 0; r < dev->nrings; r++) {
        struct xce_ring *rg = &dev->ring[r];
        for (unsigned i = 0; i < XCE_RING_N; i++) {
            /* oldest first: the ring head is the next completion expected */
            struct xce_slot *sl = &rg->slots[(rg->cpl_cons + i) & (XCE_RING_N - 1)];
            if (!sl->op)
                continue;
            struct xce_op *op = sl->op;
            release_slot(dev, rg, sl);
            xce_complete_sw(dev, op, reason);
        }
    }
    program_engine(dev);
    return XCE_OK;
}

static uint64_t timeout_for(xce_dev *dev, const struct xce_ring *rg)
{
    /* the request at the head of the ring is the one the engine owes */
    size_t len = 0;
    for (unsigned i = 0; i < XCE_RING_N; i++) {
        const struct xce_slot *sl = &rg->slots[(rg->cpl_cons + i) & (XCE_RING_N - 1)];
        if (sl->op) {
            len = sl->op->len;
            break;
        }
    }
    return dev->be.timeout_base + dev->be.timeout_per_byte * len;
}

static void finish(xce_dev *dev, struct xce_ring *rg, struct xce_slot *sl, int auth_failed)
{
    struct xce_op *op = sl->op;
    const struct xce_session *s = op->session;
    if (s->chain) {
        /* on a MAC mismatch nothing reaches the caller's buffer */
        int verify = s->chain == XCE_CHAIN_MAC_DEC || s->chain == XCE_CHAIN_DEC_MAC;
        if (!auth_failed)
            memcpy(op->dst, sl->buf + XCE_BUF_CDATA, op->len + (verify ? 0 : s->icv_len));
        xce_wipe(sl->buf, XCE_BUF_CDATA + op->len + XCE_ICV_MAX);
    } else if (!op->session->is_hash) {
        if (op->len)
            memcpy(op->dst, sl->buf + XCE_BUF_DATA, op->len);
        xce_wipe(sl->buf + XCE_BUF_DATA, op->len);
    } else if (op->hash_flags & XCE_HASH_FINAL) {
        memcpy(op->dst, sl->buf + XCE_BUF_HDIGEST, xce_digest_size(op->session));
        xce_wipe(sl->buf, XCE_BUF_HDATA + op->len);
    } else {
        memcpy(op->hash_state, sl->buf + XCE_BUF_HSTATE, 64);
        xce_wipe(sl->buf, XCE_BUF_HDATA + op->len);
    }
    release_slot(dev, rg, sl);
    op->status = auth_failed ? XCE_ERR_AUTH : XCE_OK;
    op->path = XCE_PATH_ENGINE;
    dev->st.hw_requests++;
    dev->st.hw_bytes += op->len;
    xce_done_push(dev, op);
}

/* Take every new completion record of ring r. Returns -1 if a record was
 * bad or reported an error: the engine's state is then suspect, and the
 * caller resets it, which re-runs that request and all after it in software. */
static int harvest_ring(xce_dev *dev, unsigned r)
{
    struct xce_ring *rg = &dev->ring[r];
    while (rg->inflight) {
        const uint8_t *rec = cpl_va(dev, r) + (size_t)rg->cpl_cons * XCE_CPL_BYTES;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t status = get32(rec + 4 * XCE_CPL_STATUS_WORD);
        if ((status >> XCE_CPL_STATUS_PHASE_SHIFT & 1) != rg->cpl_phase)
            return 0;
        uint32_t tag = get32(rec + 4 * XCE_CPL_TAG_WORD);
        uint32_t len = get32(rec + 4 * XCE_CPL_LEN_WORD);
        uint32_t check = get32(rec + 4 * XCE_CPL_CHECK_WORD);
        uint32_t slot = tag & 0x3f, ring = tag >> 6 & 3, gen = tag >> 8;
        uint32_t code = status >> XCE_CPL_STATUS_CODE_SHIFT & XCE_CPL_STATUS_CODE_MASK;
        struct xce_slot *sl = &rg->slots[slot];
        if (check != (tag ^ status ^ len ^ XCE_CPL_CHECK_SALT) || ring != r || !sl->op || sl->gen != gen)
            return -1;
        /* a MAC mismatch is an answer, not an engine fault */
        int auth_failed = code == XCE_STATUS_AUTH_FAIL && sl->op->session->chain;
        if ((code != XCE_STATUS_OK && !auth_failed) || (!auth_failed && len != sl->op->len))
            return -1;
        finish(dev, rg, sl, auth_failed);
        rg->cpl_cons = (rg->cpl_cons + 1) & (XCE_RING_N - 1);
        if (rg->cpl_cons == 0)
            rg->cpl_phase ^= 1;
        wr(dev, XCE_REG_CPL_CONS(r), rg->cpl_cons);
        rg->last_progress = dev->be.now(dev->be.ctx);
    }
    return 0;
}

static int harvest(xce_dev *dev)
{
    for (unsigned r = 0; r < dev->nrings; r++)
        if (harvest_ring(dev, r) < 0)
            return -1;
    return 0;
}

/* A ring whose head request is overdue. */
static int overdue(xce_dev *dev)
{
    uint64_t now = dev->be.now(dev->be.ctx);
    for (unsigned r = 0; r < dev->nrings; r++) {
        const struct xce_ring *rg = &dev->ring[r];
        if (rg->inflight && now - rg->last_progress > timeout_for(dev, rg))
            return 1;
    }
    return 0;
}

void xce_ring_poll(xce_dev *dev, int wait)
{
    if (dev->inflight == 0)
        return;
    if (harvest(dev) < 0) {
        dev->st.engine_errors++;
        xce_ring_reset(dev, XCE_FB_ENGINE_ERROR);
        return;
    }
    while (wait && dev->inflight && !dev->done_head) {
        if (dev->be.wait(dev->be.ctx, dev->be.wait_slice)) {
            uint32_t cause = rd(dev, XCE_REG_INT_STATUS);
            wr(dev, XCE_REG_INT_STATUS, cause);   /* write 1 to clear */
            if (rd(dev, XCE_REG_STATUS) >> XCE_STATUS_RING_ERROR_SHIFT & 1) {
                dev->st.engine_errors++;
                xce_ring_reset(dev, XCE_FB_ENGINE_ERROR);
                return;
            }
        }
        if (harvest(dev) < 0) {
            dev->st.engine_errors++;
            xce_ring_reset(dev, XCE_FB_ENGINE_ERROR);
            return;
        }
        if (dev->inflight && overdue(dev)) {
            dev->st.timeouts++;
            xce_ring_reset(dev, XCE_FB_ENGINE_TIMEOUT);
            return;
        }
    }
}
