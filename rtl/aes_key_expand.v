`default_nettype none
// aes_key_expand
// AES key schedule (FIPS-197 Sec. 5.2) for 128/192/256-bit keys.
//
// One 32-bit schedule word w[i] is produced per clock and stored in a
// 60-word register array; the round-key read port is combinational.
//   - start (pulse) latches key/key_len and writes w[0] at the edge ending
//     that cycle; each following edge writes the next word up to w[4*Nr+3]
//     (4*(Nr+1) = 44/52/60 edges in total for 128/192/256).  The first Nk
//     words are copies of the key, so there is a single write port.
//   - ready is high from the cycle after the last word is written, i.e.
//     exactly 4*(Nr+1) cycles after the start cycle (start in cycle t ->
//     ready in cycle t+44/52/60), and stays high until the next start.
//     A start while busy restarts the expansion.
//
// The previous Nk words are kept in an 8-word sliding window (win_reg,
// newest word in the low 32 bits), so w[i-Nk] and w[i-1] are fixed taps
// instead of two 60:1 read multiplexers.  While i < Nk the window is rotated
// so that after Nk cycles it again holds w[0..Nk-1] in the right place.
//
// key_len: 0 = 128, 1 = 192, 2 = 256, 3 = treated as 256.
// key: first key byte in [255:248]; 128-bit key in [255:128], 192-bit key in
// [255:64]; unused low bits are ignored.
module aes_key_expand (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         start,      // pulse: latch key/key_len, restart expansion
  input  wire [255:0] key,
  input  wire [1:0]   key_len,
  output wire         ready,      // all 4*(Nr+1) words valid
  output wire [3:0]   nr,         // number of rounds for the latched key_len
  input  wire [3:0]   rd_round,   // round key index 0..Nr (15 reads as zero)
  output reg  [127:0] rd_key      // {w[4r], w[4r+1], w[4r+2], w[4r+3]}
);

  // ---------------------------------------------------------------- state
  reg [31:0]  w_reg [0:59];       // expanded schedule
  reg [31:0]  w_new;
  reg [5:0]   w_addr;             // write address for w_new
  reg         w_we;

  reg [255:0] win_reg;            // last Nk words, newest in [31:0]
  reg [255:0] win_new;
  reg         win_we;

  reg [1:0]   klen_reg;
  reg [1:0]   klen_new;
  reg         klen_we;

  reg [5:0]   cnt_reg;            // i: index of the word being produced
  reg [5:0]   cnt_new;
  reg         cnt_we;

  reg [2:0]   phase_reg;          // i mod Nk, kept as a counter (no divider)
  reg [2:0]   phase_new;
  reg         phase_we;

  reg [7:0]   rcon_reg;           // Rcon[i/Nk] for the next i with i mod Nk == 0
  reg [7:0]   rcon_new;
  reg         rcon_we;

  reg         busy_reg;
  reg         busy_new;
  reg         busy_we;

  reg         ready_reg;
  reg         ready_new;
  reg         ready_we;

  // ------------------------------------------------------ derived constants
  reg [2:0]   nk_m1;              // Nk - 1
  reg [3:0]   nr_w;
  reg [5:0]   last_idx;           // 4*(Nr+1) - 1
  reg [31:0]  oldest;             // w[i-Nk]

  always @* begin
    nk_m1    = 3'd7;
    nr_w     = 4'd14;
    last_idx = 6'd59;
    oldest   = win_reg[255:224];
    case (klen_reg)
      2'd0: begin
        nk_m1    = 3'd3;
        nr_w     = 4'd10;
        last_idx = 6'd43;
        oldest   = win_reg[127:96];
      end
      2'd1: begin
        nk_m1    = 3'd5;
        nr_w     = 4'd12;
        last_idx = 6'd51;
        oldest   = win_reg[191:160];
      end
      default: begin
        nk_m1    = 3'd7;
        nr_w     = 4'd14;
        last_idx = 6'd59;
        oldest   = win_reg[255:224];
      end
    endcase
  end

  assign nr    = nr_w;
  assign ready = ready_reg;

  // SubWord on the newest word; used both for RotWord/SubWord/Rcon and for
  // the extra SubWord of 256-bit keys.
  wire [31:0] sub_w;

  aes_sbox u_sb0 (.in(win_reg[31:24]), .out(sub_w[31:24]));
  aes_sbox u_sb1 (.in(win_reg[23:16]), .out(sub_w[23:16]));
  aes_sbox u_sb2 (.in(win_reg[15:8]),  .out(sub_w[15:8]));
  aes_sbox u_sb3 (.in(win_reg[7:0]),   .out(sub_w[7:0]));

  // xtime() in GF(2^8): next Rcon value
  wire [7:0] rcon_next = {rcon_reg[6:0], 1'b0} ^ (rcon_reg[7] ? 8'h1b : 8'h00);

  // -------------------------------------------------------- next-state logic
  reg [31:0] word;                // w[i]
  reg        in_key;              // i < Nk: copy a key word

  always @* begin
    // defaults: hold everything
    w_new     = 32'd0;
    w_addr    = cnt_reg;
    w_we      = 1'b0;
    win_new   = win_reg;
    win_we    = 1'b0;
    klen_new  = klen_reg;
    klen_we   = 1'b0;
    cnt_new   = cnt_reg;
    cnt_we    = 1'b0;
    phase_new = phase_reg;
    phase_we  = 1'b0;
    rcon_new  = rcon_reg;
    rcon_we   = 1'b0;
    busy_new  = busy_reg;
    busy_we   = 1'b0;
    ready_new = ready_reg;
    ready_we  = 1'b0;
    word      = 32'd0;
    in_key    = (cnt_reg <= {3'd0, nk_m1});

    if (in_key) begin
      word = oldest;
    end else if (phase_reg == 3'd0) begin
      word = oldest ^ {sub_w[23:0], sub_w[31:24]} ^ {rcon_reg, 24'h000000};
    end else if (nk_m1 == 3'd7 && phase_reg == 3'd4) begin
      word = oldest ^ sub_w;
    end else begin
      word = oldest ^ win_reg[31:0];
    end

    if (start) begin
      // w[0] is the first key word for every key length, so it is written
      // straight from the port in the start cycle (this makes the schedule
      // exactly 4*(Nr+1) cycles).  The key is aligned so that w[0] sits at
      // window slot 8-Nk (the "oldest" tap) and then rotated by one word,
      // exactly as if the i = 0 copy step had run.
      w_new     = key[255:224];
      w_addr    = 6'd0;
      w_we      = 1'b1;
      win_we    = 1'b1;
      case (key_len)
        2'd0:    win_new = {96'd0, key[255:128], key[255:224]};
        2'd1:    win_new = {32'd0, key[255:64],  key[255:224]};
        default: win_new = {key[223:0], key[255:224]};
      endcase
      klen_new  = key_len;
      klen_we   = 1'b1;
      cnt_new   = 6'd1;
      cnt_we    = 1'b1;
      phase_new = 3'd1;
      phase_we  = 1'b1;
      rcon_new  = 8'h01;
      rcon_we   = 1'b1;
      busy_new  = 1'b1;
      busy_we   = 1'b1;
      ready_new = 1'b0;
      ready_we  = 1'b1;
    end else if (busy_reg) begin
      w_new     = word;
      w_addr    = cnt_reg;
      w_we      = 1'b1;
      win_new   = {win_reg[223:0], word};
      win_we    = 1'b1;
      cnt_new   = cnt_reg + 6'd1;
      cnt_we    = 1'b1;
      phase_new = (phase_reg == nk_m1) ? 3'd0 : phase_reg + 3'd1;
      phase_we  = 1'b1;
      if (!in_key && phase_reg == 3'd0) begin
        rcon_new = rcon_next;
        rcon_we  = 1'b1;
      end
      if (cnt_reg == last_idx) begin
        busy_new  = 1'b0;
        busy_we   = 1'b1;
        ready_new = 1'b1;
        ready_we  = 1'b1;
      end
    end
  end

  // ------------------------------------------------------ round-key read port
  always @* begin
    rd_key = 128'd0;
    case (rd_round)
      4'd0:  rd_key = {w_reg[0],  w_reg[1],  w_reg[2],  w_reg[3]};
      4'd1:  rd_key = {w_reg[4],  w_reg[5],  w_reg[6],  w_reg[7]};
      4'd2:  rd_key = {w_reg[8],  w_reg[9],  w_reg[10], w_reg[11]};
      4'd3:  rd_key = {w_reg[12], w_reg[13], w_reg[14], w_reg[15]};
      4'd4:  rd_key = {w_reg[16], w_reg[17], w_reg[18], w_reg[19]};
      4'd5:  rd_key = {w_reg[20], w_reg[21], w_reg[22], w_reg[23]};
      4'd6:  rd_key = {w_reg[24], w_reg[25], w_reg[26], w_reg[27]};
      4'd7:  rd_key = {w_reg[28], w_reg[29], w_reg[30], w_reg[31]};
      4'd8:  rd_key = {w_reg[32], w_reg[33], w_reg[34], w_reg[35]};
      4'd9:  rd_key = {w_reg[36], w_reg[37], w_reg[38], w_reg[39]};
      4'd10: rd_key = {w_reg[40], w_reg[41], w_reg[42], w_reg[43]};
      4'd11: rd_key = {w_reg[44], w_reg[45], w_reg[46], w_reg[47]};
      4'd12: rd_key = {w_reg[48], w_reg[49], w_reg[50], w_reg[51]};
      4'd13: rd_key = {w_reg[52], w_reg[53], w_reg[54], w_reg[55]};
      4'd14: rd_key = {w_reg[56], w_reg[57], w_reg[58], w_reg[59]};
      default: rd_key = 128'd0;  // index 15 is never used (Nr <= 14)
    endcase
  end

  // ------------------------------------------------------------- registers
  integer k;

  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      for (k = 0; k < 60; k = k + 1) begin
        w_reg[k] <= 32'd0;
      end
      win_reg   <= 256'd0;
      klen_reg  <= 2'd0;
      cnt_reg   <= 6'd0;
      phase_reg <= 3'd0;
      rcon_reg  <= 8'h01;
      busy_reg  <= 1'b0;
      ready_reg <= 1'b0;
    end else begin
      if (w_we)     w_reg[w_addr] <= w_new;
      if (win_we)   win_reg   <= win_new;
      if (klen_we)  klen_reg  <= klen_new;
      if (cnt_we)   cnt_reg   <= cnt_new;
      if (phase_we) phase_reg <= phase_new;
      if (rcon_we)  rcon_reg  <= rcon_new;
      if (busy_we)  busy_reg  <= busy_new;
      if (ready_we) ready_reg <= ready_new;
    end
  end

endmodule

`default_nettype wire
