import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// One tile for the AXI shell: its header, its operand beats (``AxiShellFormat/beatBits``
/// bits each, least significant first) and the results the golden model gives
/// (`results[r][j]` = C[r, j] modulo 2^W).
public struct AxiShellTile: Sendable, Equatable {
    /// The 64-bit header word.
    public var header: UInt64
    /// The operand beats.
    public var beats: [[Bool]]
    /// C, rows × cols.
    public var results: [[UInt64]]

    /// Creates a tile.
    public init(header: UInt64, beats: [[Bool]], results: [[UInt64]]) {
        self.header = header
        self.beats = beats
        self.results = results
    }
}

/// What one run of the AXI shell testbench reported.
public struct AxiShellBenchOutcome: Sendable {
    /// No FAIL line and the PASS line with every expected result transfer.
    public let passed: Bool
    /// The simulator's output.
    public let output: String
    /// Result transfers expected.
    public let resultTransfers: Int
    /// Testbench cycles from reset to the last result (the shell's whole run).
    public let cycles: Int?
    /// The shell's CYCLES register (busy cycles since START) and STALLS register.
    public let busyCycles: Int?, stallCycles: Int?
}

/// Runs tiles through an elaborated ``AxiShell`` design on `Testbenches/axi/axi_shell_tb.v`
/// (Icarus or Verilator), with random TVALID gaps on `s_axis` and TREADY back-pressure on
/// `m_axis`, the AXI rules asserted and every result transfer compared with the tiles'
/// golden results.
public struct AxiShellBench: Sendable {
    /// The shell's packet format.
    public let format: AxiShellFormat
    /// The simulators' programs.
    public var tools: SimulatorTools = .standard

    /// A bench for shells of `format`.
    public init(format: AxiShellFormat, tools: SimulatorTools = .standard) {
        self.format = format
        self.tools = tools
    }

    /// The operand transfers of `tiles` (`{TLAST, TDATA}` hex lines), `extra` lines
    /// (malformed packets) spliced in before tile `at`.
    public func inputLines(_ tiles: [AxiShellTile], extra: [String] = [], at: Int = 0) -> [String] {
        var lines: [String] = []
        for (t, tile) in tiles.enumerated() {
            if t == at { lines += extra }
            let items = [Self.bits(tile.header, count: AxiShellFormat.headerBits)] + tile.beats
            let counts = [format.headerTransfers] + Array(repeating: format.beatTransfers, count: tile.beats.count)
            lines += transfers(items, counts: counts)
        }
        return lines
    }

    /// Two packets the shell must drop with ERROR: a bad magic nibble followed by three more
    /// transfers, and a header with rows − 1 wrong followed by one beat.
    public var malformedPackets: [String] {
        let f = format
        let badMagic = transfers([Self.bits(0x5 | 0x1_0000_0000, count: 64), Array(repeating: true, count: 3 * f.dataWidth)],
                                 counts: [f.headerTransfers, 3])
        let good = f.header(k: 1, activation: (.int, false, false), weight: (.int, false, false))
        let wrongRows = transfers([Self.bits(good ^ (1 << 16), count: 64), Array(repeating: false, count: f.beatBits)],
                                  counts: [f.headerTransfers, f.beatTransfers])
        return badMagic + wrongRows
    }

    /// The expected result transfers of `tiles`: rows R − 1 … 0, TLAST on each tile's last.
    public func outputLines(_ tiles: [AxiShellTile]) -> [String] {
        tiles.flatMap { tile in
            let rows = (0..<format.rows).reversed().map { r in tile.results[r].flatMap { Self.bits($0, count: format.resultWidth) } }
            return transfers(rows, counts: Array(repeating: format.rowTransfers, count: format.rows))
        }
    }

