import AntgenHardware
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
        discussion: "Synthesizes the baseline lane and a 1 x 1 fpint array (Yosys generic flow, about a minute at N = 16); writes the table as markdown (stdout or --markdown) and JSON (--json).")

    @Option(help: "Lanes N of both designs (products per adder tree in fpint; baseline lanes).") var lanes: Int = 16
    @Option(help: "fpint's local shift capacity S.") var shift: Int = 8
    @Option(name: .customLong("acc-width"), help: "The baseline's integer accumulator width W.") var accumulatorWidth: Int = 32
    @Option(name: .customLong("clock-ghz"), help: "The clock of both designs (GHz), for the absolute TOPS/mm².") var clock: Double = 1.0
    @Option(help: "Fraction of FP groups that need fpint's second window (docs/fp-on-int.md: 0.37–0.45 at S = 8 on MiniLM).")
    var secondWindowRate: Double = 0.0
    @Option(help: "Write the markdown here instead of stdout.") var markdown: String?
    @Option(help: "Also write the comparison as JSON here.") var json: String?

    func validate() throws {
        guard FpIntArrayParameters.laneRange.contains(lanes) else { throw CLIError("--lanes \(lanes) is out of range (1…64)") }
        guard FpIntArrayParameters.shiftRange.contains(shift) else { throw CLIError("--shift \(shift) is out of range (1…24)") }
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
            if let markdown { try writeAtomically(text, to: URL(fileURLWithPath: markdown)) } else { print(text, terminator: "") }
            if let json { try writeAtomically(try comparison.jsonText(), to: URL(fileURLWithPath: json)) }
        }
    }
}

/// Where the fpint side of the comparison comes from: one synthesis of a 1 × 1 FP-on-INT
/// array (``FpIntArray``) carrying the baseline's precisions (INT4, INT8, BF16, FP16).
enum FpIntCostSource {
    /// The two fpint sides: `fpint`, the 1 × 1 array (the PE with its N lanes' operand decoders,
    /// the pass sequencer and the stream control, as the baseline lane has its own decode and
    /// mode logic), and `fpint-pe`, the PE alone (decoders shared by a row or column of PEs in a
    /// larger array, so this is fpint's area per PE in the limit).
    static func measure(lanes: Int, shift: Int, secondWindowRate: Double, synthesizer: Synthesizer,
                        table: EnergyTable) throws -> [FpIntCostSide] {
        let parameters = FpIntArrayParameters(rows: 1, cols: 1, lanes: lanes, shiftCapacity: shift, formats: [.int4, .int8, .bf16, .fp16])
        if let problem = parameters.problem() { throw CLIError("fpint: \(problem)") }
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try synthesizer.synthesize(try elaborateForSynthesis(FpIntArray(parameters)),
                                                parameters: ["lanes": "\(lanes)", "shift": "\(shift)"], options: options)
        guard let pe = report.modules(generator: "FpIntProcessingElement").first else {
            throw CLIError("fpint: the synthesis report of \(report.top) has no FpIntProcessingElement")
        }
        let passes = FpIntCostSide.nominalPasses(secondWindowRate: secondWindowRate)
        let array = try CostedBlock(label: "1x1 array: PE, N lanes' decoders, pass sequencer, stream control (N = \(lanes), S = \(shift))",
                                    cost: report.design, table: table)
        let alone = try CostedBlock(label: "the PE alone (N = \(lanes), S = \(shift))", cost: pe.total, table: table)
        return [FpIntCostSide(design: "fpint", block: array, lanes: lanes, passes: passes),
                FpIntCostSide(design: "fpint-pe", block: alone, lanes: lanes, passes: passes)]
    }
}
