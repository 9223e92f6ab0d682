`default_nettype none
// pka_ram
// Simple dual-port RAM for the public-key accelerator: one read port with a
// synchronous (registered) read and one write port, 2^AW words of DW bits,
// one clock.  Written in the shape FPGA tools map to a block RAM (iCE40
// SB_RAM40_4K, ECP5 DP16KD, Xilinx RAMB18/36): the read-data register is the
// RAM's own output latch, so neither the array nor that register is reset.
//
// Cycle counts:
//   - Read: rd_en with rd_addr in cycle t -> rd_data holds mem[rd_addr] from
//     cycle t+1 until the next cycle with rd_en (1 cycle latency, one read
//     per cycle).
//   - Write: wr_en with wr_addr/wr_data in cycle t -> the word is stored at
//     the edge ending cycle t; a read issued in cycle t+1 or later sees it.
//   - Read and write of the same address in the same cycle return the old
//     word (read-first); the PKA never relies on this (pka_mont schedules
//     its reads and writes so that they never collide).
//
// rst_n is only the convention's asynchronous reset input: block RAM
// contents and output latches have no reset, so the reset branch is empty
// (simulation starts from zero; callers must write before they read).
module pka_ram #(
  parameter integer AW = 6,       // address bits: depth = 2^AW words
  parameter integer DW = 64       // word width
) (
  input  wire          clk,
  input  wire          rst_n,
  input  wire          rd_en,      // read mem[rd_addr] into rd_data
  input  wire [AW-1:0] rd_addr,
  output wire [DW-1:0] rd_data,
  input  wire          wr_en,      // mem[wr_addr] <= wr_data
  input  wire [AW-1:0] wr_addr,
  input  wire [DW-1:0] wr_data
);

  localparam integer DEPTH = 1 << AW;

  // ---------------------------------------------------------------- state
  reg [DW-1:0] mem_reg [0:DEPTH-1];
  reg [DW-1:0] rdata_reg;
  reg [DW-1:0] rdata_new;
  reg          rdata_we;

  assign rd_data = rdata_reg;

  // -------------------------------------------------------- next-state logic
  always @* begin
    rdata_new = mem_reg[rd_addr];
    rdata_we  = rd_en;
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      // no reset: block RAM array and output latch (see header)
    end else begin
      if (rdata_we) rdata_reg        <= rdata_new;
      if (wr_en)    mem_reg[wr_addr] <= wr_data;
    end
  end

endmodule

`default_nettype wire
