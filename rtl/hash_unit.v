`default_nettype none
`include "xce_regs.vh"

// The engine's hash slot: MD5, SHA-1, SHA-224/256 (64-byte blocks, one
// hash_pad) and SHA-384/512 (128-byte blocks, a second hash_pad), with the
// message resumable across requests and HMAC finished in hardware.
//
// A request: start (latches alg, init/final/hmac, prior byte count, length,
// state_in, outer_in), the core is loaded (H0 when init, else state_in),
// the payload beats stream through the padder into the core. When final
// and hmac, the inner digest is then hashed again from outer_in (the
// precomputed outer state, one block already counted) without leaving the
// engine. done rises when the result is ready:
//   final: result = the digest, first byte in [511:504]
//   not final: result = the full chaining state, to be given back as
//   state_in (with prior advanced) by the next request of the message.
// Overhead per request: 2 cycles to load, 1 to start the padder, the core's
// last block, and for HMAC one more block (the outer hash).
module hash_unit #(
    parameter [5:0] CAP = 6'b111111   // MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
) (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         fault_stuck,
    input  wire         start,
    input  wire [3:0]   alg,         // XCE_HASH_* codes, with start
    input  wire [6:0]   digest_bytes,// of alg, with start
    input  wire         init,
    input  wire         final_blk,
    input  wire         hmac,
    input  wire [63:0]  prior,       // message bytes hashed by earlier requests
    input  wire [31:0]  len,
    input  wire [511:0] state_in,
    input  wire [511:0] outer_in,
    input  wire         in_valid,
    output wire         in_ready,
    input  wire [127:0] in_data,
    output wire         done,
    output wire [511:0] result
);

localparam [2:0] S_IDLE = 3'd0, S_LOAD = 3'd1, S_PAD = 3'd2, S_STREAM = 3'd3,
                 S_OUTER = 3'd4, S_DONE = 3'd5, S_WAIT = 3'd6;

reg [2:0]   state_reg,  state_new;
reg [3:0]   alg_reg,    alg_new;
reg [6:0]   dlen_reg,   dlen_new;
reg         init_reg,   init_new;
reg         final_reg,  final_new;
reg         hmac_reg,   hmac_new;
reg         outer_reg,  outer_new;    // the outer hash of HMAC is running
reg [63:0]  prior_reg,  prior_new;
reg [31:0]  len_reg,    len_new;
reg [511:0] sin_reg,    sin_new;      // state to load
reg [511:0] oin_reg,    oin_new;      // HMAC outer state
reg [511:0] inner_reg,  inner_new;    // inner digest, fed to the outer hash
reg [1:0]   ibeat_reg,  ibeat_new;

wire is_md5  = (alg_reg == `XCE_HASH_MD5);
wire is_sha1 = (alg_reg == `XCE_HASH_SHA1);
wire is_s256 = (alg_reg == `XCE_HASH_SHA224) || (alg_reg == `XCE_HASH_SHA256);
wire is_s512 = (alg_reg == `XCE_HASH_SHA384) || (alg_reg == `XCE_HASH_SHA512);
wire mode_short = (alg_reg == `XCE_HASH_SHA224) || (alg_reg == `XCE_HASH_SHA384);

