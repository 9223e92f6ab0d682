`default_nettype none
`include "xce_regs.vh"

// Request engine: fetches descriptors from the command ring, checks them,
// moves key, IV and payload through one AES core and writes a completion
// record. One request at a time; inside a request the payload streams
// (reads run ahead, writes are posted) so the core sets the pace.
//
// Per request, before any payload moves:
//   descriptor fetch (4 beats) -> decode -> 4 window checks (1 cycle each)
//   -> key fetch (2 beats) -> key schedule only if the key changed
//   -> IV fetch (1 beat, not for ECB)
// then payload, then the completion record (1 beat). A descriptor that
// fails decode or a window check completes with an error status and no
// payload memory is touched. A ring whose own address lies outside the
// windows stops the engine (STATUS.RING_ERROR) until a soft reset.
module xce_engine #(
    parameter [2:0] CAP_AES  = 3'b111,   // 128/192/256 implemented
    parameter [2:0] CAP_MODE = 3'b111,   // ECB/CBC/CTR implemented
    parameter       CAP_DES  = 1'b1,
    parameter       CAP_TDES = 1'b1,
    parameter [5:0] CAP_HASH = 6'b111111  // MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
) (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         fault_stuck,
    // configuration from the register file
    input  wire         enable,
    input  wire         soft_reset,
    input  wire [63:0]  cmd_base,
    input  wire [3:0]   cmd_size_log2,
    input  wire [11:0]  cmd_prod,
    input  wire [63:0]  cpl_base,
    input  wire [3:0]   cpl_size_log2,
    input  wire [11:0]  cpl_cons,
    input  wire [255:0] win_base,
    input  wire [255:0] win_size,
    // state for the register file
    output wire [11:0]  cmd_cons,
    output wire [11:0]  cpl_prod,
    output wire         busy,
    output wire         ring_error,
    // per-request events
    output wire         req_done,       // pulse when a completion is written
    output wire         req_irq,        // ... and its descriptor asked for an interrupt
    output wire [7:0]   req_status,     // valid with req_done
    output wire [31:0]  req_bytes,      // valid with req_done
    output wire         core_busy,      // the core owns this cycle
    // host bus
    output wire         rd_req_valid,
    input  wire         rd_req_ready,
    output wire [63:0]  rd_req_addr,
    output wire [4:0]   rd_req_len,
    input  wire         rd_rsp_valid,
    input  wire [127:0] rd_rsp_data,
    input  wire         rd_rsp_err,
    output wire         wr_req_valid,
    input  wire         wr_req_ready,
    output wire [63:0]  wr_req_addr,
    output wire [4:0]   wr_req_len,
    output wire [127:0] wr_req_data,
    input  wire         wr_rsp_valid,
    input  wire         wr_rsp_err
);

localparam [4:0] S_IDLE      = 5'd0,
                 S_DESC      = 5'd1,
                 S_DECODE    = 5'd2,
                 S_CHECK     = 5'd3,
                 S_KEY       = 5'd4,
                 S_KEY_EXP   = 5'd5,
                 S_IV        = 5'd6,
                 S_DATA      = 5'd7,
                 S_CPL_CHECK = 5'd8,
                 S_CPL       = 5'd9,
                 S_CPL_WAIT  = 5'd10,
                 S_ADVANCE   = 5'd11,
                 S_DRAIN     = 5'd12,
                 S_HALT      = 5'd13,
                 S_KEY_CMP   = 5'd14,
                 S_STATE     = 5'd15,
                 S_HASH      = 5'd16,
                 S_HASH_OUT  = 5'd17,
                 S_HASH_WAIT = 5'd18,
                 S_ICV_CMP   = 5'd19,
                 S_COPY      = 5'd20,
                 S_COPY_RUN  = 5'd21,
                 S_GO        = 5'd22;

// --- little-endian 32-bit words inside a beat whose first byte is [127:120]
function automatic [31:0] bswap32(input [31:0] w);
    bswap32 = {w[7:0], w[15:8], w[23:16], w[31:24]};
endfunction

