`default_nettype none
// hash_pad
// Hardware message padding for 64-byte-block hashes (MD5, SHA-1, SHA-224,
// SHA-256) and, with BLOCK_BYTES = 128, for SHA-384/512 (FIPS 180-4 5.1.2:
// a 128-bit length field, whose upper 64 bits are zero here since lengths
// are counted in 64 bits): packs 16-byte input beats into blocks and, on the final
// request of a message, appends the padding of FIPS 180-4 Sec. 5.1.1 /
// RFC 1321 Sec. 3.1-3.2: a 0x80 byte, zeros, and the 64-bit message length
// in bits, (cfg_prior_bytes + cfg_len) * 8 mod 2^64, big-endian (SHA) or
// little-endian (MD5, cfg_le_length = 1).  A final request of n bytes yields
// ceil((n + 9) / 64) blocks (one extra block when n mod 64 >= 56, e.g.
// 55 -> 1, 56 -> 2, 63 -> 2, 64 -> 2); a non-final request yields n / 64.
//
// Operation: the block is built one 16-byte slot per cycle into the output
// register.  A slot that still holds message bytes takes one input beat
// (in_valid & in_ready); slots past the message (padding / length) are made
// without input.  When the 4th slot is written, blk_valid rises and filling
// stops until the block is taken (blk_valid & blk_ready).
//
// Cycle counts:
//   - start in cycle t latches the configuration; in_ready can be high from
//     cycle t+1.
//   - 4 cycles per block at full input rate (1 per slot), then blk_valid is
//     high from the next cycle until taken; filling of the next block starts
//     the cycle after the handover, so a block is offered every 5 cycles if
//     input and blk_ready are always there.  Each hash core needs 65-81
//     cycles per block, so the core is never starved by this module.
//   - done is high from the cycle after the last block (including padding
//     blocks) is handed over; it falls in cycle t+1 after a start in cycle t
//     (in the start cycle itself it still shows the previous request).  A
//     request that yields no block (non-final, cfg_len = 0) has done high
//     from cycle t+1.  done is low after reset.
//
// Input beats: first byte in [127:120]; a request of cfg_len bytes takes
// ceil(cfg_len / 16) beats, the last may be partial and its bytes past
// cfg_len are ignored (replaced by padding/zeros).
//
// Caller rules (not checked):
//   - for !cfg_final, cfg_len must be a multiple of 64 (otherwise the last
//     block is completed with zeros, no 0x80/length, so the digest is wrong
//     but nothing hangs); cfg_prior_bytes is only used for the length field.
//   - start during a request abandons it: the partly built or untaken block
//     is dropped.  in_ready is low in the start cycle, so no beat is taken
//     then.
module hash_pad #(
  parameter integer BLOCK_BYTES = 64     // 64 or 128
) (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         start,          // pulse: new request; latches cfg
  input  wire         cfg_le_length,  // 1: MD5 (length little-endian); 0: SHA (big-endian)
  input  wire [63:0]  cfg_prior_bytes,// bytes of this message hashed by earlier requests
  input  wire         cfg_final,      // 1: append padding and length
  input  wire [31:0]  cfg_len,        // bytes this request supplies
  input  wire         in_valid,
  output wire         in_ready,
  input  wire [127:0] in_data,
  output wire         blk_valid,
  input  wire         blk_ready,
  output wire [BLOCK_BYTES*8-1:0] blk_data,
  output wire         done
);

  localparam integer SLOTS = BLOCK_BYTES / 16;
  localparam [33:0]  BMASK = (BLOCK_BYTES == 128) ? 34'd127 : 34'd63;
  // a final request needs room for the 0x80 byte and the length field
  localparam [33:0]  TAIL  = (BLOCK_BYTES == 128) ? 34'd17 : 34'd9;

  // ---------------------------------------------------------------- state
  reg         active_reg;         // request in progress
  reg         active_new;
  reg         active_we;

  reg         done_reg;
  reg         done_new;
  reg         done_we;

  reg         full_reg;           // blk_reg holds a complete block
  reg         full_new;
  reg         full_we;

  reg         le_reg;             // latched cfg_le_length
  reg         le_new;
  reg         le_we;

  reg         final_reg;          // latched cfg_final
  reg         final_new;
  reg         final_we;

  reg [33:0]  len_reg;            // cfg_len, zero-extended
  reg [33:0]  len_new;
  reg         len_we;

  reg [33:0]  tot_reg;            // bytes of all blocks of this request (multiple of 64)
  reg [33:0]  tot_new;
  reg         tot_we;

  reg [63:0]  bits_reg;           // message length in bits for the length field
  reg [63:0]  bits_new;
  reg         bits_we;

  reg [33:0]  pos_reg;            // offset of the next slot in this request (multiple of 16)
  reg [33:0]  pos_new;
  reg         pos_we;

  reg [BLOCK_BYTES*8-1:0] blk_reg;
  reg [BLOCK_BYTES*8-1:0] blk_new;
  reg         blk_we;

  // ---------------------------------------------------------- slot logic
  wire        data_slot = (pos_reg < len_reg);          // slot holds message bytes
  wire [33:0] rem       = len_reg - pos_reg;            // bytes left (valid if pos <= len)
  wire        pad_here  = final_reg & (pos_reg <= len_reg) & (rem[33:4] == 30'd0);
  wire        len_slot  = final_reg & ((pos_reg + 34'd16) == tot_reg);
  wire        more      = (pos_reg != tot_reg);         // slots left to build
  // slot within the block: bits [6:4] of the offset (bit 6 only for 128-byte blocks)
  wire [2:0]  slot_bits = (BLOCK_BYTES == 128) ? pos_reg[6:4] : {1'b0, pos_reg[5:4]};
  wire integer slot_idx = {29'd0, slot_bits};

  // number of message bytes in this slot: 0..16
  wire [4:0]  nbytes    = !data_slot ? 5'd0 : ((rem[33:4] != 30'd0) ? 5'd16 : {1'b0, rem[3:0]});

  assign in_ready  = active_reg & ~full_reg & data_slot & ~start;
  assign blk_valid = full_reg;
  assign blk_data  = blk_reg;
  assign done      = done_reg;

  // build a slot this cycle: a data slot needs the input beat (this is then
  // exactly in_valid & in_ready), a padding/length slot does not
  wire fill      = active_reg & ~full_reg & more & ~start & (data_slot ? in_valid : 1'b1);
  wire handover  = full_reg & blk_ready;

  reg [127:0] slot;
  integer k;
  always @* begin
    slot = 128'd0;
    for (k = 0; k < 16; k = k + 1) begin
      if (k < nbytes) begin
        slot[127-8*k -: 8] = in_data[127-8*k -: 8];
      end else if (pad_here && (k == {28'd0, rem[3:0]})) begin
        slot[127-8*k -: 8] = 8'h80;
      end
    end
    // length field: the last 8 bytes of the last block (never holds message
    // bytes or the 0x80: those end at byte 55 of the last block)
    if (len_slot) begin
      if (le_reg) begin
        slot[63:0] = {bits_reg[7:0],   bits_reg[15:8],  bits_reg[23:16], bits_reg[31:24],
                      bits_reg[39:32], bits_reg[47:40], bits_reg[55:48], bits_reg[63:56]};
      end else begin
        slot[63:0] = bits_reg;
      end
    end
  end

  // -------------------------------------------------------- next-state logic
  always @* begin
    active_new = active_reg;
    active_we  = 1'b0;
    done_new   = done_reg;
    done_we    = 1'b0;
    full_new   = full_reg;
    full_we    = 1'b0;
    le_new     = le_reg;
    le_we      = 1'b0;
    final_new  = final_reg;
    final_we   = 1'b0;
    len_new    = len_reg;
    len_we     = 1'b0;
    tot_new    = tot_reg;
    tot_we     = 1'b0;
    bits_new   = bits_reg;
    bits_we    = 1'b0;
    pos_new    = pos_reg;
    pos_we     = 1'b0;
    blk_new    = blk_reg;
    blk_we     = 1'b0;

    if (start) begin
      le_new     = cfg_le_length;
      final_new  = cfg_final;
      len_new    = {2'b00, cfg_len};
      // final: room for 0x80 and the length, rounded up to a whole block
      tot_new    = cfg_final ? (({2'b00, cfg_len} + TAIL + BMASK) & ~BMASK)
                             : (({2'b00, cfg_len} + BMASK) & ~BMASK);
      bits_new   = (cfg_prior_bytes + {32'd0, cfg_len}) << 3;
      le_we      = 1'b1;
      final_we   = 1'b1;
      len_we     = 1'b1;
      tot_we     = 1'b1;
      bits_we    = 1'b1;
      pos_new    = 34'd0;
      pos_we     = 1'b1;
      // a request without blocks (non-final, cfg_len = 0) is done at once
      active_new = (tot_new != 34'd0);
      active_we  = 1'b1;
      done_new   = (tot_new == 34'd0);
      done_we    = 1'b1;
      full_new   = 1'b0;
      full_we    = 1'b1;
    end else if (active_reg) begin
      if (fill) begin
        blk_new[(SLOTS - 1 - slot_idx) * 128 +: 128] = slot;
        blk_we  = 1'b1;
        pos_new = pos_reg + 34'd16;
        pos_we  = 1'b1;
        if (slot_idx == SLOTS - 1) begin
          full_new = 1'b1;
          full_we  = 1'b1;
        end
      end else if (handover) begin
        full_new = 1'b0;
        full_we  = 1'b1;
        if (!more) begin
          // that was the last block of the request
          active_new = 1'b0;
          active_we  = 1'b1;
          done_new   = 1'b1;
          done_we    = 1'b1;
        end
      end
    end
  end

  // ------------------------------------------------------------- registers
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      active_reg <= 1'b0;
      done_reg   <= 1'b0;
      full_reg   <= 1'b0;
      le_reg     <= 1'b0;
      final_reg  <= 1'b0;
      len_reg    <= 34'd0;
      tot_reg    <= 34'd0;
      bits_reg   <= 64'd0;
      pos_reg    <= 34'd0;
      blk_reg    <= {BLOCK_BYTES*8{1'b0}};
    end else begin
      if (active_we) active_reg <= active_new;
      if (done_we)   done_reg   <= done_new;
      if (full_we)   full_reg   <= full_new;
      if (le_we)     le_reg     <= le_new;
      if (final_we)  final_reg  <= final_new;
      if (len_we)    len_reg    <= len_new;
      if (tot_we)    tot_reg    <= tot_new;
      if (bits_we)   bits_reg   <= bits_new;
      if (pos_we)    pos_reg    <= pos_new;
      if (blk_we)    blk_reg    <= blk_new;
    end
  end

endmodule

`default_nettype wire
