`default_nettype none
// sha512_core
// Iterative SHA-512 / SHA-384 compression function (FIPS 180-4 Sec. 6.4 and
// 6.5), one round per clock.  The core holds the chaining value H0..H7 and
// compresses one 1024-bit message block per `next`; message padding
// (FIPS 180-4 Sec. 5.1.2) and SHA-384 truncation are done outside.
//
// Cycle counts:
//   - init / state_load in cycle t: state_out holds the new value from cycle
//     t+1, and ready is high again from t+1 (it is forced low in cycle t, so
//     a `next` in the same cycle is ignored).
//   - Block: `next` accepted in cycle t (ready high).  The edge ending cycle t
//     applies round 0 (on H and the first block word, taken directly from
//     the `block` port); the edges ending t+1..t+79 apply rounds 1..79; the
//     edge ending t+80 adds the working variables into H.  state_out holds
//     the new chaining value and ready is high from cycle t+81, and a `next`
//     may be accepted in that same cycle, so back-to-back blocks take
//     80 + 1 = 81 cycles each.  `block` is sampled only in the accept cycle.
//   - state_out keeps the previous chaining value while a block is in flight
//     and changes only at the final-addition edge, init or state_load.
//
// Datapath: working variables a..h (a_reg..h_reg) and a 16-word sliding
// message-schedule window (w_reg, W[t] in the top 64 bits).  Each round uses
// W[t] from the top of the window and shifts in
// W[t+16] = sigma1(W[t+14]) + W[t+9] + sigma0(W[t+1]) + W[t].
// Invariant while idle: a..h equal H0..H7 and the round counter is 0, so
// round 0 needs no multiplexer on a..h or on the K index; only the window
// source (block port in the accept cycle, w_reg afterwards) is selected.
//
// Control rules:
//   - init (SHA-512 or SHA-384 initial value, by `mode`) and state_load
//     (state_in) are honoured in any cycle, also while a block is in flight
//     (that block is abandoned) and while fault_stuck is 1.  init wins if
//     both are asserted.
//   - fault_stuck = 1 freezes the block datapath (window, working variables,
//     round counter, busy flag) and forces ready low, so a block in flight
//     does not finish and no `next` is accepted while it is 1; releasing it
//     resumes the block where it stopped.
//   - `next` while ready is low is ignored.
//   - After reset the state is all zero: assert init (or state_load) first.
//
// Byte order: the first message byte of `block` is in [1023:1016];
// state_in / state_out hold H0..H7 with H0 in [511:448] (first digest byte in
// [511:504]); the SHA-384 digest is state_out[511:128].
module sha512_core (
  input  wire          clk,
  input  wire          rst_n,
  input  wire          init,          // pulse: state <= initial value of `mode`
  input  wire          mode,          // 0 = SHA-512, 1 = SHA-384 (sampled with init)
  input  wire          state_load,    // pulse: state <= state_in
  input  wire [511:0]  state_in,
  input  wire          next,          // pulse: compress `block` (ignored unless ready)
  input  wire [1023:0] block,
  output wire          ready,         // may accept `next` this cycle
  output wire [511:0]  state_out,     // H0..H7
  input  wire          fault_stuck    // fault injection: 1 = rounds do not advance
);

  // Initial hash values, FIPS 180-4 Sec. 5.3.5 (SHA-512) and 5.3.4 (SHA-384).
  localparam [511:0] IV_512 = {
    64'h6a09e667f3bcc908, 64'hbb67ae8584caa73b, 64'h3c6ef372fe94f82b, 64'ha54ff53a5f1d36f1,
    64'h510e527fade682d1, 64'h9b05688c2b3e6c1f, 64'h1f83d9abfb41bd6b, 64'h5be0cd19137e2179
  };
  localparam [511:0] IV_384 = {
    64'hcbbb9d5dc1059ed8, 64'h629a292a367cd507, 64'h9159015a3070dd17, 64'h152fecd8f70e5939,
    64'h67332667ffc00b31, 64'h8eb44a8768581511, 64'hdb0c2e0d64f98fa7, 64'h47b5481dbefa4fa4
  };
  localparam [6:0] FINAL_ADD  = 7'd80;   // round counter value of the addition cycle

  // ---------------------------------------------------------------- state
  reg [511:0]  st_reg;            // chaining value H0..H7
  reg [511:0]  st_new;
  reg          st_we;

  reg [63:0]   a_reg, b_reg, c_reg, d_reg, e_reg, f_reg, g_reg, h_reg;
  reg [63:0]   a_new, b_new, c_new, d_new, e_new, f_new, g_new, h_new;
  reg          work_we;           // one enable for all eight working variables

  reg [1023:0] w_reg;             // W[t..t+15], W[t] in [1023:960]
  reg [1023:0] w_new;
  reg          w_we;

  reg [6:0]    round_reg;         // round applied at the next edge; 80 = final add
  reg [6:0]    round_new;
  reg          round_we;

  reg          busy_reg;
  reg          busy_new;
  reg          busy_we;

  assign ready     = ~busy_reg & ~fault_stuck & ~init & ~state_load;
  assign state_out = st_reg;

  wire accept = next & ready;

  // ------------------------------------------------------------ functions
  function [63:0] bsig0;          // Sigma0(a) = ROTR28 ^ ROTR34 ^ ROTR39
    input [63:0] x;
    begin
      bsig0 = {x[27:0], x[63:28]} ^ {x[33:0], x[63:34]} ^ {x[38:0], x[63:39]};
    end
  endfunction

  function [63:0] bsig1;          // Sigma1(e) = ROTR14 ^ ROTR18 ^ ROTR41
    input [63:0] x;
    begin
      bsig1 = {x[13:0], x[63:14]} ^ {x[17:0], x[63:18]} ^ {x[40:0], x[63:41]};
    end
  endfunction

  function [63:0] ssig0;          // sigma0(x) = ROTR1 ^ ROTR8 ^ SHR7
    input [63:0] x;
    begin
      ssig0 = {x[0], x[63:1]} ^ {x[7:0], x[63:8]} ^ {7'd0, x[63:7]};
    end
  endfunction

  function [63:0] ssig1;          // sigma1(x) = ROTR19 ^ ROTR61 ^ SHR6
    input [63:0] x;
    begin
      ssig1 = {x[18:0], x[63:19]} ^ {x[60:0], x[63:61]} ^ {6'd0, x[63:6]};
    end
  endfunction

  // ------------------------------------------------------ message schedule
  // The window source is the block port in the accept cycle (round 0) and
  // the window register afterwards.
  wire [1023:0] wsrc = busy_reg ? w_reg : block;
  wire [63:0]   w_t  = wsrc[1023:960];                       // W[t]
  wire [63:0]   w_16 = ssig1(wsrc[127:64]) + wsrc[447:384]   // W[t+14], W[t+9]
                     + ssig0(wsrc[959:896]) + w_t;           // W[t+1],  W[t]

  // ------------------------------------------------------------ round logic
  wire [63:0] k_t;

  sha512_k u_k (
    .idx (round_reg),             // 0 while idle, so round 0 needs no select
    .k   (k_t)
  );

  wire [63:0] ch  = (e_reg & f_reg) ^ (~e_reg & g_reg);
  wire [63:0] maj = (a_reg & b_reg) ^ (a_reg & c_reg) ^ (b_reg & c_reg);
  wire [63:0] t1  = h_reg + bsig1(e_reg) + ch + k_t + w_t;
  wire [63:0] t2  = bsig0(a_reg) + maj;

  // final addition H(i) = H(i-1) + working variables
  wire [511:0] st_sum = {st_reg[511:448] + a_reg, st_reg[447:384] + b_reg,
                         st_reg[383:320] + c_reg, st_reg[319:256] + d_reg,
                         st_reg[255:192] + e_reg, st_reg[191:128] + f_reg,
                         st_reg[127:64]  + g_reg, st_reg[63:0]    + h_reg};

  wire run      = busy_reg & ~fault_stuck;
  wire do_round = accept | (run & (round_reg != FINAL_ADD));
  wire do_final = run & (round_reg == FINAL_ADD);

  // -------------------------------------------------------- next-state logic
  always @* begin
    st_new    = st_reg;
    st_we     = 1'b0;
    a_new     = a_reg;
    b_new     = b_reg;
    c_new     = c_reg;
    d_new     = d_reg;
    e_new     = e_reg;
    f_new     = f_reg;
    g_new     = g_reg;
    h_new     = h_reg;
    work_we   = 1'b0;
    w_new     = w_reg;
    w_we      = 1'b0;
    round_new = round_reg;
    round_we  = 1'b0;
    busy_new  = busy_reg;
    busy_we   = 1'b0;

    if (init || state_load) begin
      // load H and keep a..h equal to it (idle invariant); abandon any block
      st_new = init ? (mode ? IV_384 : IV_512) : state_in;
      st_we  = 1'b1;
      {a_new, b_new, c_new, d_new, e_new, f_new, g_new, h_new} = st_new;
      work_we   = 1'b1;
      round_new = 7'd0;
      round_we  = 1'b1;
      busy_new  = 1'b0;
      busy_we   = 1'b1;
    end else if (do_round) begin
      // round `round_reg` (0 in the accept cycle)
      a_new   = t1 + t2;
      b_new   = a_reg;
      c_new   = b_reg;
      d_new   = c_reg;
      e_new   = d_reg + t1;
      f_new   = e_reg;
      g_new   = f_reg;
      h_new   = g_reg;
      work_we = 1'b1;
      w_new   = {wsrc[959:0], w_16};
      w_we    = 1'b1;
      round_new = round_reg + 7'd1;
      round_we  = 1'b1;
      if (accept) begin
        busy_new = 1'b1;
        busy_we  = 1'b1;
      end
    end else if (do_final) begin
      st_new = st_sum;
      st_we  = 1'b1;
      {a_new, b_new, c_new, d_new, e_new, f_new, g_new, h_new} = st_sum;
      work_we   = 1'b1;
      round_new = 7'd0;
      round_we  = 1'b1;
      busy_new  = 1'b0;
      busy_we   = 1'b1;
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      st_reg    <= 512'd0;
      a_reg     <= 64'd0;
      b_reg     <= 64'd0;
      c_reg     <= 64'd0;
      d_reg     <= 64'd0;
      e_reg     <= 64'd0;
      f_reg     <= 64'd0;
      g_reg     <= 64'd0;
      h_reg     <= 64'd0;
      w_reg     <= 1024'd0;
      round_reg <= 7'd0;
      busy_reg  <= 1'b0;
    end else begin
      if (st_we) st_reg <= st_new;
      if (work_we) begin
        a_reg <= a_new;
        b_reg <= b_new;
        c_reg <= c_new;
        d_reg <= d_new;
        e_reg <= e_new;
        f_reg <= f_new;
        g_reg <= g_new;
        h_reg <= h_new;
      end
      if (w_we)     w_reg     <= w_new;
      if (round_we) round_reg <= round_new;
      if (busy_we)  busy_reg  <= busy_new;
    end
  end

endmodule

`default_nettype wire
