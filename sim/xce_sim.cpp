// xce_sim.cpp - Verilator harness behind xce_sim.h: clock, BAR0, PCI config
// space, host memory with bus addresses, the host bus (read latency, posted
// writes), interrupts, windowed VCD tracing and fault injection.
//
// One cycle (tick): present this cycle's bus responses, evaluate with the
// clock low, sample the engine's requests, raise the clock. Requests taken
// at an edge are answered rd_latency / wr_latency cycles later, in order.

#include "xce_sim.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "Vxce_top.h"
#include "verilated.h"
#include "verilated_vcd_c.h"
#include "xce_regs.h"

namespace {

struct Region {
    uint64_t bus;
    size_t size;
    uint8_t *va;
};

struct ReadRsp {
    uint64_t due;
    uint8_t data[16];
    bool err;
};

struct WriteAck {
    uint64_t due;
    bool err;
};

constexpr uint64_t kBusBase = 0x100000000ull;  // above 4 GiB
constexpr uint64_t kPage = 4096;

// Beats carry byte 0 in bits [127:120].
void bytes_to_wide(const uint8_t *b, VlWide<4> &w) {
    for (int i = 0; i < 4; i++) w[i] = 0;
    for (int i = 0; i < 16; i++) {
        int lsb = 120 - 8 * i;
        w[lsb >> 5] |= uint32_t(b[i]) << (lsb & 31);
    }
}

void wide_to_bytes(const VlWide<4> &w, uint8_t *b) {
    for (int i = 0; i < 16; i++) {
        int lsb = 120 - 8 * i;
        b[i] = uint8_t(w[lsb >> 5] >> (lsb & 31));
    }
}

}  // namespace

struct xce_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vxce_top> top;
    std::unique_ptr<VerilatedVcdC> vcd;
    uint64_t trace_start = 0, trace_stop = 0;
    bool trace_armed = false;
    std::string trace_path;

    uint64_t cycle = 0;
    unsigned rd_latency = 8, wr_latency = 4;
    std::vector<Region> regions;
    uint64_t next_bus = kBusBase;
    std::deque<ReadRsp> reads;
    std::deque<WriteAck> acks;
    uint64_t bus_errors = 0;

    // Faults
    bool stuck = false;
    bool pka_bad = false;   // the running PKA program's results are corrupted
    unsigned dma_errors = 0, corrupt_cpl = 0, drop_cpl = 0, pka_corrupt = 0;
    // Shadow of the completion ring registers, to recognise their writes.
    uint32_t cpl_base_lo[XCE_MAX_RINGS] = {}, cpl_base_hi[XCE_MAX_RINGS] = {}, cpl_size_log2[XCE_MAX_RINGS] = {};

    uint8_t config[256];

    Region *find(uint64_t addr, uint64_t len) {
        for (auto &r : regions)
            if (addr >= r.bus && len <= r.size && addr - r.bus <= r.size - len) return &r;
        return nullptr;
    }

    bool is_cpl_write(uint64_t addr) const {
        for (unsigned r = 0; r < XCE_MAX_RINGS; r++) {
            if (cpl_size_log2[r] == 0 || cpl_size_log2[r] > 12) continue;
            uint64_t base = (uint64_t(cpl_base_hi[r]) << 32) | cpl_base_lo[r];
            if (addr >= base && addr < base + (uint64_t(XCE_CPL_BYTES) << cpl_size_log2[r])) return true;
        }
        return false;
    }

    void dump(uint64_t t) {
        if (trace_armed && !vcd && cycle >= trace_start) {
            vcd.reset(new VerilatedVcdC);
            top->trace(vcd.get(), 99);
            vcd->open(trace_path.c_str());
        }
        if (vcd && (trace_stop == 0 || cycle < trace_stop)) vcd->dump(t);
    }

    void tick() {
        Vxce_top &m = *top;
        // Inputs for this cycle
        bool rsp = !reads.empty() && reads.front().due <= cycle;
        m.rd_rsp_valid = rsp;
        if (rsp) {
            bytes_to_wide(reads.front().data, m.rd_rsp_data);
            m.rd_rsp_err = reads.front().err;
        } else {
            m.rd_rsp_err = 0;
        }
        bool ack = !acks.empty() && acks.front().due <= cycle;
        m.wr_rsp_valid = ack;
        m.wr_rsp_err = ack && acks.front().err;
        m.rd_req_ready = 1;
        m.wr_req_ready = 1;
        m.fault_stuck = stuck;
        m.fault_pka = pka_bad;
        m.clk = 0;
        m.eval();
        dump(2 * cycle);

        // Sample the requests the rising edge will take
        if (m.rd_req_valid) {
            ReadRsp r{};
            r.due = cycle + rd_latency;
            uint64_t addr = m.rd_req_addr;
            unsigned len = m.rd_req_len;
            Region *reg = find(addr, len);
            if (dma_errors) {
                dma_errors--;
                reg = nullptr;
            }
            if (reg)
                memcpy(r.data, reg->va + (addr - reg->bus), len);
            else {
                r.err = true;
                bus_errors++;
            }
            reads.push_back(r);
        }
        if (m.wr_req_valid) {
            uint64_t addr = m.wr_req_addr;
            unsigned len = m.wr_req_len;
            uint8_t data[16];
            wide_to_bytes(m.wr_req_data, data);
            bool drop = false;
            if (is_cpl_write(addr)) {
                if (drop_cpl) {
                    drop_cpl--;
                    drop = true;
                } else if (corrupt_cpl) {
                    corrupt_cpl--;
                    data[0] ^= 0x01;  // low bit of the tag
                }
            }
            Region *reg = find(addr, len);
            if (reg && !drop) memcpy(reg->va + (addr - reg->bus), data, len);
            if (!reg) bus_errors++;
            acks.push_back(WriteAck{cycle + wr_latency, reg == nullptr});
        }
        if (rsp) reads.pop_front();
        if (ack) acks.pop_front();

        m.clk = 1;
        m.eval();
        dump(2 * cycle + 1);
        cycle++;
        ctx->timeInc(1);
    }
};

