/* backend_sim.c - the Verilator model as a backend. The only part of the
 * driver that links sim/. Ticks are engine clock cycles, so timeouts and
 * benchmarks are exact and repeatable. */
#include <string.h>

#include "xce_internal.h"
#include "xce_sim.h"

static uint32_t sim_config_read(void *ctx, unsigned off, unsigned width)
{
    return xce_sim_config_read(ctx, off, width);
}

static uint32_t sim_read32(void *ctx, uint32_t off) { return xce_sim_bar0_read(ctx, off); }

static void sim_write32(void *ctx, uint32_t off, uint32_t val) { xce_sim_bar0_write(ctx, off, val); }

static void *sim_dma_alloc(void *ctx, size_t size, uint64_t *bus)
{
    return xce_sim_mem_alloc(ctx, size, bus);
}

static void sim_dma_free(void *ctx, void *va, size_t size)
{
    (void)size;
    xce_sim_mem_free(ctx, va);
}

static int sim_wait(void *ctx, uint64_t ticks) { return xce_sim_wait_irq(ctx, ticks); }

static uint64_t sim_now(void *ctx) { return xce_sim_cycles(ctx); }

static void sim_close(void *ctx) { xce_sim_destroy(ctx); }

int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    if (arg && *arg)
        return XCE_ERR_INVAL;   /* "sim" takes no argument yet */
    xce_sim *sim = xce_sim_create(NULL);
    if (!sim)
        return XCE_ERR_NOMEM;
    if (o && o->trace_path && xce_sim_trace(sim, o->trace_path, o->trace_start, o->trace_stop) != 0) {
        xce_sim_destroy(sim);
        return XCE_ERR_INVAL;
    }
    memset(be, 0, sizeof *be);
    be->name = "sim";
    be->ctx = sim;
    strcpy(be->location, "verilator");
    be->config_read = sim_config_read;
    be->read32 = sim_read32;
    be->write32 = sim_write32;
    be->dma_alloc = sim_dma_alloc;
    be->dma_free = sim_dma_free;
    be->wait = sim_wait;
    be->now = sim_now;
    be->close = sim_close;
    be->timeout_base = 200000;      /* cycles */
    be->timeout_per_byte = 8;       /* 3DES needs 49/8 cycles per byte */
    be->wait_slice = 4096;
    return XCE_OK;
}
