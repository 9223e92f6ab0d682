/* test_sim_top.c - xce_top through the harness alone, no driver: PCI config
 * space, the ID block and register semantics (reset values, read-only,
 * write-1-to-clear), descriptors that break the rules (outside the DMA
 * windows, unsupported, bad length, a ring outside the windows), interrupt
 * coalescing, and the windowed VCD trace. Register offsets and fields come
 * from the generated header, as in the driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aes_ref.h"
#include "check.h"
#include "xce_regs.h"
#include "xce_sim.h"

#define RING_LOG2 5   /* 32 entries: more than this test queues, so phase stays 1 */
#define RING_N (1u << RING_LOG2)

struct rig {
    xce_sim *sim;
    uint8_t *ring;         /* command ring then completion ring */
    uint64_t ring_bus;
    uint8_t *mem;          /* payload window */
    uint64_t mem_bus;
    uint8_t *outside;      /* allocated, but never registered as a window */
    uint64_t outside_bus;
    uint32_t prod;
};

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void w(struct rig *r, uint32_t off, uint32_t v) { xce_sim_bar0_write(r->sim, off, v); }
static uint32_t rd(struct rig *r, uint32_t off) { return xce_sim_bar0_read(r->sim, off); }

static int rig_init(struct rig *r)
{
    memset(r, 0, sizeof *r);
    r->sim = xce_sim_create(NULL);
    if (!r->sim)
        return 0;
    r->ring = xce_sim_mem_alloc(r->sim, RING_N * (64 + 16), &r->ring_bus);
    r->mem = xce_sim_mem_alloc(r->sim, 65536, &r->mem_bus);
    r->outside = xce_sim_mem_alloc(r->sim, 4096, &r->outside_bus);
    if (!r->ring || !r->mem || !r->outside)
        return 0;
    w(r, XCE_REG_WIN_BASE_LO(0), (uint32_t)r->mem_bus);
    w(r, XCE_REG_WIN_BASE_HI(0), (uint32_t)(r->mem_bus >> 32));
    w(r, XCE_REG_WIN_SIZE_LO(0), 65536);
    w(r, XCE_REG_WIN_BASE_LO(1), (uint32_t)r->ring_bus);
    w(r, XCE_REG_WIN_BASE_HI(1), (uint32_t)(r->ring_bus >> 32));
    w(r, XCE_REG_WIN_SIZE_LO(1), RING_N * (64 + 16));
    uint64_t cpl = r->ring_bus + RING_N * 64;
    w(r, XCE_REG_CMD_BASE_LO(0), (uint32_t)r->ring_bus);
    w(r, XCE_REG_CMD_BASE_HI(0), (uint32_t)(r->ring_bus >> 32));
    w(r, XCE_REG_CMD_SIZE_LOG2(0), RING_LOG2);
    w(r, XCE_REG_CPL_BASE_LO(0), (uint32_t)cpl);
    w(r, XCE_REG_CPL_BASE_HI(0), (uint32_t)(cpl >> 32));
    w(r, XCE_REG_CPL_SIZE_LOG2(0), RING_LOG2);
    w(r, XCE_REG_CTRL, 1u << XCE_CTRL_ENABLE_SHIFT);
    return 1;
}

/* Queue one AES descriptor; addresses are bus addresses. */
static uint32_t submit(struct rig *r, uint32_t ctrl, uint32_t len, uint64_t src, uint64_t dst, uint64_t key,
                       uint64_t iv)
{
    uint8_t *d = r->ring + r->prod * 64;
    memset(d, 0, 64);
    uint32_t tag = 0x1000 + r->prod;
    put32(d + 4 * XCE_DESC_CTRL_WORD, ctrl);
    put32(d + 4 * XCE_DESC_TAG_WORD, tag);
    put32(d + 4 * XCE_DESC_LEN_WORD, len);
    put32(d + 4 * XCE_DESC_SRC_LO_WORD, (uint32_t)src);
    put32(d + 4 * XCE_DESC_SRC_HI_WORD, (uint32_t)(src >> 32));
    put32(d + 4 * XCE_DESC_DST_LO_WORD, (uint32_t)dst);
    put32(d + 4 * XCE_DESC_DST_HI_WORD, (uint32_t)(dst >> 32));
    put32(d + 4 * XCE_DESC_KEY_LO_WORD, (uint32_t)key);
    put32(d + 4 * XCE_DESC_KEY_HI_WORD, (uint32_t)(key >> 32));
    put32(d + 4 * XCE_DESC_IV_LO_WORD, (uint32_t)iv);
    put32(d + 4 * XCE_DESC_IV_HI_WORD, (uint32_t)(iv >> 32));
    r->prod = (r->prod + 1) % RING_N;
    w(r, XCE_REG_CMD_PROD(0), r->prod);
    return tag;
}

