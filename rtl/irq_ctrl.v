`default_nettype none

// Interrupt coalescing: a completion interrupt is raised after
// coal_count completions (0 acts as 1), or coal_cycles cycles after the
// first completion still pending, whichever comes first. Errors raise
// their cause at once.
module irq_ctrl (
    input  wire        clk,
    input  wire        rst_n,
    input  wire        cpl_event,
    input  wire [31:0] coal_count,
    input  wire [31:0] coal_cycles,
    output wire        cpl_set
);

reg [31:0] pending_reg, pending_new;
reg [31:0] timer_reg,   timer_new;

wire [31:0] threshold = (coal_count == 32'h0) ? 32'h1 : coal_count;
wire [31:0] pending_now = pending_reg + {31'h0, cpl_event};

assign cpl_set = (pending_now != 32'h0) &&
                 (pending_now >= threshold || timer_reg >= coal_cycles);

always @* begin
    pending_new = pending_now;
    timer_new   = (pending_reg != 32'h0) ? timer_reg + 32'h1 : 32'h0;
    if (cpl_set) begin
        pending_new = 32'h0;
        timer_new   = 32'h0;
    end
end

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        pending_reg <= 32'h0;
        timer_reg   <= 32'h0;
    end else begin
        pending_reg <= pending_new;
        timer_reg   <= timer_new;
    end
end

endmodule

`default_nettype wire
