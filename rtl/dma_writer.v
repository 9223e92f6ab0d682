`default_nettype none

// Writes a stream of 16-byte beats (first byte in [127:120]) to
// [start_addr, start_addr+start_len); the last beat may be short. Writes
// are posted: each is acknowledged later on wr_rsp, and the writer is idle
// only when every write it issued has been acknowledged, so the caller
// knows the data is in memory before it writes a completion.
module dma_writer (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         start,          // only while idle
    input  wire [63:0]  start_addr,
    input  wire [31:0]  start_len,
    input  wire         cancel,
    output wire         idle,
    output wire         err,            // a write of this transfer failed
    input  wire         in_valid,
    output wire         in_ready,
    input  wire [127:0] in_data,
    output wire         wr_req_valid,
    input  wire         wr_req_ready,
    output wire [63:0]  wr_req_addr,
    output wire [4:0]   wr_req_len,
    output wire [127:0] wr_req_data,
    input  wire         wr_rsp_valid,
    input  wire         wr_rsp_err
);

reg [63:0] addr_reg,  addr_new;
reg [31:0] rem_reg,   rem_new;
reg [7:0]  outst_reg, outst_new;
reg        err_reg,   err_new;

wire can_issue = (rem_reg != 32'h0) && !cancel && (outst_reg != 8'hff);
wire issue = in_valid && can_issue && wr_req_ready;
wire ack   = wr_rsp_valid && (outst_reg != 8'h0);

assign in_ready     = can_issue && wr_req_ready;
assign wr_req_valid = in_valid && can_issue;
assign wr_req_addr  = addr_reg;
assign wr_req_len   = (rem_reg >= 32'd16) ? 5'd16 : rem_reg[4:0];
assign wr_req_data  = in_data;
assign idle         = (rem_reg == 32'h0) && (outst_reg == 8'h0);
assign err          = err_reg;

always @* begin
    addr_new  = addr_reg;
    rem_new   = rem_reg;
    err_new   = err_reg;
    if (start) begin
        addr_new = start_addr;
        rem_new  = start_len;
        err_new  = 1'b0;
    end else if (issue) begin
        addr_new = addr_reg + {59'h0, wr_req_len};
        rem_new  = rem_reg - {27'h0, wr_req_len};
    end
    if (ack && wr_rsp_err)
        err_new = 1'b1;
    if (cancel)
        rem_new = 32'h0;
    outst_new = outst_reg + {7'h0, issue} - {7'h0, ack};
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        addr_reg  <= 64'h0;
        rem_reg   <= 32'h0;
        outst_reg <= 8'h0;
        err_reg   <= 1'b0;
    end else begin
        addr_reg  <= addr_new;
        rem_reg   <= rem_new;
        outst_reg <= outst_new;
        err_reg   <= err_new;
    end
end

endmodule

`default_nettype wire
