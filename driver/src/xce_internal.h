/* xce_internal.h - what the parts of libxce share: the backend table, the
 * device and session structures. Not installed. */
#ifndef XCE_INTERNAL_H
#define XCE_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "xce.h"
#include "xce_regs.h"

/* A backend reaches one engine: config space, BAR0, DMA memory, a clock or
 * timer and the interrupt. Time is in backend ticks: cycles for the
 * simulated model, nanoseconds on hardware. */
struct xce_backend {
    const char *name;
    void *ctx;
    char location[32];
    uint32_t (*config_read)(void *ctx, unsigned off, unsigned width);
    uint32_t (*read32)(void *ctx, uint32_t off);
    void (*write32)(void *ctx, uint32_t off, uint32_t val);
    void *(*dma_alloc)(void *ctx, size_t size, uint64_t *bus);   /* zeroed; NULL if none */
    void (*dma_free)(void *ctx, void *va, size_t size);
    int (*wait)(void *ctx, uint64_t ticks);   /* until interrupt (1) or ticks passed (0) */
    uint64_t (*now)(void *ctx);
    void (*close)(void *ctx);
    uint64_t timeout_base;       /* ticks a request may take, plus ... */
    uint64_t timeout_per_byte;   /* ... this many per payload byte */
    uint64_t wait_slice;         /* ticks per wait while polling */
};

int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be);
int xce_backend_pci_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be);

/* DMA bounce-buffer arena: fixed pages inside one DMA window. */
#define XCE_ARENA_PAGE 4096u
#define XCE_ARENA_PAGES 2048u    /* 8 MiB */
struct xce_arena {
    uint8_t *va;
    uint64_t bus;
    uint8_t used[XCE_ARENA_PAGES];  /* run length at the first page of an allocation, else 0/0xff */
};
int xce_arena_alloc(struct xce_arena *a, size_t size, uint8_t **va, uint64_t *bus);
void xce_arena_free(struct xce_arena *a, uint8_t *va);

#define XCE_RING_LOG2 6
#define XCE_RING_N (1u << XCE_RING_LOG2)

/* Layout of a request's bounce buffer: cipher requests key, IV, payload;
 * hash requests state, digest, payload. */
#define XCE_BUF_KEY 0
#define XCE_BUF_IV 32
#define XCE_BUF_DATA 64
#define XCE_BUF_HSTATE 0
#define XCE_BUF_HDIGEST 160
#define XCE_BUF_HDATA 256
/* chained: state, key, IV, then AAD || payload || ICV */
#define XCE_BUF_CKEY 160
#define XCE_BUF_CIV 192
#define XCE_BUF_CDATA 256
#define XCE_ICV_MAX 64

struct xce_slot {
    struct xce_op *op;       /* NULL when free */
    uint8_t *buf;            /* bounce buffer in the arena */
    uint32_t gen;            /* bumped per use: stale completions are recognised */
};

/* One command/completion ring pair, feeding one engine core. A session
 * stays on one ring, so its requests complete in order. */
struct xce_ring {
    uint32_t prod, cpl_cons;
    uint32_t cpl_phase;      /* phase bit of records on the current pass */
    struct xce_slot slots[XCE_RING_N];
    unsigned inflight;
    uint64_t last_progress;
};

struct xce_dev {
    pthread_mutex_t lock;
    struct xce_backend be;
    int have_backend;        /* sim or pci attached */
    int engine_present;      /* ID block identified an xce engine */
    int engine_ok;           /* healthy and set up (rings, windows, self-test) */
    enum xce_fallback unusable_reason;   /* when present but not ok */
    const char *disabled_reason;
    int accel_enabled;       /* "crypto engine accelerator" */
    enum xce_policy policy;
    uint32_t crossover;

    uint32_t id_version, id_build, id_clock_hz, id_serial, id_fw, id_pka_bits;
    uint32_t cap_algos, cap_modes;
    unsigned cores, rings, windows;

    uint8_t *ring_va;        /* per ring: command ring, then completion ring */
    uint64_t ring_bus;
    size_t ring_size;
    struct xce_arena arena;
    int arena_ok;
    struct xce_ring ring[XCE_MAX_RINGS];
    unsigned nrings;         /* rings in use: one per engine core */
    unsigned next_ring;      /* sessions are spread round robin */
    unsigned inflight;       /* over all rings */

