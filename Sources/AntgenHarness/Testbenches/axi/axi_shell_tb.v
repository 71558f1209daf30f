// Testbench of the AXI shell (AntAxiShell, docs/integration.md). Icarus and Verilator
// (--binary --timing). Defines, set by the caller with -D:
//   TOP        the shell module            DW        TDATA width
//   N_IN       operand transfers (in.hex)  N_OUT     result transfers (out.hex)
//   TILE_XFERS result transfers per tile   SEED      random seed
//   GAP        0..3: TVALID low with probability GAP/4 on s_axis
//   STALL      0..3: TREADY low with probability STALL/4 on m_axis
//   EXPECT_ERROR  1 if the stream holds a malformed packet (STATUS.ERROR must be set)
//   LIMIT      cycles after which the run fails as a hang
//   ABORT_XFERS   optional: first send only this many transfers (a tile left half-way in
//                 the array), SOFT_RESET, START again, then the whole stream: nothing of
//                 the abandoned tile may come out
// in.hex / out.hex: one transfer per line, {TLAST, TDATA} in hex. The expected results come
// from the Swift reference model, never from the RTL.
// Checks: the shell's m_axis keeps TVALID and the payload stable until TREADY (an AXI
// rule), TLAST exactly on the final transfer of each tile, every result bit-exact and in
// order, no result transfer beyond N_OUT, STATUS at the end (DONE, ERROR as expected),
// CYCLES and STALLS plausible (nonzero, STALLS <= CYCLES, stalls seen when injected),
// the AXI-Lite B/R responses OKAY, and no hang (a cycle limit).
`timescale 1ns/1ps
module axi_shell_tb;
  reg clock = 0, reset = 1;
  always #5 clock = ~clock;

  reg [`DW:0] in_mem [0:`N_IN-1];
  reg [`DW:0] out_mem [0:`N_OUT-1];
  integer seed_in = `SEED, seed_out = `SEED + 1000, draw_in = 0, draw_out = 0;
  integer in_i = 0, out_i = 0, failures = 0, cycles = 0;
  reg started = 0;
`ifdef ABORT_XFERS
  integer in_limit = `ABORT_XFERS;
`else
  integer in_limit = `N_IN;
`endif

  reg s_tvalid = 0, s_tlast = 0, m_tready = 0;
  reg [`DW-1:0] s_tdata = 0;
  wire s_tready, m_tvalid, m_tlast, irq;
  wire [`DW-1:0] m_tdata;
  wire [`DW/8-1:0] m_tkeep;
  reg awvalid = 0, wvalid = 0, bready = 0, arvalid = 0, rready = 0;
  reg [7:0] awaddr = 0, araddr = 0;
  reg [31:0] wdata = 0;
  wire awready, wready, bvalid, arready, rvalid;
  wire [1:0] bresp, rresp;
  wire [31:0] rdata;
  reg [31:0] got, busy_cycles;

  `TOP dut(.clock(clock), .reset(reset),
    .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready), .s_axis_tdata(s_tdata), .s_axis_tlast(s_tlast),
    .s_axis_tkeep({(`DW/8){1'b1}}),
    .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready), .m_axis_tdata(m_tdata), .m_axis_tlast(m_tlast),
    .m_axis_tkeep(m_tkeep),
    .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_awaddr(awaddr),
    .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_wdata(wdata), .s_axi_wstrb(4'hF),
    .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_bresp(bresp),
    .s_axi_arvalid(arvalid), .s_axi_arready(arready), .s_axi_araddr(araddr),
    .s_axi_rvalid(rvalid), .s_axi_rready(rready), .s_axi_rdata(rdata), .s_axi_rresp(rresp),
    .irq(irq));

  // Operand source: random TVALID gaps, never dropping or changing an offered transfer.
  always @(posedge clock) begin
    if (reset || !started) s_tvalid <= 1'b0;
    else begin
      if (s_tvalid && s_tready) in_i = in_i + 1;
      if (!s_tvalid || s_tready) begin
        draw_in = $random(seed_in) & 3;
        if (in_i < in_limit && draw_in >= `GAP) begin
          s_tvalid <= 1'b1; {s_tlast, s_tdata} <= in_mem[in_i];
        end else s_tvalid <= 1'b0;
      end
    end
  end

  // Result sink with random TREADY, and the AXI4-Stream assertions on the shell's master.
  reg stalled = 0;
  reg [`DW:0] stalled_payload = 0;
  always @(posedge clock) begin
    if (reset) m_tready <= 1'b0;
    else begin
      cycles = cycles + 1;
      if (stalled && !m_tvalid) begin failures = failures + 1; $display("FAIL m_axis TVALID dropped before TREADY"); end
      if (stalled && m_tvalid && {m_tlast, m_tdata} !== stalled_payload) begin
        failures = failures + 1; $display("FAIL m_axis payload changed while stalled");
      end
      if (m_tvalid && m_tkeep !== {(`DW/8){1'b1}}) begin failures = failures + 1; $display("FAIL TKEEP not all ones"); end
      if (m_tvalid && m_tready) begin
        if (out_i >= `N_OUT) begin failures = failures + 1; $display("FAIL extra result transfer %h", m_tdata); end
        else begin
          if (m_tlast !== ((out_i % `TILE_XFERS) == `TILE_XFERS - 1)) begin
            failures = failures + 1; $display("FAIL TLAST %0d on result transfer %0d", m_tlast, out_i);
          end
          if ({m_tlast, m_tdata} !== out_mem[out_i]) begin
            failures = failures + 1; $display("FAIL result transfer %0d: got %h, expected %h", out_i, {m_tlast, m_tdata}, out_mem[out_i]);
          end
        end
        out_i = out_i + 1;
      end
      stalled <= m_tvalid && !m_tready;
      stalled_payload <= {m_tlast, m_tdata};
      draw_out = $random(seed_out) & 3;
      m_tready <= draw_out >= `STALL;
    end
  end

  // AXI-Lite master: AW and W together, B and R taken once valid; responses must be OKAY.
  task lite_write(input [7:0] address, input [31:0] data);
    begin
      @(negedge clock); awvalid = 1; awaddr = address; wvalid = 1; wdata = data; bready = 1;
      @(posedge clock); while (!(awready && wready)) @(posedge clock);
      @(negedge clock); awvalid = 0; wvalid = 0;
      while (!bvalid) @(negedge clock);
      if (bresp !== 2'b00) begin failures = failures + 1; $display("FAIL write %h answered %0d", address, bresp); end
      @(posedge clock); @(negedge clock); bready = 0;
    end
  endtask

  task lite_read(input [7:0] address);
    begin
      @(negedge clock); arvalid = 1; araddr = address; rready = 1;
      @(posedge clock); while (!arready) @(posedge clock);
      @(negedge clock); arvalid = 0;
      while (!rvalid) @(negedge clock);
      got = rdata;
      if (rresp !== 2'b00) begin failures = failures + 1; $display("FAIL read %h answered %0d", address, rresp); end
      @(posedge clock); @(negedge clock); rready = 0;
    end
  endtask

  initial begin
    $readmemh("in.hex", in_mem);
    $readmemh("out.hex", out_mem);
    repeat (3) @(posedge clock);
    @(negedge clock) reset = 0;
    lite_read(8'h00);
    if (got !== 32'h414E5447) begin failures = failures + 1; $display("FAIL ID %h", got); end
    lite_write(8'h08, 32'h5);  // START and IRQ_ENABLE
    started = 1;
`ifdef ABORT_XFERS
    while (in_i < `ABORT_XFERS) @(posedge clock);
    repeat (4) @(posedge clock);
    lite_write(8'h08, 32'h2);  // SOFT_RESET
    started = 0;
    in_i = 0; in_limit = `N_IN;
    lite_write(8'h08, 32'h5);
    started = 1;
`endif
    while (out_i < `N_OUT && cycles < `LIMIT) @(posedge clock);
    repeat (40) @(posedge clock);
    if (cycles >= `LIMIT) begin failures = failures + 1; $display("FAIL timeout: %0d of %0d result transfers, %0d of %0d operand transfers", out_i, `N_OUT, in_i, `N_IN); end
    lite_read(8'h0C);
    if (got[2:0] !== {1'b1, `EXPECT_ERROR == 1, 1'b0}) begin failures = failures + 1; $display("FAIL STATUS %h", got); end
    if (irq !== 1'b1) begin failures = failures + 1; $display("FAIL no irq after done"); end
    // CYCLES counts busy cycles since START; STALLS those with m_axis held back or a beat awaited.
    lite_read(8'h10); busy_cycles = got;
    lite_read(8'h14);
    if (busy_cycles == 0 || busy_cycles > cycles || got > busy_cycles || ((`STALL > 0 || `GAP > 0) && got == 0)) begin
      failures = failures + 1; $display("FAIL CYCLES %0d, STALLS %0d after %0d cycles", busy_cycles, got, cycles);
    end
    if (failures == 0) $display("PASS %0d result transfers in %0d cycles; CYCLES %0d STALLS %0d", out_i, cycles, busy_cycles, got);
    else $display("FAIL %0d failures", failures);
    $finish;
  end
endmodule
