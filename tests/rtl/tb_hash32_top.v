`default_nettype none
// tb_hash32_top
// Test wrapper for tests/rtl/tb_hash32.cpp (not part of the engine): one
// hash_pad feeding one of md5_core / sha1_core / sha256_core, selected by
// `alg`, the way the engine wires them.  Purely structural apart from the
// muxes; adds no cycles.
//
//   alg 0 = MD5, 1 = SHA-1, 2 = SHA-256, 3 = SHA-224 (sha256_core mode = 1).
//   state_in / state_out are 256 bits with the core's state left-aligned
//   (first byte in [255:248]; unused low bits read as 0).
//   direct = 0: the core's next/block come from hash_pad (next = blk_valid &
//   ~blk_stall, blk_ready = ready & ~blk_stall); direct = 1: from d_next /
//   d_block, hash_pad's blk_ready is held low.
//   core_start: the selected core accepts a block in this cycle; blk_data is
//   hash_pad's block output (for checking the padding bytes directly).
module tb_hash32_top (
  input  wire         clk,
  input  wire         rst_n,
  input  wire [1:0]   alg,
  input  wire         fault_stuck,
  // core commands
  input  wire         init,
  input  wire         state_load,
  input  wire [255:0] state_in,
  output wire         ready,
  output wire [255:0] state_out,
  output wire         core_start,
  input  wire         direct,
  input  wire         d_next,
  input  wire [511:0] d_block,
  input  wire         blk_stall,
  // hash_pad
  input  wire         start,
  input  wire [63:0]  cfg_prior_bytes,
  input  wire         cfg_final,
  input  wire [31:0]  cfg_len,
  input  wire         in_valid,
  output wire         in_ready,
  input  wire [127:0] in_data,
  output wire         blk_valid,
  output wire [511:0] blk_data,
  output wire         done
);

  wire         sel_md5  = (alg == 2'd0);
  wire         sel_sha1 = (alg == 2'd1);
  wire         sel_sha2 = alg[1];

  wire         rdy_md5;
  wire         rdy_sha1;
  wire         rdy_sha2;
  wire [127:0] st_md5;
  wire [159:0] st_sha1;
  wire [255:0] st_sha2;

  wire [511:0] pad_blk;
  assign blk_data = pad_blk;
  wire         pad_blk_ready;

  assign ready = sel_md5 ? rdy_md5 : (sel_sha1 ? rdy_sha1 : rdy_sha2);
  assign state_out = sel_md5  ? {st_md5, 128'd0} :
                     sel_sha1 ? {st_sha1, 96'd0} : st_sha2;

  wire         nxt   = direct ? d_next : (blk_valid & ~blk_stall);
  wire [511:0] blk   = direct ? d_block : pad_blk;
  assign pad_blk_ready = ~direct & ~blk_stall & ready;
  assign core_start    = nxt & ready;

  hash_pad u_pad (
    .clk             (clk),
    .rst_n           (rst_n),
    .start           (start),
    .cfg_le_length   (sel_md5),
    .cfg_prior_bytes (cfg_prior_bytes),
    .cfg_final       (cfg_final),
    .cfg_len         (cfg_len),
    .in_valid        (in_valid),
    .in_ready        (in_ready),
    .in_data         (in_data),
    .blk_valid       (blk_valid),
    .blk_ready       (pad_blk_ready),
    .blk_data        (pad_blk),
    .done            (done)
  );

  md5_core u_md5 (
    .clk         (clk),
    .rst_n       (rst_n),
    .init        (init & sel_md5),
    .state_load  (state_load & sel_md5),
    .state_in    (state_in[255:128]),
    .next        (nxt & sel_md5),
    .block       (blk),
    .ready       (rdy_md5),
    .state_out   (st_md5),
    .fault_stuck (fault_stuck)
  );

  sha1_core u_sha1 (
    .clk         (clk),
    .rst_n       (rst_n),
    .init        (init & sel_sha1),
    .state_load  (state_load & sel_sha1),
    .state_in    (state_in[255:96]),
    .next        (nxt & sel_sha1),
    .block       (blk),
    .ready       (rdy_sha1),
    .state_out   (st_sha1),
    .fault_stuck (fault_stuck)
  );

  sha256_core u_sha256 (
    .clk         (clk),
    .rst_n       (rst_n),
    .init        (init & sel_sha2),
    .mode        (alg[0]),
    .state_load  (state_load & sel_sha2),
    .state_in    (state_in),
    .next        (nxt & sel_sha2),
    .block       (blk),
    .ready       (rdy_sha2),
    .state_out   (st_sha2),
    .fault_stuck (fault_stuck)
  );

endmodule

`default_nettype wire
