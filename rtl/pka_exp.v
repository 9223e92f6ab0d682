`default_nettype none
// pka_exp
// Modular exponentiation sequencer of the public-key accelerator: a fixed
// sequence of Montgomery products (pka_mont) computing, in constant time
// with respect to the exponent's bit values,
//   op_mul = 0:  R = X^E mod N            (modexp)
//   op_mul = 1:  R = A * B * 2^(-64s) mod N  (one Montgomery product)
// on operands in the operand memory ({slot, word} addresses, 64 words of 64
// bits per slot, word 0 least significant).
//
// Slots (latched at start):
//   n_slot  N, odd, s words (s = size, 3..64)
//   a_slot  op 0: base X, any s-word value (X >= N is fine)   op 1: A
//   b_slot  op 0: R2 = 2^(128s) mod N, supplied by the caller  op 1: B
//   e_slot  op 0: exponent E, bit k in word k/64, bit k%64; only bits
//           exp_bits-1 .. 0 are used (exp_bits <= 4096; larger values are
//           treated as 4096)
//   t_slot  op 0: scratch, receives X in Montgomery form
//   r_slot  result (op 0: written several times while running); it may be
//           a_slot or b_slot for op 1, and must differ from the other op-0
//           slots.  The input slots are not modified.
// n0inv = -N^(-1) mod 2^64 is supplied by the caller (as is R2).
//
// Algorithm: left-to-right square-and-multiply-always in Montgomery form
// (Mont(x, y) = x*y*2^(-64s) mod N, "1" = the constant one, pka_mont b_one):
//   ONE:   R  = Mont(R2, 1)        = 2^(64s) mod N   (1 in Montgomery form)
//   CONV:  T  = Mont(X, R2)        = X * 2^(64s) mod N
//   for k = exp_bits-1 downto 0:
//     LDBIT: bit = E[k]            (read the exponent word, select a bit)
//     SQR:   R  = Mont(R, R)
//     MUL:   R  = bit ? Mont(R, T) : R    (product always computed; pka_mont
//                                          commit = bit selects the written
//                                          data, same cycles and accesses)
//   OUT:   R  = Mont(R, 1)         = X^E mod N     (fully reduced)
// exp_bits = 0 gives 1 mod N.  Each step is one self-contained operation
// (MUL dst, srcA, srcB|ONE, cond; LDBIT k), the form in which it can later
// become a microcode instruction.  Only the exponent LENGTH steers the
// sequence; the bit values only drive pka_mont's commit data select.
//
// Cycle counts (P(s) = s^2 + 3s + 3, pka_mont's product):
//   start accepted in cycle t (busy low); each Montgomery product takes
//   exactly P(s) cycles back to back, LDBIT 2 cycles.  busy is low and done
//   high (one cycle) from cycle t + C, with
//     op 0:  C = (2L + 3) * P(s) + 2L + 1        (L = exp_bits)
//     op 1:  C = P(s) + 1
//   e.g. 2048-bit modulus, L = 17 (e = 65537): 41,586; 4096-bit, L = 17:
//   158,802; 1024-bit, L = 1024: 631,706 (an RSA-2048 CRT private operation
//   is two of these, 1,263,412, plus the recombination done elsewhere).
//   The count depends only on s and L, never on the exponent's bit values.
//
// Memory ports: pka_mont's while a product runs; rd0 reads the exponent in
// LDBIT.  All enables are low while not busy.  Inputs are sampled only with
// an accepted start; start while busy is ignored.
module pka_exp #(
  parameter integer SLOT_W = 3
) (
  input  wire              clk,
  input  wire              rst_n,
  input  wire              start,               // pulse: begin (ignored while busy)
  input  wire              op_mul,              // 0 = modexp, 1 = one Montgomery product
  input  wire [6:0]        size,                // s, words of 64 bits, 3..64
  input  wire [12:0]       exp_bits,            // L, exponent length in bits, 0..4096
  input  wire [63:0]       n0inv,               // -N^(-1) mod 2^64
  input  wire [SLOT_W-1:0] n_slot,
  input  wire [SLOT_W-1:0] a_slot,
  input  wire [SLOT_W-1:0] b_slot,
  input  wire [SLOT_W-1:0] e_slot,
  input  wire [SLOT_W-1:0] t_slot,
  input  wire [SLOT_W-1:0] r_slot,
  output wire              busy,
  output wire              done,                // pulse: finished (busy low)
  // operand memory master
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

  // steps ("instructions")
  localparam [3:0] ST_IDLE   = 4'd0;
  localparam [3:0] ST_ONE    = 4'd1;            // R = Mont(R2, 1)
  localparam [3:0] ST_CONV   = 4'd2;            // T = Mont(X, R2)
  localparam [3:0] ST_LDRD   = 4'd3;            // LDBIT: read exponent word
  localparam [3:0] ST_LDCAP  = 4'd4;            // LDBIT: select the bit
  localparam [3:0] ST_SQR    = 4'd5;            // R = Mont(R, R)
  localparam [3:0] ST_MUL    = 4'd6;            // R = bit ? Mont(R, T) : R
  localparam [3:0] ST_OUT    = 4'd7;            // R = Mont(R, 1)
  localparam [3:0] ST_SINGLE = 4'd8;            // R = Mont(A, B)

  localparam [12:0] MAX_BITS = 13'd4096;

  // ---------------------------------------------------------------- state
  reg [3:0]        step_reg;
  reg [3:0]        step_new;
  reg              step_we;

  reg              go_reg;        // issue the product's start this cycle
  reg              go_new;
  reg              go_we;

  reg [12:0]       cnt_reg;       // exponent bits left (next bit: cnt-1)
  reg [12:0]       cnt_new;
  reg              cnt_we;

  reg              bit_reg;       // current exponent bit (MUL commit)
  reg              bit_new;
  reg              bit_we;

  reg              busy_reg;
  reg              busy_new;
  reg              busy_we;

  reg              done_reg;
  reg              done_new;

  reg [6:0]        size_reg;      // configuration, latched with start
  reg [6:0]        size_new;
  reg [63:0]       n0_reg;
  reg [63:0]       n0_new;
  reg [SLOT_W-1:0] nsl_reg, asl_reg, bsl_reg, esl_reg, tsl_reg, rsl_reg;
  reg [SLOT_W-1:0] nsl_new, asl_new, bsl_new, esl_new, tsl_new, rsl_new;
  reg              cfg_we;

  // ---------------------------------------------------------- Montgomery unit
  reg              m_start;
  reg [SLOT_W-1:0] m_a, m_b, m_r;
  reg              m_one;
  reg              m_commit;
  wire             m_busy;
  wire             m_done;
  wire             m_rd0_en;
  wire [SLOT_W+5:0] m_rd0_addr;

  pka_mont #(.SLOT_W(SLOT_W)) u_mont (
    .clk      (clk),
    .rst_n    (rst_n),
    .start    (m_start),
    .size     (size_reg),
    .n0inv    (n0_reg),
    .a_slot   (m_a),
    .b_slot   (m_b),
    .b_one    (m_one),
    .n_slot   (nsl_reg),
    .r_slot   (m_r),
    .commit   (m_commit),
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

  wire [11:0] bit_idx = cnt_reg[11:0] - 12'd1;   // valid while 1 <= cnt <= 4096
  wire        ldrd    = (step_reg == ST_LDRD);

  assign rd0_en   = m_rd0_en | ldrd;
  assign rd0_addr = ldrd ? {esl_reg, bit_idx[11:6]} : m_rd0_addr;
  assign busy     = busy_reg;
  assign done     = done_reg;

  // operands of the current step's product
  always @* begin
    m_a      = rsl_reg;
    m_b      = rsl_reg;
    m_r      = rsl_reg;
    m_one    = 1'b0;
    m_commit = 1'b1;
    case (step_reg)
      ST_ONE:    begin m_a = bsl_reg; m_one = 1'b1;                end
      ST_CONV:   begin m_a = asl_reg; m_b = bsl_reg; m_r = tsl_reg; end
      ST_MUL:    begin m_b = tsl_reg; m_commit = bit_reg;          end
      ST_OUT:    begin m_one = 1'b1;                               end
      ST_SINGLE: begin m_a = asl_reg; m_b = bsl_reg;               end
      default:   begin                                             end
    endcase
  end

  wire mul_step = (step_reg == ST_ONE) | (step_reg == ST_CONV) | (step_reg == ST_SQR) |
                  (step_reg == ST_MUL) | (step_reg == ST_OUT) | (step_reg == ST_SINGLE);
  wire mul_done = mul_step & ~go_reg & m_done;

  // -------------------------------------------------------- next-state logic
  always @* begin
    step_new = step_reg;
    step_we  = 1'b0;
    go_new   = 1'b0;
    go_we    = 1'b0;
    cnt_new  = cnt_reg;
    cnt_we   = 1'b0;
    bit_new  = rd0_data[bit_idx[5:0]];
    bit_we   = 1'b0;
    busy_new = busy_reg;
    busy_we  = 1'b0;
    done_new = 1'b0;
    size_new = size;
    n0_new   = n0inv;
    nsl_new  = n_slot;
    asl_new  = a_slot;
    bsl_new  = b_slot;
    esl_new  = e_slot;
    tsl_new  = t_slot;
    rsl_new  = r_slot;
    cfg_we   = 1'b0;
    m_start  = 1'b0;

    if (step_reg == ST_IDLE) begin
      if (start) begin
        cfg_we   = 1'b1;
        cnt_new  = (exp_bits > MAX_BITS) ? MAX_BITS : exp_bits;
        cnt_we   = 1'b1;
        step_new = op_mul ? ST_SINGLE : ST_ONE;
        step_we  = 1'b1;
        go_new   = 1'b1;
        go_we    = 1'b1;
        busy_new = 1'b1;
        busy_we  = 1'b1;
      end
    end else if (mul_step && go_reg) begin
      if (!m_busy) begin                      // always idle here
        m_start = 1'b1;
        go_new  = 1'b0;
        go_we   = 1'b1;
      end
    end else if (mul_done) begin
      step_we = 1'b1;
      go_new  = 1'b1;                         // next product starts next cycle
      go_we   = 1'b1;
      case (step_reg)
        ST_ONE:  step_new = ST_CONV;
        ST_CONV: begin
          step_new = (cnt_reg == 13'd0) ? ST_OUT : ST_LDRD;
          go_new   = (cnt_reg == 13'd0);
        end
        ST_SQR:  step_new = ST_MUL;
        ST_MUL: begin
          cnt_new  = cnt_reg - 13'd1;
          cnt_we   = 1'b1;
          step_new = (cnt_reg == 13'd1) ? ST_OUT : ST_LDRD;
          go_new   = (cnt_reg == 13'd1);
        end
        default: begin                        // ST_OUT, ST_SINGLE: finished
          step_new = ST_IDLE;
          go_new   = 1'b0;
          busy_new = 1'b0;
          busy_we  = 1'b1;
          done_new = 1'b1;
        end
      endcase
    end else if (step_reg == ST_LDRD) begin
      step_new = ST_LDCAP;
      step_we  = 1'b1;
    end else if (step_reg == ST_LDCAP) begin
      bit_we   = 1'b1;                        // word read in ST_LDRD
      step_new = ST_SQR;
      step_we  = 1'b1;
      go_new   = 1'b1;
      go_we    = 1'b1;
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      step_reg <= ST_IDLE;
      go_reg   <= 1'b0;
      cnt_reg  <= 13'd0;
      bit_reg  <= 1'b0;
      busy_reg <= 1'b0;
      done_reg <= 1'b0;
      size_reg <= 7'd0;
      n0_reg   <= 64'd0;
      nsl_reg  <= {SLOT_W{1'b0}};
      asl_reg  <= {SLOT_W{1'b0}};
      bsl_reg  <= {SLOT_W{1'b0}};
      esl_reg  <= {SLOT_W{1'b0}};
      tsl_reg  <= {SLOT_W{1'b0}};
      rsl_reg  <= {SLOT_W{1'b0}};
    end else begin
      if (step_we) step_reg <= step_new;
      if (go_we)   go_reg   <= go_new;
      if (cnt_we)  cnt_reg  <= cnt_new;
      if (bit_we)  bit_reg  <= bit_new;
      if (busy_we) busy_reg <= busy_new;
      done_reg <= done_new;
      if (cfg_we) begin
        size_reg <= size_new;
        n0_reg   <= n0_new;
        nsl_reg  <= nsl_new;
        asl_reg  <= asl_new;
        bsl_reg  <= bsl_new;
        esl_reg  <= esl_new;
        tsl_reg  <= tsl_new;
        rsl_reg  <= rsl_new;
      end
    end
  end

endmodule

`default_nettype wire