extern "C" {

xce_sim *xce_sim_create(const struct xce_sim_opts *opts) {
    xce_sim *s = new (std::nothrow) xce_sim;
    if (!s) return nullptr;
    s->ctx.reset(new VerilatedContext);
    s->ctx->traceEverOn(true);
    s->top.reset(new Vxce_top(s->ctx.get(), "xce"));
    if (opts && opts->rd_latency) s->rd_latency = opts->rd_latency;
    if (opts && opts->wr_latency) s->wr_latency = opts->wr_latency;

    memset(s->config, 0, sizeof s->config);
    auto put16 = [s](unsigned off, uint16_t v) { s->config[off] = v & 0xff; s->config[off + 1] = v >> 8; };
    put16(0x00, XCE_PCI_VENDOR_ID);
    put16(0x02, XCE_PCI_DEVICE_ID);
    put16(0x06, 0x0010);                    // status: capabilities list absent, fast b2b
    s->config[0x08] = XCE_VERSION_MAJOR;     // revision
    s->config[0x09] = XCE_PCI_CLASS & 0xff;
    s->config[0x0a] = (XCE_PCI_CLASS >> 8) & 0xff;
    s->config[0x0b] = (XCE_PCI_CLASS >> 16) & 0xff;
    s->config[0x10] = 0x00;                  // BAR0: 32-bit memory, not prefetchable
    put16(0x2c, XCE_PCI_VENDOR_ID);          // subsystem vendor
    put16(0x2e, 0x0001);                     // subsystem: simulated model
    s->config[0x3d] = 0x01;                  // INTA#

    Vxce_top &m = *s->top;
    m.rst_n = 0;
    m.mmio_addr = 0;
    m.mmio_wr = 0;
    m.mmio_wdata = 0;
    for (int i = 0; i < 4; i++) s->tick();
    m.rst_n = 1;
    s->tick();
    return s;
}

void xce_sim_destroy(xce_sim *s) {
    if (!s) return;
    if (s->vcd) s->vcd->close();
    s->top->final();
    for (auto &r : s->regions) free(r.va);
    delete s;
}

uint32_t xce_sim_config_read(xce_sim *s, unsigned off, unsigned width) {
    if (width != 1 && width != 2 && width != 4) return 0xffffffffu;
    if (off + width > sizeof s->config) return 0xffffffffu;
    uint32_t v = 0;
    for (unsigned i = 0; i < width; i++) v |= uint32_t(s->config[off + i]) << (8 * i);
    return v;
}

void xce_sim_config_write(xce_sim *s, unsigned off, unsigned width, uint32_t value) {
    if (off == 0x10 && width == 4) {
        // BAR sizing: the writable address bits are those above the BAR size
        uint32_t v = value & ~(uint32_t)(XCE_BAR0_SIZE - 1);
        for (int i = 0; i < 4; i++) s->config[0x10 + i] = (v >> (8 * i)) & 0xff;
    } else if (off == 0x04 && width >= 2) {
        s->config[0x04] = value & 0x06;  // memory space and bus master enables
    }
}

uint32_t xce_sim_bar0_read(xce_sim *s, uint32_t off) {
    if (off >= XCE_BAR0_SIZE || (off & 3)) return 0xffffffffu;
    s->top->mmio_addr = off;
    s->top->eval();
    return s->top->mmio_rdata;
}

void xce_sim_bar0_write(xce_sim *s, uint32_t off, uint32_t value) {
    if (off >= XCE_BAR0_SIZE || (off & 3)) return;
    for (unsigned r = 0; r < XCE_MAX_RINGS; r++) {
        if (off == XCE_REG_CPL_BASE_LO(r)) s->cpl_base_lo[r] = value;
        if (off == XCE_REG_CPL_BASE_HI(r)) s->cpl_base_hi[r] = value;
        if (off == XCE_REG_CPL_SIZE_LOG2(r)) s->cpl_size_log2[r] = value;
    }
    if (off == XCE_REG_CTRL && (value & (XCE_CTRL_SOFT_RESET_MASK << XCE_CTRL_SOFT_RESET_SHIFT)))
        s->stuck = false;
    if (off == XCE_REG_PKA_CMD) {   // each started program uses up one injected fault
        s->pka_bad = s->pka_corrupt > 0;
        if (s->pka_corrupt) s->pka_corrupt--;
    }
    s->top->mmio_addr = off;
    s->top->mmio_wdata = value;
    s->top->mmio_wr = 1;
    s->tick();
    s->top->mmio_wr = 0;
}

void *xce_sim_mem_alloc(xce_sim *s, size_t size, uint64_t *bus_addr) {
    if (size == 0 || size > (1ull << 32)) return nullptr;
    size_t rounded = (size + kPage - 1) & ~(kPage - 1);
    void *va = nullptr;
    if (posix_memalign(&va, kPage, rounded) != 0) return nullptr;
    memset(va, 0, rounded);
    Region r{s->next_bus, size, static_cast<uint8_t *>(va)};
    s->regions.push_back(r);
    s->next_bus += rounded + kPage;  // an unmapped guard page between regions
    if (bus_addr) *bus_addr = r.bus;
    return va;
}

void xce_sim_mem_free(xce_sim *s, void *va) {
    for (size_t i = 0; i < s->regions.size(); i++) {
        if (s->regions[i].va == va) {
            free(va);
            s->regions.erase(s->regions.begin() + long(i));
            return;
        }
    }
}

void xce_sim_run(xce_sim *s, uint64_t cycles) {
    for (uint64_t i = 0; i < cycles; i++) s->tick();
}

int xce_sim_irq(xce_sim *s) {
    s->top->eval();
    return s->top->irq ? 1 : 0;
}

int xce_sim_wait_irq(xce_sim *s, uint64_t max_cycles) {
    for (uint64_t i = 0; i < max_cycles; i++) {
        if (s->top->irq) return 1;
        s->tick();
    }
    return s->top->irq ? 1 : 0;
}

uint64_t xce_sim_cycles(const xce_sim *s) { return s->cycle; }

// A GTKWave save file beside the VCD, opening it on the signals that tell
// what the engine is doing: bus handshakes, ring indexes, request state,
// core busy, interrupt.
static void write_gtkw(const char *vcd) {
    std::string path(vcd);
    size_t dot = path.rfind(".vcd");
    path = (dot != std::string::npos && dot + 4 == path.size() ? path.substr(0, dot) : path) + ".gtkw";
    FILE *f = fopen(path.c_str(), "w");
    if (!f) return;
    static const char *const bits[] = { "xce.irq", "xce.rd_req_valid", "xce.rd_rsp_valid", "xce.wr_req_valid",
                                        "xce.wr_rsp_valid" };
    static const char *const words[] = {
        "xce.xce_top.core_busy[3:0]", "xce.xce_top.eng_busy[3:0]",
        "xce.xce_top.g_core[0].g_built.u_engine.state_reg[4:0]",
        "xce.xce_top.g_core[0].g_built.u_engine.cons_reg[11:0]",
        "xce.xce_top.g_core[0].g_built.u_engine.cprod_reg[11:0]",
        "xce.rd_req_addr[63:0]", "xce.wr_req_addr[63:0]",
    };
    fprintf(f, "[dumpfile] \"%s\"\n[timestart] 0\n@28\n", vcd);
    for (const char *b : bits) fprintf(f, "%s\n", b);
    fprintf(f, "@22\n");
    for (const char *w : words) fprintf(f, "%s\n", w);
    fclose(f);
}

int xce_sim_trace(xce_sim *s, const char *path, uint64_t start, uint64_t stop) {
    FILE *f = fopen(path, "w");  // fail early and clearly on a bad path
    if (!f) return -1;
    fclose(f);
    write_gtkw(path);
    s->trace_path = path;
    s->trace_start = start;
    s->trace_stop = stop;
    s->trace_armed = true;
    return 0;
}

void xce_sim_inject(xce_sim *s, enum xce_sim_fault fault, unsigned count) {
    switch (fault) {
    case XCE_SIM_FAULT_STUCK_CORE: s->stuck = true; break;
    case XCE_SIM_FAULT_DMA_ERROR: s->dma_errors = count; break;
    case XCE_SIM_FAULT_CORRUPT_CPL: s->corrupt_cpl = count; break;
    case XCE_SIM_FAULT_DROP_CPL: s->drop_cpl = count; break;
    case XCE_SIM_FAULT_PKA_CORRUPT: s->pka_corrupt = count; break;
    }
}

uint64_t xce_sim_bus_errors(const xce_sim *s) { return s->bus_errors; }

}  // extern "C"
