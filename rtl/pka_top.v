`default_nettype none
// pka_top
// pka_top
// The public-key accelerator: the microcode sequencer pka_seq with its
// Montgomery multiplier, the microcode memory (256 x 32 bits) and the
// operand memory (8 slots of 64 x 64-bit words, 4096 bits per slot), each
// with a host port.  xce_top connects the host ports to the PKA_* registers.
//
// Operand memory: 512 words, address {slot[2:0], word[5:0]}, word 0 the
// least significant 64 bits of a number.  pka_mont reads two words per
// cycle (b_j and n_j), so the memory is two copies of one simple dual-port
// RAM (pka_ram: one synchronous read port, one write port each), written
// together: copy 0 serves read port 0 and the host, copy 1 read port 1.
// On an FPGA that is 2 x 32 Kbit of block RAM, plus pka_mont's 2 x 4 Kbit
// T/D memories and one 8 Kbit microcode RAM.
//
// Host ports (honoured only while busy is low; ignored while busy):
//   mem_we: mem_wdata -> word mem_addr at the edge ending that cycle.
//   mem_re in cycle t: mem_rdata holds word mem_addr from cycle t+1 (until
//   the next mem_re or operation).
//   ic_we: ic_wdata -> microcode word ic_addr.
//
// start (with busy low) runs the program at entry (pka_seq); busy is high
// until it halts, then done (or fault) is high for one cycle.  By the
// firmware's convention slot 0 holds the modulus N.
//
// fault_corrupt (test hook): while set, every result word 0 the sequencer
// writes has bit 0 flipped, so results are wrong the way a damaged
// multiplier would make them.
module pka_top (
  input  wire        clk,
  input  wire        rst_n,
  // host access to the operand memory
  input  wire        mem_we,
  input  wire        mem_re,
  input  wire [8:0]  mem_addr,      // {slot, word}
  input  wire [63:0] mem_wdata,
  output wire [63:0] mem_rdata,
  // host access to the microcode memory (write only)
  input  wire        ic_we,
  input  wire [7:0]  ic_addr,
  input  wire [31:0] ic_wdata,
  // command
  input  wire        start,         // pulse (ignored while busy)
  input  wire [7:0]  entry,         // microcode address of the program
  input  wire [6:0]  size,          // words of 64 bits, 3..64
  input  wire [12:0] exp_bits,      // exponent length in bits, 0..4096
  input  wire [63:0] n0inv,         // -N^(-1) mod 2^64
  output wire        busy,
  output wire        done,
  output wire        fault,
  output wire [7:0]  pc,
  input  wire        fault_corrupt
);

  localparam integer SLOT_W = 3;

  wire        x_rd0_en, x_rd1_en, x_wr_en;
  wire [8:0]  x_rd0_addr, x_rd1_addr, x_wr_addr;
  wire [63:0] x_wr_data;
  wire [63:0] rd0_data, rd1_data;
  wire        ic_en;
  wire [7:0]  ic_raddr;
  wire [31:0] ic_data;

  pka_seq #(.SLOT_W(SLOT_W), .PC_W(8)) u_seq (
    .clk      (clk),
    .rst_n    (rst_n),
    .start    (start),
    .entry    (entry),
    .size     (size),
    .exp_bits (exp_bits),
    .n0inv    (n0inv),
    .busy     (busy),
    .done     (done),
    .fault    (fault),
    .pc       (pc),
    .ic_en    (ic_en),
    .ic_addr  (ic_raddr),
    .ic_data  (ic_data),
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

  pka_ram #(.AW(8), .DW(32)) u_ucode (
    .clk     (clk),
    .rst_n   (rst_n),
    .rd_en   (ic_en),
    .rd_addr (ic_raddr),
    .rd_data (ic_data),
    .wr_en   (ic_we & ~busy),
    .wr_addr (ic_addr),
    .wr_data (ic_wdata)
  );

  wire [63:0] x_wr_fault = {63'd0, fault_corrupt && x_wr_addr[5:0] == 6'd0};

  // the host owns read port 0 and the write port while not busy
  wire        p0_en   = busy ? x_rd0_en   : mem_re;
  wire [8:0]  p0_addr = busy ? x_rd0_addr : mem_addr;
  wire        w_en    = busy ? x_wr_en    : mem_we;
  wire [8:0]  w_addr  = busy ? x_wr_addr  : mem_addr;
  wire [63:0] w_data  = busy ? x_wr_data ^ x_wr_fault : mem_wdata;

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
