`default_nettype none
`include "xce_regs.vh"

// The engine's cipher slot: AES (aes_stream) and DES/3DES (des_beat_stream)
// behind one 128-bit beat interface. The algorithm is latched with
// cfg_start; keys are routed to the unit of the algorithm given with
// key_load. Key material: AES takes 16/24/32 bytes, DES the first 8, 3DES
// the first 24 (K1 K2 K3).
module cipher_unit #(
    parameter [2:0] CAP_AES  = 3'b111,
    parameter       CAP_DES  = 1'b1,
    parameter       CAP_TDES = 1'b1
) (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         fault_stuck,
    input  wire [7:0]   alg,          // with key_load and cfg_start
    input  wire         cfg_start,
    input  wire [1:0]   cfg_mode,
    input  wire         cfg_decrypt,
    input  wire [127:0] cfg_iv,
    input  wire [28:0]  cfg_blocks,   // 8-byte blocks (DES)
    input  wire         key_load,
    input  wire [255:0] key,
    input  wire [1:0]   key_len,
    output wire         key_ready,
    input  wire         in_valid,
    output wire         in_ready,
    input  wire [127:0] in_data,
    output wire         out_valid,
    input  wire         out_ready,
    output wire [127:0] out_data
);

reg  is_des_reg, is_des_new;
wire alg_des = (alg == `XCE_ALG_DES) || (alg == `XCE_ALG_TDES);
wire sel_des = cfg_start ? alg_des : is_des_reg;

wire aes_key_ready, des_key_ready, aes_in_ready, des_in_ready, aes_out_valid, des_out_valid;
wire [127:0] aes_out, des_out;

assign key_ready = alg_des ? des_key_ready : aes_key_ready;
assign in_ready  = sel_des ? des_in_ready  : aes_in_ready;
assign out_valid = sel_des ? des_out_valid : aes_out_valid;
assign out_data  = sel_des ? des_out       : aes_out;

generate
    if (CAP_AES != 3'b000) begin : g_aes
        aes_stream u_aes (
            .clk(clk), .rst_n(rst_n), .fault_stuck(fault_stuck),
            .cfg_start(cfg_start && !alg_des), .cfg_mode(cfg_mode), .cfg_decrypt(cfg_decrypt), .cfg_iv(cfg_iv),
            .key_load(key_load && !alg_des), .key(key), .key_len(key_len), .key_ready(aes_key_ready),
            .in_valid(in_valid && !sel_des), .in_ready(aes_in_ready), .in_data(in_data),
            .out_valid(aes_out_valid), .out_ready(out_ready && !sel_des), .out_data(aes_out)
        );
    end else begin : g_no_aes
        assign aes_key_ready = 1'b0;
        assign aes_in_ready  = 1'b0;
        assign aes_out_valid = 1'b0;
        assign aes_out       = 128'h0;
    end
    if (CAP_DES || CAP_TDES) begin : g_des
        des_beat_stream u_des (
            .clk(clk), .rst_n(rst_n), .fault_stuck(fault_stuck),
            .cfg_start(cfg_start && alg_des), .cfg_mode(cfg_mode), .cfg_decrypt(cfg_decrypt),
            .cfg_iv(cfg_iv[127:64]), .cfg_blocks(cfg_blocks),
            .key_load(key_load && alg_des), .key(key[255:64]), .key_mode(alg == `XCE_ALG_TDES),
            .key_ready(des_key_ready),
            .in_valid(in_valid && sel_des), .in_ready(des_in_ready), .in_data(in_data),
            .out_valid(des_out_valid), .out_ready(out_ready && sel_des), .out_data(des_out)
        );
    end else begin : g_no_des
        assign des_key_ready = 1'b0;
        assign des_in_ready  = 1'b0;
        assign des_out_valid = 1'b0;
        assign des_out       = 128'h0;
    end
endgenerate

always @* begin
    is_des_new = sel_des;
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n)
        is_des_reg <= 1'b0;
    else
        is_des_reg <= is_des_new;
end

endmodule

`default_nettype wire