    /* public-key accelerator (pka.c) */
    int pka_ok;              /* firmware loaded and known-answer test passed */
    enum xce_fallback pka_reason;        /* when not ok */
    char pka_why[160];       /* when not ok: text for show crypto engine */
    unsigned pka_max_bits;
    uint32_t pka_fw_version;
    int pka_modexp, pka_modmul;          /* firmware entry addresses (-1: absent) */
    struct xce_image_info fw_image;      /* the signed image it came from */
    char fw_image_path[256];             /* empty: none loaded */

    xce_dev **members;       /* a pool: the member devices (then no backend) */
    unsigned nmembers, next_member;

    struct xce_op *done_head, *done_tail;
    unsigned done_count;
    struct xce_stats st;
};

struct xce_session {
    xce_dev *dev;
    int is_hash;
    int chain;               /* enum xce_chain, or 0 */
    size_t icv_len;
    enum xce_hash_alg hash_alg;
    int hmac;
    uint8_t hmac_inner[64], hmac_outer[64];
    enum xce_alg alg;
    enum xce_mode mode;
    int decrypt;
    uint8_t key[32];
    size_t key_len;
    int hw_capable;          /* the engine's capability bits cover it */
    unsigned ring;           /* the ring its requests go to */
    void *sw;                /* software path state */
};

/* software path (OpenSSL) */
int xce_sw_session_init(struct xce_session *s);
int xce_sw_cipher(struct xce_session *s, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void xce_sw_session_free(struct xce_session *s);

/* hash software path (swhash.c) */
size_t xce_hash_alg_block(enum xce_hash_alg alg);
size_t xce_hash_alg_digest(enum xce_hash_alg alg);
int xce_sw_hash(enum xce_hash_alg alg, unsigned flags, uint8_t state[XCE_HASH_STATE_BYTES],
                const uint8_t *in, size_t len, uint8_t *digest);
void xce_sw_hmac_states(enum xce_hash_alg alg, const uint8_t *key, size_t key_len,
                        uint8_t inner[64], uint8_t outer[64]);
int xce_cipher_session_init(struct xce_session *s, xce_dev *dev, const struct xce_cipher_params *p, int decrypt);
/* chained software path (chain.c) */
int xce_sw_chain(struct xce_session *s, struct xce_op *op);
/* pools of devices (pool.c) */
int xce_pool_open(const char *list, const struct xce_open_opts *o, xce_dev *pool);
void xce_pool_close(xce_dev *pool);
xce_dev *xce_pool_pick(xce_dev *dev);        /* the member a new session goes to */
unsigned xce_pool_enqueue(xce_dev *pool, struct xce_op **ops, unsigned n);
unsigned xce_pool_dequeue(xce_dev *pool, struct xce_op **ops, unsigned max);
void xce_pool_info(xce_dev *pool, struct xce_info *info);
void xce_pool_stats(xce_dev *pool, struct xce_stats *st);
unsigned xce_dequeue_ready(xce_dev *dev, struct xce_op **ops, unsigned max, int wait);
/* run one operation to completion, lock held (queue.c) */
int xce_run_one(xce_dev *dev, struct xce_op *op);

/* engine rings (ring.c), called with dev->lock held */
int xce_ring_setup(xce_dev *dev);
void xce_ring_teardown(xce_dev *dev);
int xce_ring_submit(xce_dev *dev, struct xce_op *op);      /* XCE_ERR_BUSY when full */
void xce_ring_doorbell(xce_dev *dev);
void xce_ring_poll(xce_dev *dev, int wait);
int xce_ring_reset(xce_dev *dev, enum xce_fallback reason);

/* completion bookkeeping (queue.c), lock held */
void xce_done_push(xce_dev *dev, struct xce_op *op);
void xce_complete_sw(xce_dev *dev, struct xce_op *op, enum xce_fallback reason);

/* self-test (selftest.c), lock held; force_engine runs the vectors on the engine */
int xce_selftest_run(xce_dev *dev, int on_engine, void (*report)(void *, const char *), void *arg);

/* secure wipe that the compiler cannot drop */
void xce_wipe(void *p, size_t n);

#endif
