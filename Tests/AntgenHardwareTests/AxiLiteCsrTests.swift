import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The AXI4-Lite CSR block of the (future) AXI shell: lint-clean, and on Icarus against the
/// register map of its documentation: identification, parameters, SLVERR for unmapped and
/// read-only addresses, AW/W in either order or together, start/soft-reset pulses, sticky
/// W1C flags, counters and the interrupt, with B and R held under back-pressure.
@Suite struct AxiLiteCsrTests {
    static var csr: AxiLiteCsr { AxiLiteCsr(version: (0, 1, 0), parameterWords: [0x0020_0020, 0x0000_002A]) }

    @Test func passesTheThreeLintGates() throws {
        let directory = try temporaryDirectory("csr-lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(Self.csr, to: directory)
        for finding in try VerilogLinter().lint(directory: directory, top: design.top.name) {
            #expect(finding.clean, "\(finding)")
        }
        let ports = design.top.ports.map(\.name)
        for name in ["s_axi_awvalid", "s_axi_awready", "s_axi_wstrb", "s_axi_bresp", "s_axi_araddr", "s_axi_rdata", "irq", "soft_reset"] {
            #expect(ports.contains(name), "\(name) in \(ports)")
        }
    }

    @Test func registerMapOnIcarusWithBackPressure() throws {
        let directory = try temporaryDirectory("csr-sim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(Self.csr, to: directory)
        try Self.testbench(top: design.top.name).write(to: directory.appendingPathComponent("tb.v"), atomically: true, encoding: .utf8)
        let files = try String(contentsOf: directory.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let compile = try ExternalTool.iverilog.run(["-g2005", "-Wall", "-o", "tb.vvp", "tb.v"] + files, in: directory)
        try #require(compile.status == 0, "\(compile.output)")
        let run = try ExternalTool.vvp.run(["-n", "tb.vvp"], in: directory)
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FAIL") }, "\(run.output)")
        #expect(lines.contains("PASS 27 checks"), "\(run.output)")
    }

    /// A Verilog testbench: tasks for AXI4-Lite writes (AW first, W first, together) and
    /// reads with `bready`/`rready` held low for a while, a monitor asserting that B and R
    /// stay valid and stable until taken, and the checks of the register map.
    static func testbench(top: String) -> String {
        """
        `timescale 1ns/1ps
        module tb;
          reg clock = 0, reset = 1;
          always #5 clock = ~clock;
          reg awvalid = 0, wvalid = 0, bready = 0, arvalid = 0, rready = 0;
          reg [7:0] awaddr = 0, araddr = 0;
          reg [31:0] wdata = 0;
          reg [3:0] wstrb = 0;
          wire awready, wready, bvalid, arready, rvalid;
          wire [1:0] bresp, rresp;
          wire [31:0] rdata;
          reg busy = 0, done = 0, fault = 0, stall = 0;
          wire start, soft_reset, irq;
          integer checks = 0, failures = 0, starts = 0, soft_resets = 0;
          reg [31:0] got;
          reg [1:0] resp;

          \(top) dut(.clock(clock), .reset(reset),
            .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_awaddr(awaddr),
            .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
            .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_bresp(bresp),
            .s_axi_arvalid(arvalid), .s_axi_arready(arready), .s_axi_araddr(araddr),
            .s_axi_rvalid(rvalid), .s_axi_rready(rready), .s_axi_rdata(rdata), .s_axi_rresp(rresp),
            .busy(busy), .done(done), .fault(fault), .stall(stall),
            .start(start), .soft_reset(soft_reset), .irq(irq));

          // AXI rules: a valid response stays valid with the same payload until taken.
          reg b_pending = 0, r_pending = 0;
          reg [1:0] b_seen;
          reg [33:0] r_seen;
          always @(posedge clock) begin
            if (b_pending && !(bvalid && bresp == b_seen)) begin failures = failures + 1; $display("FAIL B dropped or changed while stalled"); end
            if (r_pending && !(rvalid && {rresp, rdata} == r_seen)) begin failures = failures + 1; $display("FAIL R dropped or changed while stalled"); end
            b_pending <= bvalid && !bready; b_seen <= bresp;
            r_pending <= rvalid && !rready; r_seen <= {rresp, rdata};
            if (start) starts = starts + 1;
            if (soft_reset) soft_resets = soft_resets + 1;
          end

          task check(input [31:0] actual, input [31:0] expected, input [255:0] what);
            begin
              checks = checks + 1;
              if (actual !== expected) begin failures = failures + 1; $display("FAIL %0s: got %h, expected %h", what, actual, expected); end
            end
          endtask

          // order: 0 AW first, 1 W first, 2 together; stall: cycles with bready low.
          task write(input [7:0] address, input [31:0] data, input [3:0] strobe, input integer order, input integer stall_cycles);
            begin
              @(negedge clock);
              if (order != 1) begin awvalid = 1; awaddr = address; end
              if (order != 0) begin wvalid = 1; wdata = data; wstrb = strobe; end
              @(posedge clock); while (!((order == 1 ? wready : awready))) @(posedge clock);
              @(negedge clock);
              if (order == 0) begin awvalid = 0; repeat (2) @(negedge clock); wvalid = 1; wdata = data; wstrb = strobe; @(posedge clock); while (!wready) @(posedge clock); @(negedge clock); end
              if (order == 1) begin wvalid = 0; repeat (3) @(negedge clock); awvalid = 1; awaddr = address; @(posedge clock); while (!awready) @(posedge clock); @(negedge clock); end
              awvalid = 0; wvalid = 0;
              repeat (stall_cycles) @(negedge clock);
              bready = 1;
              @(posedge clock); while (!bvalid) @(posedge clock);
              resp = bresp;
              @(negedge clock); bready = 0;
            end
          endtask

          task read(input [7:0] address, input integer stall_cycles);
            begin
              @(negedge clock); arvalid = 1; araddr = address;
              @(posedge clock); while (!arready) @(posedge clock);
              @(negedge clock); arvalid = 0;
              repeat (stall_cycles) @(negedge clock);
              rready = 1;
              @(posedge clock); while (!rvalid) @(posedge clock);
              got = rdata; resp = rresp;
              @(negedge clock); rready = 0;
            end
          endtask

          initial begin
            repeat (3) @(posedge clock);
            @(negedge clock) reset = 0;
            read(8'h00, 0); check(got, 32'h414E5447, "ID"); check(resp, 0, "ID OKAY");
            read(8'h04, 3); check(got, 32'h00000100, "VERSION 0.1.0");
            read(8'h18, 1); check(got, 32'h00200020, "PARAM0");
            read(8'h1C, 0); check(got, 32'h0000002A, "PARAM1");
            read(8'h20, 2); check(got, 0, "unmapped reads 0"); check(resp, 2, "unmapped read SLVERR");
            read(8'h3C, 0); check(resp, 2, "unmapped read SLVERR 0x3C");
            write(8'h00, 32'hFFFFFFFF, 4'hF, 2, 0); check(resp, 2, "write to ID SLVERR");
            read(8'h00, 0); check(got, 32'h414E5447, "ID unchanged");
            write(8'h08, 32'h5, 4'hF, 0, 4); check(resp, 0, "CONTROL write OKAY (AW first, B stalled)");
            check(starts, 1, "one start pulse");
            read(8'h08, 0); check(got, 32'h4, "CONTROL reads IRQ_ENABLE only");
            // 10 busy cycles, 4 of them stalled.
            @(negedge clock); busy = 1; repeat (6) @(negedge clock); stall = 1; repeat (4) @(negedge clock); stall = 0; busy = 0;
            read(8'h10, 0); check(got, 10, "CYCLES");
            read(8'h14, 0); check(got, 4, "STALLS");
            check(irq, 0, "no irq before done");
            @(negedge clock); done = 1; @(negedge clock); done = 0;
            read(8'h0C, 2); check(got, 32'h4, "STATUS done");
            check(irq, 1, "irq on done");
            write(8'h0C, 32'h4, 4'h1, 1, 0); check(resp, 0, "STATUS W1C OKAY (W first)");
            read(8'h0C, 0); check(got, 0, "done cleared");
            check(irq, 0, "irq cleared");
            @(negedge clock); fault = 1; @(negedge clock); fault = 0;
            read(8'h0C, 0); check(got, 32'h2, "STATUS error");
            write(8'h08, 32'h2, 4'h0, 2, 0); check(resp, 0, "strobe 0 write OKAY");
            check(soft_resets, 0, "strobe 0 writes nothing");
            write(8'h08, 32'h2, 4'h1, 2, 2); check(soft_resets, 1, "one soft reset pulse (together)");
            read(8'h0C, 0); check(got, 0, "soft reset clears error");
            read(8'h10, 0); check(got, 0, "soft reset clears CYCLES");
            if (failures == 0) $display("PASS %0d checks", checks);
            $finish;
          end
        endmodule
        """
    }
}
