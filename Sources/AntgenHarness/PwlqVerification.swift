import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenNumerics
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
    public let mutant: (any DesignDefect)?

    public init(parameters: PwlqArrayParameters, cases: Int, seed: UInt64, mutant: (any DesignDefect)? = nil) {
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
    public func run(on simulators: [SimulatorKind], in directory: URL, tools: SimulatorTools = .standard) throws -> [ReplayRunResult] {
        let p = parameters
        let golden = goldenCases()
        let model = try PartialSumModel(sumWidth: p.accumulatorWidth, codec: p.codec)
        var design = try elaborate(PwlqArray(p))
        if let mutant { design = try mutant.apply(to: design) }
        let bench = try filledTestbench(for: design.top, golden: golden, model: model)
        return try bench.run(design, on: simulators, in: directory, tools: tools)
    }

    /// The bench of `top` holding the beats, expected rows and preload rows of `golden`.
    /// - Throws: ``HarnessError`` when `top` is not a PWLQ top, or lacks the preload ports a case needs.
    func filledTestbench(for top: HardwareModule, golden: [PwlqGoldenCase], model: PartialSumModel) throws -> ReplayTestbench {
        let p = parameters
        let names = try PwlqStreamNames(top)
        var bench = try Self.testbench(for: top, parameters: p)
        for c in golden {
            for k in 0 ..< c.reduction {
                let values = names.beat(a: c.activationCodes[k], w: c.weightCodes[k], last: k == c.reduction - 1,
                                        signed: c.activationSigned, int8: c.activationInt8)
                bench.beatLines.append(bench.line(bench.beatFields, values))
            }
            for i in (0 ..< p.rows).reversed() {
                let row = c.outputRow(i, cols: p.cols, model: model)
                bench.expectedLines.append(bench.line(bench.observed, names.row(totals: row.totals, codes: row.codes.map(UInt64.init))))
                guard let fields = c.preload?[i] else { continue }
                guard let preload = bench.handshake.preload else { throw HarnessError("\(top.name) has no preload ports for the cases' preload rows") }
                bench.preloadLines.append(bench.line([preload.data], [preload.data: fields]))
            }
        }
        return bench
    }

    /// The bench of a PWLQ top: beats `{cfg_act_int8, cfg_act_signed, in_last, w_code_{C−1} …
    /// w_code_0, a_code_{R−1} … a_code_0}` (most significant first; no int8 bit without int8),
    /// rows `{out_psum, out_offset_{C−1}, out_tail_{C−1}, out_centre_{C−1}, …, out_centre_0}`:
    /// the names of `top`'s typed ports.
    /// - Throws: ``HarnessError`` when `top` is not an elaborated ``PwlqArray``.
    static func testbench(for top: HardwareModule, parameters p: PwlqArrayParameters) throws -> ReplayTestbench {
        let ports = try top.typedPorts(PwlqArray.Ports.self)
        let names = try PwlqStreamNames(top)
        return ReplayTestbench(top: top, handshake: ReplayHandshake(beat: ports.beat, out: ports.out, psum: ports.psum), tag: "PWLQ",
                               beatFields: names.beatFields, observed: names.observed, tileRows: p.rows)
    }
}

/// The ports a PWLQ replay bench sets and compares, read from the top's typed interface.
struct PwlqStreamNames: Sendable {
    /// `a_code_i`, `w_code_j`.
    let aCode: [String], wCode: [String]
    /// `in_last`, `cfg_act_signed`, and `cfg_act_int8` on an int8 build.
    let inLast: String, actSigned: String, actInt8: String?
    /// `out_centre_j`, `out_tail_j`, `out_offset_j`.
    let centre: [String], tail: [String], offset: [String]
    /// `out_psum` with the codec.
    let outPsum: String?

    /// The names of `top`, an elaborated ``PwlqArray``.
    /// - Throws: ``HarnessError`` for another top.
    init(_ top: HardwareModule) throws {
        let ports = try top.typedPorts(PwlqArray.Ports.self)
        aCode = ports.codes.aCode.signalNames
        wCode = ports.codes.wCode.signalNames
        inLast = ports.inLast.name
        actSigned = ports.cfgActSigned.name
        actInt8 = ports.cfgActInt8?.name
        centre = ports.outCentre.signalNames
        tail = ports.outTail.signalNames
        offset = ports.outOffset.signalNames
        outPsum = ports.psum?.outPsum?.name
    }

    /// A beat's fields, least significant first: the a codes, the w codes, in_last, cfg_act_signed, cfg_act_int8.
    var beatFields: [String] { aCode + wCode + [inLast, actSigned] + [actInt8].compactMap { $0 } }

    /// A row's compared fields, least significant first: column j's centre, tail and offset sums, then out_psum.
    var observed: [String] { (0 ..< centre.count).flatMap { [centre[$0], tail[$0], offset[$0]] } + [outPsum].compactMap { $0 } }

    /// One beat's values by port name: row i's code `a[i]`, column j's `w[j]`, the flags.
    func beat(a: [Int], w: [PwlqCode], last: Bool, signed: Bool, int8: Bool) -> [String: [UInt64]] {
        var values: [String: [UInt64]] = [inLast: [last ? 1 : 0], actSigned: [signed ? 1 : 0]]
        if let actInt8 { values[actInt8] = [int8 ? 1 : 0] }
        for (name, code) in zip(aCode, a) { values[name] = [UInt64(code)] }
        for (name, code) in zip(wCode, w) { values[name] = [UInt64(code.packed)] }
        return values
    }

    /// One output row's values by port name: `totals[3j + s]` (s = 0 centre, 1 tail, 2 offset) and the codes.
    func row(totals: [UInt64], codes: [UInt64]) -> [String: [UInt64]] {
        var values: [String: [UInt64]] = [:]
        if let outPsum { values[outPsum] = codes }
        for j in centre.indices {
            values[centre[j]] = [totals[3 * j]]
            values[tail[j]] = [totals[3 * j + 1]]
            values[offset[j]] = [totals[3 * j + 2]]
        }
        return values
    }
}
