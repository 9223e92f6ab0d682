`default_nettype none

// Shares the host bus among N request engines. Reads and writes are
// arbitrated separately, round-robin, one grant per cycle; the grant is
// remembered in a FIFO so the bus's in-order responses and acknowledgements
// go back to the engine that asked. When a FIFO is full no further grant is
// made (the bus sees no request) until a response frees a place.
module bus_arbiter #(
    parameter integer N = 2
) (
    input  wire             clk,
    input  wire             rst_n,
    // engines
    input  wire [N-1:0]     e_rd_valid,
    output wire [N-1:0]     e_rd_ready,
    input  wire [N*64-1:0]  e_rd_addr,
    input  wire [N*5-1:0]   e_rd_len,
    output wire [N-1:0]     e_rsp_valid,
    input  wire [N-1:0]     e_wr_valid,
    output wire [N-1:0]     e_wr_ready,
    input  wire [N*64-1:0]  e_wr_addr,
    input  wire [N*5-1:0]   e_wr_len,
    input  wire [N*128-1:0] e_wr_data,
    output wire [N-1:0]     e_ack_valid,
    // host bus
    output wire             rd_req_valid,
    input  wire             rd_req_ready,
    output wire [63:0]      rd_req_addr,
    output wire [4:0]       rd_req_len,
    input  wire             rd_rsp_valid,
    output wire             wr_req_valid,
    input  wire             wr_req_ready,
    output wire [63:0]      wr_req_addr,
    output wire [4:0]       wr_req_len,
    output wire [127:0]     wr_req_data,
    input  wire             wr_rsp_valid
);

localparam integer IW = (N > 1) ? $clog2(N) : 1;
localparam integer DEPTH = 32;   // outstanding reads/writes on the bus

reg [IW-1:0] rd_last_reg, rd_last_new;   // last granted, for round robin
reg [IW-1:0] wr_last_reg, wr_last_new;
reg [IW-1:0] rd_fifo_reg [0:DEPTH-1];
reg [IW-1:0] wr_fifo_reg [0:DEPTH-1];
reg [4:0]    rd_wp_reg, rd_wp_new, rd_rp_reg, rd_rp_new, wr_wp_reg, wr_wp_new, wr_rp_reg, wr_rp_new;
reg [5:0]    rd_cnt_reg, rd_cnt_new, wr_cnt_reg, wr_cnt_new;

// round robin: the first valid requester after the last one granted
function automatic [IW:0] pick(input [N-1:0] valid, input [IW-1:0] last);
    integer k;
    // an index modulo N: only its low IW bits are ever nonzero
    /* verilator lint_off UNUSEDSIGNAL */
    integer idx;
    /* verilator lint_on UNUSEDSIGNAL */
    begin
        pick = {1'b0, {IW{1'b0}}};
        for (k = N; k >= 1; k = k - 1) begin
            idx = (k + {{(32-IW){1'b0}}, last}) % N;
            if (valid[idx]) pick = {1'b1, idx[IW-1:0]};
        end
    end
endfunction

wire [IW:0] rd_pick = pick(e_rd_valid, rd_last_reg);
wire [IW:0] wr_pick = pick(e_wr_valid, wr_last_reg);
wire        rd_room = (rd_cnt_reg != DEPTH[5:0]);
wire        wr_room = (wr_cnt_reg != DEPTH[5:0]);
wire [IW-1:0] rd_sel = rd_pick[IW-1:0];
wire [IW-1:0] wr_sel = wr_pick[IW-1:0];

assign rd_req_valid = rd_pick[IW] && rd_room;
assign rd_req_addr  = e_rd_addr[rd_sel * 64 +: 64];
assign rd_req_len   = e_rd_len[rd_sel * 5 +: 5];
assign wr_req_valid = wr_pick[IW] && wr_room;
assign wr_req_addr  = e_wr_addr[wr_sel * 64 +: 64];
assign wr_req_len   = e_wr_len[wr_sel * 5 +: 5];
assign wr_req_data  = e_wr_data[wr_sel * 128 +: 128];

wire rd_issue = rd_req_valid && rd_req_ready;
wire wr_issue = wr_req_valid && wr_req_ready;
wire rd_back  = rd_rsp_valid && (rd_cnt_reg != 6'd0);
wire wr_back  = wr_rsp_valid && (wr_cnt_reg != 6'd0);

genvar g;
generate
    for (g = 0; g < N; g = g + 1) begin : g_port
        assign e_rd_ready[g]  = rd_issue && (rd_sel == g);
        assign e_wr_ready[g]  = wr_issue && (wr_sel == g);
        assign e_rsp_valid[g] = rd_back && (rd_fifo_reg[rd_rp_reg] == g);
        assign e_ack_valid[g] = wr_back && (wr_fifo_reg[wr_rp_reg] == g);
    end
endgenerate

always @* begin
    rd_last_new = rd_issue ? rd_sel : rd_last_reg;
    wr_last_new = wr_issue ? wr_sel : wr_last_reg;
    rd_wp_new   = rd_wp_reg + {4'h0, rd_issue};
    wr_wp_new   = wr_wp_reg + {4'h0, wr_issue};
    rd_rp_new   = rd_rp_reg + {4'h0, rd_back};
    wr_rp_new   = wr_rp_reg + {4'h0, wr_back};
    rd_cnt_new  = rd_cnt_reg + {5'h0, rd_issue} - {5'h0, rd_back};
    wr_cnt_new  = wr_cnt_reg + {5'h0, wr_issue} - {5'h0, wr_back};
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        rd_last_reg <= {IW{1'b0}};
        wr_last_reg <= {IW{1'b0}};
        rd_wp_reg   <= 5'd0;
        rd_rp_reg   <= 5'd0;
        wr_wp_reg   <= 5'd0;
        wr_rp_reg   <= 5'd0;
        rd_cnt_reg  <= 6'd0;
        wr_cnt_reg  <= 6'd0;
    end else begin
        rd_last_reg <= rd_last_new;
        wr_last_reg <= wr_last_new;
        rd_wp_reg   <= rd_wp_new;
        rd_rp_reg   <= rd_rp_new;
        wr_wp_reg   <= wr_wp_new;
        wr_rp_reg   <= wr_rp_new;
        rd_cnt_reg  <= rd_cnt_new;
        wr_cnt_reg  <= wr_cnt_new;
        if (rd_issue) rd_fifo_reg[rd_wp_reg] <= rd_sel;
        if (wr_issue) wr_fifo_reg[wr_wp_reg] <= wr_sel;
    end
end

endmodule

`default_nettype wire
