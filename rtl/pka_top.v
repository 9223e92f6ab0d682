`default_nettype none
// pka_top
// Thin test top of the public-key accelerator: the operand memory (8 slots
// of 64 x 64-bit words, 4096 bits per slot) with a host port, and the
// modexp sequencer pka_exp with its Montgomery multiplier pka_mont.
//
// Operand memory: 512 words, address {slot[2:0], word[5:0]}, word 0 the
// least significant 64 bits of a number.  pka_mont reads two words per
// cycle (b_j and n_j), so the memory is two copies of one simple dual-port
// RAM (pka_ram: one synchronous read port, one write port each), written
// together: copy 0 serves read port 0 and the host, copy 1 read port 1.
// On an FPGA that is 2 x 32 Kbit of block RAM (plus pka_mont's 2 x 4 Kbit
// T/D memories).
//
// Host port (honoured only while busy is low; ignored while busy):
//   mem_we: mem_wdata -> word mem_addr at the edge ending that cycle.
//   mem_re in cycle t: mem_rdata holds word mem_addr from cycle t+1 (until
//   the next mem_re or operation).
//
// Operations: start (with busy low) latches op_mul, size, exp_bits, n0inv
// and the slots; busy is high until the operation ends; then busy is low
// and done high for one cycle.
//   op_mul = 0, modexp, fixed slot map:
//     slot 0 N (odd, size words)          slot 1 R2 = 2^(128*size) mod N
//     slot 2 base X (any size-word value)  slot 3 exponent E (exp_bits bits)
//     slot 4 result X^E mod N              slot 5 scratch (X in Montgomery form)
//     slots 0..3 are left unchanged.
//   op_mul = 1, one Montgomery product, N in slot 0:
//     slot mul_r_slot = A * B * 2^(-64*size) mod N with A in mul_a_slot, B
//     in mul_b_slot (A, B < 2^(64*size), one of them < N); mul_r_slot may be
//     mul_a_slot and/or mul_b_slot, not 0.
// n0inv = -N^(-1) mod 2^64; size = 3..64 words; exp_bits = 0..4096.
//
// Cycle counts (start cycle t -> done high in cycle t + C; P = s^2 + 3s + 3
// with s = size): modexp C = (2*exp_bits + 3) * P + 2*exp_bits + 1,
// product C = P + 1 (see pka_exp, pka_mont).
module pka_top (
  input  wire        clk,
  input  wire        rst_n,
  // host access to the operand memory
  input  wire        mem_we,
  input  wire        mem_re,
  input  wire [8:0]  mem_addr,      // {slot, word}
  input  wire [63:0] mem_wdata,
  output wire [63:0] mem_rdata,
  // command
  input  wire        start,         // pulse (ignored while busy)
  input  wire        op_mul,        // 0 = modexp, 1 = one Montgomery product
  input  wire [6:0]  size,          // words of 64 bits, 3..64
  input  wire [12:0] exp_bits,      // exponent length in bits, 0..4096
  input  wire [63:0] n0inv,         // -N^(-1) mod 2^64
  input  wire [2:0]  mul_a_slot,    // op_mul = 1 only
  input  wire [2:0]  mul_b_slot,
  input  wire [2:0]  mul_r_slot,
  output wire        busy,
  output wire        done
);

  localparam integer SLOT_W   = 3;
  localparam [2:0] SLOT_N    = 3'd0;
  localparam [2:0] SLOT_R2   = 3'd1;
  localparam [2:0] SLOT_BASE = 3'd2;
  localparam [2:0] SLOT_EXP  = 3'd3;
  localparam [2:0] SLOT_RES  = 3'd4;
  localparam [2:0] SLOT_TMP  = 3'd5;

  wire        x_rd0_en, x_rd1_en, x_wr_en;
  wire [8:0]  x_rd0_addr, x_rd1_addr, x_wr_addr;
  wire [63:0] x_wr_data;
  wire [63:0] rd0_data, rd1_data;

  pka_exp #(.SLOT_W(SLOT_W)) u_exp (
    .clk      (clk),
    .rst_n    (rst_n),
    .start    (start),
    .op_mul   (op_mul),
    .size     (size),
    .exp_bits (exp_bits),
    .n0inv    (n0inv),
    .n_slot   (SLOT_N),
    .a_slot   (op_mul ? mul_a_slot : SLOT_BASE),
    .b_slot   (op_mul ? mul_b_slot : SLOT_R2),
    .e_slot   (SLOT_EXP),
    .t_slot   (SLOT_TMP),
    .r_slot   (op_mul ? mul_r_slot : SLOT_RES),
    .busy     (busy),
    .done     (done),
    .rd0_en   (x_rd0_en),
    .rd0_addr (x_rd0_addr),
    .rd0_data (rd0_data),
    .rd1_en   (x_rd1_en),
    .rd1_addr (x_rd1_addr),
    .rd1_data (rd1_data),
    .wr_en    (x_wr_en),
    .wr_addr  (x_wr_addr),
    .wr_data  (x_wr_data)
  );

  // the host owns read port 0 and the write port while not busy
  wire        p0_en   = busy ? x_rd0_en   : mem_re;
  wire [8:0]  p0_addr = busy ? x_rd0_addr : mem_addr;
  wire        w_en    = busy ? x_wr_en    : mem_we;
  wire [8:0]  w_addr  = busy ? x_wr_addr  : mem_addr;
  wire [63:0] w_data  = busy ? x_wr_data  : mem_wdata;

  pka_ram #(.AW(9), .DW(64)) u_mem0 (
    .clk     (clk),
    .rst_n   (rst_n),
    .rd_en   (p0_en),
    .rd_addr (p0_addr),
    .rd_data (rd0_data),
    .wr_en   (w_en),
    .wr_addr (w_addr),
    .wr_data (w_data)
  );

  pka_ram #(.AW(9), .DW(64)) u_mem1 (
    .clk     (clk),
    .rst_n   (rst_n),
    .rd_en   (x_rd1_en),
    .rd_addr (x_rd1_addr),
    .rd_data (rd1_data),
    .wr_en   (w_en),
    .wr_addr (w_addr),
    .wr_data (w_data)
  );

  assign mem_rdata = rd0_data;

endmodule

`default_nettype wire
