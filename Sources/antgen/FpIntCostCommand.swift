import AntgenNumerics
import AntgenPerf
import AntgenSupport
import AntgenSynth
import ArgumentParser
import Foundation

/// `antgen fpint-cost`: issue 27 part 4 (docs/fp-on-int.md, "Cost"): the FP-on-INT unit against
/// the typical mixed-precision baseline lane, TOPS/mm² and TOPS/W proxies for INT4, INT8, FP16
/// and BF16 from Yosys cells and the energy table, next to the paper's +46 % / +63 %.
struct FpIntCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fpint-cost",
        abstract: "Price the FP-on-INT unit against a typical mixed-precision baseline: TOPS/mm² and TOPS/W for INT4, INT8, FP16, BF16.",
        discussion: "Synthesizes the baseline lane (Yosys generic flow) and, when this build carries the fpint array, its unit; writes the table as markdown (stdout or --markdown) and JSON (--json).")

    @Option(help: "Lanes N of both designs (products per adder tree in fpint; baseline lanes).") var lanes: Int = 16
    @Option(help: "fpint's local shift capacity S.") var shift: Int = 8
    @Option(name: .customLong("acc-width"), help: "The baseline's integer accumulator width W.") var accumulatorWidth: Int = 32
    @Option(name: .customLong("clock-ghz"), help: "The clock of both designs (GHz), for the absolute TOPS/mm².") var clock: Double = 1.0
    @Option(help: "Fraction of FP groups that need fpint's second window (docs/fp-on-int.md: 0.37–0.45 at S = 8 on MiniLM).")
    var secondWindowRate: Double = 0.0
    @Option(help: "Write the markdown here instead of stdout.") var markdown: String?
    @Option(help: "Also write the comparison as JSON here.") var json: String?

    func validate() throws {
        guard FpIntUnit.laneRange.contains(lanes) else { throw CLIError("--lanes \(lanes) is out of range (1…256)") }
        guard FpIntUnit.shiftRange.contains(shift) else { throw CLIError("--shift \(shift) is out of range (1…48)") }
        guard (8 ... 64).contains(accumulatorWidth) else { throw CLIError("--acc-width \(accumulatorWidth) is out of range (8…64)") }
        guard clock > 0, clock.isFinite else { throw CLIError("--clock-ghz must be positive") }
        guard (0 ... 1).contains(secondWindowRate) else { throw CLIError("--second-window-rate must be between 0 and 1") }
    }

    func run() throws {
        try reportingErrors {
            if let json { try checkWritable(json, what: "--json") }
            if let markdown { try checkWritable(markdown, what: "--markdown") }
            let table = EnergyTable.standard
            let synthesizer = Synthesizer()
            let (lane, _) = try BaselineLaneMeasurement.measure(intAccumulatorWidth: accumulatorWidth, synthesizer: synthesizer, table: table)
            let assumptions = CostAssumptions(lanes: lanes, clockGigahertz: clock, nand2SquareMicrons: 0.798,
                                              activityFactor: table.activityFactor, opsPerMac: 2, secondWindowRate: secondWindowRate)
            let fpint = try FpIntCostSource.measure(lanes: lanes, shift: shift, secondWindowRate: secondWindowRate,
                                                    synthesizer: synthesizer, table: table)
            let comparison = try FpIntCostComparison(assumptions: assumptions, baselineLane: lane, fpint: fpint)
            var text = comparison.markdown()
            if fpint == nil { text += "\n" + FpIntCostSource.missingNote + "\n" }
            if let markdown { try writeAtomically(text, to: URL(fileURLWithPath: markdown)) } else { print(text, terminator: "") }
            if let json { try writeAtomically(try comparison.jsonText(), to: URL(fileURLWithPath: json)) }
        }
    }
}

/// Where the fpint side of the comparison comes from.
enum FpIntCostSource {
    /// Why there is no fpint side in this build.
    static let missingNote = "fpint: this build has no fpint unit to synthesize (issue 27 part 3 is not merged), so only the baseline is priced and no ratio is given."

    /// The fpint unit's synthesized block and pass schedule, or nil when this build has none.
    static func measure(lanes: Int, shift: Int, secondWindowRate: Double, synthesizer: Synthesizer, table: EnergyTable) throws -> FpIntCostSide? {
        nil
    }
}
