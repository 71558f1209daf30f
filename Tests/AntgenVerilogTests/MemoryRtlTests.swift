import AntgenDSL
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The memory primitive's Verilog: lint clean, bit-exact against a Swift model of a
/// read-first synchronous RAM on Verilator and Icarus, and mapped to block RAM by Yosys.
@Suite struct MemoryRtlTests {
    static func ram(depth: Int, width: Int) -> TestCircuit {
        TestCircuit("Ram_d\(depth)_w\(width)") { m in
            let aw = bitsToIndex(depth)
            let ram = m.memory("ram", depth: depth, .uint(width))
            ram.write(address: m.input("wa", .uint(aw)), data: m.input("wd", .uint(width)), enable: m.input("we", .bool))
            m.output("q", .uint(width)).assign(ram.read(address: m.input("ra", .uint(aw)), enable: m.input("re", .bool)))
        }
    }

    struct Step { let we: Bool; let wa: Int; let wd: Int; let re: Bool; let ra: Int }

    /// Every address written once (reads mixed in), then random traffic; a fixed LCG.
    static func stimulus(count: Int) -> [Step] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var steps = (0..<16).map { Step(we: true, wa: $0, wd: next(256), re: next(2) == 1, ra: next(16)) }
        for _ in 0..<count { steps.append(Step(we: next(2) == 1, wa: next(16), wd: next(256), re: next(3) > 0, ra: next(16))) }
        return steps
    }

    /// The expected `q` after each step (nil while unknown), from a Swift dictionary.
    static func expected(_ steps: [Step]) -> [Int?] {
        var memory: [Int: Int] = [:]
        var q: Int? = nil
        return steps.map { s in
            if s.re { q = memory[s.ra] }          // read-first: the old word
            if s.we { memory[s.wa] = s.wd }
            return q
        }
    }

    static func testbench(_ steps: [Step], top: String) -> String {
        var lines = ["`timescale 1ns/1ps", "module ram_tb;", "  reg clock = 0;", "  reg we = 0, re = 0;",
                     "  reg [3:0] wa = 0, ra = 0;", "  reg [7:0] wd = 0;", "  wire [7:0] q;",
                     "  \(top) dut (.clock(clock), .wa(wa), .wd(wd), .we(we), .ra(ra), .re(re), .q(q));",
                     "  initial begin"]
        for s in steps {
            lines.append("    we = \(s.we ? 1 : 0); wa = \(s.wa); wd = \(s.wd); re = \(s.re ? 1 : 0); ra = \(s.ra);")
            lines.append("    #5 clock = 1; #1 $display(\"%0d\", q); #4 clock = 0;")
        }
        lines += ["    $finish;", "  end", "endmodule"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func emittedRamIsLintClean() throws {
        let findings = try lintFindings(Self.ram(depth: 16, width: 8))
        for finding in findings { #expect(finding.clean, "\(finding)") }
        #expect(findings.count >= 3)
    }

    @Test func writeThenReadBackIsBitExactOnBothSimulators() throws {
        let dir = try temporaryDirectory("memory-sim")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try elaborate(Self.ram(depth: 16, width: 8))
        try VerilogBackend().write(design, to: dir)
        let steps = Self.stimulus(count: 300)
        try Self.testbench(steps, top: design.top.name).write(to: dir.appendingPathComponent("ram_tb.v"), atomically: true, encoding: .utf8)
        let rtl = "\(design.top.name).v"

        let build = try ExternalTool.verilator.run(["--binary", "--timing", "-Wno-fatal", "--top-module", "ram_tb",
                                                    "-Mdir", "obj_dir", "-o", "ram_sim", rtl, "ram_tb.v"], in: dir)
        try #require(build.status == 0, "verilator build failed:\n\(build.output)")
        let verilated = try ExternalTool.run(program: dir.appendingPathComponent("obj_dir/ram_sim"), [], in: dir)
        let compile = try ExternalTool.iverilog.run(["-Wall", "-o", "ram_tb.vvp", rtl, "ram_tb.v"], in: dir)
        try #require(compile.status == 0, "iverilog failed:\n\(compile.output)")
        let icarus = try ExternalTool.vvp.run(["ram_tb.vvp"], in: dir)

        let expected = Self.expected(steps)
        for (label, output) in [("verilator", verilated.output), ("icarus", icarus.output)] {
            let values = output.split(separator: "\n").filter { $0.first?.isNumber == true || $0.first == "x" }
            try #require(values.count == steps.count, "\(label): \(values.count) lines of \(steps.count)")
            var checked = 0
            for (i, (line, want)) in zip(values, expected).enumerated() {
                guard let want else { continue }
                #expect(Int(line) == want, "\(label) step \(i): q = \(line), model \(want)")
                checked += 1
            }
            #expect(checked > 250, "\(label): only \(checked) steps checked")
        }
    }

    /// Yosys cell counts after `script` on a 1,024 × 16-bit (2 KiB) RAM.
    static func cellCounts(_ script: String) throws -> String {
        let dir = try temporaryDirectory("memory-synth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try elaborate(Self.ram(depth: 1024, width: 16))
        try VerilogBackend().write(design, to: dir)
        let result = try ExternalTool.yosys.run(["-q", "-p", "read_verilog \(design.top.name).v; \(script) -top \(design.top.name); tee -o stat.txt stat"], in: dir)
        try #require(result.status == 0, "yosys failed:\n\(result.output)")
        return try String(contentsOf: dir.appendingPathComponent("stat.txt"), encoding: .utf8)
    }

    static func count(of cell: String, in stat: String) -> Int {
        stat.split(separator: "\n").compactMap { line -> Int? in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[0] == cell ? Int(parts[1]) : nil
        }.reduce(0, +)
    }

    @Test func xilinxSynthesisMapsTheRamToBlockRam() throws {
        let stat = try Self.cellCounts("synth_xilinx")
        #expect(Self.count(of: "RAMB18E1", in: stat) + Self.count(of: "RAMB36E1", in: stat) > 0, "\(stat)")
    }

    @Test func ice40SynthesisMapsTheRamToBlockRam() throws {
        let stat = try Self.cellCounts("synth_ice40")
        #expect(Self.count(of: "SB_RAM40_4K", in: stat) > 0, "\(stat)")
    }
}
