`default_nettype none
// des_core
// Iterative DES / 3DES-EDE block core (FIPS 46-3, NIST SP 800-67), one
// Feistel round per clock, encrypt or decrypt per block.
//
// Cycle counts:
//   - Key: key_load in cycle t latches the key (after PC-1) and key_mode;
//     key_ready is high from cycle t+1 (there is no schedule to expand).
//   - Block: blk_start in cycle t loads IP(blk_in) at the edge ending cycle t;
//     the next 16 (DES) or 48 (3DES) edges apply one round each; blk_valid
//     and blk_ready are high from cycle t+17 / t+49.  blk_start may be
//     asserted in that same cycle, and blk_in may depend combinationally on
//     blk_out (CBC chaining), so back-to-back blocks take exactly 17 / 49
//     cycles each, the same contract as aes_core (Nr+1).
//
// Key schedule: subkeys are made on the fly.  The 56-bit C/D register holds
// PC-1(K) at the start of a DES pass and is rotated each round (left by
// 1,1,2,2,2,2,2,2,1,2,2,2,2,2,2,1 for encryption; for decryption round 1
// uses C/D unrotated - C16 = C0 since the shifts add up to 28 - then right
// by 1,2,2,2,2,2,2,1,2,2,2,2,2,2,1), and PC-2 of the rotated value is the
// round's subkey.  Why not a stored schedule: 16x48 bits per key (2304 bits
// for 3DES) of flops or RAM, plus a schedule pass on every key change, versus
// one 56-bit register and a 5-way rotate mux; PC-1/PC-2 are only wiring.  It
// also makes key_ready immediate.
//
// 3DES: encrypt = E_K1, D_K2, E_K3; decrypt = D_K3, E_K2, D_K1.  FP at the
// end of one pass and IP at the start of the next cancel, so they are
// skipped: the state runs straight through all 48 rounds.  The last round of
// each pass does not swap the halves (the standard R16L16 pre-output), which
// is exactly the L0R0 the next pass needs; the next pass's key is loaded into
// C/D at that same edge.  Two-key 3DES is K3 = K1, the caller's job.
//
// Caller rules (not checked), as aes_core:
//   - key_load must not be asserted while a block is in flight (blk_ready low
//     with key_ready high); a finished block (blk_valid high) is not affected
//     and stays readable.  blk_ready is forced low in the key_load cycle so a
//     start in that same cycle is ignored.
//   - fault_stuck = 1 freezes the block datapath (state, C/D, round and pass
//     counters, busy/valid flags) and forces blk_ready low, so blk_valid never
//     rises while it is 1; releasing it resumes the block where it stopped.
//     Key loading is not frozen.
//
// Byte order: first byte of a block in [63:56]; key port K1 in [191:128]
// (first key byte in [191:184]), K2 in [127:64], K3 in [63:0].  The parity
// bits (LSB of each key byte) are dropped by PC-1, i.e. ignored, and weak or
// semi-weak keys are accepted, as OpenSSL's EVP interface does.
module des_core (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         key_load,     // pulse: latch key and key_mode
  input  wire [191:0] key,
  input  wire         key_mode,     // 0 = DES (K1 only), 1 = 3DES EDE (K1, K2, K3)
  output wire         key_ready,    // a key is loaded (stays high; reset clears it)
  input  wire         blk_start,    // pulse: begin a block with blk_in (ignored unless blk_ready)
  input  wire         blk_decrypt,  // sampled with blk_start
  input  wire [63:0]  blk_in,
  output wire         blk_ready,    // may start a block this cycle
  output wire         blk_valid,    // blk_out holds a finished block; stays high until next blk_start
  output wire [63:0]  blk_out,
  input  wire         fault_stuck   // fault injection: 1 = block datapath does not advance
);

  // -------------------------------------------------- FIPS 46-3 tables
  // Entries are the standard 1-based bit positions (bit 1 = MSB), first
  // entry in the most significant byte of each constant.
  localparam [64*8-1:0] IP_TAB = {
    8'd58, 8'd50, 8'd42, 8'd34, 8'd26, 8'd18, 8'd10, 8'd2,
    8'd60, 8'd52, 8'd44, 8'd36, 8'd28, 8'd20, 8'd12, 8'd4,
    8'd62, 8'd54, 8'd46, 8'd38, 8'd30, 8'd22, 8'd14, 8'd6,
    8'd64, 8'd56, 8'd48, 8'd40, 8'd32, 8'd24, 8'd16, 8'd8,
    8'd57, 8'd49, 8'd41, 8'd33, 8'd25, 8'd17, 8'd9,  8'd1,
    8'd59, 8'd51, 8'd43, 8'd35, 8'd27, 8'd19, 8'd11, 8'd3,
    8'd61, 8'd53, 8'd45, 8'd37, 8'd29, 8'd21, 8'd13, 8'd5,
    8'd63, 8'd55, 8'd47, 8'd39, 8'd31, 8'd23, 8'd15, 8'd7};

  localparam [64*8-1:0] FP_TAB = {   // IP^-1
    8'd40, 8'd8, 8'd48, 8'd16, 8'd56, 8'd24, 8'd64, 8'd32,
    8'd39, 8'd7, 8'd47, 8'd15, 8'd55, 8'd23, 8'd63, 8'd31,
    8'd38, 8'd6, 8'd46, 8'd14, 8'd54, 8'd22, 8'd62, 8'd30,
    8'd37, 8'd5, 8'd45, 8'd13, 8'd53, 8'd21, 8'd61, 8'd29,
    8'd36, 8'd4, 8'd44, 8'd12, 8'd52, 8'd20, 8'd60, 8'd28,
    8'd35, 8'd3, 8'd43, 8'd11, 8'd51, 8'd19, 8'd59, 8'd27,
    8'd34, 8'd2, 8'd42, 8'd10, 8'd50, 8'd18, 8'd58, 8'd26,
    8'd33, 8'd1, 8'd41, 8'd9,  8'd49, 8'd17, 8'd57, 8'd25};

  localparam [48*8-1:0] E_TAB = {
    8'd32, 8'd1,  8'd2,  8'd3,  8'd4,  8'd5,
    8'd4,  8'd5,  8'd6,  8'd7,  8'd8,  8'd9,
    8'd8,  8'd9,  8'd10, 8'd11, 8'd12, 8'd13,
    8'd12, 8'd13, 8'd14, 8'd15, 8'd16, 8'd17,
    8'd16, 8'd17, 8'd18, 8'd19, 8'd20, 8'd21,
    8'd20, 8'd21, 8'd22, 8'd23, 8'd24, 8'd25,
    8'd24, 8'd25, 8'd26, 8'd27, 8'd28, 8'd29,
    8'd28, 8'd29, 8'd30, 8'd31, 8'd32, 8'd1};

  localparam [32*8-1:0] P_TAB = {
    8'd16, 8'd7,  8'd20, 8'd21, 8'd29, 8'd12, 8'd28, 8'd17,
    8'd1,  8'd15, 8'd23, 8'd26, 8'd5,  8'd18, 8'd31, 8'd10,
    8'd2,  8'd8,  8'd24, 8'd14, 8'd32, 8'd27, 8'd3,  8'd9,
    8'd19, 8'd13, 8'd30, 8'd6,  8'd22, 8'd11, 8'd4,  8'd25};

  localparam [56*8-1:0] PC1_TAB = {
    // C
    8'd57, 8'd49, 8'd41, 8'd33, 8'd25, 8'd17, 8'd9,
    8'd1,  8'd58, 8'd50, 8'd42, 8'd34, 8'd26, 8'd18,
    8'd10, 8'd2,  8'd59, 8'd51, 8'd43, 8'd35, 8'd27,
    8'd19, 8'd11, 8'd3,  8'd60, 8'd52, 8'd44, 8'd36,
    // D
    8'd63, 8'd55, 8'd47, 8'd39, 8'd31, 8'd23, 8'd15,
    8'd7,  8'd62, 8'd54, 8'd46, 8'd38, 8'd30, 8'd22,
    8'd14, 8'd6,  8'd61, 8'd53, 8'd45, 8'd37, 8'd29,
    8'd21, 8'd13, 8'd5,  8'd28, 8'd20, 8'd12, 8'd4};

  localparam [48*8-1:0] PC2_TAB = {
    8'd14, 8'd17, 8'd11, 8'd24, 8'd1,  8'd5,
    8'd3,  8'd28, 8'd15, 8'd6,  8'd21, 8'd10,
    8'd23, 8'd19, 8'd12, 8'd4,  8'd26, 8'd8,
    8'd16, 8'd7,  8'd27, 8'd20, 8'd13, 8'd2,
    8'd41, 8'd52, 8'd31, 8'd37, 8'd47, 8'd55,
    8'd30, 8'd40, 8'd51, 8'd45, 8'd33, 8'd48,
    8'd44, 8'd49, 8'd39, 8'd56, 8'd34, 8'd53,
    8'd46, 8'd42, 8'd50, 8'd36, 8'd29, 8'd32};

  // ---------------------------------------------------------------- state
  reg [167:0] kpc_reg;            // PC-1(K1), PC-1(K2), PC-1(K3), 56 bits each
  reg [167:0] kpc_new;
  reg         kpc_we;

  reg         tdes_reg;           // latched key_mode
  reg         tdes_new;
  reg         tdes_we;

  reg         kready_reg;
  reg         kready_new;
  reg         kready_we;

  reg [63:0]  state_reg;          // {L, R}; after a pass's last round {R16, L16}
  reg [63:0]  state_new;
  reg         state_we;

  reg [55:0]  cd_reg;             // {C, D} before this round's rotation
  reg [55:0]  cd_new;
  reg         cd_we;

  reg [3:0]   round_reg;          // round within the pass applied at the next edge (0..15)
  reg [3:0]   round_new;
  reg         round_we;

  reg [1:0]   pass_reg;           // DES pass within 3DES (0..2; always 0 for DES)
  reg [1:0]   pass_new;
  reg         pass_we;

  reg         busy_reg;           // rounds in progress
  reg         busy_new;
  reg         busy_we;

  reg         valid_reg;
  reg         valid_new;
  reg         valid_we;

  reg         dec_reg;            // current block is a decryption
  reg         dec_new;
  reg         dec_we;

  // ------------------------------------------------------------ wiring
  wire [55:0]  key_pc1 [0:2];     // PC-1 of the three key port slices
  wire [63:0]  ip_in;             // IP(blk_in)
  wire [63:0]  fp_out;            // FP(state)
  wire [47:0]  e_out;             // E(R)
  wire [47:0]  subkey;            // PC-2(C/D rotated)
  wire [31:0]  s_out;
  wire [31:0]  p_out;
  reg  [55:0]  cd_rot;            // C/D for this round

  genvar g, k;
  generate
    for (k = 0; k < 3; k = k + 1) begin : g_pc1_key
      for (g = 0; g < 56; g = g + 1) begin : g_bit
        localparam integer SRC = {24'd0, PC1_TAB[8*(55-g) +: 8]};
        assign key_pc1[k][55-g] = key[191 - 64*k - (SRC - 1)];
      end
    end
    for (g = 0; g < 64; g = g + 1) begin : g_ip_fp
      localparam integer SRC_IP = {24'd0, IP_TAB[8*(63-g) +: 8]};
      localparam integer SRC_FP = {24'd0, FP_TAB[8*(63-g) +: 8]};
      assign ip_in[63-g]  = blk_in[64 - SRC_IP];
      assign fp_out[63-g] = state_reg[64 - SRC_FP];
    end
    for (g = 0; g < 48; g = g + 1) begin : g_e_pc2
      localparam integer SRC_E   = {24'd0, E_TAB[8*(47-g) +: 8]};
      localparam integer SRC_PC2 = {24'd0, PC2_TAB[8*(47-g) +: 8]};
      assign e_out[47-g]  = state_reg[32 - SRC_E];      // R = state[31:0]
      assign subkey[47-g] = cd_rot[56 - SRC_PC2];
    end
    for (g = 0; g < 32; g = g + 1) begin : g_p
      localparam integer SRC_P = {24'd0, P_TAB[8*(31-g) +: 8]};
      assign p_out[31-g] = s_out[32 - SRC_P];
    end
  endgenerate

  des_sbox u_sbox (
    .in  (e_out ^ subkey),
    .out (s_out)
  );

  assign key_ready = kready_reg;
  assign blk_ready = kready_reg & ~busy_reg & ~fault_stuck & ~key_load;
  assign blk_valid = valid_reg;
  assign blk_out   = fp_out;

  wire accept = blk_start & blk_ready;

  // Direction of the current DES pass: the middle pass of 3DES runs the
  // other way (EDE / DED).  pass_reg is 0 for single DES.
  wire pass_dec   = dec_reg ^ (pass_reg == 2'd1);
  wire last_pass  = tdes_reg ? (pass_reg == 2'd2) : 1'b1;
  wire pass_end   = (round_reg == 4'd15);
  wire block_end  = pass_end & last_pass;

  // ----------------------------------------------------- subkey rotation
  // Encryption round i (0-based) rotates left by 1 for i = 0, 1, 8, 15 and
  // by 2 otherwise.  Decryption walks the same sequence backwards: round 0
  // takes C16 = C0 as is, then right by 1 for i = 1, 8, 15 and 2 otherwise.
  wire [27:0] c_cur = cd_reg[55:28];
  wire [27:0] d_cur = cd_reg[27:0];
  wire        rot1  = (round_reg == 4'd1) | (round_reg == 4'd8) | (round_reg == 4'd15);
  wire        first = (round_reg == 4'd0);

  always @* begin
    if (pass_dec) begin
      if (first)
        cd_rot = cd_reg;
      else if (rot1)
        cd_rot = {c_cur[0], c_cur[27:1], d_cur[0], d_cur[27:1]};
      else
        cd_rot = {c_cur[1:0], c_cur[27:2], d_cur[1:0], d_cur[27:2]};
    end else begin
      if (first | rot1)
        cd_rot = {c_cur[26:0], c_cur[27], d_cur[26:0], d_cur[27]};
      else
        cd_rot = {c_cur[25:0], c_cur[27:26], d_cur[25:0], d_cur[27:26]};
    end
  end

  // ---------------------------------------------------------- round
  wire [31:0] l_half = state_reg[63:32];
  wire [31:0] r_half = state_reg[31:0];
  wire [31:0] l_next = l_half ^ p_out;   // L ^ f(R, K)

  // PC-1 of the key for the first pass (3DES decrypt starts with K3) and for
  // the next pass at the end of pass 0 (K2) or pass 1 (K3 / K1).
  wire [55:0] first_key = (tdes_reg & blk_decrypt) ? kpc_reg[55:0] : kpc_reg[167:112];
  wire [55:0] next_key  = (pass_reg == 2'd0) ? kpc_reg[111:56] :
                          dec_reg            ? kpc_reg[167:112] : kpc_reg[55:0];

  // -------------------------------------------------------- next-state logic
  always @* begin
    kpc_new    = kpc_reg;
    kpc_we     = 1'b0;
    tdes_new   = tdes_reg;
    tdes_we    = 1'b0;
    kready_new = kready_reg;
    kready_we  = 1'b0;
    state_new  = state_reg;
    state_we   = 1'b0;
    cd_new     = cd_reg;
    cd_we      = 1'b0;
    round_new  = round_reg;
    round_we   = 1'b0;
    pass_new   = pass_reg;
    pass_we    = 1'b0;
    busy_new   = busy_reg;
    busy_we    = 1'b0;
    valid_new  = valid_reg;
    valid_we   = 1'b0;
    dec_new    = dec_reg;
    dec_we     = 1'b0;

    if (key_load) begin
      kpc_new    = {key_pc1[0], key_pc1[1], key_pc1[2]};
      kpc_we     = 1'b1;
      tdes_new   = key_mode;
      tdes_we    = 1'b1;
      kready_new = 1'b1;
      kready_we  = 1'b1;
    end

    if (accept) begin
      state_new = ip_in;
      state_we  = 1'b1;
      cd_new    = first_key;
      cd_we     = 1'b1;
      round_new = 4'd0;
      round_we  = 1'b1;
      pass_new  = 2'd0;
      pass_we   = 1'b1;
      busy_new  = 1'b1;
      busy_we   = 1'b1;
      valid_new = 1'b0;
      valid_we  = 1'b1;
      dec_new   = blk_decrypt;
      dec_we    = 1'b1;
    end else if (busy_reg && !fault_stuck) begin
      // rounds 1..15 of a pass swap the halves, round 16 does not
      state_new = pass_end ? {l_next, r_half} : {r_half, l_next};
      state_we  = 1'b1;
      cd_new    = pass_end ? next_key : cd_rot;
      cd_we     = 1'b1;
      round_new = round_reg + 4'd1;     // wraps to 0 for the next pass
      round_we  = 1'b1;
      if (pass_end) begin
        pass_new = pass_reg + 2'd1;
        pass_we  = 1'b1;
      end
      if (block_end) begin
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
      kpc_reg    <= 168'd0;
      tdes_reg   <= 1'b0;
      kready_reg <= 1'b0;
      state_reg  <= 64'd0;
      cd_reg     <= 56'd0;
      round_reg  <= 4'd0;
      pass_reg   <= 2'd0;
      busy_reg   <= 1'b0;
      valid_reg  <= 1'b0;
      dec_reg    <= 1'b0;
    end else begin
      if (kpc_we)    kpc_reg    <= kpc_new;
      if (tdes_we)   tdes_reg   <= tdes_new;
      if (kready_we) kready_reg <= kready_new;
      if (state_we)  state_reg  <= state_new;
      if (cd_we)     cd_reg     <= cd_new;
      if (round_we)  round_reg  <= round_new;
      if (pass_we)   pass_reg   <= pass_new;
      if (busy_we)   busy_reg   <= busy_new;
      if (valid_we)  valid_reg  <= valid_new;
      if (dec_we)    dec_reg    <= dec_new;
    end
  end

endmodule

`default_nettype wire
