`default_nettype none
// pka_mont
// Word-serial Montgomery multiplier of the public-key accelerator:
//   R = A * B * 2^(-64*s) mod N          (s = size, 64-bit words, 3 <= s <= 64)
// for odd N < 2^(64*s), n0inv = -N^(-1) mod 2^64, A and B < 2^(64*s) with at
// least one of them < N (A, B < N is the usual case; this relaxation lets
// pka_exp convert a base >= N).  The result is always fully reduced (< N).
//
// Algorithm: CIOS with the multiplication and the reduction interleaved in
// one inner loop (the "FIOS" arrangement of Koc, Acar and Kaliski, "Analyzing
// and comparing Montgomery multiplication algorithms", IEEE Micro 1996).
// T is s+1 words (t_s is one bit), T = 0 before row 0:
//   for i = 0 .. s-1                                   (one row per word of A)
//     u   = (t_0 + a_i*b_0) mod 2^64                   LOADA
//     m   = u * n0inv mod 2^64                         CALCM
//     for j = 0 .. s-1                                 STEP j
//       (C, t_(j-1)) = t_j + a_i*b_j + m*n_j + C       (C = 0 at j = 0; the
//                                                       low word at j = 0 is 0)
//     (t_s, t_(s-1)) = t_s + C                         TOP
//   R = (T >= N) ? T - N : T                           SEL
// Bounds: after every row T < B + N < 2^(64s+1), so t_s is one bit; the
// final T = (A*B + M*N) / 2^(64s) < A*B/2^(64s) + N < 2N when A < N or B < N,
// so one conditional subtraction reduces it fully.  C < 2^65 (t_j +
// 2*(2^64-1)^2 + C < 2^129), hence a 129-bit step sum, a 65-bit carry
// register and a 1-bit t_s register are exact.
//
// Word width W = 64 and two 64x64 multipliers.  A product costs about s^2
// inner steps, one per cycle, each doing a_i*b_j and m*n_j in parallel.  The
// targets (1024-bit modexp with a 1024-bit exponent <= 1,000,000 cycles,
// i.e. 2*1024 products at <= ~490 cycles each) need s^2 + O(s) <= ~490 for
// 1024 bits: W = 64 gives s = 16 (307 cycles), W = 32 would give s = 32
// (about 1,100 cycles: 2.3 M for the modexp, over target).  Put differently
// the work is 2*(1024/16)^2 = 8192 16x16 partial products per 1024-bit
// product, so any design needs >= ~17 16x16-equivalent multipliers running
// every cycle: an iCE40 UP5K (8 SB_MAC16) cannot meet these targets with
// any word width; W = 64 here is 2 x 64x64 = 32 16x16 equivalents, e.g. 2 x 16
// MULT18X18 on ECP5 (LFE5U-45 and up; the 25F has only 28) or 2 x ~10-12
// DSP48E1 on Artix-7 (any part from the 35T up).  The same DSP budget spent
// as W = 32 with several processing elements would only add control and
// words; W = 64 also matches the host bus word and keeps the per-row
// overhead (2 cycles per row) small relative to s.  The m = u*n0inv product
// reuses the m*n_j multiplier in the CALCM cycle (low half only).
// Real FPGA clocks need the multipliers pipelined (DSP input/output
// registers): only the final carry add is loop-carried, so a P-stage
// multiplier adds about P cycles per row (O(s) per product), not O(s^2).
//
// Memory.  A, B, N and R live in the operand memory, word-addressed as
// {slot, word} (2^SLOT_W slots of 64 words, word 0 least significant).  It
// must provide two synchronous read ports (rd0, rd1: one cycle latency, as
// pka_ram; pka_top replicates a simple dual-port RAM for the second read
// port) and one write port.  T and D = T - N (last row only) are kept in two
// internal 64 x 64 pka_ram instances, so R is written only in the SEL pass,
// after every read of A and B: r_slot may equal a_slot and/or b_slot (square
// in place), but not n_slot.  Port use: LOADA rd1 = A[i], rd0 = B[0];
// STEP rd0 = B[j], rd1 = N[j]; SEL rd0 = R[j] (old value), write R[j].
//
// Pipeline: an issue stage (state machine below) presents the read addresses
// of one operation per cycle; its execute stage runs in the next cycle on
// the RAM outputs.  TOP of row i and LOADA of row i+1 share one cycle.  In
// the last row each finished word t_(j-1) is also subtracted from N
// (borrow chain, D[j-1] = t_(j-1) - n_(j-1) - borrow), so T >= N is known
// right after the last TOP; SEL then reads T[j], D[j] and the old R[j] and
// writes R[j] = commit ? (T >= N ? D[j] : T[j]) : old R[j].  The choice is a
// data multiplexer: same reads, writes and cycles whatever the data, and
// with commit = 0 the product is computed in full and discarded (pka_exp's
// constant-time "multiply always").  The schedule never reads a T/D word in
// the cycle it is written, which holds for s >= 3 (s = 2 would read T[0]
// for row i+1 in the cycle row i writes it).
//
// Cycle counts (P(s) = s^2 + 3s + 3, independent of the operand values):
//   start accepted in cycle t (busy low): rows 0 .. s-1 take s+2 issue
//   cycles each (LOADA or TOP+LOADA, CALCM, s STEPs), then the last TOP
//   (1), SEL (s) and a drain cycle (1).  done is high (one cycle, busy
//   still high) in cycle t + P(s) - 1, when the last R word is written at
//   the edge ending that cycle; busy is low and a new start is accepted
//   from cycle t + P(s).  P = 91 (s = 8, 512 bits), 307 (s = 16),
//   1123 (s = 32), 2451 (s = 48), 4291 (s = 64, 4096 bits).
//
// Control rules (not checked): size, n0inv, the slots, b_one and commit must
// be held from start until done (pka_exp holds them in registers); start
// while busy is ignored; nothing else may use the operand memory ports
// while busy (the ports are idle, enables low, while not busy).
module pka_mont #(
  parameter integer SLOT_W = 3                  // operand memory: 2^SLOT_W slots
) (
  input  wire              clk,
  input  wire              rst_n,
  input  wire              start,               // pulse: begin a product (ignored while busy)
  input  wire [6:0]        size,                // s, words of 64 bits, 3..64
  input  wire [63:0]       n0inv,               // -N^(-1) mod 2^64
  input  wire [SLOT_W-1:0] a_slot,
  input  wire [SLOT_W-1:0] b_slot,
  input  wire              b_one,               // 1: B = 1 (b_slot not used)
  input  wire [SLOT_W-1:0] n_slot,
  input  wire [SLOT_W-1:0] r_slot,
  input  wire              commit,              // 0: compute, keep the old R
  output wire              busy,
  output wire              done,                // last cycle of the product
  // operand memory master: two synchronous read ports, one write port
  output reg               rd0_en,
  output reg  [SLOT_W+5:0] rd0_addr,
  input  wire [63:0]       rd0_data,
  output reg               rd1_en,
  output reg  [SLOT_W+5:0] rd1_addr,
  input  wire [63:0]       rd1_data,
  output wire              wr_en,
  output wire [SLOT_W+5:0] wr_addr,
  output wire [63:0]       wr_data
);

  localparam [2:0] S_IDLE  = 3'd0;
  localparam [2:0] S_LOADA = 3'd1;              // first row: read a_0, b_0, (t_0)
  localparam [2:0] S_CALCM = 3'd2;
  localparam [2:0] S_STEP  = 3'd3;
  localparam [2:0] S_TOP   = 3'd4;              // TOP of row i (+ LOADA of row i+1)
  localparam [2:0] S_SEL   = 3'd5;
  localparam [2:0] S_DRAIN = 3'd6;

  // ------------------------------------------------------- issue-stage state
  reg [2:0]  st_reg;
  reg [2:0]  st_new;
  reg        st_we;

  reg [5:0]  i_reg;               // row (word of A)
  reg [5:0]  i_new;
  reg        i_we;

  reg [5:0]  j_reg;               // column (word of B/N/T) or SEL word
  reg [5:0]  j_new;
  reg        j_we;

  // ------------------------------------- execute-stage control (pipeline)
  reg        xloada_reg, xcalcm_reg, xstep_reg, xtop_reg, xsel_reg;
  reg        xloada_new, xcalcm_new, xstep_new, xtop_new, xsel_new;
  reg [5:0]  xj_reg;              // column of the operation being executed
  reg [5:0]  xj_new;
  reg        xfirst_reg;          // row 0: T reads as zero
  reg        xfirst_new;
  reg        xlast_reg;           // row s-1: also compute D = T - N
  reg        xlast_new;

  // ------------------------------------------------------- datapath state
  reg [63:0] a_reg;               // a_i
  reg [63:0] a_new;
  reg        a_we;

  reg [63:0] u_reg;               // (t_0 + a_i*b_0) mod 2^64
  reg [63:0] u_new;
  reg        u_we;

  reg [63:0] m_reg;               // u * n0inv mod 2^64
  reg [63:0] m_new;
  reg        m_we;

  reg [64:0] c_reg;               // inner-loop carry, < 2^65
  reg [64:0] c_new;
  reg        c_we;

  reg        ts_reg;              // t_s
  reg        ts_new;
  reg        ts_we;

  reg [63:0] nprev_reg;           // n_(j-1) for the last-row subtraction
  reg [63:0] nprev_new;
  reg        nprev_we;

  reg        bor_reg;             // borrow of T - N
  reg        bor_new;
  reg        bor_we;

  reg        sel_reg;             // T >= N: the result is D
  reg        sel_new;
  reg        sel_we;

  // ------------------------------------------------------- T and D memories
  reg  [5:0]  t_raddr;
  reg         t_ren;
  wire [63:0] t_rdata;
  reg         t_wen;
  reg  [5:0]  t_waddr;
  reg  [63:0] t_wdata;

  reg         d_ren;
  wire [63:0] d_rdata;
  reg         d_wen;
  reg  [63:0] d_wdata;

  pka_ram #(.AW(6), .DW(64)) u_tram (
    .clk     (clk),
    .rst_n   (rst_n),
    .rd_en   (t_ren),
    .rd_addr (t_raddr),
    .rd_data (t_rdata),
    .wr_en   (t_wen),
    .wr_addr (t_waddr),
    .wr_data (t_wdata)
  );

  pka_ram #(.AW(6), .DW(64)) u_dram (
    .clk     (clk),
    .rst_n   (rst_n),
    .rd_en   (d_ren),
    .rd_addr (t_raddr),           // D is read at the same word as T (SEL)
    .rd_data (d_rdata),
    .wr_en   (d_wen),
    .wr_addr (t_waddr),           // and written at the same word as T
    .wr_data (d_wdata)
  );

  wire [6:0] sm1      = size - 7'd1;             // s - 1
  wire       j_end    = ({1'b0, j_reg} == sm1);
  wire       i_end    = ({1'b0, i_reg} == sm1);

  assign busy = (st_reg != S_IDLE);
  assign done = (st_reg == S_DRAIN);

  // ------------------------------------------------------------ issue stage
  always @* begin
    st_new     = st_reg;
    st_we      = 1'b0;
    i_new      = i_reg;
    i_we       = 1'b0;
    j_new      = j_reg;
    j_we       = 1'b0;

    rd0_en     = 1'b0;
    rd0_addr   = {b_slot, 6'd0};
    rd1_en     = 1'b0;
    rd1_addr   = {a_slot, i_reg};
    t_ren      = 1'b0;
    t_raddr    = j_reg;
    d_ren      = 1'b0;

    xloada_new = 1'b0;
    xcalcm_new = 1'b0;
    xstep_new  = 1'b0;
    xtop_new   = 1'b0;
    xsel_new   = 1'b0;
    xj_new     = 6'd0;
    xfirst_new = (i_reg == 6'd0);
    xlast_new  = i_end;

    case (st_reg)
      S_IDLE: begin
        if (start) begin
          st_new = S_LOADA;
          st_we  = 1'b1;
          i_new  = 6'd0;
          i_we   = 1'b1;
        end
      end

      S_LOADA: begin                          // row 0 only
        rd1_en     = 1'b1;                    // a_0
        rd1_addr   = {a_slot, i_reg};
        rd0_en     = 1'b1;                    // b_0
        rd0_addr   = {b_slot, 6'd0};
        t_ren      = 1'b1;                    // t_0 (ignored in row 0)
        t_raddr    = 6'd0;
        xloada_new = 1'b1;
        st_new     = S_CALCM;
        st_we      = 1'b1;
      end

      S_CALCM: begin
        xcalcm_new = 1'b1;
        st_new     = S_STEP;
        st_we      = 1'b1;
        j_new      = 6'd0;
        j_we       = 1'b1;
      end

      S_STEP: begin
        rd0_en    = 1'b1;                     // b_j
        rd0_addr  = {b_slot, j_reg};
        rd1_en    = 1'b1;                     // n_j
        rd1_addr  = {n_slot, j_reg};
        t_ren     = 1'b1;                     // t_j
        t_raddr   = j_reg;
        xstep_new = 1'b1;
        xj_new    = j_reg;
        j_new     = j_reg + 6'd1;
        j_we      = 1'b1;
        if (j_end) begin
          st_new = S_TOP;
          st_we  = 1'b1;
        end
      end

      S_TOP: begin
        xtop_new = 1'b1;
        if (!i_end) begin                     // and LOADA of row i+1
          rd1_en     = 1'b1;
          rd1_addr   = {a_slot, i_reg + 6'd1};
          rd0_en     = 1'b1;
          rd0_addr   = {b_slot, 6'd0};
          t_ren      = 1'b1;
          t_raddr    = 6'd0;
          xloada_new = 1'b1;
          xfirst_new = 1'b0;
          i_new      = i_reg + 6'd1;
          i_we       = 1'b1;
          st_new     = S_CALCM;
          st_we      = 1'b1;
        end else begin
          st_new = S_SEL;
          st_we  = 1'b1;
          j_new  = 6'd0;
          j_we   = 1'b1;
        end
      end

      S_SEL: begin
        rd0_en   = 1'b1;                      // old R[j]
        rd0_addr = {r_slot, j_reg};
        t_ren    = 1'b1;                      // T[j], D[j]
        t_raddr  = j_reg;
        d_ren    = 1'b1;
        xsel_new = 1'b1;
        xj_new   = j_reg;
        j_new    = j_reg + 6'd1;
        j_we     = 1'b1;
        if (j_end) begin
          st_new = S_DRAIN;
          st_we  = 1'b1;
        end
      end

      S_DRAIN: begin                          // SEL of word s-1 executes
        st_new = S_IDLE;
        st_we  = 1'b1;
      end

      default: begin
        st_new = S_IDLE;
        st_we  = 1'b1;
      end
    endcase
  end

  // ---------------------------------------------------------- execute stage
  reg  [63:0]  b_word;            // b_j (or the constant 1)
  reg  [63:0]  t_word;            // t_j (zero in row 0)
  reg  [63:0]  ma_x;              // multiplier A: a_i * b_j
  reg  [127:0] mul_a;
  reg  [63:0]  mb_x;              // multiplier B: m * n_j, or u * n0inv
  reg  [63:0]  mb_y;
  reg  [127:0] mul_b;
  reg  [64:0]  c_in;
  reg  [128:0] step_sum;
  reg  [64:0]  top_sum;
  reg  [63:0]  res_word;          // finished word of T
  reg  [64:0]  diff;              // res_word - n_(j-1) - borrow

  always @* begin
    b_word   = b_one ? {63'd0, (xj_reg == 6'd0)} : rd0_data;
    t_word   = xfirst_reg ? 64'd0 : t_rdata;
    ma_x     = xloada_reg ? rd1_data : a_reg;
    mul_a    = {64'd0, ma_x} * {64'd0, b_word};
    mb_x     = xcalcm_reg ? u_reg : m_reg;
    mb_y     = xcalcm_reg ? n0inv : rd1_data;
    mul_b    = {64'd0, mb_x} * {64'd0, mb_y};
    c_in     = (xj_reg == 6'd0) ? 65'd0 : c_reg;
    step_sum = {65'd0, t_word} + {1'b0, mul_a} + {1'b0, mul_b} + {64'd0, c_in};
    top_sum  = c_reg + {64'd0, ts_reg};
    res_word = xtop_reg ? top_sum[63:0] : step_sum[63:0];
    diff     = {1'b0, res_word} - {1'b0, nprev_reg} - {64'd0, bor_reg};
  end

  always @* begin
    a_new     = rd1_data;
    a_we      = xloada_reg;
    u_new     = t_word + mul_a[63:0];
    u_we      = xloada_reg;
    m_new     = mul_b[63:0];
    m_we      = xcalcm_reg;
    c_new     = step_sum[128:64];
    c_we      = xstep_reg;
    nprev_new = rd1_data;
    nprev_we  = xstep_reg;

    ts_new    = top_sum[64];
    ts_we     = xtop_reg;
    if (st_reg == S_IDLE && start) begin      // T = 0 before row 0
      ts_new = 1'b0;
      ts_we  = 1'b1;
    end

    // T word j-1 (STEP j >= 1) or s-1 (TOP); D too in the last row
    t_wen   = xtop_reg | (xstep_reg & (xj_reg != 6'd0));
    t_waddr = xtop_reg ? sm1[5:0] : xj_reg - 6'd1;
    t_wdata = res_word;
    d_wen   = t_wen & xlast_reg;
    d_wdata = diff[63:0];

    bor_new = diff[64];
    bor_we  = d_wen;
    if (xstep_reg && xj_reg == 6'd0) begin    // new subtraction chain
      bor_new = 1'b0;
      bor_we  = 1'b1;
    end

    // T >= N  <=>  t_s = 1 or no borrow out of the s-word subtraction
    sel_new = top_sum[64] | ~diff[64];
    sel_we  = xtop_reg & xlast_reg;
  end

  // SEL: write R[j]; a data select only, same access pattern either way
  assign wr_en   = xsel_reg;
  assign wr_addr = {r_slot, xj_reg};
  assign wr_data = commit ? (sel_reg ? d_rdata : t_rdata) : rd0_data;

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      st_reg     <= S_IDLE;
      i_reg      <= 6'd0;
      j_reg      <= 6'd0;
      xloada_reg <= 1'b0;
      xcalcm_reg <= 1'b0;
      xstep_reg  <= 1'b0;
      xtop_reg   <= 1'b0;
      xsel_reg   <= 1'b0;
      xj_reg     <= 6'd0;
      xfirst_reg <= 1'b0;
      xlast_reg  <= 1'b0;
      a_reg      <= 64'd0;
      u_reg      <= 64'd0;
      m_reg      <= 64'd0;
      c_reg      <= 65'd0;
      ts_reg     <= 1'b0;
      nprev_reg  <= 64'd0;
      bor_reg    <= 1'b0;
      sel_reg    <= 1'b0;
    end else begin
      if (st_we)    st_reg    <= st_new;
      if (i_we)     i_reg     <= i_new;
      if (j_we)     j_reg     <= j_new;
      xloada_reg <= xloada_new;
      xcalcm_reg <= xcalcm_new;
      xstep_reg  <= xstep_new;
      xtop_reg   <= xtop_new;
      xsel_reg   <= xsel_new;
      xj_reg     <= xj_new;
      xfirst_reg <= xfirst_new;
      xlast_reg  <= xlast_new;
      if (a_we)     a_reg     <= a_new;
      if (u_we)     u_reg     <= u_new;
      if (m_we)     m_reg     <= m_new;
      if (c_we)     c_reg     <= c_new;
      if (ts_we)    ts_reg    <= ts_new;
      if (nprev_we) nprev_reg <= nprev_new;
      if (bor_we)   bor_reg   <= bor_new;
      if (sel_we)   sel_reg   <= sel_new;
    end
  end

endmodule

`default_nettype wire
