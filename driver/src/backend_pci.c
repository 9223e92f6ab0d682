/* backend_pci.c - an xce engine on the PCI bus: found with libpci, BAR0
 * mapped through the function's sysfs resource file.
 *
 * Environment, for tests and unusual systems:
 *   XCE_PCI_DUMP    read config space from an `lspci -x` dump (libpci's
 *                   dump access method) instead of the live bus
 *   XCE_SYSFS_ROOT  look for bus/pci/devices/... below this instead of /sys
 *
 * DMA needs an IOMMU mapping (VFIO), which this backend does not do yet:
 * dma_alloc fails, the engine is reported present but disabled, and
 * software serves every request.
 */
#include <errno.h>
#include <fcntl.h>
#include <pci/pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xce_internal.h"

struct pci_ctx {
    struct pci_access *pacc;
    struct pci_dev *dev;
    volatile uint32_t *bar0;
    int fd;
};

static uint32_t pci_cfg_read(void *c, unsigned off, unsigned width)
{
    struct pci_ctx *p = c;
    switch (width) {
    case 1: return pci_read_byte(p->dev, (int)off);
    case 2: return pci_read_word(p->dev, (int)off);
    case 4: return pci_read_long(p->dev, (int)off);
    default: return 0xffffffffu;
    }
}

static uint32_t pci_rd32(void *c, uint32_t off)
{
    struct pci_ctx *p = c;
    return off < XCE_BAR0_SIZE ? p->bar0[off / 4] : 0xffffffffu;
}

static void pci_wr32(void *c, uint32_t off, uint32_t v)
{
    struct pci_ctx *p = c;
    if (off < XCE_BAR0_SIZE)
        p->bar0[off / 4] = v;
}

static void *pci_dma_alloc(void *c, size_t size, uint64_t *bus)
{
    (void)c; (void)size; (void)bus;
    return NULL;   /* needs VFIO; see the header comment */
}

static void pci_dma_free(void *c, void *va, size_t size) { (void)c; (void)va; (void)size; }

static uint64_t pci_now(void *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int pci_wait(void *c, uint64_t ns)
{
    (void)c;
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    nanosleep(&ts, NULL);
    return 0;   /* no interrupt delivery without VFIO: callers poll */
}

static void pci_close(void *c)
{
    struct pci_ctx *p = c;
    if (p->bar0)
        munmap((void *)p->bar0, XCE_BAR0_SIZE);
    if (p->fd >= 0)
        close(p->fd);
    if (p->pacc)
        pci_cleanup(p->pacc);
    free(p);
}

/* libpci reports fatal errors through a callback that must not return. */
static void pci_quiet(char *msg, ...) { (void)msg; }

int xce_backend_pci_open(const char *slot, const struct xce_open_opts *o, struct xce_backend *be)
{
    struct pci_ctx *p = calloc(1, sizeof *p);
    if (!p)
        return XCE_ERR_NOMEM;
    p->fd = -1;
    p->pacc = pci_alloc();
    if (!p->pacc) {
        free(p);
        return XCE_ERR_NOMEM;
    }
    p->pacc->warning = pci_quiet;
    p->pacc->debug = pci_quiet;
    const char *dump = getenv("XCE_PCI_DUMP");
    if (dump && *dump) {
        if (access(dump, R_OK) != 0) {   /* libpci would exit() on it */
            pci_cleanup(p->pacc);
            free(p);
            return XCE_ERR_NODEV;
        }
        p->pacc->method = PCI_ACCESS_DUMP;
        pci_set_param(p->pacc, "dump.name", (char *)dump);
    }
    pci_init(p->pacc);
    pci_scan_bus(p->pacc);

    struct pci_filter want;
    pci_filter_init(p->pacc, &want);
    want.vendor = XCE_PCI_VENDOR_ID;
    want.device = XCE_PCI_DEVICE_ID;
    if (slot && *slot) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s", slot);
        if (pci_filter_parse_slot(&want, buf)) {
            pci_close(p);
            return XCE_ERR_INVAL;
        }
    }
    for (struct pci_dev *d = p->pacc->devices; d; d = d->next) {
        pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS);
        if (pci_filter_match(&want, d)) {
            p->dev = d;
            break;
        }
    }
    if (!p->dev) {
        pci_close(p);
        return XCE_ERR_NODEV;
    }

    const char *root = getenv("XCE_SYSFS_ROOT");
    char path[256];
    snprintf(path, sizeof path, "%s/bus/pci/devices/%04x:%02x:%02x.%d/resource0",
             root && *root ? root : "/sys", p->dev->domain, p->dev->bus, p->dev->dev, p->dev->func);
    p->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
    if (p->fd >= 0) {
        void *m = mmap(NULL, XCE_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
        p->bar0 = m == MAP_FAILED ? NULL : m;
    }
    if (!p->bar0) {
        pci_close(p);
        return XCE_ERR_NODEV;
    }

    memset(be, 0, sizeof *be);
    be->name = "pci";
    be->ctx = p;
    snprintf(be->location, sizeof be->location, "%04x:%02x:%02x.%d",
             p->dev->domain, p->dev->bus, p->dev->dev, p->dev->func);
    be->config_read = pci_cfg_read;
    be->read32 = pci_rd32;
    be->write32 = pci_wr32;
    be->dma_alloc = pci_dma_alloc;
    be->dma_free = pci_dma_free;
    be->wait = pci_wait;
    be->now = pci_now;
    be->close = pci_close;
    unsigned ms = o && o->timeout_ms ? o->timeout_ms : 1000;
    be->timeout_base = (uint64_t)ms * 1000000u;
    be->timeout_per_byte = 10;     /* ns: far slower than any engine */
    be->wait_slice = 20000;        /* 20 us polling */
    return XCE_OK;
}
