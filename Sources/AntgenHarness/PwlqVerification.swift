import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// Named defects of the PWLQ array that verification must catch (docs/verification.md, PWLQ).
public enum PwlqMutant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The region bit is ignored: every product goes to the centre accumulator.
    case regionIgnored = "pwlq-region-ignored"
    /// The offset accumulator never adds (A3 stays 0).
    case offsetDropped = "pwlq-offset-dropped"
    /// ``PartialSumMutant/preloadIgnored``: needs a `--psum-preload` build.
    case preloadIgnored = "psum-preload-ignored"
    /// ``PartialSumMutant/codecRounding``: needs a `--psum-codec` build.
    case codecRounding = "psum-codec-rounding"

    public var description: String { rawValue }

    /// The shared partial-sum defect this names, if it is one.
    public var partialSum: PartialSumMutant? { PartialSumMutant(rawValue: rawValue) }

    /// The IR mutations in `design` (one per PE, or per partial-sum field).
    public func mutations(in design: Design) throws -> [Mutation] {
        if let partialSum { return try partialSum.mutations(in: design) }
        let tag = self == .regionIgnored ? PwlqProcessingElementSite.centreTerm : PwlqProcessingElementSite.offsetTerm
        // centre_term = mux(region, 0, term) and offset_term = mux(region, ±X, 0): forcing
        // the false arm ignores the region bit, or drops the offset sum.
        let sites = design.sites(tagged: tag)
        guard !sites.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name)") }
        return sites.map { Mutation(site: $0, operator: .forceSelect(false)) }
    }

    /// `design` with the defect injected.
    public func apply(to design: Design) throws -> Design {
        try design.applying(mutations(in: design), tag: rawValue.replacingOccurrences(of: "-", with: "_"))
    }
}

/// Verifies a PWLQ array: golden cases from ``PwlqCaseGenerator`` (the Swift reference),
/// `$readmemh` files and a ``ReplayTestbench`` that drives the documented protocol and
/// compares every output row bit for bit, on Verilator (`--binary --timing`) and/or Icarus.
public struct PwlqVerification: Sendable {
    public let parameters: PwlqArrayParameters
    public let cases: Int
    public let seed: UInt64
    public let mutant: PwlqMutant?

    public init(parameters: PwlqArrayParameters, cases: Int, seed: UInt64, mutant: PwlqMutant? = nil) {
        self.parameters = parameters
        self.cases = cases
        self.seed = seed
        self.mutant = mutant
    }

    /// The golden cases the run replays, in order, from the Swift reference (one tile each:
    /// `reduction` beats of 1 step, or 2 with int8 activations).
    public func goldenCases() -> [PwlqGoldenCase] {
        let p = parameters
        var generator = PwlqCaseGenerator(rows: p.rows, cols: p.cols, weightBits: p.weightBits, accumulatorWidth: p.accumulatorWidth, int8: p.int8)
        generator.partialSums = p.codec ? .codec : p.preload ? .preload : .none
        return generator.cases(count: max(cases, 1), seed: seed)
    }

    /// Runs every simulator in a fresh folder under `directory`.
    ///
    /// - Throws: ``HarnessError`` or a tool error for a failed build or a crashed simulator.
    public func run(on simulators: [SimulatorKind], in directory: URL) throws -> [ReplayRunResult] {
        let p = parameters
        let golden = goldenCases()
        let model = try PartialSumModel(sumWidth: p.accumulatorWidth, codec: p.codec)
        var design = try elaborate(PwlqArray(p))
        if let mutant { design = try mutant.apply(to: design) }
        let bench = filledTestbench(for: design.top, golden: golden, model: model)
        return try bench.run(design, on: simulators, in: directory)
    }

    /// The bench of `top` holding the beats, expected rows and preload rows of `golden`.
    func filledTestbench(for top: HardwareModule, golden: [PwlqGoldenCase], model: PartialSumModel) -> ReplayTestbench {
        let p = parameters
        var bench = Self.testbench(for: top, parameters: p)
        for c in golden {
            for k in 0 ..< c.reduction {
                var values: [String: [UInt64]] = ["in_last": [k == c.reduction - 1 ? 1 : 0], "cfg_act_signed": [c.activationSigned ? 1 : 0],
                                                  "cfg_act_int8": [c.activationInt8 ? 1 : 0]]
                for i in 0 ..< p.rows { values["a_code_\(i)"] = [UInt64(c.activationCodes[k][i])] }
                for j in 0 ..< p.cols { values["w_code_\(j)"] = [UInt64(c.weightCodes[k][j].packed)] }
                bench.beatLines.append(bench.line(bench.beatFields, values))
            }
            for i in (0 ..< p.rows).reversed() {
                let row = c.outputRow(i, cols: p.cols, model: model)
                var values: [String: [UInt64]] = ["out_psum": row.codes.map(UInt64.init)]
                for j in 0 ..< p.cols {
                    values["out_centre_\(j)"] = [row.totals[3 * j]]
                    values["out_tail_\(j)"] = [row.totals[3 * j + 1]]
                    values["out_offset_\(j)"] = [row.totals[3 * j + 2]]
                }
                bench.expectedLines.append(bench.line(bench.observed, values))
                if let fields = c.preload?[i] { bench.preloadLines.append(bench.line(["psum_in"], ["psum_in": fields])) }
            }
        }
        return bench
    }

    /// The bench of a PWLQ top: beats `{cfg_act_int8, cfg_act_signed, in_last, w_code_{C−1} …
    /// w_code_0, a_code_{R−1} … a_code_0}` (most significant first; no int8 bit without int8),
    /// rows `{out_psum, out_offset_{C−1}, out_tail_{C−1}, out_centre_{C−1}, …, out_centre_0}`.
    static func testbench(for top: HardwareModule, parameters p: PwlqArrayParameters) -> ReplayTestbench {
        let beatFields = (0 ..< p.rows).map { "a_code_\($0)" } + (0 ..< p.cols).map { "w_code_\($0)" } + ["in_last", "cfg_act_signed"] + (p.int8 ? ["cfg_act_int8"] : [])
        let observed = (0 ..< p.cols).flatMap { ["out_centre_\($0)", "out_tail_\($0)", "out_offset_\($0)"] } + (p.codec ? ["out_psum"] : [])
        return ReplayTestbench(top: top, tag: "PWLQ", beatFields: beatFields, observed: observed, tileRows: p.rows)
    }
}
