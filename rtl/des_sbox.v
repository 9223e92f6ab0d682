`default_nettype none
// des_sbox
// The eight DES substitution boxes S1..S8 (FIPS 46-3), purely combinational
// (0 cycles).  48-bit input (the expanded half block XOR the subkey), 32-bit
// output (before the P permutation).
//
// Bit numbering follows the standard: input bit 1 (MSB, in[47]) is the first
// bit of S1's 6-bit group; S1's 4-bit result is in out[31:28], S8's in
// out[3:0].  Within a group b1..b6, the row is b1b6 and the column b2..b5.
//
// Each box is a 64-entry table of nibbles written row by row (row 0 first,
// entry 0 leftmost in the constant), so it can be compared digit for digit
// with the printed tables; synthesis turns each output bit into one 6-input
// function (one LUT6 on most FPGAs).
module des_sbox (
  input  wire [47:0] in,
  output wire [31:0] out
);

  // row 0 _ row 1 _ row 2 _ row 3, one hex digit per entry
  localparam [255:0] S1 = 256'hE4D12FB83A6C5907_0F74E2D1A6CB9538_41E8D62BFC973A50_FC8249175B3EA06D;
  localparam [255:0] S2 = 256'hF18E6B34972DC05A_3D47F28EC01A69B5_0E7BA4D158C6932F_D8A13F42B67C05E9;
  localparam [255:0] S3 = 256'hA09E63F51DC7B428_D709346A285ECBF1_D6498F30B12C5AE7_1AD069874FE3B52C;
  localparam [255:0] S4 = 256'h7DE3069A1285BC4F_D8B56F03472C1AE9_A690CB7DF13E5284_3F06A1D8945BC72E;
  localparam [255:0] S5 = 256'h2C417AB6853FD0E9_EB2C47D150FA3986_421BAD78F9C5630E_B8C71E2D6F09A453;
  localparam [255:0] S6 = 256'hC1AF92680D34E75B_AF427C9561DE0B38_9EF528C3704A1DB6_432C95FABE17608D;
  localparam [255:0] S7 = 256'h4B2EF08D3C975A61_D0B7491AE35C2F86_14BDC37EAF680592_6BD814A7950FE23C;
  localparam [255:0] S8 = 256'hD2846FB1A93E50C7_1FD8A374C56B0E92_7B419CE206ADF358_21E74A8DFC90356B;

  // Table entry {row, col} sits in bits [255-4*idx -: 4] = [252-4*idx +: 4].
  function [3:0] lookup;
    input [255:0] tab;
    input [5:0]   x;              // b1..b6 with b1 in x[5]
    reg   [5:0]   idx;
    reg   [7:0]   lsb;
    begin
      idx    = {x[5], x[0], x[4:1]};          // row = b1b6, column = b2b3b4b5
      lsb    = 8'd252 - {idx, 2'b00};
      lookup = tab[lsb +: 4];
    end
  endfunction

  assign out[31:28] = lookup(S1, in[47:42]);
  assign out[27:24] = lookup(S2, in[41:36]);
  assign out[23:20] = lookup(S3, in[35:30]);
  assign out[19:16] = lookup(S4, in[29:24]);
  assign out[15:12] = lookup(S5, in[23:18]);
  assign out[11:8]  = lookup(S6, in[17:12]);
  assign out[7:4]   = lookup(S7, in[11:6]);
  assign out[3:0]   = lookup(S8, in[5:0]);

endmodule

`default_nettype wire
