`default_nettype none
// aes_core
// Iterative AES block core (FIPS-197), one full round per clock, encrypt or
// decrypt per block, 128/192/256-bit keys.
//
// Cycle counts:
//   - Key schedule: key_load in cycle t; key_ready (and blk_ready) high from
//     cycle t + 4*(Nr+1), i.e. 44/52/60 cycles for 128/192/256-bit keys.
//   - Block: blk_start in cycle t loads state = blk_in ^ rk[0] (encrypt) or
//     blk_in ^ rk[Nr] (decrypt) at the edge ending cycle t; the next Nr edges
//     apply one round each (the last without (Inv)MixColumns); blk_valid and
//     blk_ready are high from cycle t+Nr+1.  blk_start may be asserted in that
//     same cycle, and blk_in may depend combinationally on blk_out (CBC
//     chaining), so back-to-back blocks take Nr+1 = 11/13/15 cycles each.
//
// Decryption is the straightforward inverse cipher (FIPS-197 Sec. 5.3):
// InvShiftRows, InvSubBytes, AddRoundKey, InvMixColumns per round, reading the
// same schedule in reverse order (no separate decryption schedule).
//
// Caller rules (not checked):
//   - key_load must not be asserted while a block is in flight (blk_ready low
//     with key_ready high); the block would finish with a mix of old and new
//     round keys.  A finished block (blk_valid high) is not affected by
//     key_load and stays readable.  blk_ready is forced low in the key_load
//     cycle so a start in that same cycle is ignored.
//   - fault_stuck = 1 freezes the block datapath (state, round counter,
//     busy/valid flags) and forces blk_ready low, so blk_valid never rises
//     while it is 1; releasing it resumes the block where it stopped.  The
//     key schedule is not frozen.
//
// Byte order: first byte of a block in [127:120]; key port as aes_key_expand.
module aes_core (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         key_load,     // pulse: latch key/key_len and expand the schedule
  input  wire [255:0] key,
  input  wire [1:0]   key_len,      // 0 = 128, 1 = 192, 2 = 256 bits (3: treat as 256)
  output wire         key_ready,    // schedule complete (stays high until next key_load)
  input  wire         blk_start,    // pulse: begin a block with blk_in (ignored unless blk_ready)
  input  wire         blk_decrypt,  // sampled with blk_start
  input  wire [127:0] blk_in,
  output wire         blk_ready,    // may start a block this cycle
  output wire         blk_valid,    // blk_out holds a finished block; stays high until next blk_start
  output wire [127:0] blk_out,
  input  wire         fault_stuck   // fault injection: 1 = block datapath does not advance
);

  // ---------------------------------------------------------------- state
  reg [127:0] state_reg;
  reg [127:0] state_new;
  reg         state_we;

  reg [3:0]   round_reg;          // round applied at the next edge (1..Nr)
  reg [3:0]   round_new;
  reg         round_we;

  reg         busy_reg;           // rounds in progress
  reg         busy_new;
  reg         busy_we;

  reg         valid_reg;
  reg         valid_new;
  reg         valid_we;

  reg         dec_reg;            // current block is a decryption
  reg         dec_new;
  reg         dec_we;

  // ------------------------------------------------------------ key schedule
  wire [3:0]   nr;
  reg  [3:0]   rk_idx;
  wire [127:0] rk;

  aes_key_expand u_key (
    .clk      (clk),
    .rst_n    (rst_n),
    .start    (key_load),
    .key      (key),
    .key_len  (key_len),
    .ready    (key_ready),
    .nr       (nr),
    .rd_round (rk_idx),
    .rd_key   (rk)
  );

  assign blk_ready = key_ready & ~busy_reg & ~fault_stuck & ~key_load;
  assign blk_valid = valid_reg;
  assign blk_out   = state_reg;

  wire accept    = blk_start & blk_ready;
  wire last_rnd  = (round_reg == nr);

  // Round key: rk[0]/rk[Nr] for the initial AddRoundKey, then rk[round]
  // (encrypt) or rk[Nr-round] (decrypt).  A start can only be accepted when
  // not busy, so the select uses busy_reg rather than blk_start: this keeps
  // blk_start (e.g. an out_ready handshake upstream) off the 15:1 mux select.
  always @* begin
    rk_idx = 4'd0;
    if (!busy_reg) begin
      rk_idx = blk_decrypt ? nr : 4'd0;
    end else if (dec_reg) begin
      rk_idx = nr - round_reg;
    end else begin
      rk_idx = round_reg;
    end
  end

  // ---------------------------------------------------------- GF(2^8) math
  function [7:0] xt;              // multiply by x (02)
    input [7:0] a;
    begin
      xt = {a[6:0], 1'b0} ^ (a[7] ? 8'h1b : 8'h00);
    end
  endfunction

  // MixColumns on one column {a0,a1,a2,a3} (a0 in the high byte)
  function [31:0] mix_col;
    input [31:0] c;
    reg [7:0] a0, a1, a2, a3;
    begin
      a0 = c[31:24]; a1 = c[23:16]; a2 = c[15:8]; a3 = c[7:0];
      mix_col[31:24] = xt(a0) ^ xt(a1) ^ a1 ^ a2 ^ a3;
      mix_col[23:16] = a0 ^ xt(a1) ^ xt(a2) ^ a2 ^ a3;
      mix_col[15:8]  = a0 ^ a1 ^ xt(a2) ^ xt(a3) ^ a3;
      mix_col[7:0]   = xt(a0) ^ a0 ^ a1 ^ a2 ^ xt(a3);
    end
  endfunction

  // InvMixColumns on one column: matrix rows {0e,0b,0d,09} rotated
  function [31:0] inv_mix_col;
    input [31:0] c;
    reg [7:0] a0, a1, a2, a3;
    reg [7:0] m09_0, m0b_0, m0d_0, m0e_0;
    reg [7:0] m09_1, m0b_1, m0d_1, m0e_1;
    reg [7:0] m09_2, m0b_2, m0d_2, m0e_2;
    reg [7:0] m09_3, m0b_3, m0d_3, m0e_3;
    reg [7:0] x2, x4, x8;
    begin
      a0 = c[31:24]; a1 = c[23:16]; a2 = c[15:8]; a3 = c[7:0];
      x2 = xt(a0); x4 = xt(x2); x8 = xt(x4);
      m09_0 = x8 ^ a0; m0b_0 = x8 ^ x2 ^ a0; m0d_0 = x8 ^ x4 ^ a0; m0e_0 = x8 ^ x4 ^ x2;
      x2 = xt(a1); x4 = xt(x2); x8 = xt(x4);
      m09_1 = x8 ^ a1; m0b_1 = x8 ^ x2 ^ a1; m0d_1 = x8 ^ x4 ^ a1; m0e_1 = x8 ^ x4 ^ x2;
      x2 = xt(a2); x4 = xt(x2); x8 = xt(x4);
      m09_2 = x8 ^ a2; m0b_2 = x8 ^ x2 ^ a2; m0d_2 = x8 ^ x4 ^ a2; m0e_2 = x8 ^ x4 ^ x2;
      x2 = xt(a3); x4 = xt(x2); x8 = xt(x4);
      m09_3 = x8 ^ a3; m0b_3 = x8 ^ x2 ^ a3; m0d_3 = x8 ^ x4 ^ a3; m0e_3 = x8 ^ x4 ^ x2;
      inv_mix_col[31:24] = m0e_0 ^ m0b_1 ^ m0d_2 ^ m09_3;
      inv_mix_col[23:16] = m09_0 ^ m0e_1 ^ m0b_2 ^ m0d_3;
      inv_mix_col[15:8]  = m0d_0 ^ m09_1 ^ m0e_2 ^ m0b_3;
      inv_mix_col[7:0]   = m0b_0 ^ m0d_1 ^ m09_2 ^ m0e_3;
    end
  endfunction

  // ------------------------------------------------------- round datapath
  // Byte b of the block (b = 0 first) is state[r][c] with b = r + 4c and
  // lives in bits [127-8b -: 8].
  wire [127:0] sb;                // SubBytes(state)
  wire [127:0] isb;               // InvSubBytes(InvShiftRows(state))
  wire [127:0] isr;               // InvShiftRows(state)
  wire [127:0] sr;                // ShiftRows(SubBytes(state))

  genvar g;
  generate
    for (g = 0; g < 16; g = g + 1) begin : g_bytes
      // ShiftRows: out[r][c] = in[r][(c+r) mod 4]; InvShiftRows: (c-r) mod 4.
      // Row r = g % 4, column c = g / 4.
      localparam integer R  = g % 4;
      localparam integer C  = g / 4;
      localparam integer FS = R + 4 * ((C + R) % 4);      // source byte, ShiftRows
      localparam integer IS = R + 4 * ((C + 4 - R) % 4);  // source byte, InvShiftRows

      aes_sbox u_sb (
        .in  (state_reg[127-8*g -: 8]),
        .out (sb[127-8*g -: 8])
      );
      assign sr[127-8*g -: 8]  = sb[127-8*FS -: 8];
      assign isr[127-8*g -: 8] = state_reg[127-8*IS -: 8];
      aes_inv_sbox u_isb (
        .in  (isr[127-8*g -: 8]),
        .out (isb[127-8*g -: 8])
      );
    end
  endgenerate

  wire [127:0] mc = {mix_col(sr[127:96]), mix_col(sr[95:64]),
                     mix_col(sr[63:32]),  mix_col(sr[31:0])};
  wire [127:0] enc_out = (last_rnd ? sr : mc) ^ rk;

  wire [127:0] ark = isb ^ rk;
  wire [127:0] imc = {inv_mix_col(ark[127:96]), inv_mix_col(ark[95:64]),
                      inv_mix_col(ark[63:32]),  inv_mix_col(ark[31:0])};
  wire [127:0] dec_out = last_rnd ? ark : imc;

  // -------------------------------------------------------- next-state logic
  always @* begin
    state_new = state_reg;
    state_we  = 1'b0;
    round_new = round_reg;
    round_we  = 1'b0;
    busy_new  = busy_reg;
    busy_we   = 1'b0;
    valid_new = valid_reg;
    valid_we  = 1'b0;
    dec_new   = dec_reg;
    dec_we    = 1'b0;

    if (accept) begin
      // initial AddRoundKey (rk_idx selects rk[0] or rk[Nr])
      state_new = blk_in ^ rk;
      state_we  = 1'b1;
      round_new = 4'd1;
      round_we  = 1'b1;
      busy_new  = 1'b1;
      busy_we   = 1'b1;
      valid_new = 1'b0;
      valid_we  = 1'b1;
      dec_new   = blk_decrypt;
      dec_we    = 1'b1;
    end else if (busy_reg && !fault_stuck) begin
      state_new = dec_reg ? dec_out : enc_out;
      state_we  = 1'b1;
      round_new = round_reg + 4'd1;
      round_we  = 1'b1;
      if (last_rnd) begin
        busy_new  = 1'b0;
        busy_we   = 1'b1;
        valid_new = 1'b1;
        valid_we  = 1'b1;
      end
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      state_reg <= 128'd0;
      round_reg <= 4'd0;
      busy_reg  <= 1'b0;
      valid_reg <= 1'b0;
      dec_reg   <= 1'b0;
    end else begin
      if (state_we) state_reg <= state_new;
      if (round_we) round_reg <= round_new;
      if (busy_we)  busy_reg  <= busy_new;
      if (valid_we) valid_reg <= valid_new;
      if (dec_we)   dec_reg   <= dec_new;
    end
  end

endmodule

`default_nettype wire
