`default_nettype none
// des_stream
// Block-mode wrapper around des_core: ECB and CBC (NIST SP 800-38A modes over
// DES / 3DES-EDE, as in SP 800-67) with valid/ready streaming of 64-bit
// blocks.  Same ports and handshake semantics as aes_stream, so the request
// engine can drive either.
//
//   ECB      out = E/D(in)
//   CBC enc  out_i = E(in_i ^ prev), prev = IV, then prev = out_i
//   CBC dec  out_i = D(in_i) ^ prev, prev = IV, then prev = in_i
//   cfg_mode 2 and 3 are not supported for DES and behave as ECB.
//
// Cycle counts:
//   - An input block is taken into a one-block buffer (in_ready = buffer
//     empty) and can be accepted while the core is busy.
//   - The core is started from the buffer in the cycle the previous result is
//     handed off (out_valid & out_ready), so with in_valid and out_ready held
//     high the steady state is exactly 17 (DES) / 49 (3DES) cycles per block
//     in every mode and direction, including CBC encrypt (the chained value
//     is taken combinationally from the core output in that cycle).
//   - Latency from an idle start: in_valid/in_ready in cycle t -> core start
//     in t+1 -> out_valid in t+18 (DES) / t+50 (3DES).
//   - If out_ready is low the result is held in the core (not restarted)
//     until it is taken; nothing is lost or duplicated.
//
// cfg_start flushes the previous request: the input buffer and an untaken
// result are dropped, mode/direction/IV are latched.  A block accepted in the
// cfg_start cycle belongs to the new request.  Normally cfg_start is given
// between requests when the stream is drained.  key_load must not be given
// while a block is inside the core (see des_core); keys are forwarded as is.
module des_stream (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         fault_stuck,   // passed to des_core
  // per-request configuration
  input  wire         cfg_start,     // pulse: new request; latches mode/dir/iv
  input  wire [1:0]   cfg_mode,      // 0 = ECB, 1 = CBC (2, 3: ECB)
  input  wire         cfg_decrypt,
  input  wire [63:0]  cfg_iv,        // CBC IV
  // key (forwarded to des_core)
  input  wire         key_load,
  input  wire [191:0] key,
  input  wire         key_mode,      // 0 = DES, 1 = 3DES EDE
  output wire         key_ready,
  // input blocks
  input  wire         in_valid,
  output wire         in_ready,
  input  wire [63:0]  in_data,
  // output blocks
  output wire         out_valid,
  input  wire         out_ready,
  output wire [63:0]  out_data
);

  localparam [1:0] MODE_CBC = 2'd1;

  // ---------------------------------------------------------------- state
  reg         cbc_reg;            // CBC (any other cfg_mode is ECB)
  reg         cbc_new;
  reg         cbc_we;

  reg         dec_reg;
  reg         dec_new;
  reg         dec_we;

  reg [63:0]  chain_reg;          // CBC: previous ciphertext (IV first)
  reg [63:0]  chain_new;
  reg         chain_we;

  reg [63:0]  cur_reg;            // input block of the block in the core (CBC dec)
  reg [63:0]  cur_new;
  reg         cur_we;

  reg [63:0]  ibuf_reg;           // one-block input buffer
  reg [63:0]  ibuf_new;
  reg         ibuf_we;

  reg         ibuf_vld_reg;
  reg         ibuf_vld_new;
  reg         ibuf_vld_we;

  reg         inflight_reg;       // core holds a block of this request not yet handed off
  reg         inflight_new;
  reg         inflight_we;

  // ----------------------------------------------------------------- core
  wire        core_ready;
  wire        core_valid;
  wire [63:0] core_out;
  reg  [63:0] core_in;
  wire        core_start;

  des_core u_core (
    .clk         (clk),
    .rst_n       (rst_n),
    .key_load    (key_load),
    .key         (key),
    .key_mode    (key_mode),
    .key_ready   (key_ready),
    .blk_start   (core_start),
    .blk_decrypt (dec_reg),
    .blk_in      (core_in),
    .blk_ready   (core_ready),
    .blk_valid   (core_valid),
    .blk_out     (core_out),
    .fault_stuck (fault_stuck)
  );

  assign in_ready  = ~ibuf_vld_reg;
  assign out_valid = inflight_reg & core_valid;

  wire in_fire  = in_valid & in_ready;
  wire out_fire = out_valid & out_ready;

  // Start the next block when one is buffered, the core can take it, and the
  // previous result is gone or leaves in this very cycle.  Not in a
  // cfg_start cycle: the buffered block would use the old configuration.
  assign core_start = ibuf_vld_reg & core_ready & (~inflight_reg | out_fire) & ~cfg_start;

  always @* begin
    core_in = ibuf_reg;
    if (cbc_reg && !dec_reg) begin
      // If a result is still in the core it is the previous ciphertext (it is
      // being handed off now, otherwise core_start would be low).
      core_in = ibuf_reg ^ (inflight_reg ? core_out : chain_reg);
    end
  end

  assign out_data = (cbc_reg && dec_reg) ? (core_out ^ chain_reg) : core_out;

  // -------------------------------------------------------- next-state logic
  always @* begin
    cbc_new      = cbc_reg;
    cbc_we       = 1'b0;
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

    // chaining value: the ciphertext of the block just handed off
    if (cfg_start) begin
      chain_new = cfg_iv;
      chain_we  = 1'b1;
    end else if (cbc_reg && out_fire) begin
      chain_new = dec_reg ? cur_reg : core_out;
      chain_we  = 1'b1;
    end

    if (cfg_start) begin
      cbc_new = (cfg_mode == MODE_CBC);
      cbc_we  = 1'b1;
      dec_new = cfg_decrypt;
      dec_we  = 1'b1;
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      cbc_reg      <= 1'b0;
      dec_reg      <= 1'b0;
      chain_reg    <= 64'd0;
      cur_reg      <= 64'd0;
      ibuf_reg     <= 64'd0;
      ibuf_vld_reg <= 1'b0;
      inflight_reg <= 1'b0;
    end else begin
      if (cbc_we)      cbc_reg      <= cbc_new;
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
