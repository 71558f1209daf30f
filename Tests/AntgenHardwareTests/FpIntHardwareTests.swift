import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The FP-on-INT generators: parameters, widths, deterministic lint-clean Verilog.
@Suite struct FpIntHardwareTests {
    @Test func parameterProblemsAreOneLine() {
        #expect(FpIntArrayParameters(lanes: 0).problem() == "N = 0 lanes is out of range (1…64)")
        #expect(FpIntArrayParameters(shiftCapacity: 25).problem() == "S = 25 is out of range (1…24)")
        #expect(FpIntArrayParameters(formats: []).problem() == "--fpint-formats needs at least one format")
        #expect(FpIntArrayParameters(rows: 2, cols: 2, lanes: 4, shiftCapacity: 8).problem() == nil)
    }

    @Test func widthsFollowTheSpec() {
        // numeric-formats §9.2: term 9 + S (+1 for the signed integer nibbles), tree + ⌈log2 N⌉,
        // A = 2p + 2S + ⌈log2 N⌉ (+2 spare) with p padded to 12 for FP16.
        let p = FpIntArrayParameters(lanes: 16, shiftCapacity: 8, formats: [.fp16, .int8])
        #expect(p.termWidth == 18)
        #expect(p.treeWidth == 22)
        #expect(p.accumulatorWidth == 24 + 16 + 4 + 2)
        #expect(p.codeWidth == 16)
        #expect(FpIntPrecision.fp16.passesPerWindow == 9)
        #expect(FpIntPrecision.int8.passesPerWindow == 4)
        #expect(FpIntPrecision.bf16.passesPerWindow == 4)
        #expect(FpIntPrecision.fp8e5m2.passesPerWindow == 1)
        #expect(FpIntPrecision.int4.passesPerWindow == 1)
    }

    @Test func processingElementIsTheCostEntryPoint() throws {
        let design = try elaborate(FpIntProcessingElement(parameters: FpIntArrayParameters(lanes: 2, shiftCapacity: 4)))
        let names = design.top.ports.map(\.name)
        #expect(design.top.name.hasPrefix("FpIntProcessingElement"))
        #expect(names.contains("need_second") && names.contains("result") && names.contains("drain_in"))
        #expect(design.modules.map(\.name).contains { $0.hasPrefix("Fp32Adder") })
        #expect(design.modules.map(\.name).contains { $0.hasPrefix("Fp32Rounder") })
    }

    @Test(arguments: [(2, 2, 2, 4), (1, 3, 3, 8)])
    func arrayVerilogIsDeterministicAndLintClean(rows: Int, cols: Int, lanes: Int, s: Int) throws {
        let p = FpIntArrayParameters(rows: rows, cols: cols, lanes: lanes, shiftCapacity: s)
        let first = VerilogBackend().designFiles(for: try elaborate(FpIntArray(p)))
        let second = VerilogBackend().designFiles(for: try elaborate(FpIntArray(p)))
        #expect(first.map(\.contents) == second.map(\.contents))
        let dir = try temporaryDirectory("fpint-lint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try emit(FpIntArray(p), to: dir)
        let files = try String(contentsOf: dir.appendingPathComponent("\(design.top.name).f"), encoding: .utf8).split(separator: "\n").map(String.init)
        let verilator = try ExternalTool.verilator.run(["--lint-only", "-Wall", "--top-module", design.top.name] + files, in: dir)
        #expect(verilator.status == 0, "\(verilator.output.suffix(1500))")
        let iverilog = try ExternalTool.iverilog.run(["-g2005", "-Wall", "-o", "/dev/null", "-s", design.top.name] + files, in: dir)
        #expect(iverilog.status == 0 && !iverilog.output.contains("warning"), "\(iverilog.output.suffix(1500))")
    }
}