    /// Runs `design` (written to `directory`) on `simulator` with the given transfers.
    /// `gap`, `stall`: 0…3, the chance in quarters of a TVALID gap and a TREADY low cycle.
    /// - Throws: when the testbench does not compile or the simulator cannot run.
    public func run(_ design: Design, input: [String], output: [String], simulator: SimulatorKind, in directory: URL,
                    gap: Int, stall: Int, seed: Int, expectError: Bool = false, abortTransfers: Int? = nil) throws -> AxiShellBenchOutcome {
        try VerilogBackend().write(design, to: directory)
        try (input.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("in.hex"), atomically: true, encoding: .utf8)
        try (output.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("out.hex"), atomically: true, encoding: .utf8)
        let bench = try TestbenchSources.locate().root.appendingPathComponent("axi/axi_shell_tb.v")
        let files = try String(contentsOf: directory.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let limit = 40 * (input.count + output.count) + 20_000
        let defines = ["TOP=\(design.top.name)", "DW=\(format.dataWidth)", "N_IN=\(input.count)", "N_OUT=\(output.count)",
                       "TILE_XFERS=\(format.rows * format.rowTransfers)", "SEED=\(seed)", "GAP=\(gap)", "STALL=\(stall)",
                       "EXPECT_ERROR=\(expectError ? 1 : 0)", "LIMIT=\(limit)"].map { "-D\($0)" }
            + (abortTransfers.map { ["-DABORT_XFERS=\($0)"] } ?? [])
        try tools.require(simulator)
        let text: String
        switch simulator {
        case .icarus:
            let compile = try tools.iverilog.run(["-g2005", "-Wall", "-o", "tb.vvp"] + defines + [bench.path] + files, in: directory)
            guard compile.status == 0 else { throw HarnessError("the AXI shell testbench does not compile on Icarus: \(compile.output.prefix(400))") }
            text = try tools.vvp.run(["-n", "tb.vvp"], in: directory).output
        case .verilator:
            let build = try tools.verilator.run(["--binary", "--timing", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", "axi_shell_tb",
                                                 "-o", "tb"] + VerilatorBuilder.modelArguments + defines + [bench.path] + files, in: directory)
            guard build.status == 0 else { throw HarnessError("the AXI shell testbench does not build on Verilator: \(build.output.prefix(400))") }
            text = try ExternalTool.run(program: directory.appendingPathComponent("obj_dir/tb"), [], in: directory).output
        }
        return Self.outcome(text, resultTransfers: output.count)
    }

    static func outcome(_ text: String, resultTransfers: Int) -> AxiShellBenchOutcome {
        let lines = text.split(separator: "\n")
        let pass = lines.first { $0.hasPrefix("PASS \(resultTransfers) result transfers") }
        func number(after word: String) -> Int? {
            guard let pass, let range = pass.range(of: word) else { return nil }
            return Int(pass[range.upperBound...].prefix { $0.isNumber })
        }
        return AxiShellBenchOutcome(passed: pass != nil && !lines.contains { $0.hasPrefix("FAIL") }, output: text,
                                    resultTransfers: resultTransfers, cycles: number(after: "transfers in "),
                                    busyCycles: number(after: "CYCLES "), stallCycles: number(after: "STALLS "))
    }

    /// Items cut into `counts` transfers each (TLAST on the very last transfer).
    public func transfers(_ items: [[Bool]], counts: [Int]) -> [String] {
        var lines: [String] = []
        let d = format.dataWidth
        for (n, item) in items.enumerated() {
            for t in 0..<counts[n] {
                var word = (0..<d).map { t * d + $0 < item.count ? item[t * d + $0] : false }
                word.append(n == items.count - 1 && t == counts[n] - 1)
                lines.append(Self.hex(word))
            }
        }
        return lines
    }

    /// The low `count` bits of `value`, least significant first.
    public static func bits(_ value: UInt64, count: Int) -> [Bool] { (0..<count).map { $0 < 64 && (value >> UInt64($0)) & 1 == 1 } }

    /// Bits (least significant first) as hex digits, most significant first.
    static func hex(_ bits: [Bool]) -> String {
        stride(from: 0, to: bits.count, by: 4).reversed().map { base in
            let nibble = (0..<4).reduce(0) { $0 | (base + $1 < bits.count && bits[base + $1] ? 1 << $1 : 0) }
            return String(nibble, radix: 16)
        }.joined()
    }
}