static uint32_t aes_ctrl(int mode, int key_len_code, int decrypt)
{
    return (uint32_t)XCE_OPCODE_CIPHER << XCE_DESC_CTRL_OPCODE_SHIFT |
           (uint32_t)XCE_ALG_AES << XCE_DESC_CTRL_ALG_SHIFT | (uint32_t)mode << XCE_DESC_CTRL_MODE_SHIFT |
           (uint32_t)decrypt << XCE_DESC_CTRL_DECRYPT_SHIFT |
           (uint32_t)key_len_code << XCE_DESC_CTRL_KEY_LEN_SHIFT | 1u << XCE_DESC_CTRL_IRQ_SHIFT;
}

/* Wait for completion record n and return its status code (-1: none). */
static int completion(struct rig *r, unsigned n, uint32_t tag)
{
    const uint8_t *c = r->ring + RING_N * 64 + n * 16;
    for (int i = 0; i < 200; i++) {
        uint32_t st = get32(c + 4 * XCE_CPL_STATUS_WORD);
        if (st >> XCE_CPL_STATUS_PHASE_SHIFT & 1) {
            uint32_t t = get32(c + 4 * XCE_CPL_TAG_WORD), len = get32(c + 4 * XCE_CPL_LEN_WORD);
            if (t != tag || get32(c + 4 * XCE_CPL_CHECK_WORD) != (t ^ st ^ len ^ XCE_CPL_CHECK_SALT))
                return -2;
            w(r, XCE_REG_CPL_CONS(0), (n + 1) % RING_N);
            return (int)(st & XCE_CPL_STATUS_CODE_MASK);
        }
        xce_sim_run(r->sim, 100);
    }
    return -1;
}

static void config_space(struct rig *r)
{
    CHECK(xce_sim_config_read(r->sim, 0, 2) == XCE_PCI_VENDOR_ID &&
              xce_sim_config_read(r->sim, 2, 2) == XCE_PCI_DEVICE_ID,
          "config space: vendor %04x device %04x", XCE_PCI_VENDOR_ID, XCE_PCI_DEVICE_ID);
    CHECK((xce_sim_config_read(r->sim, 8, 4) >> 8) == XCE_PCI_CLASS, "config space: class %06x", XCE_PCI_CLASS);
    xce_sim_config_write(r->sim, 0x10, 4, 0xffffffffu);
    uint32_t bar = xce_sim_config_read(r->sim, 0x10, 4);
    CHECK((~(bar & ~0xfu) + 1) == XCE_BAR0_SIZE, "BAR0 sizing reports %u bytes", ~(bar & ~0xfu) + 1);
}

static void registers(struct rig *r)
{
    CHECK(rd(r, XCE_REG_ID_MAGIC) == XCE_MAGIC, "ID_MAGIC reads 'XCE1'");
    CHECK((rd(r, XCE_REG_ID_VERSION) >> XCE_ID_VERSION_MAJOR_SHIFT) == XCE_VERSION_MAJOR, "ID_VERSION major");
    CHECK(rd(r, XCE_REG_ID_CAP_ALGOS) == 0x17f1f && rd(r, XCE_REG_ID_CAP_MODES) == 7,
          "capabilities: AES-128/192/256, DES, 3DES, MD5, SHA-1/224/256/384/512, HMAC, PKA; ECB/CBC/CTR");
    CHECK(rd(r, XCE_REG_ID_PKA_MAX_BITS) == 4096 && rd(r, XCE_REG_ID_FW_VERSION) == 0,
          "PKA: 4096-bit operands, no firmware loaded yet");
    w(r, XCE_REG_ID_MAGIC, 0);
    CHECK(rd(r, XCE_REG_ID_MAGIC) == XCE_MAGIC, "ID_MAGIC is read-only");
    CHECK(rd(r, XCE_REG_INT_COAL_COUNT) == XCE_REG_INT_COAL_COUNT_RESET &&
              rd(r, XCE_REG_INT_COAL_CYCLES) == XCE_REG_INT_COAL_CYCLES_RESET,
          "coalescing registers hold their documented reset values");
    w(r, XCE_REG_WIN_BASE_LO(3), 0xdeadbeef);
    CHECK(rd(r, XCE_REG_WIN_BASE_LO(3)) == 0xdeadbeef, "window 3 base is read-write");
    w(r, XCE_REG_WIN_BASE_LO(3), 0);
    CHECK(rd(r, 0xffc) == 0 && rd(r, 0x3) == 0xffffffffu, "unmapped offset reads 0, unaligned refused");
    uint64_t c0 = rd(r, XCE_REG_CYCLE_LO);
    xce_sim_run(r->sim, 10);
    CHECK(rd(r, XCE_REG_CYCLE_LO) - c0 == 10, "cycle counter counts clock cycles");
}

