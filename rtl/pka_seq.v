`default_nettype none
`include "xce_regs.vh"
// pka_seq
// Microcode sequencer of the public-key accelerator.  It runs the program
// the driver loaded into the microcode memory (firmware/README.md has the
// instruction set and firmware/pka.uasm the programs) on the operand memory,
// one instruction at a time, with the Montgomery multiplier pka_mont as its
// only arithmetic unit:
//   MUL   RD, RA, RB|1 [COND]  RD = RA*RB*2^(-64s) mod N   (N in slot 0)
//   LDBIT RA                   BIT = bit CNT-1 of slot RA
//   LDCNT                      CNT = exp_bits
//   JZ T / DJNZ T / JMP T      branches on CNT only
//   HALT                       stop, done
// The instruction set is built so that a program's path and timing depend
// only on exp_bits and size: branches test the counter, never data, and the
// exponent bit only chooses the data MUL COND writes (pka_mont's commit is a
// data multiplexer: same cycles, reads and writes either way).
//
// Cycle counts (P(s) = s^2 + 3s + 3, pka_mont's product): start accepted in
// cycle t; each instruction is fetched in one cycle and executed from the
// next: MUL takes P(s) + 1 cycles, LDBIT 3, every other instruction 2, HALT
// included.  busy is low and done (or fault) high for one cycle from the
// cycle after HALT executes.  E.g. firmware/pka.uasm's modexp with L
// exponent bits: (2L + 3) * P(s) + 7L + 10, from start to done.
//
// Faults (stop with fault high, busy low): size outside 3..64 at start; an
// unknown opcode; MUL with RD = 0 (the modulus).
module pka_seq #(
  parameter integer SLOT_W = 3,
  parameter integer PC_W   = 8
) (
  input  wire              clk,
  input  wire              rst_n,
  input  wire              start,               // pulse: run from entry (ignored while busy)
  input  wire [PC_W-1:0]   entry,
  input  wire [6:0]        size,                // s, words of 64 bits, 3..64
  input  wire [12:0]       exp_bits,            // for LDCNT, 0..4096 (larger: 4096)
  input  wire [63:0]       n0inv,               // -N^(-1) mod 2^64
  output wire              busy,
  output wire              done,                // pulse: HALT reached
  output wire              fault,               // pulse: stopped on a fault
  output wire [PC_W-1:0]   pc,
  // microcode memory (synchronous read)
  output wire              ic_en,
  output wire [PC_W-1:0]   ic_addr,
  input  wire [31:0]       ic_data,
  // operand memory master (as pka_mont)
  output wire              rd0_en,
  output wire [SLOT_W+5:0] rd0_addr,
  input  wire [63:0]       rd0_data,
  output wire              rd1_en,
  output wire [SLOT_W+5:0] rd1_addr,
  input  wire [63:0]       rd1_data,
  output wire              wr_en,
  output wire [SLOT_W+5:0] wr_addr,
  output wire [63:0]       wr_data
);

  localparam [2:0] S_IDLE  = 3'd0;
  localparam [2:0] S_FETCH = 3'd1;              // read ic[pc]
  localparam [2:0] S_EXEC  = 3'd2;              // ic_data holds the instruction
  localparam [2:0] S_MUL   = 3'd3;              // product running
  localparam [2:0] S_BIT   = 3'd4;              // LDBIT: exponent word arrived

  localparam [12:0] MAX_BITS = 13'd4096;

  reg [2:0]        st_reg, st_new;
  reg [PC_W-1:0]   pc_reg, pc_new;
  reg [31:0]       ir_reg;                      // instruction of the MUL running
  reg              ir_we;
  reg [12:0]       cnt_reg, cnt_new;
  reg              bit_reg, bit_new;
  reg              busy_reg, busy_new;
  reg              done_reg, done_new;
  reg              fault_reg, fault_new;
  reg [6:0]        size_reg;
  reg [63:0]       n0_reg;
  reg [12:0]       ebits_reg;
  reg              cfg_we;

  wire [3:0]        op    = ic_data[`XCE_PKA_INSN_OP];
  wire [SLOT_W-1:0] i_rd  = ic_data[`XCE_PKA_INSN_RD];
  wire [SLOT_W-1:0] i_ra  = ic_data[`XCE_PKA_INSN_RA];
  wire [PC_W-1:0]   i_tgt = ic_data[`XCE_PKA_INSN_TARGET];
  wire              exec  = (st_reg == S_EXEC);

  // ---------------------------------------------------------- Montgomery unit
  reg               m_start;
  wire              m_busy, m_done;
  wire              m_rd0_en;
  wire [SLOT_W+5:0] m_rd0_addr;

  pka_mont #(.SLOT_W(SLOT_W)) u_mont (
    .clk      (clk),
    .rst_n    (rst_n),
    .start    (m_start),
    .size     (size_reg),
    .n0inv    (n0_reg),
    .a_slot   (m_start ? ic_data[`XCE_PKA_INSN_RA] : ir_reg[`XCE_PKA_INSN_RA]),
    .b_slot   (m_start ? ic_data[`XCE_PKA_INSN_RB] : ir_reg[`XCE_PKA_INSN_RB]),
    .b_one    (m_start ? ic_data[`XCE_PKA_INSN_ONE] : ir_reg[`XCE_PKA_INSN_ONE]),
    .n_slot   ({SLOT_W{1'b0}}),
    .r_slot   (m_start ? i_rd : ir_reg[`XCE_PKA_INSN_RD]),
    .commit   (~(m_start ? ic_data[`XCE_PKA_INSN_COND] : ir_reg[`XCE_PKA_INSN_COND]) | bit_reg),
    .busy     (m_busy),
    .done     (m_done),
    .rd0_en   (m_rd0_en),
    .rd0_addr (m_rd0_addr),
    .rd0_data (rd0_data),
    .rd1_en   (rd1_en),
    .rd1_addr (rd1_addr),
    .rd1_data (rd1_data),
    .wr_en    (wr_en),
    .wr_addr  (wr_addr),
    .wr_data  (wr_data)
  );

  // LDBIT reads the exponent word holding bit CNT-1 (CNT = 0 reads bit 4095:
  // harmless, programs only test bits while CNT > 0)
  wire [11:0] bit_idx = cnt_reg[11:0] - 12'd1;
  wire        ldbit   = exec && op == `XCE_PKA_OP_LDBIT;

  assign rd0_en   = m_rd0_en | ldbit;
  assign rd0_addr = ldbit ? {i_ra, bit_idx[11:6]} : m_rd0_addr;
  assign ic_en    = (st_reg == S_FETCH);
  assign ic_addr  = pc_reg;
  assign busy     = busy_reg;
  assign done     = done_reg;
  assign fault    = fault_reg;
  assign pc       = pc_reg;

  wire size_ok = (size >= 7'd3) && (size <= 7'd64);
  wire [12:0] cnt_dec = cnt_reg - 13'd1;

  // -------------------------------------------------------- next-state logic
  always @* begin
    st_new    = st_reg;
    pc_new    = pc_reg;
    cnt_new   = cnt_reg;
    bit_new   = bit_reg;
    busy_new  = busy_reg;
    done_new  = 1'b0;
    fault_new = 1'b0;
    cfg_we    = 1'b0;
    ir_we     = 1'b0;
    m_start   = 1'b0;

    case (st_reg)
      S_IDLE: if (start) begin
        if (size_ok) begin
          cfg_we   = 1'b1;
          pc_new   = entry;
          cnt_new  = 13'd0;
          bit_new  = 1'b0;
          st_new   = S_FETCH;
          busy_new = 1'b1;
        end else begin
          fault_new = 1'b1;
        end
      end
      S_FETCH: st_new = S_EXEC;
      S_EXEC: begin
        st_new = S_FETCH;
        pc_new = pc_reg + 1'b1;
        case (op)
          `XCE_PKA_OP_HALT: begin
            st_new   = S_IDLE;
            pc_new   = pc_reg;
            busy_new = 1'b0;
            done_new = 1'b1;
          end
          `XCE_PKA_OP_MUL: begin
            if (i_rd == {SLOT_W{1'b0}}) begin
              st_new    = S_IDLE;
              pc_new    = pc_reg;
              busy_new  = 1'b0;
              fault_new = 1'b1;
            end else begin
              m_start = 1'b1;
              ir_we   = 1'b1;
              st_new  = S_MUL;
              pc_new  = pc_reg;
            end
          end
          `XCE_PKA_OP_LDBIT: begin
            st_new = S_BIT;
            pc_new = pc_reg;
          end
          `XCE_PKA_OP_LDCNT: cnt_new = (ebits_reg > MAX_BITS) ? MAX_BITS : ebits_reg;
          `XCE_PKA_OP_JZ:    if (cnt_reg == 13'd0) pc_new = i_tgt;
          `XCE_PKA_OP_DJNZ: begin
            cnt_new = cnt_dec;
            if (cnt_dec != 13'd0) pc_new = i_tgt;
          end
          `XCE_PKA_OP_JMP:   pc_new = i_tgt;
          default: begin
            st_new    = S_IDLE;
            pc_new    = pc_reg;
            busy_new  = 1'b0;
            fault_new = 1'b1;
          end
        endcase
      end
      S_MUL: if (m_done) begin
        st_new = S_FETCH;
        pc_new = pc_reg + 1'b1;
      end
      S_BIT: begin
        bit_new = rd0_data[bit_idx[5:0]];
        st_new  = S_FETCH;
        pc_new  = pc_reg + 1'b1;
      end
      default: st_new = S_IDLE;
    endcase
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      st_reg    <= S_IDLE;
      pc_reg    <= {PC_W{1'b0}};
      ir_reg    <= 32'h0;
      cnt_reg   <= 13'd0;
      bit_reg   <= 1'b0;
      busy_reg  <= 1'b0;
      done_reg  <= 1'b0;
      fault_reg <= 1'b0;
      size_reg  <= 7'd0;
      n0_reg    <= 64'd0;
      ebits_reg <= 13'd0;
    end else begin
      st_reg    <= st_new;
      pc_reg    <= pc_new;
      cnt_reg   <= cnt_new;
      bit_reg   <= bit_new;
      busy_reg  <= busy_new;
      done_reg  <= done_new;
      fault_reg <= fault_new;
      if (ir_we) ir_reg <= ic_data;
      if (cfg_we) begin
        size_reg  <= size;
        n0_reg    <= n0inv;
        ebits_reg <= exp_bits;
      end
    end
  end

  wire unused = &{1'b0, m_busy, ir_reg[31:28], ir_reg[16:0], ic_data[16:8]};

endmodule

`default_nettype wire