wire [31:0] digest_len = {25'h0, dlen_reg};   // the outer hash's message length

// --- padders
wire        pad_start = (state_reg == S_PAD);
wire [63:0] pad_prior = outer_reg ? (is_s512 ? 64'd128 : 64'd64) : prior_reg;
wire [31:0] pad_len   = outer_reg ? digest_len : len_reg;
wire        pad_final = outer_reg || final_reg;
wire        src_valid = outer_reg ? 1'b1 : in_valid;
wire [127:0] src_data = outer_reg ? inner_reg[511 - 128 * ibeat_reg -: 128] : in_data;

wire         p64_in_ready, p64_blk_valid, p64_done;
wire [511:0] p64_blk;
wire         p128_in_ready, p128_blk_valid, p128_done;
wire [1023:0] p128_blk;

// --- cores: load, next, ready, state
wire core_load = (state_reg == S_LOAD);
wire ld_init   = core_load && init_reg && !outer_reg;
wire ld_state  = core_load && (!init_reg || outer_reg);
wire [511:0] ld_value = outer_reg ? oin_reg : sin_reg;
// in builds without some cores, parts of these go nowhere
wire unused_reduced = &{1'b0, ld_value, p128_blk};

wire         md5_ready, sha1_ready, s256_ready, s512_ready;
wire [127:0] md5_state;
wire [159:0] sha1_state;
wire [255:0] s256_state;
wire [511:0] s512_state;

wire core_ready = is_md5 ? md5_ready : is_sha1 ? sha1_ready : is_s256 ? s256_ready : s512_ready;
wire pad_done   = is_s512 ? p128_done : p64_done;
wire blk_valid  = is_s512 ? p128_blk_valid : p64_blk_valid;
wire next       = (state_reg == S_STREAM) && blk_valid && core_ready;
wire pad_in_ready = is_s512 ? p128_in_ready : p64_in_ready;

assign in_ready = (state_reg == S_STREAM) && !outer_reg && pad_in_ready;
assign done     = (state_reg == S_DONE);
assign result   = is_md5 ? {md5_state, 384'h0} : is_sha1 ? {sha1_state, 352'h0} :
                  is_s256 ? {s256_state, 256'h0} : s512_state;

hash_pad #(.BLOCK_BYTES(64)) u_pad64 (
    .clk(clk), .rst_n(rst_n), .start(pad_start && !is_s512), .cfg_le_length(is_md5),
    .cfg_prior_bytes(pad_prior), .cfg_final(pad_final), .cfg_len(pad_len),
    .in_valid(src_valid && (state_reg == S_STREAM)), .in_ready(p64_in_ready), .in_data(src_data),
    .blk_valid(p64_blk_valid), .blk_ready(core_ready && !is_s512), .blk_data(p64_blk), .done(p64_done)
);

generate
    if (CAP[5] || CAP[4]) begin : g_pad128
        hash_pad #(.BLOCK_BYTES(128)) u_pad128 (
            .clk(clk), .rst_n(rst_n), .start(pad_start && is_s512), .cfg_le_length(1'b0),
            .cfg_prior_bytes(pad_prior), .cfg_final(pad_final), .cfg_len(pad_len),
            .in_valid(src_valid && (state_reg == S_STREAM)), .in_ready(p128_in_ready), .in_data(src_data),
            .blk_valid(p128_blk_valid), .blk_ready(core_ready && is_s512), .blk_data(p128_blk),
            .done(p128_done)
        );
        sha512_core u_s512 (
            .clk(clk), .rst_n(rst_n), .init(ld_init && is_s512), .mode(mode_short),
            .state_load(ld_state && is_s512), .state_in(ld_value), .next(next && is_s512), .block(p128_blk),
            .ready(s512_ready), .state_out(s512_state), .fault_stuck(fault_stuck)
        );
    end else begin : g_no_pad128
        assign p128_in_ready = 1'b0;
        assign p128_blk_valid = 1'b0;
        assign p128_blk = 1024'h0;
        assign p128_done = 1'b1;
        assign s512_ready = 1'b0;
        assign s512_state = 512'h0;
    end
    if (CAP[0]) begin : g_md5
        md5_core u_md5 (
            .clk(clk), .rst_n(rst_n), .init(ld_init && is_md5), .state_load(ld_state && is_md5),
            .state_in(ld_value[511:384]), .next(next && is_md5), .block(p64_blk),
            .ready(md5_ready), .state_out(md5_state), .fault_stuck(fault_stuck)
        );
    end else begin : g_no_md5
        assign md5_ready = 1'b0;
        assign md5_state = 128'h0;
    end
    if (CAP[1]) begin : g_sha1
        sha1_core u_sha1 (
            .clk(clk), .rst_n(rst_n), .init(ld_init && is_sha1), .state_load(ld_state && is_sha1),
            .state_in(ld_value[511:352]), .next(next && is_sha1), .block(p64_blk),
            .ready(sha1_ready), .state_out(sha1_state), .fault_stuck(fault_stuck)
        );
    end else begin : g_no_sha1
        assign sha1_ready = 1'b0;
        assign sha1_state = 160'h0;
    end
    if (CAP[2] || CAP[3]) begin : g_s256
        sha256_core u_s256 (
            .clk(clk), .rst_n(rst_n), .init(ld_init && is_s256), .mode(mode_short),
            .state_load(ld_state && is_s256), .state_in(ld_value[511:256]), .next(next && is_s256),
            .block(p64_blk), .ready(s256_ready), .state_out(s256_state), .fault_stuck(fault_stuck)
        );
    end else begin : g_no_s256
        assign s256_ready = 1'b0;
        assign s256_state = 256'h0;
    end
endgenerate

always @* begin
    state_new = state_reg;
    alg_new   = alg_reg;
    dlen_new  = dlen_reg;
    init_new  = init_reg;
    final_new = final_reg;
    hmac_new  = hmac_reg;
    outer_new = outer_reg;
    prior_new = prior_reg;
    len_new   = len_reg;
    sin_new   = sin_reg;
    oin_new   = oin_reg;
    inner_new = inner_reg;
    ibeat_new = ibeat_reg;
    case (state_reg)
        // wait for an idle core, then load it for one cycle (a core may
        // drop ready during the load itself)
        S_WAIT:   if (core_ready) state_new = S_LOAD;
        S_LOAD:   state_new = S_PAD;
        S_PAD:    state_new = S_STREAM;
        S_STREAM: begin
            if (outer_reg && pad_in_ready)
                ibeat_new = ibeat_reg + 2'd1;
            // finished when every block is in and the core has digested the last
            if (pad_done && core_ready && !next) begin
                if (final_reg && hmac_reg && !outer_reg) begin
                    inner_new = result;
                    outer_new = 1'b1;
                    ibeat_new = 2'd0;
                    state_new = S_OUTER;
                end else
                    state_new = S_DONE;
            end
        end
        S_OUTER:  state_new = S_WAIT;
        default:  ;
    endcase
    if (start) begin
        alg_new   = alg;
        dlen_new  = digest_bytes;
        init_new  = init;
        final_new = final_blk;
        hmac_new  = hmac;
        outer_new = 1'b0;
        prior_new = prior;
        len_new   = len;
        sin_new   = state_in;
        oin_new   = outer_in;
        state_new = S_WAIT;
    end
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        state_reg <= S_IDLE;
        alg_reg   <= 4'h0;
        dlen_reg  <= 7'h0;
        init_reg  <= 1'b0;
        final_reg <= 1'b0;
        hmac_reg  <= 1'b0;
        outer_reg <= 1'b0;
        prior_reg <= 64'h0;
        len_reg   <= 32'h0;
        sin_reg   <= 512'h0;
        oin_reg   <= 512'h0;
        inner_reg <= 512'h0;
        ibeat_reg <= 2'd0;
    end else begin
        state_reg <= state_new;
        alg_reg   <= alg_new;
        dlen_reg  <= dlen_new;
        init_reg  <= init_new;
        final_reg <= final_new;
        hmac_reg  <= hmac_new;
        outer_reg <= outer_new;
        prior_reg <= prior_new;
        len_reg   <= len_new;
        sin_reg   <= sin_new;
        oin_reg   <= oin_new;
        inner_reg <= inner_new;
        ibeat_reg <= ibeat_new;
    end
end

endmodule

`default_nettype wire