static void good_and_bad_descriptors(struct rig *r)
{
    uint8_t *key = r->mem, *iv = r->mem + 32, *src = r->mem + 64, *dst = r->mem + 4096;
    uint64_t bkey = r->mem_bus, biv = r->mem_bus + 32, bsrc = r->mem_bus + 64, bdst = r->mem_bus + 4096;
    check_random(key, 32);
    check_random(iv, 16);
    check_random(src, 256);
    uint8_t ref[256];
    unsigned n = 0;

    uint32_t tag = submit(r, aes_ctrl(1, 2, 0), 256, bsrc, bdst, bkey, biv);
    aes_ref(1, 32, 0, key, iv, src, ref, 256);
    CHECK(completion(r, n++, tag) == XCE_STATUS_OK && memcmp(dst, ref, 256) == 0,
          "AES-256-CBC descriptor: OK and equal to OpenSSL");

    /* every address field pointing outside the windows, one at a time */
    const char *fields[] = { "source", "destination", "key", "IV" };
    for (int f = 0; f < 4; f++) {
        memset(r->outside, 0xa5, 4096);
        memset(dst, 0x3c, 256);
        uint64_t a[4] = { bsrc, bdst, bkey, biv };
        a[f] = r->outside_bus;
        tag = submit(r, aes_ctrl(1, 0, 0), 256, a[0], a[1], a[2], a[3]);
        int st = completion(r, n++, tag);
        int untouched = 1;
        for (int i = 0; i < 4096; i++)
            untouched &= r->outside[i] == 0xa5;
        for (int i = 0; i < 256; i++)
            untouched &= dst[i] == 0x3c;
        CHECK(st == XCE_STATUS_DMA_RANGE && untouched,
              "%s outside the windows: DMA_RANGE, no memory touched", fields[f]);
    }
    /* a range that starts inside and runs past the end of its window */
    tag = submit(r, aes_ctrl(2, 0, 0), 4096, r->mem_bus + 65536 - 2048, bdst, bkey, biv);
    CHECK(completion(r, n++, tag) == XCE_STATUS_DMA_RANGE, "range crossing the window end: DMA_RANGE");
    tag = submit(r, aes_ctrl(1, 0, 0), 17, bsrc, bdst, bkey, biv);
    CHECK(completion(r, n++, tag) == XCE_STATUS_BAD_DESC, "CBC length 17: BAD_DESC");
    tag = submit(r, aes_ctrl(3, 0, 0), 16, bsrc, bdst, bkey, biv);
    CHECK(completion(r, n++, tag) == XCE_STATUS_BAD_DESC, "unknown mode: BAD_DESC");
    tag = submit(r, aes_ctrl(0, 3, 0), 16, bsrc, bdst, bkey, biv);
    CHECK(completion(r, n++, tag) == XCE_STATUS_BAD_DESC, "unknown key size: BAD_DESC");
    uint32_t errors = rd(r, XCE_REG_CORE_ERRORS(0));
    CHECK(errors == 8, "core error counter: %u of 8 failed requests", errors);
    CHECK(rd(r, XCE_REG_ERROR_INFO) == XCE_STATUS_BAD_DESC, "ERROR_INFO holds the last status");

    /* the bus faults on the next read, the descriptor fetch itself: the
     * record still comes, with DMA_ERROR, and the tag it could not read (0) */
    xce_sim_inject(r->sim, XCE_SIM_FAULT_DMA_ERROR, 1);
    submit(r, aes_ctrl(0, 0, 0), 16, bsrc, bdst, bkey, biv);
    CHECK(completion(r, n++, 0) == XCE_STATUS_DMA_ERROR, "host bus error: DMA_ERROR");
}

