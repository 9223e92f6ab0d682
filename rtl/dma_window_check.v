`default_nettype none

// Combinational check that [addr, addr+len) lies wholly inside one of the
// enabled DMA windows. A window with size 0 is disabled; len 0 always
// passes (nothing is touched). 65-bit sums so a range that wraps past
// 2^64 can never look valid. One instance is shared by the request FSM,
// which checks its ranges one per cycle.
module dma_window_check #(
    parameter integer WINDOWS = 4
) (
    input  wire [63:0]             addr,
    input  wire [31:0]             len,
    input  wire [WINDOWS*64-1:0]   win_base,
    input  wire [WINDOWS*64-1:0]   win_size,
    output reg                     ok
);

reg [64:0] range_end;
reg [64:0] win_end;
integer n;

always @* begin
    ok = (len == 32'h0);
    range_end = {1'b0, addr} + {33'h0, len};
    win_end = 65'h0;
    for (n = 0; n < WINDOWS; n = n + 1) begin
        win_end = {1'b0, win_base[n*64 +: 64]} + {1'b0, win_size[n*64 +: 64]};
        if (win_size[n*64 +: 64] != 64'h0 && addr >= win_base[n*64 +: 64] && range_end <= win_end)
            ok = 1'b1;
    end
end

endmodule

`default_nettype wire
