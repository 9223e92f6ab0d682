`default_nettype none

// Streams [start_addr, start_addr+start_len) from host memory as 16-byte
// beats (first byte in [127:120]; a short last beat is zero-filled).
// Keeps up to DEPTH reads in flight so bus latency overlaps with the
// consumer; responses return in order. After cancel, responses still in
// flight are counted and dropped, so a later transfer never sees them.
module dma_reader (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         start,          // only while idle
    input  wire [63:0]  start_addr,
    input  wire [31:0]  start_len,
    input  wire         cancel,
    output wire         idle,
    output wire         out_valid,
    input  wire         out_ready,
    output wire [127:0] out_data,
    output wire         out_err,        // the bus flagged this beat
    output wire         rd_req_valid,
    input  wire         rd_req_ready,
    output wire [63:0]  rd_req_addr,
    output wire [4:0]   rd_req_len,
    input  wire         rd_rsp_valid,
    input  wire [127:0] rd_rsp_data,
    input  wire         rd_rsp_err
);

localparam [2:0] DEPTH = 3'd4;

reg [63:0]  addr_reg,  addr_new;
reg [31:0]  rem_reg,   rem_new;
reg [2:0]   outst_reg, outst_new;
reg [2:0]   drop_reg,  drop_new;
reg [2:0]   count_reg, count_new;
reg [1:0]   wptr_reg,  wptr_new;
reg [1:0]   rptr_reg,  rptr_new;
reg [128:0] fifo_reg [0:3];
reg         fifo_we;

wire issue = rd_req_valid && rd_req_ready;
wire push  = rd_rsp_valid && (outst_reg != 3'd0) && (drop_reg == 3'd0) && !cancel;
wire pop   = out_valid && out_ready && !cancel;

assign rd_req_valid = (rem_reg != 32'h0) && !cancel && ((outst_reg + count_reg) < DEPTH);
assign rd_req_addr  = addr_reg;
assign rd_req_len   = (rem_reg >= 32'd16) ? 5'd16 : rem_reg[4:0];
assign out_valid    = (count_reg != 3'd0);
assign out_data     = fifo_reg[rptr_reg][127:0];
assign out_err      = fifo_reg[rptr_reg][128];
assign idle         = (rem_reg == 32'h0) && (outst_reg == 3'd0) && (count_reg == 3'd0);

always @* begin
    addr_new  = addr_reg;
    rem_new   = rem_reg;
    outst_new = outst_reg;
    drop_new  = drop_reg;
    count_new = count_reg;
    wptr_new  = wptr_reg;
    rptr_new  = rptr_reg;
    fifo_we   = 1'b0;

    if (start) begin
        addr_new = start_addr;
        rem_new  = start_len;
    end else if (issue) begin
        addr_new = addr_reg + {59'h0, rd_req_len};
        rem_new  = rem_reg - {27'h0, rd_req_len};
    end
    outst_new = outst_reg + {2'b0, issue} - {2'b0, rd_rsp_valid && (outst_reg != 3'd0)};
    if (rd_rsp_valid && drop_reg != 3'd0)
        drop_new = drop_reg - 3'd1;
    if (push) begin
        fifo_we  = 1'b1;
        wptr_new = wptr_reg + 2'd1;
    end
    if (pop)
        rptr_new = rptr_reg + 2'd1;
    count_new = count_reg + {2'b0, push} - {2'b0, pop};

    if (cancel) begin
        rem_new   = 32'h0;
        count_new = 3'd0;
        rptr_new  = wptr_reg;
        // everything still in flight, less a response arriving now
        drop_new  = outst_reg - {2'b0, rd_rsp_valid && (outst_reg != 3'd0)};
    end
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        addr_reg  <= 64'h0;
        rem_reg   <= 32'h0;
        outst_reg <= 3'd0;
        drop_reg  <= 3'd0;
        count_reg <= 3'd0;
        wptr_reg  <= 2'd0;
        rptr_reg  <= 2'd0;
    end else begin
        addr_reg  <= addr_new;
        rem_reg   <= rem_new;
        outst_reg <= outst_new;
        drop_reg  <= drop_new;
        count_reg <= count_new;
        wptr_reg  <= wptr_new;
        rptr_reg  <= rptr_new;
        if (fifo_we)
            fifo_reg[wptr_reg] <= {rd_rsp_err, rd_rsp_data};
    end
end

endmodule

`default_nettype wire
