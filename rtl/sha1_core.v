`default_nettype none
// sha1_core
// Iterative SHA-1 compression function (FIPS 180-4 Sec. 6.1.2), one of the
// 80 rounds per clock.  No padding here (see hash_pad): `next` compresses one
// 512-bit block into the chaining value.
//
// Cycle counts:
//   - next in cycle t (ready high): the edge ending cycle t applies round 0
//     (taken straight from the chaining value and `block`, which is latched
//     into the schedule window); the edges ending t+1 .. t+79 apply rounds
//     1..79; the edge ending t+80 adds the working variables into the
//     chaining value.  ready is high again (and state_out holds the new
//     value) from cycle t+81, and `next` may be given in that same cycle, so
//     back-to-back blocks take 81 cycles.
//   - init / state_load take effect at the edge ending the cycle they are
//     given in (1 cycle).
//
// Commands (all ignored unless ready is high):
//   - init: chaining value <= H(0) of FIPS 180-4 Sec. 5.3.1.
//   - state_load: chaining value <= state_in.  init wins if both are given.
//   - next: compress `block`.  It may be given together with init or
//     state_load: the block then starts from the value being loaded.
//   - fault_stuck = 1 freezes the datapath (working variables, window, round
//     counter, chaining value) and forces ready low, so no command is taken
//     and a block in flight does not finish; releasing it resumes the block
//     where it stopped.
//
// Message schedule: a 16-word sliding window w[0..15] (w[0] in the top bits,
// the same layout as `block`).  In round t, w[0] = W(t); every round the
// window shifts by one word and W(t+16) = ROTL1(W(t+13)^W(t+8)^W(t+2)^W(t))
// enters at w[15] (computed for every round; the words past W(79) are unused).
//
// Byte order: first message byte in block[511:504]; state_in/state_out are
// H0||H1||H2||H3||H4 big-endian, first digest byte in [159:152].
module sha1_core (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         init,         // pulse: state <= H(0)
  input  wire         state_load,   // pulse: state <= state_in
  input  wire [159:0] state_in,
  input  wire         next,         // pulse: compress block (only when ready)
  input  wire [511:0] block,
  output wire         ready,
  output wire [159:0] state_out,
  input  wire         fault_stuck   // 1: rounds stop advancing
);

  localparam [159:0] H0 = {32'h67452301, 32'hefcdab89, 32'h98badcfe,
                           32'h10325476, 32'hc3d2e1f0};

  // FIPS 180-4 Sec. 4.2.1 (four constants, one per 20 rounds)
  localparam [31:0] K0 = 32'h5a827999;
  localparam [31:0] K1 = 32'h6ed9eba1;
  localparam [31:0] K2 = 32'h8f1bbcdc;
  localparam [31:0] K3 = 32'hca62c1d6;

  // ---------------------------------------------------------------- state
  reg [159:0] h_reg;              // chaining value {H0..H4}
  reg [159:0] h_new;
  reg         h_we;

  reg [159:0] v_reg;              // working variables {a,b,c,d,e}
  reg [159:0] v_new;
  reg         v_we;

  reg [511:0] w_reg;              // schedule window, w[0] in [511:480]
  reg [511:0] w_new;
  reg         w_we;

  reg [6:0]   rnd_reg;            // round applied at the next edge (1..79), 80 = final add
  reg [6:0]   rnd_new;
  reg         rnd_we;

  reg         busy_reg;
  reg         busy_new;
  reg         busy_we;

  // ---------------------------------------------------------- control
  assign ready     = ~busy_reg & ~fault_stuck;
  assign state_out = h_reg;

  wire do_init  = ready & init;
  wire do_load  = ready & state_load & ~init;
  wire do_start = ready & next;
  wire fin_rnd  = (rnd_reg == 7'd80);

  wire [159:0] h_sel = init ? H0 : (state_load ? state_in : h_reg);

  // ---------------------------------------------------------- round datapath
  // rnd_reg is 0 whenever idle, so it is the round a start applies.
  wire [159:0] cur = busy_reg ? v_reg : h_sel;
  wire [511:0] win = busy_reg ? w_reg : block;

  wire [31:0] a = cur[159:128];
  wire [31:0] b = cur[127:96];
  wire [31:0] c = cur[95:64];
  wire [31:0] d = cur[63:32];
  wire [31:0] e = cur[31:0];

  wire [31:0] w0  = win[511:480];
  wire [31:0] w2  = win[447:416];
  wire [31:0] w8  = win[255:224];
  wire [31:0] w13 = win[95:64];
  wire [31:0] wx  = w13 ^ w8 ^ w2 ^ w0;
  wire [31:0] w16 = {wx[30:0], wx[31]};

  reg [31:0] f;
  reg [31:0] k;
  always @* begin
    f = b ^ c ^ d;
    k = K1;
    if (rnd_reg < 7'd20) begin
      f = (b & c) | (~b & d);
      k = K0;
    end else if (rnd_reg < 7'd40) begin
      f = b ^ c ^ d;
      k = K1;
    end else if (rnd_reg < 7'd60) begin
      f = (b & c) | (b & d) | (c & d);
      k = K2;
    end else begin
      f = b ^ c ^ d;
      k = K3;
    end
  end

  wire [31:0]  tmp     = {a[26:0], a[31:27]} + f + e + k + w0;
  wire [159:0] rnd_out = {tmp, a, {b[1:0], b[31:2]}, c, d};

  // -------------------------------------------------------- next-state logic
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
        h_new    = {h_reg[159:128] + v_reg[159:128], h_reg[127:96] + v_reg[127:96],
                    h_reg[95:64]   + v_reg[95:64],   h_reg[63:32]  + v_reg[63:32],
                    h_reg[31:0]    + v_reg[31:0]};
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
      h_reg    <= 160'd0;
      v_reg    <= 160'd0;
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
