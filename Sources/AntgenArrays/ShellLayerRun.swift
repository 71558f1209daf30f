import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenSupport
import Foundation

/// `antgen run --shell axi`: after the bare array's run, the same layer's tiles (the same
/// quantized operands) through the AXI shell around the same array, on the same simulator,
/// every result transfer checked against the golden model, and the cycles the shell took
/// (its CYCLES register) set against the bare array's.
public struct ShellLayerRun {
    /// The variant inside the shell.
    public let variant: any ArrayVariant
    /// The shell's packet format.
    public let format: AxiShellFormat
    /// The simulator and its tools.
    public let simulator: SimulatorKind, tools: SimulatorTools

    /// The shell's block-RAM result buffer in KiB, or nil for the flip-flop FIFO.
    public let bufferKiB: Int?

    /// The chance, in quarters (0…3), of a TVALID gap on the operand stream and of TREADY low
    /// on the result stream in a cycle (`--shell-gaps`, `--shell-stalls`), and the seed of both.
    /// At 0 and 0 the cycles are the shell's own.
    public var gap = 0, stall = 0, seed = 1

    /// The shell with the array inside, elaborated once (by the checks of ``init``).
    let design: Design

    /// A run for `variant` with `dataWidth`-bit TDATA (and a `bufferKiB` result buffer).
    /// - Throws: ``VariantError`` when the shell does not wrap the variant, or the width or
    ///   buffer size does not work (checked before any run).
    public init(variant: any ArrayVariant, dataWidth: Int, bufferKiB: Int? = nil, simulator: SimulatorKind, tools: SimulatorTools) throws {
        self.design = try variant.axiShell(dataWidth: dataWidth, bufferKiB: bufferKiB)
        self.variant = variant
        self.format = try variant.axiShellFormat(dataWidth: dataWidth)
        self.bufferKiB = bufferKiB
        self.simulator = simulator
        self.tools = tools
    }

    /// Streams `tiles` through the shell, with ``gap`` and ``stall`` (by default none: the
    /// cycles are the shell's own), and returns the report lines and the `--json` fields.
    /// - Throws: ``LayerRunError`` when a result differs or the shell hangs, or the simulator's error.
    public func run(_ tiles: [AxiShellTile], bareCycles: Int) throws -> ShellRunSummary {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("antgen-shell-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        InterruptCleanup.track(work)
        defer { try? fm.removeItem(at: work); InterruptCleanup.untrack(work) }
        FileHandle.standardError.write(Data("run: the \(tiles.count) tiles through the AXI shell (\(format.dataWidth)-bit TDATA, \(simulator))\n".utf8))
        let bench = AxiShellBench(format: format, tools: tools)
        let input = bench.inputLines(tiles), output = bench.outputLines(tiles)
        let outcome = try bench.run(design, input: input, output: output, simulator: simulator, in: work, gap: gap, stall: stall, seed: seed)
        guard outcome.passed, let shellCycles = outcome.busyCycles else {
            let first = outcome.output.split(separator: "\n").first { $0.hasPrefix("FAIL") } ?? "no PASS line"
            throw LayerRunError("the AXI shell run failed: \(first); reproduce: antgen emit \((variant.selectorArguments + ["--shell", "axi", "--axis-width", "\(format.dataWidth)"]).joined(separator: " "))")
        }
        let extra = shellCycles - bareCycles
        let share = bareCycles > 0 ? String(format: "%+.1f %%", 100 * Double(extra) / Double(bareCycles)) : "n/a"
        let summary = ShellRunSummary(top: design.top.name, dataWidth: format.dataWidth, bufferKiB: bufferKiB,
                                      operandTransfers: input.count, resultTransfers: outcome.resultTransfers, bitExact: true,
                                      cycles: shellCycles, stalls: outcome.stallCycles, bareCycles: bareCycles)
        summary.lines = [
            "shell:        AXI4-Stream \(format.dataWidth)-bit, \(design.top.name)",
            "  transfers:  \(input.count) operand in (\(format.headerTransfers) per header, \(format.beatTransfers) per beat), \(output.count) result out (\(format.rowTransfers) per row)",
            "  bit-exact:  \(outcome.resultTransfers) of \(outcome.resultTransfers) result transfers equal the Swift reference",
            "  traffic:    " + (gap == 0 && stall == 0 ? "no TVALID gaps, TREADY always high"
                                 : "TVALID gaps \(gap)/4 and TREADY low \(stall)/4 of cycles (seed \(seed)); \(outcome.stallCycles.map(String.init) ?? "?") stall cycles counted"),
            "  cycles:     \(shellCycles) through the shell (CSR CYCLES: busy from the first header to the last result) vs \(bareCycles) for the bare array: \(extra >= 0 ? "+" : "")\(extra) (\(share))",
        ]
        return summary
    }
}

/// The shell run of `antgen run --shell axi`: its report lines, and the fields `--json`
/// carries under `"shell"`.
public final class ShellRunSummary: Encodable {
    /// The shell's top module.
    public let top: String
    /// TDATA bits, and the result buffer in KiB (nil: the flip-flop FIFO).
    public let dataWidth: Int, bufferKiB: Int?
    /// Transfers in and out.
    public let operandTransfers: Int, resultTransfers: Int
    /// Every result transfer equal to the Swift reference (a run that is not throws instead).
    public let bitExact: Bool
    /// The CSR CYCLES register (busy from the first header to the last result) and STALLS.
    public let cycles: Int, stalls: Int?
    /// The bare array's cycles for the same tiles.
    public let bareCycles: Int
    /// The text report lines (not encoded).
    public internal(set) var lines: [String] = []

    init(top: String, dataWidth: Int, bufferKiB: Int?, operandTransfers: Int, resultTransfers: Int, bitExact: Bool,
         cycles: Int, stalls: Int?, bareCycles: Int) {
        self.top = top; self.dataWidth = dataWidth; self.bufferKiB = bufferKiB
        self.operandTransfers = operandTransfers; self.resultTransfers = resultTransfers; self.bitExact = bitExact
        self.cycles = cycles; self.stalls = stalls; self.bareCycles = bareCycles
    }

    private enum CodingKeys: String, CodingKey {
        case top, dataWidth, bufferKiB, operandTransfers, resultTransfers, bitExact, cycles, stalls, bareCycles
    }

    /// `report` (a JSON object) with these fields added as `"shell"`.
    public func merged(into report: String) throws -> String {
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self))
        guard var object = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any] else {
            throw LayerRunError("the run report is not a JSON object")
        }
        object["shell"] = encoded
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
