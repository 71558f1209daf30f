import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The AXI shell around the ANT array: lint-clean, and on Icarus and Verilator through
/// `Testbenches/axi/axi_shell_tb.v` with random TVALID gaps and TREADY back-pressure, a
/// malformed packet in the stream, the AXI4-Stream rules asserted and every result
/// compared with ``SpecModel``.
@Suite struct AxiShellTests {
    /// Builds and stream widths: 2×2 int8 W=16 on 32 bits (one transfer per
    /// beat and per row, a two-transfer header) and 3×2 int8 W=20 on 32 bits (two transfers
    /// per beat and per row), 4×4 int8 W=24 on 64 bits (one per beat, two per row).
    static let builds: [(rows: Int, cols: Int, acc: Int, width: Int)] = [(2, 2, 16, 32), (3, 2, 20, 32), (4, 4, 24, 64)]

    static func shell(_ b: (rows: Int, cols: Int, acc: Int, width: Int), bufferKiB: Int? = nil) throws -> AntAxiShell {
        AntAxiShell(try arrayParameters(b.rows, b.cols, accumulatorWidth: b.acc, int8: true), dataWidth: b.width, bufferKiB: bufferKiB)
    }

    @Test(arguments: [0, 2]) func passesTheThreeLintGates(build: Int) throws {
        let directory = try temporaryDirectory("shell-lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(try Self.shell(Self.builds[build]), to: directory)
        for finding in try VerilogLinter().lint(directory: directory, top: design.top.name) {
            #expect(finding.clean, "\(finding)")
        }
        let ports = design.top.ports.map(\.name)
        for name in ["s_axis_tvalid", "s_axis_tready", "s_axis_tlast", "m_axis_tdata", "m_axis_tlast", "s_axi_awaddr", "irq"] {
            #expect(ports.contains(name), "\(name) in \(ports)")
        }
    }

    @Test(arguments: [(0, 0, 0, 1), (1, 2, 2, 2), (2, 1, 3, 3), (1, 3, 0, 7)])
    func bitExactUnderStallsOnIcarus(build: Int, gap: Int, stall: Int, seed: Int) throws {
        try run(Self.builds[build], gap: gap, stall: stall, seed: seed, simulator: .icarus)
    }

    /// SOFT_RESET with a tile half-way in the array and a beat half received, then the whole
    /// stream again: only the whole stream's results come out.
    @Test(arguments: [1, 2]) func softResetAbandonsAHalfSentTile(build: Int) throws {
        try run(Self.builds[build], gap: 1, stall: 1, seed: 11, simulator: .icarus, abort: true)
    }

    @Test func bitExactUnderStallsOnVerilator() throws {
        try run(Self.builds[1], gap: 2, stall: 2, seed: 7, simulator: .verilator)
    }

    /// Each named defect makes the testbench report a failure (and never a PASS line).
    @Test(arguments: AxiShellMutant.allCases) func catchesMutant(_ mutant: AxiShellMutant) throws {
        let (output, _) = try simulate(Self.builds[1], gap: 1, stall: 2, seed: 5, simulator: .icarus, mutant: mutant)
        let lines = output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("FAIL") }, "\(mutant) not caught: \(output)")
        #expect(!lines.contains { $0.hasPrefix("PASS") }, "\(output)")
    }

    /// `--buffer-kib 1`: results queue in a block-RAM buffer (64 to 128 rows here), the same
    /// streams and checks as the flip-flop FIFO.
    @Test(arguments: [(0, 0, 0, 1), (1, 2, 2, 2), (2, 1, 3, 3), (1, 3, 0, 7)])
    func bufferedShellBitExactUnderStallsOnIcarus(build: Int, gap: Int, stall: Int, seed: Int) throws {
        try run(Self.builds[build], gap: gap, stall: stall, seed: seed, simulator: .icarus, bufferKiB: 1)
    }

    @Test func bufferedShellBitExactUnderStallsOnVerilator() throws {
        try run(Self.builds[2], gap: 2, stall: 3, seed: 9, simulator: .verilator, bufferKiB: 1)
    }

    @Test func bufferedShellSoftResetAbandonsAHalfSentTile() throws {
        try run(Self.builds[1], gap: 1, stall: 1, seed: 11, simulator: .icarus, abort: true, bufferKiB: 1)
    }

    /// The named defects find their sites in the buffered transmitter too, and are caught.
    @Test(arguments: AxiShellMutant.allCases) func bufferedShellCatchesMutant(_ mutant: AxiShellMutant) throws {
        let (output, _) = try simulate(Self.builds[1], gap: 1, stall: 2, seed: 5, simulator: .icarus, mutant: mutant, bufferKiB: 1)
        let lines = output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("FAIL") }, "\(mutant) not caught: \(output)")
        #expect(!lines.contains { $0.hasPrefix("PASS") }, "\(output)")
    }

    @Test func bufferedShellPassesTheThreeLintGates() throws {
        let directory = try temporaryDirectory("shell-buffer-lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(try Self.shell(Self.builds[2], bufferKiB: 1), to: directory)
        for finding in try VerilogLinter().lint(directory: directory, top: design.top.name) {
            #expect(finding.clean, "\(finding)")
        }
        #expect(design.top.memories.first?.depth == 64)  // 8192 bits / 97-bit rows = 84, rounded down to a power of two
        #expect(design.top.name.hasSuffix("_bufkib1"))
    }

    @Test func tooSmallBufferIsOneLine() throws {
        let format = try Self.shell(Self.builds[2]).format
        #expect(format.bufferProblem(kib: 1) == nil)
        #expect(format.bufferProblem(kib: 0) == "--buffer-kib 0: give a size from 1 to 65536 KiB")
        let big = try Self.shell((rows: 32, cols: 32, acc: 42, width: 64)).format
        #expect(big.bufferProblem(kib: 8) == "--buffer-kib 8 holds 32 result rows of 1345 bits; the 32x32 shell needs 64 (--buffer-kib 11 or more)")
        #expect(big.bufferProblem(kib: 16) == nil)
    }

    enum Simulator { case icarus, verilator }

    func run(_ b: (rows: Int, cols: Int, acc: Int, width: Int), gap: Int, stall: Int, seed: Int, simulator: Simulator,
             abort: Bool = false, bufferKiB: Int? = nil) throws {
        let (output, expected) = try simulate(b, gap: gap, stall: stall, seed: seed, simulator: simulator, mutant: nil, abort: abort,
                                              bufferKiB: bufferKiB)
        let lines = output.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FAIL") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("PASS \(expected) result transfers") }, "\(output)")
    }

    /// Runs the testbench on the shell (or its `mutant`); returns the simulator's output and
    /// the number of result transfers expected.
    func simulate(_ b: (rows: Int, cols: Int, acc: Int, width: Int), gap: Int, stall: Int, seed: Int, simulator: Simulator,
                  mutant: AxiShellMutant?, abort: Bool = false, bufferKiB: Int? = nil) throws -> (output: String, expected: Int) {
        let shell = try Self.shell(b, bufferKiB: bufferKiB)
        let directory = try temporaryDirectory("shell-sim")
        defer { try? FileManager.default.removeItem(at: directory) }
        var design = try elaborate(shell)
        if let mutant { design = try design.applying([try mutant.mutation(in: design)], tag: mutant.rawValue) }
        try VerilogBackend().write(design, to: directory)
        var rng = SeededGenerator(seed: UInt64(seed) &* 7919)
        let stream = AxiShellStimulus(format: shell.format, accumulatorWidth: b.acc, tiles: 6, firstK: abort ? 5 : nil, rng: &rng)
        try (stream.inputLines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("in.hex"), atomically: true, encoding: .utf8)
        try (stream.outputLines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("out.hex"), atomically: true, encoding: .utf8)
        let bench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/axi/axi_shell_tb.v")
        let files = try String(contentsOf: directory.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let defines = ["TOP=\(design.top.name)", "DW=\(b.width)", "N_IN=\(stream.inputLines.count)",
                       "N_OUT=\(stream.outputLines.count)", "TILE_XFERS=\(b.rows * shell.format.rowTransfers)",
                       "SEED=\(seed)", "GAP=\(gap)", "STALL=\(stall)", "EXPECT_ERROR=1", "LIMIT=20000"].map { "-D\($0)" }
            + (abort ? ["-DABORT_XFERS=\(stream.abortTransfers)"] : [])
        let output: String
        switch simulator {
        case .icarus:
            let compile = try ExternalTool.iverilog.run(["-g2005", "-Wall", "-o", "tb.vvp"] + defines + [bench.path] + files, in: directory)
            try #require(compile.status == 0, "\(compile.output)")
            output = try ExternalTool.vvp.run(["-n", "tb.vvp"], in: directory).output
        case .verilator:
            let build = try ExternalTool.verilator.run(["--binary", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", "axi_shell_tb",
                                                        "-o", "tb"] + defines + [bench.path] + files, in: directory)
            try #require(build.status == 0, "\(build.output)")
            output = try ExternalTool.run(program: directory.appendingPathComponent("obj_dir/tb"), [], in: directory).output
        }
        return (output, stream.outputLines.count)
    }
}

/// Random tiles as ``AxiShellFormat`` packets, with one malformed packet among them, and
/// the expected result transfers from ``SpecModel`` (`{TLAST, TDATA}` in hex per line).
struct AxiShellStimulus {
    var inputLines: [String] = []
    var outputLines: [String] = []

    /// Transfers that leave tile 0 (with `firstK` = 5) two beats into the array and, when a
    /// beat takes two or more transfers, a third beat half received.
    let abortTransfers: Int

    init(format f: AxiShellFormat, accumulatorWidth: Int, tiles: Int, firstK: Int? = nil, rng: inout SeededGenerator) {
        abortTransfers = f.headerTransfers + 2 * f.beatTransfers + (f.beatTransfers > 1 ? 1 : 0)
        for t in 0..<tiles {
            if t == tiles / 2 { appendMalformed(f) }
            let act = SpecModel.Config(type: AntType.allCases.randomElement(using: &rng)!, signed: Bool.random(using: &rng),
                                       int8: Int.random(in: 0..<3, using: &rng) == 0)
            let weight = SpecModel.Config(type: AntType.allCases.randomElement(using: &rng)!, signed: Bool.random(using: &rng),
                                          int8: Int.random(in: 0..<3, using: &rng) == 0)
            let k = t == 0 ? firstK ?? Int.random(in: 1...5, using: &rng) : Int.random(in: 1...5, using: &rng)
            let a = (0..<k).map { _ in (0..<f.rows).map { _ in Int.random(in: 0...255, using: &rng) } }
            let w = (0..<k).map { _ in (0..<f.cols).map { _ in Int.random(in: 0...255, using: &rng) } }
            let header = f.header(k: k, activation: (act.type, act.signed, act.int8), weight: (weight.type, weight.signed, weight.int8))
            var items = [Self.bits(of: Int(truncatingIfNeeded: header), count: 64)]
            for step in 0..<k {
                items.append(a[step].flatMap { Self.bits(of: $0, count: f.activationWidth) } + w[step].flatMap { Self.bits(of: $0, count: f.weightWidth) })
            }
            // Tile 1's TLAST comes two transfers late: the extra transfers are dropped (ERROR), its results stand.
            let trailing = t == 1 ? [Array(repeating: true, count: 2 * f.dataWidth)] : []
            append(items + trailing, width: f.dataWidth,
                   transfersPer: [f.headerTransfers] + Array(repeating: f.beatTransfers, count: k) + trailing.map { _ in 2 }, to: &inputLines)
            func native(_ codes: [[Int]], _ config: SpecModel.Config) -> [[Int]] { config.int8 ? codes : codes.map { $0.map { $0 & 15 } } }
            let c = SpecModel.tile(a: native(a, act), w: native(w, weight), bits: 4, act: act, weight: weight, accumulatorWidth: accumulatorWidth)
            let rows = (0..<f.rows).reversed().map { r in c[r].flatMap { Self.bits(of: $0, count: accumulatorWidth) } }
            append(rows, width: f.dataWidth, transfersPer: Array(repeating: f.rowTransfers, count: f.rows), to: &outputLines)
        }
    }

    /// Malformed packets, each dropped with ERROR set: a bad magic nibble with three more
    /// transfers, a header naming the wrong number of rows, and a header with TLAST (no beats).
    private mutating func appendMalformed(_ f: AxiShellFormat) {
        let badMagic = Self.bits(of: 0x5 | 0x1_0000_0000, count: 64)
        append([badMagic, Array(repeating: true, count: 3 * f.dataWidth)], width: f.dataWidth,
               transfersPer: [f.headerTransfers, 3], to: &inputLines)
        let good = f.header(k: 1, activation: (.int, false, false), weight: (.int, false, false))
        let wrongRows = Self.bits(of: Int(good ^ (1 << 16)), count: 64)
        append([wrongRows, Array(repeating: false, count: f.beatBits)], width: f.dataWidth,
               transfersPer: [f.headerTransfers, f.beatTransfers], to: &inputLines)
        append([Self.bits(of: Int(good), count: 64)], width: f.dataWidth, transfersPer: [f.headerTransfers], to: &inputLines)
    }

    /// Splits items into transfers (TLAST on the very last one) as `{TLAST, TDATA}` hex lines.
    private func append(_ items: [[Bool]], width: Int, transfersPer: [Int], to lines: inout [String]) {
        for (n, item) in items.enumerated() {
            for t in 0..<transfersPer[n] {
                var word = (0..<width).map { t * width + $0 < item.count ? item[t * width + $0] : false }
                word.append(n == items.count - 1 && t == transfersPer[n] - 1)
                lines.append(Self.hex(word))
            }
        }
    }

    static func bits(of value: Int, count: Int) -> [Bool] { (0..<count).map { (value >> $0) & 1 == 1 } }

    static func hex(_ bits: [Bool]) -> String {
        stride(from: 0, to: bits.count, by: 4).reversed().map { base in
            let nibble = (0..<4).reduce(0) { $0 | (base + $1 < bits.count && bits[base + $1] ? 1 << $1 : 0) }
            return String(nibble, radix: 16)
        }.joined()
    }
}