static void interrupts(struct rig *r)
{
    uint64_t bkey = r->mem_bus, bsrc = r->mem_bus + 64, bdst = r->mem_bus + 4096;
    w(r, XCE_REG_INT_STATUS, 3);
    w(r, XCE_REG_INT_MASK, 1u << XCE_INT_MASK_CPL_SHIFT);
    w(r, XCE_REG_INT_COAL_COUNT, 3);
    w(r, XCE_REG_INT_COAL_CYCLES, 100000);
    unsigned n0 = rd(r, XCE_REG_CPL_PROD(0));
    w(r, XCE_REG_CPL_CONS(0), n0);
    for (int i = 0; i < 2; i++)
        submit(r, aes_ctrl(0, 0, 0), 16, bsrc, bdst, bkey, 0);
    xce_sim_run(r->sim, 2000);
    CHECK(!xce_sim_irq(r->sim), "2 completions with coalescing count 3: no interrupt yet");
    submit(r, aes_ctrl(0, 0, 0), 16, bsrc, bdst, bkey, 0);
    CHECK(xce_sim_wait_irq(r->sim, 2000), "third completion raises the interrupt");
    w(r, XCE_REG_INT_STATUS, 1u << XCE_INT_STATUS_CPL_SHIFT);
    CHECK(!xce_sim_irq(r->sim), "write 1 to INT_STATUS.CPL clears it");
    w(r, XCE_REG_CPL_CONS(0), rd(r, XCE_REG_CPL_PROD(0)));
    w(r, XCE_REG_INT_COAL_CYCLES, 500);
    submit(r, aes_ctrl(0, 0, 0), 16, bsrc, bdst, bkey, 0);
    uint64_t t0 = xce_sim_cycles(r->sim);
    CHECK(xce_sim_wait_irq(r->sim, 5000) && xce_sim_cycles(r->sim) - t0 >= 500,
          "one completion: interrupt after the coalescing timer (%llu cycles)",
          (unsigned long long)(xce_sim_cycles(r->sim) - t0));
    w(r, XCE_REG_INT_STATUS, 3);
}

/* The PKA behind its registers, without the driver: operand words round
 * trip, a start before any firmware version is refused, a one-word program
 * (HALT) runs and reports DONE, its cycles and the interrupt cause, and a
 * bad size faults. The arithmetic is tb_pka's and test_pka's. */
static void pka_registers(struct rig *r)
{
    const uint32_t slot_words = XCE_PKA_SLOT_WORDS;
    w(r, XCE_REG_PKA_MEM_ADDR, 2 * slot_words);
    for (uint32_t i = 0; i < 4; i++) {
        w(r, XCE_REG_PKA_MEM_WLO, 0x11110000u + i);
        w(r, XCE_REG_PKA_MEM_WHI, 0x22220000u + i);
    }
    int ok = 1;
    for (uint32_t i = 0; i < 4; i++) {
        w(r, XCE_REG_PKA_MEM_ADDR, 2 * slot_words + i);
        ok &= rd(r, XCE_REG_PKA_MEM_RLO) == 0x11110000u + i && rd(r, XCE_REG_PKA_MEM_RHI) == 0x22220000u + i;
    }
    CHECK(ok, "PKA: operand words written with auto-advance read back through PKA_MEM_ADDR");
    w(r, XCE_REG_PKA_UCODE_ADDR, 0);
    w(r, XCE_REG_PKA_UCODE_DATA, (uint32_t)XCE_PKA_OP_HALT << XCE_PKA_INSN_OP_SHIFT);
    w(r, XCE_REG_PKA_CMD, 8u << XCE_PKA_CMD_SIZE_SHIFT);
    xce_sim_run(r->sim, 10);
    CHECK(rd(r, XCE_REG_PKA_STATUS) == 0, "PKA: no start while PKA_FW_VERSION is 0");
    w(r, XCE_REG_PKA_FW_VERSION, 0x00010000u);
    CHECK(rd(r, XCE_REG_ID_FW_VERSION) == 0x00010000u, "ID_FW_VERSION mirrors PKA_FW_VERSION");
    w(r, XCE_REG_PKA_CMD, 8u << XCE_PKA_CMD_SIZE_SHIFT);
    xce_sim_run(r->sim, 10);
    uint32_t st = rd(r, XCE_REG_PKA_STATUS);
    CHECK((st >> XCE_PKA_STATUS_DONE_SHIFT & 1) && !(st & 1) && rd(r, XCE_REG_PKA_CYCLES) == 3 &&
              (rd(r, XCE_REG_INT_STATUS) >> XCE_INT_STATUS_PKA_SHIFT & 1),
          "PKA: a HALT program runs: DONE, 3 cycles, INT_STATUS.PKA (status 0x%x, %u cycles)", st,
          rd(r, XCE_REG_PKA_CYCLES));
    w(r, XCE_REG_PKA_CMD, 2u << XCE_PKA_CMD_SIZE_SHIFT);
    xce_sim_run(r->sim, 10);
    st = rd(r, XCE_REG_PKA_STATUS);
    CHECK((st >> XCE_PKA_STATUS_FAULT_SHIFT & 1) && !(st >> XCE_PKA_STATUS_DONE_SHIFT & 1),
          "PKA: a size of 2 words stops with FAULT (status 0x%x)", st);
}

