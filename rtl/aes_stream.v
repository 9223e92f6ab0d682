`default_nettype none
// aes_stream
// Block-mode wrapper around aes_core: ECB, CBC and CTR (NIST SP 800-38A) with
// valid/ready streaming of 128-bit blocks.
//
//   ECB      out = E/D(in)
//   CBC enc  out_i = E(in_i ^ prev), prev = IV, then prev = out_i
//   CBC dec  out_i = D(in_i) ^ prev, prev = IV, then prev = in_i
//   CTR      out_i = in_i ^ E(ctr), ctr = IV, then ctr + 1 (128-bit big-endian,
//            wrapping; same as OpenSSL aes-*-ctr); direction is ignored.
//   cfg_mode 3 is reserved and behaves as ECB.
//
// Cycle counts:
//   - An input block is taken into a one-block buffer (in_ready = buffer
//     empty) and can be accepted while the core is busy.
//   - The core is started from the buffer in the cycle the previous result is
//     handed off (out_valid & out_ready), so with in_valid and out_ready held
//     high the steady state is exactly Nr+1 = 11/13/15 cycles per block in
//     every mode, including CBC encrypt (the chained value is taken
//     combinationally from the core output in that cycle).
//   - Latency from an idle start: in_valid/in_ready in cycle t -> core start
//     in t+1 -> out_valid in t+Nr+2.
//   - If out_ready is low the result is held in the core (not restarted)
//     until it is taken; nothing is lost or duplicated.
//
// cfg_start flushes the previous request: the input buffer and an untaken
// result are dropped, mode/direction/IV are latched.  A block accepted in the
// cfg_start cycle belongs to the new request.  Normally cfg_start is given
// between requests when the stream is drained.  key_load must not be given
// while a block is inside the core (see aes_core); keys are forwarded as is.
module aes_stream (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         fault_stuck,   // passed to aes_core
  // per-request configuration
  input  wire         cfg_start,     // pulse: new request; latches mode/dir/iv
  input  wire [1:0]   cfg_mode,      // 0 = ECB, 1 = CBC, 2 = CTR
  input  wire         cfg_decrypt,
  input  wire [127:0] cfg_iv,        // CBC IV or CTR initial counter block
  // key (forwarded to aes_core)
  input  wire         key_load,
  input  wire [255:0] key,
  input  wire [1:0]   key_len,
  output wire         key_ready,
  // input blocks
  input  wire         in_valid,
  output wire         in_ready,
  input  wire [127:0] in_data,
  // output blocks
  output wire         out_valid,
  input  wire         out_ready,
  output wire [127:0] out_data
);

  localparam [1:0] MODE_CBC = 2'd1;
  localparam [1:0] MODE_CTR = 2'd2;

  // ---------------------------------------------------------------- state
  reg [1:0]   mode_reg;
  reg [1:0]   mode_new;
  reg         mode_we;

  reg         dec_reg;
  reg         dec_new;
  reg         dec_we;

  reg [127:0] chain_reg;          // CBC: previous ciphertext (IV first); CTR: counter
  reg [127:0] chain_new;
  reg         chain_we;

  reg [127:0] cur_reg;            // input block of the block in the core (CBC dec / CTR)
  reg [127:0] cur_new;
  reg         cur_we;

  reg [127:0] ibuf_reg;           // one-block input buffer
  reg [127:0] ibuf_new;
  reg         ibuf_we;

  reg         ibuf_vld_reg;
  reg         ibuf_vld_new;
  reg         ibuf_vld_we;

  reg         inflight_reg;       // core holds a block of this request not yet handed off
  reg         inflight_new;
  reg         inflight_we;

  // ----------------------------------------------------------------- core
  wire         core_ready;
  wire         core_valid;
  wire [127:0] core_out;
  reg  [127:0] core_in;
  reg          core_dec;
  wire         core_start;

  aes_core u_core (
    .clk         (clk),
    .rst_n       (rst_n),
    .key_load    (key_load),
    .key         (key),
    .key_len     (key_len),
    .key_ready   (key_ready),
    .blk_start   (core_start),
    .blk_decrypt (core_dec),
    .blk_in      (core_in),
    .blk_ready   (core_ready),
    .blk_valid   (core_valid),
    .blk_out     (core_out),
    .fault_stuck (fault_stuck)
  );

  wire is_cbc  = (mode_reg == MODE_CBC);
  wire is_ctr  = (mode_reg == MODE_CTR);

  assign in_ready  = ~ibuf_vld_reg;
  assign out_valid = inflight_reg & core_valid;

  wire in_fire  = in_valid & in_ready;
  wire out_fire = out_valid & out_ready;

  // Start the next block when one is buffered, the core can take it, and the
  // previous result is gone or leaves in this very cycle.  Not in a
  // cfg_start cycle: the buffered block would use the old configuration.
  assign core_start = ibuf_vld_reg & core_ready & (~inflight_reg | out_fire) & ~cfg_start;

  always @* begin
    core_dec = dec_reg;
    core_in  = ibuf_reg;
    if (is_ctr) begin
      core_dec = 1'b0;            // CTR always runs the forward cipher
      core_in  = chain_reg;
    end else if (is_cbc && !dec_reg) begin
      // If a result is still in the core it is the previous ciphertext (it is
      // being handed off now, otherwise core_start would be low).
      core_in = ibuf_reg ^ (inflight_reg ? core_out : chain_reg);
    end
  end

  assign out_data = (is_cbc && dec_reg) ? (core_out ^ chain_reg) :
                    is_ctr              ? (core_out ^ cur_reg)   :
                                          core_out;

  // -------------------------------------------------------- next-state logic
  always @* begin
    mode_new     = mode_reg;
    mode_we      = 1'b0;
    dec_new      = dec_reg;
    dec_we       = 1'b0;
    chain_new    = chain_reg;
    chain_we     = 1'b0;
    cur_new      = cur_reg;
    cur_we       = 1'b0;
    ibuf_new     = ibuf_reg;
    ibuf_we      = 1'b0;
    ibuf_vld_new = ibuf_vld_reg;
    ibuf_vld_we  = 1'b0;
    inflight_new = inflight_reg;
    inflight_we  = 1'b0;

    // input buffer (in_fire needs an empty buffer, core_start a full one,
    // so they never coincide)
    if (in_fire) begin
      ibuf_new     = in_data;
      ibuf_we      = 1'b1;
      ibuf_vld_new = 1'b1;
      ibuf_vld_we  = 1'b1;
    end else if (core_start || cfg_start) begin
      ibuf_vld_new = 1'b0;
      ibuf_vld_we  = 1'b1;
    end

    if (core_start) begin
      cur_new      = ibuf_reg;
      cur_we       = 1'b1;
      inflight_new = 1'b1;
      inflight_we  = 1'b1;
    end else if (out_fire || cfg_start) begin
      inflight_new = 1'b0;
      inflight_we  = 1'b1;
    end

    // chaining value
    if (cfg_start) begin
      chain_new = cfg_iv;
      chain_we  = 1'b1;
    end else if (is_ctr) begin
      if (core_start) begin
        chain_new = chain_reg + 128'd1;
        chain_we  = 1'b1;
      end
    end else if (is_cbc && out_fire) begin
      chain_new = dec_reg ? cur_reg : core_out;
      chain_we  = 1'b1;
    end

    if (cfg_start) begin
      mode_new = cfg_mode;
      mode_we  = 1'b1;
      dec_new  = cfg_decrypt;
      dec_we   = 1'b1;
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      mode_reg     <= 2'd0;
      dec_reg      <= 1'b0;
      chain_reg    <= 128'd0;
      cur_reg      <= 128'd0;
      ibuf_reg     <= 128'd0;
      ibuf_vld_reg <= 1'b0;
      inflight_reg <= 1'b0;
    end else begin
      if (mode_we)     mode_reg     <= mode_new;
      if (dec_we)      dec_reg      <= dec_new;
      if (chain_we)    chain_reg    <= chain_new;
      if (cur_we)      cur_reg      <= cur_new;
      if (ibuf_we)     ibuf_reg     <= ibuf_new;
      if (ibuf_vld_we) ibuf_vld_reg <= ibuf_vld_new;
      if (inflight_we) inflight_reg <= inflight_new;
    end
  end

endmodule

`default_nettype wire
