`default_nettype none
// md5_t
// MD5 per-step constants (RFC 1321 Sec. 3.4), step index i = 0..63:
//   t: the sine table T[i+1] = floor(2^32 * abs(sin(i+1))), as a 64-entry
//      case table;
//   s: the left-rotate amount, 4 per round (i mod 4):
//      round 1: 7 12 17 22, round 2: 5 9 14 20, round 3: 4 11 16 23,
//      round 4: 6 10 15 21.
// Purely combinational (0 cycles); synthesis maps it to LUTs or a ROM.
module md5_t (
  input  wire [5:0]  idx,
  output reg  [31:0] t,
  output reg  [4:0]  s
);

  always @* begin
    s = 5'd0;  // default first (convention); every index is listed below
    case ({idx[5:4], idx[1:0]})
      4'h0: s = 5'd7;   4'h1: s = 5'd12;  4'h2: s = 5'd17;  4'h3: s = 5'd22;
      4'h4: s = 5'd5;   4'h5: s = 5'd9;   4'h6: s = 5'd14;  4'h7: s = 5'd20;
      4'h8: s = 5'd4;   4'h9: s = 5'd11;  4'ha: s = 5'd16;  4'hb: s = 5'd23;
      4'hc: s = 5'd6;   4'hd: s = 5'd10;  4'he: s = 5'd15;  4'hf: s = 5'd21;
      default: s = 5'd0;
    endcase
  end

  always @* begin
    t = 32'h0;  // default first (convention); every index is listed below
    case (idx)
      6'd0 : t = 32'hd76aa478;  6'd1 : t = 32'he8c7b756;  6'd2 : t = 32'h242070db;  6'd3 : t = 32'hc1bdceee;
      6'd4 : t = 32'hf57c0faf;  6'd5 : t = 32'h4787c62a;  6'd6 : t = 32'ha8304613;  6'd7 : t = 32'hfd469501;
      6'd8 : t = 32'h698098d8;  6'd9 : t = 32'h8b44f7af;  6'd10: t = 32'hffff5bb1;  6'd11: t = 32'h895cd7be;
      6'd12: t = 32'h6b901122;  6'd13: t = 32'hfd987193;  6'd14: t = 32'ha679438e;  6'd15: t = 32'h49b40821;
      6'd16: t = 32'hf61e2562;  6'd17: t = 32'hc040b340;  6'd18: t = 32'h265e5a51;  6'd19: t = 32'he9b6c7aa;
      6'd20: t = 32'hd62f105d;  6'd21: t = 32'h02441453;  6'd22: t = 32'hd8a1e681;  6'd23: t = 32'he7d3fbc8;
      6'd24: t = 32'h21e1cde6;  6'd25: t = 32'hc33707d6;  6'd26: t = 32'hf4d50d87;  6'd27: t = 32'h455a14ed;
      6'd28: t = 32'ha9e3e905;  6'd29: t = 32'hfcefa3f8;  6'd30: t = 32'h676f02d9;  6'd31: t = 32'h8d2a4c8a;
      6'd32: t = 32'hfffa3942;  6'd33: t = 32'h8771f681;  6'd34: t = 32'h6d9d6122;  6'd35: t = 32'hfde5380c;
      6'd36: t = 32'ha4beea44;  6'd37: t = 32'h4bdecfa9;  6'd38: t = 32'hf6bb4b60;  6'd39: t = 32'hbebfbc70;
      6'd40: t = 32'h289b7ec6;  6'd41: t = 32'heaa127fa;  6'd42: t = 32'hd4ef3085;  6'd43: t = 32'h04881d05;
      6'd44: t = 32'hd9d4d039;  6'd45: t = 32'he6db99e5;  6'd46: t = 32'h1fa27cf8;  6'd47: t = 32'hc4ac5665;
      6'd48: t = 32'hf4292244;  6'd49: t = 32'h432aff97;  6'd50: t = 32'hab9423a7;  6'd51: t = 32'hfc93a039;
      6'd52: t = 32'h655b59c3;  6'd53: t = 32'h8f0ccc92;  6'd54: t = 32'hffeff47d;  6'd55: t = 32'h85845dd1;
      6'd56: t = 32'h6fa87e4f;  6'd57: t = 32'hfe2ce6e0;  6'd58: t = 32'ha3014314;  6'd59: t = 32'h4e0811a1;
      6'd60: t = 32'hf7537e82;  6'd61: t = 32'hbd3af235;  6'd62: t = 32'h2ad7d2bb;  6'd63: t = 32'heb86d391;
      default: t = 32'h0;
    endcase
  end

endmodule

`default_nettype wire
