`default_nettype none

// DES/3DES on the engine's 128-bit beats: each beat carries two 64-bit
// blocks (first block in [127:64]); a request of an odd number of blocks
// ends with a beat whose lower half is ignored on input and zero on output.
// Splitting and joining add no cycles per block: the join register holds a
// half-built beat while the core computes the next block, so the steady
// state stays at des_stream's 17 (DES) / 49 (3DES) cycles per block.
module des_beat_stream (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         fault_stuck,
    input  wire         cfg_start,
    input  wire [1:0]   cfg_mode,
    input  wire         cfg_decrypt,
    input  wire [63:0]  cfg_iv,
    input  wire [28:0]  cfg_blocks,   // 64-bit blocks in this request
    input  wire         key_load,
    input  wire [191:0] key,
    input  wire         key_mode,
    output wire         key_ready,
    input  wire         in_valid,
    output wire         in_ready,
    input  wire [127:0] in_data,
    output wire         out_valid,
    input  wire         out_ready,
    output wire [127:0] out_data
);

reg [28:0]  in_left_reg,  in_left_new;    // blocks still to feed
reg         in_half_reg,  in_half_new;    // next block is the beat's lower half
reg [28:0]  out_left_reg, out_left_new;   // blocks still to collect
reg         out_half_reg, out_half_new;
reg [127:0] beat_reg,     beat_new;
reg         full_reg,     full_new;

wire        blk_in_ready, blk_out_valid;
wire [63:0] blk_out;
wire        blk_in_valid = in_valid && (in_left_reg != 29'h0);
wire [63:0] blk_in = in_half_reg ? in_data[63:0] : in_data[127:64];
wire        feed = blk_in_valid && blk_in_ready;
wire        take = blk_out_valid && !full_reg;

// the beat is used up by its lower block, or by the request's last block
assign in_ready  = feed && (in_half_reg || in_left_reg == 29'd1);
assign out_valid = full_reg;
assign out_data  = beat_reg;

des_stream u_des (
    .clk(clk), .rst_n(rst_n), .fault_stuck(fault_stuck),
    .cfg_start(cfg_start), .cfg_mode(cfg_mode), .cfg_decrypt(cfg_decrypt), .cfg_iv(cfg_iv),
    .key_load(key_load), .key(key), .key_mode(key_mode), .key_ready(key_ready),
    .in_valid(blk_in_valid), .in_ready(blk_in_ready), .in_data(blk_in),
    .out_valid(blk_out_valid), .out_ready(!full_reg), .out_data(blk_out)
);

always @* begin
    in_left_new  = in_left_reg;
    in_half_new  = in_half_reg;
    out_left_new = out_left_reg;
    out_half_new = out_half_reg;
    beat_new     = beat_reg;
    full_new     = full_reg;
    if (feed) begin
        in_left_new = in_left_reg - 29'd1;
        in_half_new = !in_half_reg && (in_left_reg != 29'd1);
    end
    if (full_reg && out_ready)
        full_new = 1'b0;
    if (take) begin
        out_left_new = out_left_reg - 29'd1;
        if (!out_half_reg) begin
            beat_new = {blk_out, 64'h0};
            full_new = (out_left_reg == 29'd1);
            out_half_new = (out_left_reg != 29'd1);
        end else begin
            beat_new = {beat_reg[127:64], blk_out};
            full_new = 1'b1;
            out_half_new = 1'b0;
        end
    end
    if (cfg_start) begin
        in_left_new  = cfg_blocks;
        in_half_new  = 1'b0;
        out_left_new = cfg_blocks;
        out_half_new = 1'b0;
        full_new     = 1'b0;
    end
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        in_left_reg  <= 29'h0;
        in_half_reg  <= 1'b0;
        out_left_reg <= 29'h0;
        out_half_reg <= 1'b0;
        beat_reg     <= 128'h0;
        full_reg     <= 1'b0;
    end else begin
        in_left_reg  <= in_left_new;
        in_half_reg  <= in_half_new;
        out_left_reg <= out_left_new;
        out_half_reg <= out_half_new;
        beat_reg     <= beat_new;
        full_reg     <= full_new;
    end
end

endmodule

`default_nettype wire
