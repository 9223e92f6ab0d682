/* device.c - opening a device: parse the spec, attach a backend, probe the
 * config space and ID block (the same code for the model and hardware),
 * read the capabilities, set up rings, self-test; and the device-wide
 * queries (info, statistics, accelerator on/off, reset). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pka.h"
#include "xce_internal.h"
#include "xce_testing.h"

void xce_wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

static uint32_t rd(xce_dev *dev, uint32_t off) { return dev->be.read32(dev->be.ctx, off); }

/* Identify the function: PCI ids first, then the ID block in BAR0. */
static int probe(xce_dev *dev)
{
    uint32_t ids = dev->be.config_read(dev->be.ctx, 0x00, 4);
    if ((ids & 0xffff) != XCE_PCI_VENDOR_ID || (ids >> 16) != XCE_PCI_DEVICE_ID)
        return XCE_ERR_NODEV;
    if (rd(dev, XCE_REG_ID_MAGIC) != XCE_MAGIC)
        return XCE_ERR_NODEV;
    dev->id_version = rd(dev, XCE_REG_ID_VERSION);
    if ((dev->id_version >> XCE_ID_VERSION_MAJOR_SHIFT & XCE_ID_VERSION_MAJOR_MASK) != XCE_VERSION_MAJOR)
        return XCE_ERR_NODEV;   /* a register map this driver does not know */
    dev->id_build = rd(dev, XCE_REG_ID_BUILD);
    dev->id_clock_hz = rd(dev, XCE_REG_ID_CLOCK_HZ);
    dev->id_serial = rd(dev, XCE_REG_ID_SERIAL);
    dev->id_fw = rd(dev, XCE_REG_ID_FW_VERSION);
    dev->id_pka_bits = rd(dev, XCE_REG_ID_PKA_MAX_BITS);
    dev->cap_algos = rd(dev, XCE_REG_ID_CAP_ALGOS);
    dev->cap_modes = rd(dev, XCE_REG_ID_CAP_MODES);
    uint32_t topo = rd(dev, XCE_REG_ID_TOPOLOGY);
    dev->cores = topo >> XCE_ID_TOPOLOGY_CORES_SHIFT & XCE_ID_TOPOLOGY_CORES_MASK;
    dev->rings = topo >> XCE_ID_TOPOLOGY_RINGS_SHIFT & XCE_ID_TOPOLOGY_RINGS_MASK;
    dev->windows = topo >> XCE_ID_TOPOLOGY_WINDOWS_SHIFT & XCE_ID_TOPOLOGY_WINDOWS_MASK;
    if (dev->cores > XCE_STATS_CORES)
        dev->cores = XCE_STATS_CORES;
    if (dev->rings > dev->cores)
        dev->rings = dev->cores;   /* a ring feeds a core */
    return XCE_OK;
}

static int attach_backend(xce_dev *dev, const char *spec, const struct xce_open_opts *o)
{
    if (strcmp(spec, "sw") == 0)
        return XCE_OK;
    int r;
    if (strcmp(spec, "sim") == 0)
        r = xce_backend_sim_open(NULL, o, &dev->be);
    else if (strcmp(spec, "pci") == 0)
        r = xce_backend_pci_open(NULL, o, &dev->be);
    else if (strncmp(spec, "pci:", 4) == 0)
        r = xce_backend_pci_open(spec + 4, o, &dev->be);
    else
        return XCE_ERR_INVAL;
    if (r != XCE_OK)
        return r;
    dev->have_backend = 1;
    return XCE_OK;
}