// --- state
reg [4:0]   state_reg,    state_new;
reg [511:0] desc_reg,     desc_new;
reg [1:0]   beat_reg,     beat_new;
reg [2:0]   check_reg,    check_new;
reg [7:0]   status_reg,   status_new;
reg [255:0] key_reg,      key_new;
reg         kc_valid_reg, kc_valid_new;   // the core holds the schedule of kc_key/kc_len
reg [255:0] kc_key_reg,   kc_key_new;
reg [1:0]   kc_len_reg,   kc_len_new;
reg [7:0]   kc_alg_reg,   kc_alg_new;
reg [11:0]  cons_reg,     cons_new;
reg [11:0]  cprod_reg,    cprod_new;
reg         phase_reg,    phase_new;
reg         rerr_reg,     rerr_new;       // sticky read error during the payload
reg         core_rst_reg, core_rst_new;   // holds the AES core in reset after a soft reset
reg [1151:0] hstate_reg,  hstate_new;     // hash state buffer as read (9 beats)
reg [3:0]   hbeat_reg,    hbeat_new;
reg [127:0] iv_reg,       iv_new;         // chained: the IV waits for the cipher pass
reg         mism_reg,     mism_new;       // ICV compare: a byte differed
reg         macd_reg,     macd_new;       // chained: MAC pass done
reg         datad_reg,    datad_new;      // chained: cipher pass done

function automatic [31:0] dword(input [511:0] d, input integer w);
    dword = bswap32(d[511 - 32*w -: 32]);
endfunction

