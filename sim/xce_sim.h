/* xce_sim.h - the cycle-accurate Verilator model of the xce engine as a
 * plain C library.
 *
 * The model is the RTL (rtl/xce_top.v) compiled by Verilator, wrapped with
 * what a host would provide around a PCI device: a config space, BAR0
 * register access, host memory the engine reaches by DMA through bus
 * addresses, an interrupt line, and a clock. Time only moves when the
 * caller asks (a register write, xce_sim_run, xce_sim_wait_irq), so runs
 * are deterministic and cycle counts repeatable.
 *
 * Fault injection makes the failure modes a driver must survive happen on
 * demand: a hung core, host bus errors, corrupted or missing completions.
 */
#ifndef XCE_SIM_H
#define XCE_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xce_sim xce_sim;

struct xce_sim_opts {
    unsigned rd_latency;     /* cycles from read request to data (0: default 8) */
    unsigned wr_latency;     /* cycles from write to its acknowledgement (0: default 4) */
};

enum xce_sim_fault {
    XCE_SIM_FAULT_STUCK_CORE = 1,  /* the AES core stops until the next soft reset */
    XCE_SIM_FAULT_DMA_ERROR,       /* the next N host reads return a bus error */
    XCE_SIM_FAULT_CORRUPT_CPL,     /* the next N completion records get a flipped bit */
    XCE_SIM_FAULT_DROP_CPL,        /* the next N completion records are never written */
    XCE_SIM_FAULT_PKA_CORRUPT,     /* the next N PKA programs started give wrong results */
};

/* Create the model, held in reset for a few cycles and then released.
 * opts may be NULL. Returns NULL on allocation failure. */
xce_sim *xce_sim_create(const struct xce_sim_opts *opts);
void xce_sim_destroy(xce_sim *sim);

/* PCI configuration space (type 0 header), as lspci would see it. */
uint32_t xce_sim_config_read(xce_sim *sim, unsigned offset, unsigned width);
void xce_sim_config_write(xce_sim *sim, unsigned offset, unsigned width, uint32_t value);

/* BAR0: reads are combinational (no clock), a write costs one cycle. */
uint32_t xce_sim_bar0_read(xce_sim *sim, uint32_t offset);
void xce_sim_bar0_write(xce_sim *sim, uint32_t offset, uint32_t value);

/* Host memory visible to the engine. Returns the host pointer (zeroed)
 * and stores the bus address the engine uses; NULL on failure. Bus
 * addresses start above 4 GiB so 64-bit addressing is always exercised. */
void *xce_sim_mem_alloc(xce_sim *sim, size_t size, uint64_t *bus_addr);
void xce_sim_mem_free(xce_sim *sim, void *va);

/* Clock. wait_irq runs until the interrupt line is high (returns 1) or
 * max_cycles have passed (returns 0). */
void xce_sim_run(xce_sim *sim, uint64_t cycles);
int xce_sim_wait_irq(xce_sim *sim, uint64_t max_cycles);
int xce_sim_irq(xce_sim *sim);
uint64_t xce_sim_cycles(const xce_sim *sim);

/* Write a VCD of cycles [start, stop) to path (stop 0: until destroy),
 * and beside it a GTKWave save file (path with .gtkw for .vcd) that opens
 * the trace on the bus handshakes, ring indexes, request state and core
 * busy signals. Returns 0, or -1 if the file cannot be opened. Call before
 * running the cycles to be traced; dumping is slow, so keep the window
 * small. */
int xce_sim_trace(xce_sim *sim, const char *path, uint64_t start, uint64_t stop);

void xce_sim_inject(xce_sim *sim, enum xce_sim_fault fault, unsigned count);
/* Host bus errors the model has returned, for tests. */
uint64_t xce_sim_bus_errors(const xce_sim *sim);

#ifdef __cplusplus
}
#endif

#endif