static void ring_outside_window(void)
{
    struct rig r;
    if (!CHECK(rig_init(&r), "fresh model for the ring test"))
        return;
    w(&r, XCE_REG_CMD_BASE_LO(0), (uint32_t)r.outside_bus);
    w(&r, XCE_REG_CMD_BASE_HI(0), (uint32_t)(r.outside_bus >> 32));
    w(&r, XCE_REG_INT_MASK, 1u << XCE_INT_MASK_ERR_SHIFT);
    w(&r, XCE_REG_CMD_PROD(0), 1);
    CHECK(xce_sim_wait_irq(r.sim, 1000) && (rd(&r, XCE_REG_STATUS) >> XCE_STATUS_RING_ERROR_SHIFT & 1),
          "command ring outside the windows: RING_ERROR and the error interrupt");
    CHECK(xce_sim_bus_errors(r.sim) == 0, "and no bus access was made");
    w(&r, XCE_REG_CTRL, 1u << XCE_CTRL_SOFT_RESET_SHIFT);
    xce_sim_run(r.sim, 20);
    CHECK(!(rd(&r, XCE_REG_STATUS) >> XCE_STATUS_RING_ERROR_SHIFT & 1) && rd(&r, XCE_REG_CMD_CONS(0)) == 0,
          "soft reset clears the ring error and the indexes");
    xce_sim_destroy(r.sim);
}

static void trace_window(void)
{
    char path[] = "/tmp/xce-trace-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    xce_sim *sim = xce_sim_create(NULL);
    CHECK(sim && xce_sim_trace(sim, path, 100, 150) == 0, "trace window 100..150 armed");
    xce_sim_run(sim, 300);
    xce_sim_destroy(sim);
    FILE *f = fopen(path, "r");
    char line[512];
    int defs = 0, ring_sig = 0;
    long first = -1, last = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, "$enddefinitions"))
            defs = 1;
        if (strstr(line, "cons_reg") || strstr(line, "cmd_cons"))
            ring_sig = 1;
        if (line[0] == '#') {
            long t = atol(line + 1);
            if (first < 0)
                first = t;
            last = t;
        }
    }
    if (f)
        fclose(f);
    CHECK(defs && ring_sig, "VCD has its header and the ring index signals");
    CHECK(first >= 200 && last < 300, "only cycles 100..149 dumped (times %ld..%ld, two per cycle)", first, last);
    /* the GTKWave save file names signals that exist in the VCD */
    char gtkw[64], vcdtext[1 << 16];
    snprintf(gtkw, sizeof gtkw, "%s.gtkw", path);
    f = fopen(path, "r");
    size_t got = f ? fread(vcdtext, 1, sizeof vcdtext - 1, f) : 0;
    vcdtext[got] = 0;
    if (f)
        fclose(f);
    f = fopen(gtkw, "r");
    int named = 0, found = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "xce.", 4) != 0)
            continue;
        named++;
        /* the last path element, without a bit range, is a $var name */
        char *leaf = strrchr(line, '.') + 1, *br = strchr(leaf, '[');
        if (br)
            *br = 0;
        leaf[strcspn(leaf, "\n")] = 0;
        char want[96];
        snprintf(want, sizeof want, " %s ", leaf);
        found += strstr(vcdtext, want) != NULL;
    }
    if (f)
        fclose(f);
    CHECK(named >= 8 && found == named, "GTKWave save file beside the VCD: %d signals, %d found in it", named, found);
    remove(gtkw);
    CHECK(xce_sim_trace(NULL == sim ? NULL : (sim = xce_sim_create(NULL)), "/nonexistent/dir/x.vcd", 0, 0) == -1,
          "unwritable trace path refused");
    xce_sim_destroy(sim);
    remove(path);
}

int main(void)
{
    check_seed();
    struct rig r;
    if (!CHECK(rig_init(&r), "model with rings and windows"))
        return check_done();
    config_space(&r);
    registers(&r);
    good_and_bad_descriptors(&r);
    interrupts(&r);
    pka_registers(&r);
    xce_sim_destroy(r.sim);
    ring_outside_window();
    trace_window();
    return check_done();
}