int xce_open(const char *spec, const struct xce_open_opts *opts, xce_dev **out)
{
    static const struct xce_open_opts defaults;
    const struct xce_open_opts *o = opts ? opts : &defaults;
    if (!out)
        return XCE_ERR_INVAL;
    *out = NULL;
    if (!spec || !*spec)
        spec = getenv("XCE_DEVICE");
    if (!spec || !*spec)
        spec = "sim";
    if ((unsigned)o->policy > XCE_POLICY_SOFTWARE)
        return XCE_ERR_INVAL;

    xce_dev *dev = calloc(1, sizeof *dev);
    if (!dev)
        return XCE_ERR_NOMEM;
    pthread_mutex_init(&dev->lock, NULL);
    dev->policy = o->policy;
    dev->crossover = o->crossover_bytes ? o->crossover_bytes : 256;
    dev->accel_enabled = 1;
    dev->unusable_reason = XCE_FB_NO_DEVICE;
    dev->disabled_reason = "no engine";

    if (strncmp(spec, "pool:", 5) == 0) {
        int r = xce_pool_open(spec + 5, o, dev);
        if (r != XCE_OK) {
            xce_close(dev);
            return r;
        }
        *out = dev;
        return XCE_OK;
    }
    int r = attach_backend(dev, spec, o);
    if (r != XCE_OK)
        goto fail;
    if (dev->have_backend) {
        r = probe(dev);
        if (r != XCE_OK)
            goto fail;
        dev->engine_present = 1;
        if (o->max_cores && dev->rings > o->max_cores)
            dev->rings = o->max_cores;
        if (xce_ring_setup(dev) != XCE_OK) {
            dev->disabled_reason = "no DMA memory";
        } else if (!o->skip_selftest && xce_selftest_run(dev, 1, NULL, NULL) != XCE_OK) {
            dev->unusable_reason = XCE_FB_SELFTEST;
            dev->disabled_reason = "self-test failed";
        } else {
            dev->engine_ok = 1;
            dev->disabled_reason = NULL;
        }
        if (dev->engine_ok) {
            xce_pka_attach(dev);
        } else {
            dev->pka_reason = dev->unusable_reason;
            snprintf(dev->pka_why, sizeof dev->pka_why, "engine not usable");
        }
    }
    /* the hardware policy means: an engine or nothing */
    if (dev->policy == XCE_POLICY_HARDWARE && !dev->engine_ok) {
        r = dev->engine_present ? XCE_ERR_SELFTEST : XCE_ERR_NODEV;
        if (dev->engine_present && !dev->arena_ok)
            r = XCE_ERR_NOMEM;
        goto fail;
    }
    *out = dev;
    return XCE_OK;

fail:
    xce_close(dev);
    return r;
}

void xce_close(xce_dev *dev)
{
    if (!dev)
        return;
    if (dev->members)
        xce_pool_close(dev);
    if (dev->have_backend) {
        xce_ring_teardown(dev);
        dev->be.close(dev->be.ctx);
    }
    pthread_mutex_destroy(&dev->lock);
    free(dev);
}

int xce_get_info(xce_dev *dev, struct xce_info *info)
{
    if (!dev || !info)
        return XCE_ERR_INVAL;
    memset(info, 0, sizeof *info);
    if (dev->nmembers) {
        xce_pool_info(dev, info);
        return XCE_OK;
    }
    pthread_mutex_lock(&dev->lock);
    strcpy(info->backend, dev->have_backend ? dev->be.name : "sw");
    strcpy(info->location, dev->have_backend ? dev->be.location : "-");
    info->engine_present = dev->engine_present;
    info->engine_enabled = dev->engine_ok && dev->accel_enabled && dev->policy != XCE_POLICY_SOFTWARE;
    info->disabled_reason = !dev->engine_ok ? dev->disabled_reason
                            : !dev->accel_enabled ? "disabled by configuration"
                            : dev->policy == XCE_POLICY_SOFTWARE ? "software policy" : NULL;
    info->policy = dev->policy;
    info->version = dev->id_version;
    info->build = dev->id_build;
    info->clock_hz = dev->id_clock_hz;
    info->serial = dev->id_serial;
    info->fw_version = dev->id_fw;
    info->pka_enabled = dev->pka_ok && dev->engine_ok && dev->accel_enabled && dev->policy != XCE_POLICY_SOFTWARE;
    info->pka_max_bits = dev->pka_max_bits;
    info->pka_reason = !dev->pka_ok ? (dev->pka_why[0] ? dev->pka_why : "no engine")
                       : !dev->engine_ok ? dev->disabled_reason : NULL;
    info->cap_algos = dev->cap_algos;
    info->cap_modes = dev->cap_modes;
    info->cores = dev->cores;
    info->rings = dev->rings;
    info->windows = dev->windows;
    info->crossover_bytes = dev->crossover;
    if (dev->engine_present && dev->arena_ok) {
        info->ring_size = XCE_RING_N;
        info->rings_used = dev->nrings;
        info->ring_prod = dev->ring[0].prod;
        info->ring_cons = rd(dev, XCE_REG_CMD_CONS(0));
        info->ring_pending = dev->inflight;
    }
    pthread_mutex_unlock(&dev->lock);
    return XCE_OK;
}

