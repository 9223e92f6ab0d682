`default_nettype none
`include "xce_regs.vh"
// pka_regs
// The PKA_* registers of BAR0 (rtl/xce_regs.json) in front of pka_top: the
// register file hands over write strobes, and this block turns them into
// the accelerator's host ports and command, keeping the two auto-advancing
// addresses (operand word, microcode word), the sticky status bits and the
// cycle count of the last program.
//
// The strobed registers take their value from the write data of the strobe
// cycle itself (wdata), not from the register file's copy, which only
// updates at the end of that cycle:
//   PKA_MEM_ADDR  loads the operand address and reads that word in the same
//                 cycle, so PKA_MEM_RLO/RHI hold it from the next cycle on;
//   PKA_MEM_WHI   writes {wdata, PKA_MEM_WLO} and advances the address;
//   PKA_UCODE_ADDR / PKA_UCODE_DATA  likewise for the microcode;
//   PKA_CMD       starts the program (only while PKA_FW_VERSION != 0).
// Host accesses while busy are dropped by pka_top, and the addresses do not
// advance then either.
module pka_regs (
    input  wire        clk,
    input  wire        rst_n,
    input  wire [31:0] wdata,
    input  wire        cmd_wr,
    input  wire        mem_addr_wr,
    input  wire        mem_whi_wr,
    input  wire        ucode_addr_wr,
    input  wire        ucode_data_wr,
    input  wire [31:0] mem_wlo,
    input  wire [63:0] n0inv,
    input  wire [31:0] fw_version,
    output wire [31:0] status,       // PKA_STATUS
    output wire [31:0] cycles,       // PKA_CYCLES
    output wire [31:0] mem_rlo,
    output wire [31:0] mem_rhi,
    output wire        stopped,      // pulse: DONE or FAULT rose (INT_STATUS.PKA)
    input  wire        fault_corrupt
);

reg  [8:0]  maddr_reg;
reg  [7:0]  iaddr_reg;
reg         done_reg, fault_reg;
reg  [31:0] cyc_reg;

wire        busy, done, fault;
wire [7:0]  pc;
wire [63:0] rdata;
wire        start = cmd_wr && !busy && fw_version != 32'h0;

pka_top u_pka (
    .clk(clk), .rst_n(rst_n),
    .mem_we(mem_whi_wr), .mem_re(mem_addr_wr),
    .mem_addr(mem_addr_wr ? wdata[8:0] : maddr_reg),
    .mem_wdata({wdata, mem_wlo}), .mem_rdata(rdata),
    .ic_we(ucode_data_wr), .ic_addr(iaddr_reg), .ic_wdata(wdata),
    .start(start), .entry(wdata[`XCE_PKA_CMD_ENTRY]), .size(wdata[`XCE_PKA_CMD_SIZE]),
    .exp_bits(wdata[`XCE_PKA_CMD_EXP_BITS]), .n0inv(n0inv),
    .busy(busy), .done(done), .fault(fault), .pc(pc), .fault_corrupt(fault_corrupt)
);

assign status  = {16'h0, pc, 5'h0, fault_reg, done_reg, busy};
assign cycles  = cyc_reg;
assign mem_rlo = rdata[31:0];
assign mem_rhi = rdata[63:32];
assign stopped = done | fault;

always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
        maddr_reg <= 9'h0;
        iaddr_reg <= 8'h0;
        done_reg  <= 1'b0;
        fault_reg <= 1'b0;
        cyc_reg   <= 32'h0;
    end else begin
        if (mem_addr_wr && !busy)      maddr_reg <= wdata[8:0];
        else if (mem_whi_wr && !busy)  maddr_reg <= maddr_reg + 9'h1;
        if (ucode_addr_wr && !busy)    iaddr_reg <= wdata[7:0];
        else if (ucode_data_wr && !busy) iaddr_reg <= iaddr_reg + 8'h1;
        if (start) begin
            done_reg  <= 1'b0;
            fault_reg <= 1'b0;
            cyc_reg   <= 32'h1;
        end else begin
            if (done)  done_reg  <= 1'b1;
            if (fault) fault_reg <= 1'b1;
            if (busy)  cyc_reg   <= cyc_reg + 32'h1;
        end
    end
end

endmodule

`default_nettype wire
