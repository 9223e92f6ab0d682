`default_nettype none
`include "xce_regs.vh"

// Top of the xce engine: BAR0 register block, CORES request engines (each
// with its cipher and hash units, fed by its own command/completion ring
// pair, so the driver keeps per-session order by keeping a session on one
// ring), the host bus shared among them, interrupt coalescing and the
// per-core counters.
//
// Host bus (driven by the PCIe/AXI bridge on a board, by the C++ harness
// in simulation): 128-bit beats, first byte in [127:120], byte length
// 1..16 per request, any alignment. Reads return in order, one response per
// request; writes are posted and acknowledged in order on wr_rsp.
module xce_top #(
    parameter [31:0] CLOCK_HZ = 32'd100000000,
    parameter [31:0] BUILD_ID = 32'h26112301,
    parameter [31:0] SERIAL   = 32'h01496536,
    // capability bits: which key sizes (128/192/256) and modes (ECB/CBC/CTR) are built
    parameter [31:0] CAP_AES  = 32'd7,
    parameter [31:0] CAP_MODE = 32'd7,
    parameter [31:0] CAP_DES  = 32'd1,
    parameter [31:0] CAP_TDES = 32'd1,
    parameter [31:0] CAP_HASH = 32'h3f,   // MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
    parameter [31:0] CAP_PKA  = 32'd1,    // the public-key accelerator (pka_top)
    parameter integer CORES   = 1         // request engines, each with its own ring pair (1..4)
) (
    input  wire         clk,
    input  wire         rst_n,
    // BAR0
    input  wire [11:0]  mmio_addr,
    input  wire         mmio_wr,
    input  wire [31:0]  mmio_wdata,
    output wire [31:0]  mmio_rdata,
    output wire         irq,
    // host bus
    output wire         rd_req_valid,
    input  wire         rd_req_ready,
    output wire [63:0]  rd_req_addr,
    output wire [4:0]   rd_req_len,
    input  wire         rd_rsp_valid,
    input  wire [127:0] rd_rsp_data,
    input  wire         rd_rsp_err,
    output wire         wr_req_valid,
    input  wire         wr_req_ready,
    output wire [63:0]  wr_req_addr,
    output wire [4:0]   wr_req_len,
    output wire [127:0] wr_req_data,
    input  wire         wr_rsp_valid,
    input  wire         wr_rsp_err,
    // test hooks: fault_stuck freezes the AES core until the next soft
    // reset; fault_pka corrupts the PKA's results while set
    input  wire         fault_stuck,
    input  wire         fault_pka
);

// --- registers
wire        ctrl_enable, ctrl_soft_reset;
wire        int_status_cpl, int_status_err, int_mask_cpl, int_mask_err;
wire        int_status_pka, int_mask_pka;
wire [31:0] coal_count, coal_cycles;
wire [127:0] cmd_base_lo, cmd_base_hi, cmd_size_log2, cmd_prod;
wire [127:0] cpl_base_lo, cpl_base_hi, cpl_size_log2, cpl_cons;
wire [127:0] win_base_lo, win_base_hi, win_size_lo, win_size_hi;

// per core (unbuilt cores read 0)
wire [127:0] cmd_cons_v, cpl_prod_v;
wire [127:0] core_reqs, core_b_lo, core_b_hi, core_busy_lo, core_busy_hi, core_errs;
wire [3:0]   eng_busy, ring_error, req_done, req_irq, core_busy;
wire [31:0]  req_status_v;
wire [127:0] req_bytes_v;
wire        cpl_set;

