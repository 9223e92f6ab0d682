`default_nettype none
// sha256_core
// Iterative SHA-256 / SHA-224 compression function (FIPS 180-4 Sec. 6.2.2 /
// 6.3), one of the 64 rounds per clock.  No padding here (see hash_pad):
// `next` compresses one 512-bit block into the chaining value.  SHA-224 is
// SHA-256 with a different H(0); the digest is the first 224 bits of
// state_out.
//
// Cycle counts:
//   - next in cycle t (ready high): the edge ending cycle t applies round 0
//     (taken straight from the chaining value and `block`, which is latched
//     into the schedule window); the edges ending t+1 .. t+63 apply rounds
//     1..63; the edge ending t+64 adds the working variables into the
//     chaining value.  ready is high again (and state_out holds the new
//     value) from cycle t+65, and `next` may be given in that same cycle, so
//     back-to-back blocks take 65 cycles.
//   - init / state_load take effect at the edge ending the cycle they are
//     given in (1 cycle).
//
// Commands (all ignored unless ready is high):
//   - init: chaining value <= H(0) of FIPS 180-4 Sec. 5.3.3 (mode = 0,
//     SHA-256) or 5.3.2 (mode = 1, SHA-224).  mode only matters here: the
//     compression is the same for both.
//   - state_load: chaining value <= state_in (all 256 bits, also for
//     SHA-224).  init wins if both are given.
//   - next: compress `block`.  It may be given together with init or
//     state_load: the block then starts from the value being loaded.
//   - fault_stuck = 1 freezes the datapath (working variables, window, round
//     counter, chaining value) and forces ready low, so no command is taken
//     and a block in flight does not finish; releasing it resumes the block
//     where it stopped.
//
// Message schedule: a 16-word sliding window w[0..15] (w[0] in the top bits,
// the same layout as `block`).  In round t, w[0] = W(t); every round the
// window shifts by one word and
//   W(t+16) = s1(W(t+14)) + W(t+9) + s0(W(t+1)) + W(t)
// enters at w[15] (computed for every round; the words past W(63) are unused).
//
// Byte order: first message byte in block[511:504]; state_in/state_out are
// H0||..||H7 big-endian, first digest byte in [255:248].
module sha256_core (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         init,         // pulse: state <= H(0) for mode
  input  wire         mode,         // 0 = SHA-256, 1 = SHA-224 (sampled with init)
  input  wire         state_load,   // pulse: state <= state_in
  input  wire [255:0] state_in,
  input  wire         next,         // pulse: compress block (only when ready)
  input  wire [511:0] block,
  output wire         ready,
  output wire [255:0] state_out,
  input  wire         fault_stuck   // 1: rounds stop advancing
);

  localparam [255:0] H0_256 = {32'h6a09e667, 32'hbb67ae85, 32'h3c6ef372, 32'ha54ff53a,
                               32'h510e527f, 32'h9b05688c, 32'h1f83d9ab, 32'h5be0cd19};
  localparam [255:0] H0_224 = {32'hc1059ed8, 32'h367cd507, 32'h3070dd17, 32'hf70e5939,
                               32'hffc00b31, 32'h68581511, 32'h64f98fa7, 32'hbefa4fa4};

  // ---------------------------------------------------------------- state
  reg [255:0] h_reg;              // chaining value {H0..H7}
  reg [255:0] h_new;
  reg         h_we;

  reg [255:0] v_reg;              // working variables {a,b,c,d,e,f,g,h}
  reg [255:0] v_new;
  reg         v_we;

  reg [511:0] w_reg;              // schedule window, w[0] in [511:480]
  reg [511:0] w_new;
  reg         w_we;

  reg [6:0]   rnd_reg;            // round applied at the next edge (1..63), 64 = final add
  reg [6:0]   rnd_new;
  reg         rnd_we;

  reg         busy_reg;
  reg         busy_new;
  reg         busy_we;

  // ------------------------------------------------------------ helpers
  function [31:0] rotr;
    input [31:0] x;
    input integer n;              // constant 1..31 at every call site
    begin
      rotr = (x >> n) | (x << (32 - n));
    end
  endfunction

  // ---------------------------------------------------------- control
  assign ready     = ~busy_reg & ~fault_stuck;
  assign state_out = h_reg;

  wire do_init  = ready & init;
  wire do_load  = ready & state_load & ~init;
  wire do_start = ready & next;
  wire fin_rnd  = (rnd_reg == 7'd64);

  wire [255:0] h_sel = init ? (mode ? H0_224 : H0_256) : (state_load ? state_in : h_reg);

  // ---------------------------------------------------------- round datapath
  // rnd_reg is 0 whenever idle, so it is the round a start applies (in the
  // final-add cycle rnd_reg[5:0] is 0 again and the round result is unused).
  wire [31:0] k_const;
  sha256_k u_k (
    .idx (rnd_reg[5:0]),
    .k   (k_const)
  );

  wire [255:0] cur = busy_reg ? v_reg : h_sel;
  wire [511:0] win = busy_reg ? w_reg : block;

  wire [31:0] a = cur[255:224];
  wire [31:0] b = cur[223:192];
  wire [31:0] c = cur[191:160];
  wire [31:0] d = cur[159:128];
  wire [31:0] e = cur[127:96];
  wire [31:0] f = cur[95:64];
  wire [31:0] g = cur[63:32];
  wire [31:0] h = cur[31:0];

  wire [31:0] w0  = win[511:480];
  wire [31:0] w1  = win[479:448];
  wire [31:0] w9  = win[223:192];
  wire [31:0] w14 = win[63:32];

  wire [31:0] ssig0 = rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 >> 3);
  wire [31:0] ssig1 = rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 >> 10);
  wire [31:0] w16   = ssig1 + w9 + ssig0 + w0;

  wire [31:0] bsig0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
  wire [31:0] bsig1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
  wire [31:0] ch    = (e & f) ^ (~e & g);
  wire [31:0] maj   = (a & b) ^ (a & c) ^ (b & c);
  wire [31:0] t1    = h + bsig1 + ch + k_const + w0;
  wire [31:0] t2    = bsig0 + maj;

  wire [255:0] rnd_out = {t1 + t2, a, b, c, d + t1, e, f, g};

  // -------------------------------------------------------- next-state logic
  integer i;
  always @* begin
    h_new    = h_reg;
    h_we     = 1'b0;
    v_new    = v_reg;
    v_we     = 1'b0;
    w_new    = w_reg;
    w_we     = 1'b0;
    rnd_new  = rnd_reg;
    rnd_we   = 1'b0;
    busy_new = busy_reg;
    busy_we  = 1'b0;

    if (do_init || do_load) begin
      h_new = h_sel;
      h_we  = 1'b1;
    end

    if (do_start) begin
      v_new    = rnd_out;           // round 0
      v_we     = 1'b1;
      w_new    = {win[479:0], w16};
      w_we     = 1'b1;
      rnd_new  = 7'd1;
      rnd_we   = 1'b1;
      busy_new = 1'b1;
      busy_we  = 1'b1;
    end else if (busy_reg && !fault_stuck) begin
      rnd_we = 1'b1;
      if (fin_rnd) begin
        for (i = 0; i < 8; i = i + 1) begin
          h_new[32*i +: 32] = h_reg[32*i +: 32] + v_reg[32*i +: 32];
        end
        h_we     = 1'b1;
        rnd_new  = 7'd0;
        busy_new = 1'b0;
        busy_we  = 1'b1;
      end else begin
        v_new   = rnd_out;
        v_we    = 1'b1;
        w_new   = {win[479:0], w16};
        w_we    = 1'b1;
        rnd_new = rnd_reg + 7'd1;
      end
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      h_reg    <= 256'd0;
      v_reg    <= 256'd0;
      w_reg    <= 512'd0;
      rnd_reg  <= 7'd0;
      busy_reg <= 1'b0;
    end else begin
      if (h_we)    h_reg    <= h_new;
      if (v_we)    v_reg    <= v_new;
      if (w_we)    w_reg    <= w_new;
      if (rnd_we)  rnd_reg  <= rnd_new;
      if (busy_we) busy_reg <= busy_new;
    end
  end

endmodule

`default_nettype wire
