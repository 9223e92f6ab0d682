/* fuzz_completion.c - libFuzzer target for the driver's reading of the
 * completion ring, the bytes a (possibly faulty or hostile) engine writes
 * into host memory. A fake backend gives the ring plain memory and a clock
 * that moves on every look; requests are queued, the fuzzer's bytes become
 * the completion records, and the driver must neither crash nor lose a
 * request: every operation comes back exactly once (from a record it
 * accepted, or re-run in software after it rejected one), and the arena
 * and slots are all free at the end. */
#include <stdlib.h>
#include <string.h>

#include "xce_internal.h"

/* the simulated backend is not linked into this target */
int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    (void)arg, (void)o, (void)be;
    return XCE_ERR_NODEV;
}

static uint64_t fake_time;
static uint32_t fake_read(void *ctx, uint32_t off) { (void)ctx, (void)off; return 0; }
static void fake_write(void *ctx, uint32_t off, uint32_t v) { (void)ctx, (void)off, (void)v; }
static void *fake_alloc(void *ctx, size_t size, uint64_t *bus)
{
    (void)ctx;
    void *p = calloc(1, size);
    *bus = (uint64_t)(uintptr_t)p;
    return p;
}
static void fake_free(void *ctx, void *va, size_t size) { (void)ctx, (void)size; free(va); }
static int fake_wait(void *ctx, uint64_t ticks) { (void)ctx; fake_time += ticks; return 0; }
static uint64_t fake_now(void *ctx) { (void)ctx; return fake_time++; }
static uint32_t fake_config(void *ctx, unsigned off, unsigned width) { (void)ctx, (void)off, (void)width; return 0; }
static void fake_close(void *ctx) { (void)ctx; }

/* One device for the whole run: setting up and wiping its 8 MiB arena per
 * input would leave the fuzzer little time for anything else. */
static xce_dev *fake_device(void)
{
    static xce_dev *dev;
    if (dev)
        return dev;
    dev = calloc(1, sizeof *dev);
    pthread_mutex_init(&dev->lock, NULL);
    dev->be = (struct xce_backend){ .name = "fake", .config_read = fake_config, .read32 = fake_read,
                                    .write32 = fake_write, .dma_alloc = fake_alloc, .dma_free = fake_free,
                                    .wait = fake_wait, .now = fake_now, .close = fake_close,
                                    .timeout_base = 1000, .timeout_per_byte = 1, .wait_slice = 100 };
    dev->have_backend = dev->engine_present = dev->engine_ok = dev->accel_enabled = 1;
    dev->rings = dev->cores = 2;
    dev->cap_algos = XCE_CAP_AES128;
    dev->cap_modes = XCE_CAP_MODE_CBC;
    dev->crossover = 1;
    if (xce_ring_setup(dev) != XCE_OK)
        abort();
    return dev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    xce_dev *dev = fake_device();
    struct xce_session s = { .dev = dev, .alg = XCE_ALG_AES, .mode = XCE_MODE_CBC, .key_len = 16, .hw_capable = 1 };
    if (xce_sw_session_init(&s) != XCE_OK)
        abort();
    enum { MAXOPS = 8 };
    unsigned nops = 1 + data[1] % MAXOPS;
    struct xce_op ops[MAXOPS];
    uint8_t buf[MAXOPS][64];
    memset(buf, 0, sizeof buf);
    for (unsigned i = 0; i < nops; i++) {
        ops[i] = (struct xce_op){ .session = &s, .src = buf[i], .dst = buf[i], .len = 16 * (1 + i % 4) };
        s.ring = data[0] + i;   /* spread over the rings as the input says */
        if (xce_ring_submit(dev, &ops[i]) != XCE_OK)
            abort();
    }
    /* the fuzzer's bytes are what the engine wrote into the completion rings */
    size_t cpl_bytes = XCE_RING_N * XCE_CPL_BYTES, per_ring = XCE_RING_N * (XCE_DESC_BYTES + XCE_CPL_BYTES);
    for (unsigned r = 0; r < dev->nrings; r++) {
        size_t off = 2 + r * cpl_bytes, n = off < size ? size - off : 0;
        memcpy(dev->ring_va + r * per_ring + XCE_RING_N * XCE_DESC_BYTES, data + off, n < cpl_bytes ? n : cpl_bytes);
    }
    /* poll until every request came back, one way or another (bounded) */
    unsigned back = 0;
    for (int guard = 0; guard < 100 && (dev->inflight || dev->done_head); guard++) {
        xce_ring_poll(dev, 1);
        while (dev->done_head) {
            struct xce_op *op = dev->done_head;
            dev->done_head = op->priv_next;
            back++;
            if (op->path == XCE_PATH_NONE)
                abort();
        }
        dev->done_tail = NULL;
        dev->done_count = 0;
    }
    if (dev->inflight || back != nops)
        abort();   /* a request lost or answered twice */
    for (unsigned i = 0; i < XCE_ARENA_PAGES; i++)
        if (dev->arena.used[i])
            abort();   /* a bounce buffer leaked */
    xce_sw_session_free(&s);
    return 0;
}
