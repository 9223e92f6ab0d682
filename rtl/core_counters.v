`default_nettype none
`include "xce_regs.vh"

// One core's statistics for BAR0: requests, payload bytes, busy cycles and
// failed requests. Kept across soft resets, cleared only at power-on.
module core_counters (
    input  wire        clk,
    input  wire        rst_n,
    input  wire        req_done,
    input  wire [7:0]  req_status,
    input  wire [31:0] req_bytes,
    input  wire        busy,
    output wire [31:0] reqs,
    output wire [63:0] bytes,
    output wire [63:0] busy_cycles,
    output wire [31:0] errors
);

reg [31:0] reqs_reg,   reqs_new;
reg [63:0] bytes_reg,  bytes_new;
reg [63:0] busy_reg,   busy_new;
reg [31:0] errors_reg, errors_new;

always @* begin
    reqs_new   = reqs_reg + {31'h0, req_done};
    bytes_new  = bytes_reg + (req_done ? {32'h0, req_bytes} : 64'h0);
    busy_new   = busy_reg + {63'h0, busy};
    errors_new = errors_reg + {31'h0, req_done && req_status != `XCE_STATUS_OK};
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        reqs_reg   <= 32'h0;
        bytes_reg  <= 64'h0;
        busy_reg   <= 64'h0;
        errors_reg <= 32'h0;
    end else begin
        reqs_reg   <= reqs_new;
        bytes_reg  <= bytes_new;
        busy_reg   <= busy_new;
        errors_reg <= errors_new;
    end
end

assign reqs        = reqs_reg;
assign bytes       = bytes_reg;
assign busy_cycles = busy_reg;
assign errors      = errors_reg;

endmodule

`default_nettype wire