static uint64_t rd64(xce_dev *dev, uint32_t lo, uint32_t hi)
{
    /* re-read until the high word is stable across the low read */
    uint32_t h, l;
    do {
        h = rd(dev, hi);
        l = rd(dev, lo);
    } while (rd(dev, hi) != h);
    return (uint64_t)h << 32 | l;
}

int xce_get_stats(xce_dev *dev, struct xce_stats *st)
{
    if (!dev || !st)
        return XCE_ERR_INVAL;
    if (dev->nmembers) {
        xce_pool_stats(dev, st);
        return XCE_OK;
    }
    pthread_mutex_lock(&dev->lock);
    *st = dev->st;
    st->cores = 0;
    if (dev->engine_present) {
        st->cores = dev->cores;
        for (unsigned c = 0; c < dev->cores; c++) {
            st->core[c].requests = rd(dev, XCE_REG_CORE_REQS(c));
            st->core[c].bytes = rd64(dev, XCE_REG_CORE_BYTES_LO(c), XCE_REG_CORE_BYTES_HI(c));
            st->core[c].busy_cycles = rd64(dev, XCE_REG_CORE_BUSY_LO(c), XCE_REG_CORE_BUSY_HI(c));
            st->core[c].errors = rd(dev, XCE_REG_CORE_ERRORS(c));
        }
        st->cycles = rd64(dev, XCE_REG_CYCLE_LO, XCE_REG_CYCLE_HI);
    }
    pthread_mutex_unlock(&dev->lock);
    return XCE_OK;
}

int xce_set_accelerator(xce_dev *dev, int enabled)
{
    if (!dev)
        return XCE_ERR_INVAL;
    for (unsigned i = 0; i < dev->nmembers; i++)
        (void)!xce_set_accelerator(dev->members[i], enabled);
    pthread_mutex_lock(&dev->lock);
    dev->accel_enabled = enabled ? 1 : 0;
    pthread_mutex_unlock(&dev->lock);
    return XCE_OK;
}

int xce_self_test(xce_dev *dev, void (*report)(void *, const char *), void *arg)
{
    if (!dev)
        return XCE_ERR_INVAL;
    if (dev->nmembers) {
        int r = XCE_OK;
        for (unsigned i = 0; i < dev->nmembers; i++) {
            int ri = xce_self_test(dev->members[i], report, arg);
            if (r == XCE_OK)
                r = ri;
        }
        return r;
    }
    pthread_mutex_lock(&dev->lock);
    int r = xce_selftest_run(dev, 0, report, arg);
    if (r == XCE_OK && dev->engine_present && dev->arena_ok) {
        r = xce_selftest_run(dev, 1, report, arg);
        dev->engine_ok = (r == XCE_OK);
        if (r != XCE_OK) {
            dev->unusable_reason = XCE_FB_SELFTEST;
            dev->disabled_reason = "self-test failed";
        } else {
            dev->disabled_reason = NULL;
        }
    }
    pthread_mutex_unlock(&dev->lock);
    return r;
}

void *xce_testing_sim(xce_dev *dev)
{
    return dev && dev->have_backend && strcmp(dev->be.name, "sim") == 0 ? dev->be.ctx : NULL;
}

int xce_reset(xce_dev *dev)
{
    if (!dev)
        return XCE_ERR_INVAL;
    if (dev->nmembers) {
        int r = XCE_OK;
        for (unsigned i = 0; i < dev->nmembers && r == XCE_OK; i++)
            r = xce_reset(dev->members[i]);
        return r;
    }
    pthread_mutex_lock(&dev->lock);
    int r = XCE_ERR_NODEV;
    if (dev->engine_present && dev->arena_ok)
        r = xce_ring_reset(dev, XCE_FB_ENGINE_ERROR);
    pthread_mutex_unlock(&dev->lock);
    return r;
}