wire [31:0] d_ctrl = dword(desc_reg, `XCE_DESC_CTRL_WORD);
wire [31:0] d_tag  = dword(desc_reg, `XCE_DESC_TAG_WORD);
wire [31:0] d_len  = dword(desc_reg, `XCE_DESC_LEN_WORD);
wire [63:0] d_src  = {dword(desc_reg, `XCE_DESC_SRC_HI_WORD), dword(desc_reg, `XCE_DESC_SRC_LO_WORD)};
wire [63:0] d_dst  = {dword(desc_reg, `XCE_DESC_DST_HI_WORD), dword(desc_reg, `XCE_DESC_DST_LO_WORD)};
wire [63:0] d_key  = {dword(desc_reg, `XCE_DESC_KEY_HI_WORD), dword(desc_reg, `XCE_DESC_KEY_LO_WORD)};
wire [63:0] d_iv   = {dword(desc_reg, `XCE_DESC_IV_HI_WORD),  dword(desc_reg, `XCE_DESC_IV_LO_WORD)};
wire [63:0] d_state = {dword(desc_reg, `XCE_DESC_STATE_HI_WORD), dword(desc_reg, `XCE_DESC_STATE_LO_WORD)};
wire [31:0] d_hashw = dword(desc_reg, `XCE_DESC_HASH_WORD);
wire [31:0] d_chainw = dword(desc_reg, `XCE_DESC_CHAIN_WORD);
wire [7:0]  d_opcode  = d_ctrl[`XCE_DESC_CTRL_OPCODE];
wire [7:0]  d_alg     = d_ctrl[`XCE_DESC_CTRL_ALG];
wire [3:0]  d_mode    = d_ctrl[`XCE_DESC_CTRL_MODE];
wire        d_decrypt = d_ctrl[`XCE_DESC_CTRL_DECRYPT];
wire [1:0]  d_keylen  = d_ctrl[`XCE_DESC_CTRL_KEY_LEN];
wire        d_irq     = d_ctrl[`XCE_DESC_CTRL_IRQ];
wire        d_ecb     = (d_mode == `XCE_MODE_ECB);
wire        unused_ctrl = &{1'b0, d_ctrl[30:26], d_ctrl[23:21]};   // reserved bits
wire        d_ctr     = (d_mode == `XCE_MODE_CTR);

// chained requests: AAD then payload; the cipher covers the payload only
wire        d_chain  = (d_opcode >= `XCE_OPCODE_ENC_MAC) && (d_opcode <= `XCE_OPCODE_DEC_MAC);
wire [15:0] d_aad    = d_chainw[`XCE_DESC_CHAIN_AAD_LEN];
wire [7:0]  d_icv    = d_chainw[`XCE_DESC_CHAIN_ICV_LEN];
wire        unused_chainw = &{1'b0, d_chainw[31:24]};
wire        d_mac_first = (d_opcode == `XCE_OPCODE_MAC_DEC) || (d_opcode == `XCE_OPCODE_MAC_ENC);
wire        d_verify    = (d_opcode == `XCE_OPCODE_MAC_DEC) || (d_opcode == `XCE_OPCODE_DEC_MAC);
wire        d_cdec      = d_chain ? d_verify : d_decrypt;       // cipher direction
wire [31:0] d_clen      = d_chain ? d_len - {16'h0, d_aad} : d_len;   // ciphered bytes
wire [63:0] d_csrc      = d_src + {48'h0, d_aad};
wire [63:0] d_cdst      = d_dst + {48'h0, d_aad};
wire [31:0] d_icv32     = {24'h0, d_icv};

wire        d_aes = (d_alg == `XCE_ALG_AES);
wire        d_des = (d_alg == `XCE_ALG_DES);
wire        d_tdes = (d_alg == `XCE_ALG_TDES);
// AES: the key size and mode must be built; DES/3DES: ECB or CBC, 8-byte blocks
wire        d_aes_ok = d_aes && (d_keylen != 2'd3) && CAP_AES[d_keylen] &&
                       (d_mode < 4'd3) && CAP_MODE[d_mode[1:0]] && (d_ctr || d_clen[3:0] == 4'h0);
wire        d_des_ok = ((d_des && CAP_DES) || (d_tdes && CAP_TDES)) &&
                       (d_mode < 4'd2) && (d_clen[2:0] == 3'h0);
wire        d_cipher = (d_opcode == `XCE_OPCODE_CIPHER);
wire        d_hash   = (d_opcode == `XCE_OPCODE_HASH);
wire [3:0]  d_halg   = d_hashw[`XCE_DESC_HASH_ALG];
wire        d_hmac   = d_hashw[`XCE_DESC_HASH_HMAC];
wire        d_hinit  = d_hashw[`XCE_DESC_HASH_INIT];
wire        d_hfinal = d_hashw[`XCE_DESC_HASH_FINAL];
wire        unused_hashw = &{1'b0, d_hashw[31:7], d_hidx[3]};
wire        d_h512   = (d_halg == `XCE_HASH_SHA384) || (d_halg == `XCE_HASH_SHA512);
// a message continues in the next request only on whole blocks
wire [3:0]  d_hidx    = d_halg - 4'd1;
wire        d_hash_ok = (d_halg != 4'd0) && (d_halg <= 4'd6) && CAP_HASH[d_hidx[2:0]] &&
                        (d_hfinal || (d_h512 ? d_len[6:0] == 7'h0 : d_len[5:0] == 6'h0));
wire        d_hread   = !d_hinit || d_hmac;   // the state buffer is read
wire        d_hwrite  = !d_hfinal;            // the chaining state goes back to it
`include "hash_lengths.vh"
wire [31:0] d_digest  = hash_digest_bytes(d_halg);
wire [31:0] h_out_len  = d_chain ? d_icv32 : d_hfinal ? d_digest : 32'd64;
wire [3:0]  h_out_beats = h_out_len[7:4] + {3'b0, h_out_len[3:0] != 4'h0};
wire        d_chain_ok = d_chain && (d_aes_ok || d_des_ok) && d_hash_ok && d_hfinal &&
                         ({16'h0, d_aad} <= d_len) && (d_icv != 8'h0) && (d_icv32 <= d_digest);
wire        d_supported = (d_cipher && (d_aes_ok || d_des_ok)) || (d_hash && d_hash_ok) || d_chain_ok;
// where the MAC pass reads: the input, or the output of the cipher pass
wire [63:0] d_mac_src = (d_hash || d_mac_first) ? d_src : d_dst;

// --- ring geometry
wire        cmd_ok   = (cmd_size_log2 != 4'd0) && (cmd_size_log2 <= 4'd12);
wire        cpl_ok   = (cpl_size_log2 != 4'd0) && (cpl_size_log2 <= 4'd12);
wire [11:0] cmd_mask = 12'hfff >> (4'd12 - cmd_size_log2);
wire [11:0] cpl_mask = 12'hfff >> (4'd12 - cpl_size_log2);
wire        work     = enable && cmd_ok && cpl_ok &&
                       ((cmd_prod & cmd_mask) != cons_reg) &&
                       (((cprod_reg + 12'd1) & cpl_mask) != (cpl_cons & cpl_mask));
wire [63:0] desc_addr = cmd_base + {46'h0, cons_reg, 6'h0};
wire [63:0] cpl_addr  = cpl_base + {48'h0, cprod_reg, 4'h0};

// --- shared window checker
reg  [63:0] chk_addr;
reg  [31:0] chk_len;
wire        chk_ok;

always @* begin
    chk_addr = desc_addr;
    chk_len  = 32'd64;
    case (state_reg)
        S_CHECK: case (check_reg)
            3'd0: begin chk_addr = d_src;
                        chk_len = d_len + ((d_chain && d_verify) ? d_icv32 : 32'd0); end
            3'd1: begin chk_addr = d_dst;
                        chk_len = d_hash ? (d_hfinal ? d_digest : 32'd0)
                                         : d_len + ((d_chain && !d_verify) ? d_icv32 : 32'd0); end
            3'd2: begin chk_addr = d_hash ? d_state : d_key;
                        chk_len = d_hash ? ((d_hread || d_hwrite) ? 32'd136 : 32'd0) : 32'd32; end
            3'd3: begin chk_addr = d_iv; chk_len = (d_ecb || d_hash) ? 32'd0 : 32'd16; end
            default: begin chk_addr = d_state; chk_len = (d_chain && d_hread) ? 32'd136 : 32'd0; end
        endcase
        S_CPL_CHECK: begin chk_addr = cpl_addr; chk_len = 32'd16; end
        default: ;
    endcase
end

dma_window_check u_check (
    .addr(chk_addr), .len(chk_len), .win_base(win_base), .win_size(win_size), .ok(chk_ok)
);

// --- reader, AES stream, writer
reg         rd_start;
reg  [63:0] rd_addr;
reg  [31:0] rd_len;
wire        rd_idle, rd_valid, rd_err;
wire [127:0] rd_data;
reg         rd_ready;

reg         wr_start;
reg  [63:0] wr_addr;
reg  [31:0] wr_len;
wire        wr_idle, wr_err, wr_in_ready;
reg         wr_in_valid;
reg [127:0] wr_in_data;

reg         key_load;
wire        key_ready;
reg         cfg_start;
wire        cu_in_ready, cu_out_valid;   // the cipher unit's beat stream
wire [127:0] cu_out;

dma_reader u_reader (
    .clk(clk), .rst_n(rst_n),
    .start(rd_start), .start_addr(rd_addr), .start_len(rd_len), .cancel(soft_reset),
    .idle(rd_idle), .out_valid(rd_valid), .out_ready(rd_ready), .out_data(rd_data), .out_err(rd_err),
    .rd_req_valid(rd_req_valid), .rd_req_ready(rd_req_ready), .rd_req_addr(rd_req_addr),
    .rd_req_len(rd_req_len), .rd_rsp_valid(rd_rsp_valid), .rd_rsp_data(rd_rsp_data),
    .rd_rsp_err(rd_rsp_err)
);

dma_writer u_writer (
    .clk(clk), .rst_n(rst_n),
    .start(wr_start), .start_addr(wr_addr), .start_len(wr_len), .cancel(soft_reset),
    .idle(wr_idle), .err(wr_err),
    .in_valid(wr_in_valid), .in_ready(wr_in_ready), .in_data(wr_in_data),
    .wr_req_valid(wr_req_valid), .wr_req_ready(wr_req_ready), .wr_req_addr(wr_req_addr),
    .wr_req_len(wr_req_len), .wr_req_data(wr_req_data),
    .wr_rsp_valid(wr_rsp_valid), .wr_rsp_err(wr_rsp_err)
);

wire in_payload = (state_reg == S_DATA);
wire in_hashing = (state_reg == S_HASH);
// bytes of the ICV in the beat being compared
wire [31:0]  icv_left = d_icv32 - {24'h0, hbeat_reg, 4'h0};
wire [127:0] icv_mask = (icv_left >= 32'd16) ? {128{1'b1}} : ~({128{1'b1}} >> {icv_left[3:0], 3'b000});

// The core has its own reset so a soft reset also clears a hung core.
wire core_rst_n = rst_n && !core_rst_reg;

cipher_unit #(.CAP_AES(CAP_AES), .CAP_DES(CAP_DES), .CAP_TDES(CAP_TDES)) u_cipher (
    .clk(clk), .rst_n(core_rst_n), .fault_stuck(fault_stuck), .alg(d_alg),
    .cfg_start(cfg_start), .cfg_mode(d_mode[1:0]), .cfg_decrypt(d_cdec),
    .cfg_iv(d_chain ? iv_reg : d_ecb ? 128'h0 : rd_data), .cfg_blocks(d_clen[31:3]),
    .key_load(key_load), .key(key_reg), .key_len(d_keylen), .key_ready(key_ready),
    .in_valid(in_payload && rd_valid), .in_ready(cu_in_ready), .in_data(rd_data),
    .out_valid(cu_out_valid), .out_ready(in_payload && wr_in_ready), .out_data(cu_out)
);

reg          hash_start;
wire         hash_in_ready, hash_done;
wire [511:0] hash_result;
// the unit latches these with hash_start, in the cycle the last beat arrives: hstate_new
wire [63:0]  h_prior = {hstate_new[71:64], hstate_new[79:72], hstate_new[87:80], hstate_new[95:88],
                        hstate_new[103:96], hstate_new[111:104], hstate_new[119:112], hstate_new[127:120]};
wire         unused_hstate = &{1'b0, hstate_new[63:0]};

hash_unit #(.CAP(CAP_HASH)) u_hash (
    .clk(clk), .rst_n(core_rst_n), .fault_stuck(fault_stuck),
    .start(hash_start), .alg(d_halg), .digest_bytes(d_digest[6:0]), .init(d_hinit && !d_hmac), .final_blk(d_hfinal || d_chain), .hmac(d_hmac),
    .prior(d_hread ? h_prior : 64'h0), .len(d_len),
    .state_in(hstate_new[1151:640]), .outer_in(hstate_new[639:128]),
    .in_valid(in_hashing && rd_valid), .in_ready(hash_in_ready), .in_data(rd_data),
    .done(hash_done), .result(hash_result)
);

// Completion record: TAG, STATUS|PHASE, LEN, CHECK.
wire [31:0] cpl_status_word = {phase_reg, 23'h0, status_reg};
wire [31:0] cpl_len = (status_reg == `XCE_STATUS_OK) ? d_len : 32'h0;
wire [31:0] cpl_check = d_tag ^ cpl_status_word ^ cpl_len ^ `XCE_CPL_CHECK_SALT;
wire [127:0] cpl_record = {bswap32(d_tag), bswap32(cpl_status_word), bswap32(cpl_len), bswap32(cpl_check)};

// Key bytes past the key length are zeroed so the cache compares only the
// key: 16/24/32 bytes for AES; DES uses 8 and 3DES 24 (mask code 2'd3 / 2'd1).
function automatic [255:0] key_mask(input [1:0] len);
    case (len)
        2'd0:    key_mask = {{128{1'b1}}, 128'h0};
        2'd1:    key_mask = {{192{1'b1}}, 64'h0};
        2'd2:    key_mask = {256{1'b1}};
        default: key_mask = {{64{1'b1}}, 192'h0};
    endcase
endfunction

always @* begin
    state_new    = state_reg;
    desc_new     = desc_reg;
    beat_new     = beat_reg;
    check_new    = check_reg;
    status_new   = status_reg;
    key_new      = key_reg;
    kc_valid_new = kc_valid_reg;
    kc_key_new   = kc_key_reg;
    kc_len_new   = kc_len_reg;
    kc_alg_new   = kc_alg_reg;
    cons_new     = cons_reg;
    cprod_new    = cprod_reg;
    phase_new    = phase_reg;
    rerr_new     = rerr_reg;
    core_rst_new = 1'b0;
    rd_start = 1'b0; rd_addr = desc_addr; rd_len = 32'd64; rd_ready = 1'b0;
    wr_start = 1'b0; wr_addr = cpl_addr;  wr_len = 32'd16;
    wr_in_valid = 1'b0; wr_in_data = cu_out;
    key_load = 1'b0; cfg_start = 1'b0; hash_start = 1'b0;
    hstate_new = hstate_reg;
    hbeat_new  = hbeat_reg;
    iv_new     = iv_reg;
    mism_new   = mism_reg;
    macd_new   = macd_reg;
    datad_new  = datad_reg;

    case (state_reg)
        S_IDLE: if (work) begin
            if (chk_ok) begin
                rd_start  = 1'b1;
                beat_new  = 2'd0;
                status_new = `XCE_STATUS_OK;
                state_new = S_DESC;
            end else begin
                state_new = S_HALT;
            end
        end
        S_DESC: begin
            rd_ready = 1'b1;
            if (rd_valid) begin
                desc_new = {desc_reg[383:0], rd_data};
                if (rd_err) status_new = `XCE_STATUS_DMA_ERROR;
                beat_new = beat_reg + 2'd1;
                if (beat_reg == 2'd3) state_new = S_DECODE;
            end
        end
        S_DECODE: begin
            check_new = 3'd0;
            if (status_reg != `XCE_STATUS_OK)
                state_new = S_CPL_CHECK;
            else if (!d_supported) begin
                status_new = `XCE_STATUS_BAD_DESC;
                state_new  = S_CPL_CHECK;
            end else
                state_new = S_CHECK;
        end
        S_CHECK: begin
            check_new = check_reg + 3'd1;
            macd_new  = 1'b0;
            datad_new = 1'b0;
            if (!chk_ok) begin
                status_new = `XCE_STATUS_DMA_RANGE;
                state_new  = S_CPL_CHECK;
            end else if (check_reg == 3'd4 && d_hash) begin
                hstate_new = 1152'h0;
                hbeat_new  = 4'd0;
                rd_start   = d_hread;
                rd_addr    = d_state;
                rd_len     = 32'd136;
                state_new  = S_STATE;
            end else if (check_reg == 3'd4) begin
                rd_start  = 1'b1;
                rd_addr   = d_key;
                rd_len    = 32'd32;
                beat_new  = 2'd0;
                state_new = S_KEY;
            end
        end
        S_KEY: begin
            rd_ready = 1'b1;
            if (rd_valid) begin
                key_new  = {key_reg[127:0], rd_data};
                if (rd_err) status_new = `XCE_STATUS_DMA_ERROR;
                beat_new = beat_reg + 2'd1;
                if (beat_reg == 2'd1) begin
                    key_new   = key_new & key_mask(d_aes ? d_keylen : d_tdes ? 2'd1 : 2'd3);
                    state_new = (rd_err || status_reg != `XCE_STATUS_OK) ? S_CPL_CHECK : S_KEY_CMP;
                end
            end
        end
        S_KEY_CMP: begin
            // expand only when the key differs from the one the core holds
            if (!kc_valid_reg || kc_alg_reg != d_alg || kc_len_reg != d_keylen || kc_key_reg != key_reg) begin
                key_load     = 1'b1;
                kc_valid_new = 1'b1;
                kc_key_new   = key_reg;
                kc_len_new   = d_keylen;
                kc_alg_new   = d_alg;
            end
            state_new = S_KEY_EXP;
        end
        S_KEY_EXP: if (key_ready) begin
            if (d_ecb) begin
                state_new = S_IV;     // no IV: passes straight through
            end else begin
                rd_start  = 1'b1;
                rd_addr   = d_iv;
                rd_len    = 32'd16;
                state_new = S_IV;
            end
        end
        S_IV: begin
            rd_ready = 1'b1;
            if (d_ecb || rd_valid) begin
                iv_new = d_ecb ? 128'h0 : rd_data;
                if (!d_ecb && rd_err) begin
                    status_new = `XCE_STATUS_DMA_ERROR;
                    state_new  = S_CPL_CHECK;
                end else if (d_chain) begin
                    hstate_new = 1152'h0;
                    hbeat_new  = 4'd0;
                    rd_start   = d_hread;
                    rd_addr    = d_state;
                    rd_len     = 32'd136;
                    state_new  = S_STATE;
                end else if (d_len == 32'h0)
                    state_new = S_CPL_CHECK;
                else begin
                    rd_start  = 1'b1;
                    rd_addr   = d_src;
                    rd_len    = d_len;
                    wr_start  = 1'b1;
                    wr_addr   = d_dst;
                    wr_len    = d_len;
                    rerr_new  = 1'b0;
                    cfg_start = 1'b1;     // latches mode, direction and the IV beat
                    state_new = S_DATA;
                end
            end
        end
        S_DATA: begin
            rd_ready    = cu_in_ready;
            wr_in_valid = cu_out_valid;
            if (rd_valid && cu_in_ready && rd_err) rerr_new = 1'b1;
            if (rd_idle && wr_idle) begin
                datad_new = 1'b1;
                if (rerr_reg || wr_err) begin
                    status_new = `XCE_STATUS_DMA_ERROR;
                    state_new  = S_CPL_CHECK;
                end else if (d_chain && !macd_reg) begin
                    // MAC over AAD || the cipher pass's output
                    hash_start = 1'b1;
                    rd_start   = 1'b1;
                    rd_addr    = d_mac_src;
                    rd_len     = d_len;
                    state_new  = S_HASH;
                end else
                    state_new = S_CPL_CHECK;
            end
        end
        S_STATE: begin
            // 9 beats of state buffer (none when a plain hash starts here)
            rd_ready = 1'b1;
            if (d_hread && rd_valid) begin
                hstate_new = {hstate_reg[1023:0], rd_data};
                if (rd_err) status_new = `XCE_STATUS_DMA_ERROR;
                hbeat_new = hbeat_reg + 4'd1;
            end
            if (!d_hread || (rd_valid && hbeat_reg == 4'd8)) begin
                rerr_new = 1'b0;
                if (status_new != `XCE_STATUS_OK)
                    state_new = S_CPL_CHECK;
                else if (d_chain && !d_mac_first)
                    state_new = S_COPY;
                else begin
                    hash_start = 1'b1;
                    rd_start   = 1'b1;
                    rd_addr    = d_mac_src;
                    rd_len     = d_len;
                    state_new  = S_HASH;
                end
            end
        end
        S_HASH: begin
            rd_ready = hash_in_ready;
            if (rd_valid && hash_in_ready && rd_err) rerr_new = 1'b1;
            if (hash_done && rd_idle) begin
                hbeat_new = 4'd0;
                mism_new  = 1'b0;
                macd_new  = 1'b1;
                if (d_chain && d_verify) begin
                    // the ICV follows the authenticated bytes in SRC
                    rd_start  = 1'b1;
                    rd_addr   = d_src + {32'h0, d_len};
                    rd_len    = d_icv32;
                    state_new = S_ICV_CMP;
                end else begin
                    // the ICV after the payload, the digest, or the chaining state
                    wr_start  = 1'b1;
                    wr_addr   = d_chain ? d_dst + {32'h0, d_len} : d_hfinal ? d_dst : d_state;
                    wr_len    = h_out_len;
                    state_new = S_HASH_OUT;
                end
            end
        end
        S_HASH_OUT: begin
            wr_in_valid = 1'b1;
            wr_in_data  = hash_result[511 - 128 * hbeat_reg[1:0] -: 128];
            if (wr_in_ready) begin
                hbeat_new = hbeat_reg + 4'd1;
                if (hbeat_reg + 4'd1 == h_out_beats) state_new = S_HASH_WAIT;
            end
        end
        S_HASH_WAIT: if (wr_idle) begin
            if (rerr_reg || wr_err) begin
                status_new = `XCE_STATUS_DMA_ERROR;
                state_new  = S_CPL_CHECK;
            end else
                state_new = (d_chain && !datad_reg) ? S_COPY : S_CPL_CHECK;
        end
        S_ICV_CMP: begin
            // compare in full, whatever differs first: no early exit
            rd_ready = 1'b1;
            if (rd_valid) begin
                mism_new  = mism_reg || rd_err ||
                            (((rd_data ^ hash_result[511 - 128 * hbeat_reg[1:0] -: 128]) & icv_mask) != 128'h0);
                hbeat_new = hbeat_reg + 4'd1;
                if (hbeat_reg + 4'd1 == h_out_beats) begin
                    if (mism_new) begin
                        status_new = rd_err ? `XCE_STATUS_DMA_ERROR : `XCE_STATUS_AUTH_FAIL;
                        state_new  = S_CPL_CHECK;
                    end else
                        state_new = datad_reg ? S_CPL_CHECK : S_COPY;
                end
            end
        end
        S_COPY: begin
            // AAD to DST when it is elsewhere, then the cipher pass
            if (d_aad != 16'h0 && d_src != d_dst) begin
                rd_start  = 1'b1;
                rd_addr   = d_src;
                rd_len    = {16'h0, d_aad};
                wr_start  = 1'b1;
                wr_addr   = d_dst;
                wr_len    = {16'h0, d_aad};
                state_new = S_COPY_RUN;
            end else
                state_new = S_GO;
        end
        S_COPY_RUN: begin
            rd_ready    = wr_in_ready;
            wr_in_valid = rd_valid;
            wr_in_data  = rd_data;
            if (rd_valid && wr_in_ready && rd_err) rerr_new = 1'b1;
            if (rd_idle && wr_idle) state_new = S_GO;
        end
        S_GO: begin
            if (rerr_reg || wr_err) begin
                status_new = `XCE_STATUS_DMA_ERROR;
                state_new  = S_CPL_CHECK;
            end else if (d_clen == 32'h0) begin
                datad_new = 1'b1;
                state_new = macd_reg ? S_CPL_CHECK : S_DATA;   // S_DATA finishes at once and starts the MAC
            end else begin
                rd_start  = 1'b1;
                rd_addr   = d_csrc;
                rd_len    = d_clen;
                wr_start  = 1'b1;
                wr_addr   = d_cdst;
                wr_len    = d_clen;
                cfg_start = 1'b1;     // latches mode, direction and iv_reg
                state_new = S_DATA;
            end
        end
        S_CPL_CHECK: begin
            if (chk_ok) begin
                wr_start  = 1'b1;
                state_new = S_CPL;
            end else
                state_new = S_HALT;
        end
        S_CPL: begin
            wr_in_valid = 1'b1;
            wr_in_data  = cpl_record;
            if (wr_in_ready) begin
                cons_new  = (cons_reg + 12'd1) & cmd_mask;   // with the record, as the host sees it
                state_new = S_CPL_WAIT;
            end
        end
        S_CPL_WAIT: if (wr_idle) state_new = S_ADVANCE;
        S_ADVANCE: begin
            cprod_new = (cprod_reg + 12'd1) & cpl_mask;
            if (cprod_new == 12'd0) phase_new = !phase_reg;
            state_new = S_IDLE;
        end
        S_DRAIN: if (rd_idle && wr_idle) state_new = S_IDLE;
        default: ;   // S_HALT: only a soft reset leaves it
    endcase

    if (soft_reset) begin
        state_new    = S_DRAIN;
        cons_new     = 12'd0;
        cprod_new    = 12'd0;
        phase_new    = 1'b1;
        kc_valid_new = 1'b0;
        core_rst_new = 1'b1;
    end
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        state_reg    <= S_IDLE;
        desc_reg     <= 512'h0;
        beat_reg     <= 2'd0;
        check_reg    <= 3'd0;
        status_reg   <= 8'h0;
        key_reg      <= 256'h0;
        kc_valid_reg <= 1'b0;
        kc_key_reg   <= 256'h0;
        kc_len_reg   <= 2'd0;
        kc_alg_reg   <= 8'h0;
        cons_reg     <= 12'd0;
        cprod_reg    <= 12'd0;
        phase_reg    <= 1'b1;
        rerr_reg     <= 1'b0;
        core_rst_reg <= 1'b0;
        hstate_reg   <= 1152'h0;
        hbeat_reg    <= 4'd0;
        iv_reg       <= 128'h0;
        mism_reg     <= 1'b0;
        macd_reg     <= 1'b0;
        datad_reg    <= 1'b0;
    end else begin
        state_reg    <= state_new;
        desc_reg     <= desc_new;
        beat_reg     <= beat_new;
        check_reg    <= check_new;
        status_reg   <= status_new;
        key_reg      <= key_new;
        kc_valid_reg <= kc_valid_new;
        kc_key_reg   <= kc_key_new;
        kc_len_reg   <= kc_len_new;
        kc_alg_reg   <= kc_alg_new;
        cons_reg     <= cons_new;
        cprod_reg    <= cprod_new;
        phase_reg    <= phase_new;
        rerr_reg     <= rerr_new;
        core_rst_reg <= core_rst_new;
        hstate_reg   <= hstate_new;
        hbeat_reg    <= hbeat_new;
        iv_reg       <= iv_new;
        mism_reg     <= mism_new;
        macd_reg     <= macd_new;
        datad_reg    <= datad_new;
    end
end

assign cmd_cons   = cons_reg;
assign cpl_prod   = cprod_reg;
assign busy       = (state_reg != S_IDLE) && (state_reg != S_HALT);
assign ring_error = (state_reg == S_HALT);
// counted when the record is written, so the counters never lag what the host sees
assign req_done   = (state_reg == S_CPL) && wr_in_ready;
assign req_irq    = req_done && d_irq;
assign req_status = status_reg;
assign req_bytes  = cpl_len;
assign core_busy  = (state_reg == S_KEY_EXP) || (state_reg == S_DATA) || (state_reg == S_HASH);

endmodule

`default_nettype wire