// PKA registers (pka_regs below)
wire [31:0] pka_n0inv_lo, pka_n0inv_hi, pka_fw_version, pka_status, pka_cycles;
wire [31:0] pka_mem_rlo, pka_mem_rhi;
wire        pka_cmd_wr, pka_mem_addr_wr, pka_mem_whi_wr, pka_ucode_addr_wr, pka_ucode_data_wr;
wire [31:0] pka_mem_wlo;
wire        pka_irq;
// the strobed PKA registers' stored copies: pka_regs takes the write data
// of the strobe cycle instead, so these only read back
wire [7:0]  pka_cmd_entry;
wire [6:0]  pka_cmd_size;
wire [12:0] pka_cmd_exp_bits;
wire [31:0] pka_mem_addr, pka_mem_whi, pka_ucode_addr, pka_ucode_data;
wire unused_pka_q = &{1'b0, pka_cmd_entry, pka_cmd_size, pka_cmd_exp_bits, pka_mem_addr, pka_mem_whi,
                      pka_ucode_addr, pka_ucode_data, pka_status[31:16], pka_status[7:3]};

reg  [63:0] cycle_reg, cycle_new;
reg  [7:0]  last_err_reg, last_err_new;
reg         ring_err_seen_reg;

wire any_ring_error = |ring_error;
reg  [7:0] done_status;     // status of a completion this cycle (the highest core wins)
reg        any_failed;
integer c;
always @* begin
    done_status = 8'h0;
    any_failed  = 1'b0;
    for (c = 0; c < 4; c = c + 1) begin
        if (req_done[c]) done_status = req_status_v[c*8 +: 8];
        if (req_done[c] && req_status_v[c*8 +: 8] != `XCE_STATUS_OK) any_failed = 1'b1;
    end
end
wire err_set = any_failed || (any_ring_error && !ring_err_seen_reg);


xce_regfile u_regs (
    .clk(clk), .rst_n(rst_n),
    .addr(mmio_addr), .wr_en(mmio_wr), .wr_data(mmio_wdata), .rd_data(mmio_rdata),
    .id_magic_i(`XCE_MAGIC),
    .id_version_minor_i(16'(`XCE_VERSION_MINOR)), .id_version_major_i(16'(`XCE_VERSION_MAJOR)),
    .id_build_i(BUILD_ID), .id_clock_hz_i(CLOCK_HZ),
    .id_cap_algos_aes128_i(CAP_AES[0]), .id_cap_algos_aes192_i(CAP_AES[1]),
    .id_cap_algos_aes256_i(CAP_AES[2]),
    .id_cap_algos_des_i(CAP_DES[0]), .id_cap_algos_tdes_i(CAP_TDES[0]), .id_cap_algos_md5_i(CAP_HASH[0]),
    .id_cap_algos_sha1_i(CAP_HASH[1]), .id_cap_algos_sha224_i(CAP_HASH[2]), .id_cap_algos_sha256_i(CAP_HASH[3]),
    .id_cap_algos_sha384_i(CAP_HASH[4]), .id_cap_algos_sha512_i(CAP_HASH[5]),
    .id_cap_algos_hmac_i(CAP_HASH[5:0] != 6'h0),
    .id_cap_algos_pka_i(CAP_PKA[0]),
    .id_cap_modes_ecb_i(CAP_MODE[0]), .id_cap_modes_cbc_i(CAP_MODE[1]), .id_cap_modes_ctr_i(CAP_MODE[2]),
    .id_topology_cores_i(8'(CORES)), .id_topology_rings_i(8'(CORES)),
    .id_topology_windows_i(8'(`XCE_MAX_WINDOWS)),
    .id_pka_max_bits_i(CAP_PKA[0] ? 32'd4096 : 32'd0), .id_serial_i(SERIAL),
    .id_fw_version_i(pka_fw_version),
    .ctrl_enable_q(ctrl_enable), .ctrl_soft_reset_q(ctrl_soft_reset),
    .status_busy_i(|eng_busy), .status_error_i(last_err_reg != 8'h0), .status_ring_error_i(any_ring_error),
    .error_info_i({24'h0, last_err_reg}),
    .cycle_lo_i(cycle_reg[31:0]), .cycle_hi_i(cycle_reg[63:32]),
    .int_status_cpl_q(int_status_cpl), .int_status_cpl_set(cpl_set),
    .int_status_err_q(int_status_err), .int_status_err_set(err_set),
    .int_status_pka_q(int_status_pka), .int_status_pka_set(pka_irq),
    .int_mask_cpl_q(int_mask_cpl), .int_mask_err_q(int_mask_err), .int_mask_pka_q(int_mask_pka),
    .int_coal_count_q(coal_count), .int_coal_cycles_q(coal_cycles),
    .pka_cmd_entry_q(pka_cmd_entry), .pka_cmd_size_q(pka_cmd_size), .pka_cmd_exp_bits_q(pka_cmd_exp_bits),
    .pka_cmd_wr(pka_cmd_wr),
    .pka_n0inv_lo_q(pka_n0inv_lo), .pka_n0inv_hi_q(pka_n0inv_hi),
    .pka_status_busy_i(pka_status[0]), .pka_status_done_i(pka_status[1]), .pka_status_fault_i(pka_status[2]),
    .pka_status_pc_i(pka_status[15:8]),
    .pka_mem_addr_q(pka_mem_addr), .pka_mem_addr_wr(pka_mem_addr_wr), .pka_mem_wlo_q(pka_mem_wlo),
    .pka_mem_whi_q(pka_mem_whi), .pka_mem_whi_wr(pka_mem_whi_wr), .pka_mem_rlo_i(pka_mem_rlo), .pka_mem_rhi_i(pka_mem_rhi),
    .pka_ucode_addr_q(pka_ucode_addr), .pka_ucode_addr_wr(pka_ucode_addr_wr),
    .pka_ucode_data_q(pka_ucode_data), .pka_ucode_data_wr(pka_ucode_data_wr),
    .pka_fw_version_q(pka_fw_version), .pka_cycles_i(pka_cycles),
    .cmd_base_lo_q(cmd_base_lo), .cmd_base_hi_q(cmd_base_hi), .cmd_size_log2_q(cmd_size_log2),
    .cmd_prod_q(cmd_prod), .cmd_cons_i(cmd_cons_v),
    .cpl_base_lo_q(cpl_base_lo), .cpl_base_hi_q(cpl_base_hi), .cpl_size_log2_q(cpl_size_log2),
    .cpl_prod_i(cpl_prod_v), .cpl_cons_q(cpl_cons),
    .win_base_lo_q(win_base_lo), .win_base_hi_q(win_base_hi),
    .win_size_lo_q(win_size_lo), .win_size_hi_q(win_size_hi),
    .core_reqs_i(core_reqs), .core_bytes_lo_i(core_b_lo), .core_bytes_hi_i(core_b_hi),
    .core_busy_lo_i(core_busy_lo), .core_busy_hi_i(core_busy_hi), .core_errors_i(core_errs)
);

// 64-bit window bases and sizes from their LO/HI register pairs
reg [255:0] win_base, win_size;
integer n;
always @* begin
    for (n = 0; n < 4; n = n + 1) begin
        win_base[n*64 +: 64] = {win_base_hi[n*32 +: 32], win_base_lo[n*32 +: 32]};
        win_size[n*64 +: 64] = {win_size_hi[n*32 +: 32], win_size_lo[n*32 +: 32]};
    end
end

// --- the engines and their share of the host bus
wire [CORES-1:0]     e_rd_valid, e_rd_ready, e_rsp_valid, e_wr_valid, e_wr_ready, e_ack_valid;
wire [CORES*64-1:0]  e_rd_addr, e_wr_addr;
wire [CORES*5-1:0]   e_rd_len, e_wr_len;
wire [CORES*128-1:0] e_wr_data;

genvar g;
generate
    for (g = 0; g < 4; g = g + 1) begin : g_core
        if (g < CORES) begin : g_built
            wire [11:0] cmd_cons, cpl_prod;
            wire [31:0] reqs, errors;
            wire [63:0] bytes, busy_cycles;
            xce_engine #(.CAP_AES(CAP_AES[2:0]), .CAP_MODE(CAP_MODE[2:0]), .CAP_DES(CAP_DES[0]),
                         .CAP_TDES(CAP_TDES[0]), .CAP_HASH(CAP_HASH[5:0])) u_engine (
                .clk(clk), .rst_n(rst_n), .fault_stuck(fault_stuck),
                .enable(ctrl_enable), .soft_reset(ctrl_soft_reset),
                .cmd_base({cmd_base_hi[g*32 +: 32], cmd_base_lo[g*32 +: 32]}),
                .cmd_size_log2(cmd_size_log2[g*32 +: 4]), .cmd_prod(cmd_prod[g*32 +: 12]),
                .cpl_base({cpl_base_hi[g*32 +: 32], cpl_base_lo[g*32 +: 32]}),
                .cpl_size_log2(cpl_size_log2[g*32 +: 4]), .cpl_cons(cpl_cons[g*32 +: 12]),
                .win_base(win_base), .win_size(win_size),
                .cmd_cons(cmd_cons), .cpl_prod(cpl_prod), .busy(eng_busy[g]), .ring_error(ring_error[g]),
                .req_done(req_done[g]), .req_irq(req_irq[g]), .req_status(req_status_v[g*8 +: 8]),
                .req_bytes(req_bytes_v[g*32 +: 32]), .core_busy(core_busy[g]),
                .rd_req_valid(e_rd_valid[g]), .rd_req_ready(e_rd_ready[g]), .rd_req_addr(e_rd_addr[g*64 +: 64]),
                .rd_req_len(e_rd_len[g*5 +: 5]), .rd_rsp_valid(e_rsp_valid[g]), .rd_rsp_data(rd_rsp_data),
                .rd_rsp_err(rd_rsp_err),
                .wr_req_valid(e_wr_valid[g]), .wr_req_ready(e_wr_ready[g]), .wr_req_addr(e_wr_addr[g*64 +: 64]),
                .wr_req_len(e_wr_len[g*5 +: 5]), .wr_req_data(e_wr_data[g*128 +: 128]),
                .wr_rsp_valid(e_ack_valid[g]), .wr_rsp_err(wr_rsp_err)
            );
            core_counters u_counters (
                .clk(clk), .rst_n(rst_n), .req_done(req_done[g]), .req_status(req_status_v[g*8 +: 8]),
                .req_bytes(req_bytes_v[g*32 +: 32]), .busy(core_busy[g]),
                .reqs(reqs), .bytes(bytes), .busy_cycles(busy_cycles), .errors(errors)
            );
            assign cmd_cons_v[g*32 +: 32]   = {20'h0, cmd_cons};
            assign cpl_prod_v[g*32 +: 32]   = {20'h0, cpl_prod};
            assign core_reqs[g*32 +: 32]    = reqs;
            assign core_b_lo[g*32 +: 32]    = bytes[31:0];
            assign core_b_hi[g*32 +: 32]    = bytes[63:32];
            assign core_busy_lo[g*32 +: 32] = busy_cycles[31:0];
            assign core_busy_hi[g*32 +: 32] = busy_cycles[63:32];
            assign core_errs[g*32 +: 32]    = errors;
        end else begin : g_absent
            assign eng_busy[g] = 1'b0;
            assign ring_error[g] = 1'b0;
            assign req_done[g] = 1'b0;
            assign req_irq[g] = 1'b0;
            assign core_busy[g] = 1'b0;
            assign req_status_v[g*8 +: 8] = 8'h0;
            assign req_bytes_v[g*32 +: 32] = 32'h0;
            assign cmd_cons_v[g*32 +: 32] = 32'h0;
            assign cpl_prod_v[g*32 +: 32] = 32'h0;
            assign core_reqs[g*32 +: 32] = 32'h0;
            assign core_b_lo[g*32 +: 32] = 32'h0;
            assign core_b_hi[g*32 +: 32] = 32'h0;
            assign core_busy_lo[g*32 +: 32] = 32'h0;
            assign core_busy_hi[g*32 +: 32] = 32'h0;
            assign core_errs[g*32 +: 32] = 32'h0;
        end
    end
endgenerate

bus_arbiter #(.N(CORES)) u_bus (
    .clk(clk), .rst_n(rst_n),
    .e_rd_valid(e_rd_valid), .e_rd_ready(e_rd_ready), .e_rd_addr(e_rd_addr), .e_rd_len(e_rd_len),
    .e_rsp_valid(e_rsp_valid),
    .e_wr_valid(e_wr_valid), .e_wr_ready(e_wr_ready), .e_wr_addr(e_wr_addr), .e_wr_len(e_wr_len),
    .e_wr_data(e_wr_data), .e_ack_valid(e_ack_valid),
    .rd_req_valid(rd_req_valid), .rd_req_ready(rd_req_ready), .rd_req_addr(rd_req_addr), .rd_req_len(rd_req_len),
    .rd_rsp_valid(rd_rsp_valid),
    .wr_req_valid(wr_req_valid), .wr_req_ready(wr_req_ready), .wr_req_addr(wr_req_addr), .wr_req_len(wr_req_len),
    .wr_req_data(wr_req_data), .wr_rsp_valid(wr_rsp_valid)
);

// register bits the engines do not use (ring indexes are 12 bits, sizes 4)
wire unused_regs = &{1'b0, cmd_size_log2, cpl_size_log2, cmd_prod, cpl_cons, CAP_HASH[31:6],
                     cmd_base_lo, cmd_base_hi, cpl_base_lo, cpl_base_hi, core_busy, req_bytes_v};   // unbuilt cores

irq_ctrl u_irq (
    .clk(clk), .rst_n(rst_n), .cpl_event(|req_irq),
    .coal_count(coal_count), .coal_cycles(coal_cycles), .cpl_set(cpl_set)
);

assign irq = (int_status_cpl && int_mask_cpl) || (int_status_err && int_mask_err) ||
             (int_status_pka && int_mask_pka);

// --- the public-key accelerator behind its registers
generate
    if (CAP_PKA[0]) begin : g_pka
        pka_regs u_pka (
            .clk(clk), .rst_n(rst_n), .wdata(mmio_wdata),
            .cmd_wr(pka_cmd_wr), .mem_addr_wr(pka_mem_addr_wr), .mem_whi_wr(pka_mem_whi_wr),
            .ucode_addr_wr(pka_ucode_addr_wr), .ucode_data_wr(pka_ucode_data_wr),
            .mem_wlo(pka_mem_wlo), .n0inv({pka_n0inv_hi, pka_n0inv_lo}), .fw_version(pka_fw_version),
            .status(pka_status), .cycles(pka_cycles), .mem_rlo(pka_mem_rlo), .mem_rhi(pka_mem_rhi),
            .stopped(pka_irq), .fault_corrupt(fault_pka)
        );
    end else begin : g_no_pka
        assign pka_status = 32'h0;
        assign pka_cycles = 32'h0;
        assign pka_mem_rlo = 32'h0;
        assign pka_mem_rhi = 32'h0;
        assign pka_irq = 1'b0;
        wire unused_pka = &{1'b0, pka_cmd_wr, pka_mem_addr_wr, pka_mem_whi_wr, pka_ucode_addr_wr,
                            pka_ucode_data_wr, pka_mem_wlo, pka_n0inv_lo, pka_n0inv_hi, fault_pka};
    end
endgenerate

always @* begin
    cycle_new    = cycle_reg + 64'h1;
    last_err_new = (|req_done) ? done_status : last_err_reg;
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        cycle_reg         <= 64'h0;
        last_err_reg      <= 8'h0;
        ring_err_seen_reg <= 1'b0;
    end else begin
        cycle_reg         <= cycle_new;
        last_err_reg      <= last_err_new;
        ring_err_seen_reg <= any_ring_error;
    end
end

endmodule

`default_nettype wire
