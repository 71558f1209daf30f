import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenVerilog
import Foundation
import Testing

/// The AXI shell around the SDP array (issue 28): lint-clean, and on Icarus and Verilator
/// through `Testbenches/axi/axi_shell_tb.v` with random TVALID gaps and TREADY
/// back-pressure, malformed packets in the stream, the AXI rules asserted and every result
/// compared with ``SdpGoldenGenerator`` (never the RTL).
@Suite struct SdpAxiShellTests {
    /// 2×2, G = 2, T = 3 on 32 bits (a 64-bit beat: two transfers per beat, one per row);
    /// 4×4, G = 4, T = 5 on 64 bits (four transfers per beat, two per row at W = 24).
    static let builds: [(rows: Int, cols: Int, group: Int, terms: Int, acc: Int, width: Int)] =
        [(2, 2, 2, 3, 20, 32), (4, 4, 4, 5, 24, 64)]

    static func parameters(_ b: Int) throws -> SdpArrayParameters {
        let c = builds[b]
        return try SdpArrayParameters(rows: c.rows, cols: c.cols, group: c.group, terms: c.terms, weightTypes: [.int, .flint, .pot],
                                      weightInt8: true, accumulatorWidth: c.acc)
    }

    static func shell(_ b: Int, bufferKiB: Int? = nil) throws -> SdpAxiShell {
        SdpAxiShell(try parameters(b), dataWidth: builds[b].width, bufferKiB: bufferKiB)
    }

    @Test func passesTheThreeLintGates() throws {
        let directory = try temporaryDirectory("sdp-shell-lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try elaborate(try Self.shell(0))
        try VerilogBackend().write(design, to: directory)
        for finding in try VerilogLinter().lint(directory: directory, top: design.top.name) {
            #expect(finding.clean, "\(finding)")
        }
        #expect(design.top.name.hasPrefix("SdpAxiShell_"))
    }

    @Test(arguments: [(0, 0, 0, 1), (0, 2, 2, 2), (1, 1, 3, 3)])
    func bitExactUnderStallsOnIcarus(build: Int, gap: Int, stall: Int, seed: Int) throws {
        let outcome = try simulate(build, gap: gap, stall: stall, seed: seed, simulator: .icarus)
        #expect(outcome.passed, "\(outcome.output)")
    }

    @Test func bitExactUnderStallsOnVerilator() throws {
        let outcome = try simulate(0, gap: 2, stall: 2, seed: 7, simulator: .verilator)
        #expect(outcome.passed, "\(outcome.output)")
    }

    /// SOFT_RESET with a group half-way in the array: only the whole stream's results come out.
    @Test func softResetAbandonsAHalfSentTile() throws {
        let outcome = try simulate(0, gap: 1, stall: 1, seed: 11, simulator: .icarus, abort: true)
        #expect(outcome.passed, "\(outcome.output)")
    }

    /// Each named defect of the shell makes the testbench fail on the SDP shell too.
    @Test(arguments: AxiShellMutant.allCases) func catchesMutant(_ mutant: AxiShellMutant) throws {
        let outcome = try simulate(0, gap: 1, stall: 2, seed: 5, simulator: .icarus, mutant: mutant)
        let lines = outcome.output.split(separator: "\n")
        #expect(!outcome.passed && lines.contains { $0.hasPrefix("FAIL") }, "\(mutant) not caught: \(outcome.output)")
    }

    /// `--buffer-kib 1`: results through the block-RAM buffer, on both simulators.
    @Test(arguments: [(0, 2, 2, 2, SimulatorKind.icarus), (1, 1, 3, 3, .icarus), (1, 2, 2, 7, .verilator)])
    func bufferedShellBitExactUnderStalls(build: Int, gap: Int, stall: Int, seed: Int, simulator: SimulatorKind) throws {
        let outcome = try simulate(build, gap: gap, stall: stall, seed: seed, simulator: simulator, bufferKiB: 1)
        #expect(outcome.passed, "\(outcome.output)")
    }

    func simulate(_ b: Int, gap: Int, stall: Int, seed: Int, simulator: SimulatorKind, mutant: AxiShellMutant? = nil,
                  abort: Bool = false, bufferKiB: Int? = nil) throws -> AxiShellBenchOutcome {
        let shell = try Self.shell(b, bufferKiB: bufferKiB)
        let p = shell.core.array
        let directory = try temporaryDirectory("sdp-shell-sim")
        defer { try? FileManager.default.removeItem(at: directory) }
        var design = try elaborate(shell)
        if let mutant { design = try design.applying([try mutant.mutation(in: design)], tag: mutant.rawValue) }
        let generator = SdpGoldenGenerator(rows: p.rows, cols: p.cols, group: p.group, terms: p.terms, accumulatorWidth: p.accumulatorWidth,
                                           weightTypes: p.weight.types, weightInt8: p.weight.int8)
        let cases = try generator.cases(count: 6, seed: UInt64(seed), maxBeats: 4, fixedBeats: abort ? 3 : nil)
        let tiles = cases.map { AxiShellTile(sdp: $0, format: shell.format, group: p.group, codeWidth: p.weight.codeInputWidth) }
        let bench = AxiShellBench(format: shell.format)
        let f = shell.format
        // Dropped with ERROR: a bad magic nibble with three more transfers, and a header
        // whose activations are not int8 (SDP refuses it) with one beat.
        let badMagic = bench.transfers([AxiShellBench.bits(0x5 | 0x1_0000_0000, count: 64), Array(repeating: true, count: 3 * f.dataWidth)],
                                       counts: [f.headerTransfers, 3])
        let notInt8 = f.header(k: 1, activation: (.int, false, false), weight: (.int, false, false))
        let refused = bench.transfers([AxiShellBench.bits(notInt8, count: 64), Array(repeating: false, count: f.beatBits)],
                                      counts: [f.headerTransfers, f.beatTransfers])
        // The abandoned run: tile 0's header and two of its three group beats, then half a beat.
        let abortTransfers = f.headerTransfers + 2 * f.beatTransfers + 1
        return try bench.run(design, input: bench.inputLines(tiles, extra: badMagic + refused, at: 3), output: bench.outputLines(tiles),
                             simulator: simulator, in: directory, gap: gap, stall: stall, seed: seed, expectError: true,
                             abortTransfers: abort ? abortTransfers : nil)
    }
}
