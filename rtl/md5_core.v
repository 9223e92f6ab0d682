`default_nettype none
// md5_core
// Iterative MD5 compression function (RFC 1321), one of the 64 steps per
// clock.  No padding here (see hash_pad): `next` compresses one 512-bit block
// into the chaining value.
//
// Cycle counts:
//   - next in cycle t (ready high): the edge ending cycle t applies step 0
//     (taken straight from the chaining value and `block`, which is latched);
//     the edges ending t+1 .. t+63 apply steps 1..63; the edge ending t+64
//     adds the working variables into the chaining value.  ready is high
//     again (and state_out holds the new value) from cycle t+65, and `next`
//     may be given in that same cycle, so back-to-back blocks take 65 cycles.
//   - init / state_load take effect at the edge ending the cycle they are
//     given in (1 cycle).
//
// Commands (all ignored unless ready is high):
//   - init: chaining value <= MD5 initial value (A,B,C,D = 67452301,
//     efcdab89, 98badcfe, 10325476).
//   - state_load: chaining value <= state_in.  init wins if both are given.
//   - next: compress `block`.  It may be given together with init or
//     state_load: the block then starts from the value being loaded (saves
//     a cycle per message).
//   - fault_stuck = 1 freezes the datapath (working variables, window, step
//     counter, chaining value) and forces ready low, so no command is taken
//     and a block in flight does not finish; releasing it resumes the block
//     where it stopped.
//
// Byte order: block has the first message byte in [511:504].  MD5 words are
// little-endian, so message word j is bytes 4j..4j+3 with byte 4j as the
// least significant byte; the core swaps internally.  state_in/state_out are
// the digest byte string A||B||C||D with each word little-endian, first byte
// in [127:120], i.e. after the last block state_out is exactly the MD5 digest.
//
// The 16 message words are held in a register and one is selected per step
// by the RFC 1321 index (i, 5i+1, 3i+5, 7i mod 16 in the four rounds); MD5
// has no message expansion, so no 64-word array exists.
module md5_core (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         init,         // pulse: state <= MD5 initial value
  input  wire         state_load,   // pulse: state <= state_in
  input  wire [127:0] state_in,
  input  wire         next,         // pulse: compress block (only when ready)
  input  wire [511:0] block,
  output wire         ready,
  output wire [127:0] state_out,
  input  wire         fault_stuck   // 1: steps stop advancing
);

  localparam [31:0] IV_A = 32'h67452301;
  localparam [31:0] IV_B = 32'hefcdab89;
  localparam [31:0] IV_C = 32'h98badcfe;
  localparam [31:0] IV_D = 32'h10325476;

  // ---------------------------------------------------------------- state
  reg [127:0] h_reg;              // chaining value {A,B,C,D}, numeric words
  reg [127:0] h_new;
  reg         h_we;

  reg [127:0] v_reg;              // working variables {a,b,c,d}
  reg [127:0] v_new;
  reg         v_we;

  reg [511:0] m_reg;              // message words, word j in [511-32j -: 32], numeric
  reg [511:0] m_new;
  reg         m_we;

  reg [6:0]   step_reg;           // step applied at the next edge (1..63), 64 = final add
  reg [6:0]   step_new;
  reg         step_we;

  reg         busy_reg;
  reg         busy_new;
  reg         busy_we;

  // ------------------------------------------------------------ helpers
  function [31:0] md5_bswap32;
    input [31:0] x;
    begin
      md5_bswap32 = {x[7:0], x[15:8], x[23:16], x[31:24]};
    end
  endfunction

  function [127:0] bswap_words;   // byte-swap each of 4 words
    input [127:0] x;
    begin
      bswap_words = {md5_bswap32(x[127:96]), md5_bswap32(x[95:64]),
                     md5_bswap32(x[63:32]),  md5_bswap32(x[31:0])};
    end
  endfunction

  function [31:0] rotl32;
    input [31:0] x;
    input [4:0]  n;
    begin
      // n = 0: x >> 32 is 0 for a 32-bit operand, so the result is x
      rotl32 = (x << n) | (x >> (6'd32 - {1'b0, n}));
    end
  endfunction

  // ---------------------------------------------------------- control
  assign ready     = ~busy_reg & ~fault_stuck;
  assign state_out = bswap_words(h_reg);

  wire do_init  = ready & init;
  wire do_load  = ready & state_load & ~init;
  wire do_start = ready & next;
  wire fin_step = (step_reg == 7'd64);

  // value a command loads / a new block starts from
  reg [127:0] h_sel;
  always @* begin
    h_sel = h_reg;
    if (init) begin
      h_sel = {IV_A, IV_B, IV_C, IV_D};
    end else if (state_load) begin
      h_sel = bswap_words(state_in);
    end
  end

  // message words of the incoming block, numeric (little-endian bytes)
  reg [511:0] m_in;
  integer j;
  always @* begin
    m_in = 512'd0;
    for (j = 0; j < 16; j = j + 1) begin
      m_in[511-32*j -: 32] = md5_bswap32(block[511-32*j -: 32]);
    end
  end

  // ---------------------------------------------------------- step datapath
  // Step index: 0 while idle (the step a start applies), step_reg while busy
  // (step_reg is 0 whenever idle, 64 only in the final-add cycle where the
  // step result is not used).
  wire [5:0] idx = step_reg[5:0];

  wire [31:0] t_const;
  wire [4:0]  s;
  md5_t u_t (
    .idx (idx),
    .t   (t_const),
    .s   (s)
  );

  // message word index per RFC 1321 round (mod 16)
  reg [3:0] g;
  always @* begin
    g = idx[3:0];
    case (idx[5:4])
      2'd0:    g = idx[3:0];                              // i
      2'd1:    g = {idx[1:0], 2'b00} + idx[3:0] + 4'd1;   // 5i + 1 = 4i + i + 1
      2'd2:    g = {idx[2:0], 1'b0} + idx[3:0] + 4'd5;    // 3i + 5 = 2i + i + 5
      default: g = {idx[0], 3'b000} - idx[3:0];           // 7i = 8i - i
    endcase
  end

  // step inputs: chaining value and block word 0 when starting
  wire [127:0] cur = busy_reg ? v_reg : h_sel;
  wire [31:0]  a   = cur[127:96];
  wire [31:0]  b   = cur[95:64];
  wire [31:0]  c   = cur[63:32];
  wire [31:0]  d   = cur[31:0];

  reg [31:0] mw;
  always @* begin
    mw = m_in[511:480];
    if (busy_reg) begin
      mw = m_reg[511 - 32*g -: 32];
    end
  end

  reg [31:0] f;
  always @* begin
    f = 32'd0;
    case (idx[5:4])
      2'd0:    f = (b & c) | (~b & d);
      2'd1:    f = (d & b) | (~d & c);
      2'd2:    f = b ^ c ^ d;
      default: f = c ^ (b | ~d);
    endcase
  end

  wire [31:0]  sum      = a + f + t_const + mw;
  wire [127:0] step_out = {d, b + rotl32(sum, s), b, c};

  // -------------------------------------------------------- next-state logic
  always @* begin
    h_new    = h_reg;
    h_we     = 1'b0;
    v_new    = v_reg;
    v_we     = 1'b0;
    m_new    = m_reg;
    m_we     = 1'b0;
    step_new = step_reg;
    step_we  = 1'b0;
    busy_new = busy_reg;
    busy_we  = 1'b0;

    if (do_init || do_load) begin
      h_new = h_sel;
      h_we  = 1'b1;
    end

    if (do_start) begin
      v_new    = step_out;          // step 0
      v_we     = 1'b1;
      m_new    = m_in;
      m_we     = 1'b1;
      step_new = 7'd1;
      step_we  = 1'b1;
      busy_new = 1'b1;
      busy_we  = 1'b1;
    end else if (busy_reg && !fault_stuck) begin
      step_we = 1'b1;
      if (fin_step) begin
        h_new    = {h_reg[127:96] + v_reg[127:96], h_reg[95:64] + v_reg[95:64],
                    h_reg[63:32]  + v_reg[63:32],  h_reg[31:0]  + v_reg[31:0]};
        h_we     = 1'b1;
        step_new = 7'd0;
        busy_new = 1'b0;
        busy_we  = 1'b1;
      end else begin
        v_new    = step_out;
        v_we     = 1'b1;
        step_new = step_reg + 7'd1;
      end
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      h_reg    <= 128'd0;
      v_reg    <= 128'd0;
      m_reg    <= 512'd0;
      step_reg <= 7'd0;
      busy_reg <= 1'b0;
    end else begin
      if (h_we)    h_reg    <= h_new;
      if (v_we)    v_reg    <= v_new;
      if (m_we)    m_reg    <= m_new;
      if (step_we) step_reg <= step_new;
      if (busy_we) busy_reg <= busy_new;
    end
  end

endmodule

`default_nettype wire
