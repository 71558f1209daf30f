import AntgenDSL
import AntgenGolden
import AntgenHardware
import Foundation

/// Named defects of the partial-sum stage (``PartialSumStage``, shared by the ANT and PWLQ
/// arrays) that verification must catch (docs/verification.md, "Partial sums").
public enum PartialSumMutant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The queue's head is never used: every row adds 0 (`head` = its mux's false arm).
    case preloadIgnored = "psum-preload-ignored"
    /// The 12-bit encoder's round-to-nearest-even decision flips (`round_up = round_bit &
    /// (sticky | lsb)` becomes `round_bit & sticky & lsb`): needs a `--psum-codec` build.
    case codecRounding = "psum-codec-rounding"

    public var description: String { rawValue }

    /// The build option the defect needs a site of.
    var requirement: String { self == .codecRounding ? "--psum-codec" : "--psum-preload or --psum-codec" }

    /// The IR mutations in `design` (one per stage, or per encoder).
    /// - Throws: ``HarnessError`` when the design has no such site (no stage, or no codec).
    public func mutations(in design: Design) throws -> [Mutation] {
        let found: [Mutation]
        switch self {
        case .preloadIgnored:
            found = design.sites(tagged: PartialSumStageSite.head).map { Mutation(site: $0, operator: .forceSelect(false)) }
        case .codecRounding:
            found = design.sites(tagged: PartialSumEncoderSite.nearestEven).map { Mutation(site: $0, operator: .swapBinary(.or, .and)) }
        }
        guard !found.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name) (it needs \(requirement))") }
        return found
    }

    /// `design` with the defect injected.
    public func apply(to design: Design) throws -> Design {
        try design.applying(mutations(in: design), tag: rawValue.replacingOccurrences(of: "-", with: "_"))
    }
}

/// Verifies an ANT array built with the partial-sum stage (`antgen verify --psum-preload` or
/// `--psum-codec`): tiles from the ANT golden model, preload rows from ``PartialSumCaseGenerator``
/// (random rows, and the previous tile's outputs: a K split over two passes), the expected
/// totals and codes from ``PartialSumModel`` (the Swift reference, never the RTL), replayed by
/// a ``ReplayTestbench`` on Verilator and/or Icarus.
public struct PartialSumVerification: Sendable {
    /// The build (its `preload` must be on).
    public let parameters: ArrayParameters
    /// Random tiles (quantized ones: a quarter as many more).
    public let cases: Int
    public let seed: UInt64
    public let mutant: (any DesignDefect)?

    public init(parameters: ArrayParameters, cases: Int, seed: UInt64, mutant: (any DesignDefect)? = nil) {
        self.parameters = parameters
        self.cases = cases
        self.seed = seed
        self.mutant = mutant
    }

    /// The golden cases of this run.
    /// - Throws: ``HarnessError`` for a build without the stage; the golden model's errors.
    public func goldenCases() throws -> [PartialSumCase] {
        let p = parameters
        guard p.preload else { throw HarnessError("partial-sum verification needs a build with --psum-preload or --psum-codec") }
        let configuration = try ArrayConfiguration(rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, accumulatorWidth: p.accumulatorWidth,
                                                   activationTypes: p.activation.types, weightTypes: p.weight.types, int8: p.int8)
        let model = try PartialSumModel(sumWidth: p.accumulatorWidth, codec: p.codec)
        return try PartialSumCaseGenerator(configuration: configuration, model: model).cases(count: max(cases, 1), seed: seed)
    }

    /// Runs every simulator in a fresh folder under `directory`.
    ///
    /// - Throws: ``HarnessError`` or a tool error for a failed build or a crashed simulator.
    public func run(on simulators: [SimulatorKind], in directory: URL, tools: SimulatorTools = .standard) throws -> [ReplayRunResult] {
        try run(try goldenCases(), on: simulators, in: directory, tools: tools)
    }

    /// Runs the given cases (each with its preload and expected C) in output order.
    public func run(_ golden: [PartialSumCase], on simulators: [SimulatorKind], in directory: URL, tools: SimulatorTools = .standard) throws -> [ReplayRunResult] {
        let p = parameters
        let model = try PartialSumModel(sumWidth: p.accumulatorWidth, codec: p.codec)
        var design = try elaborate(AntArray(p))
        if let mutant { design = try mutant.apply(to: design) }
        let bench = try filledTestbench(for: design.top, golden: golden, model: model)
        return try bench.run(design, on: simulators, in: directory, tools: tools)
    }

    /// The bench of `top` holding the beats, expected rows and preload rows of `golden`.
    /// - Throws: ``HarnessError`` when `top` is not an ANT top with the partial-sum stage.
    func filledTestbench(for top: HardwareModule, golden: [PartialSumCase], model: PartialSumModel) throws -> ReplayTestbench {
        let p = parameters
        let ports = try top.typedPorts(AntArray.Ports.self)
        var bench = try Self.testbench(for: top, parameters: p)
        guard let psum = ports.psum else { throw HarnessError("\(top.name) has no partial-sum ports (build with --psum-preload or --psum-codec)") }
        let (codes, cfg) = (ports.codes, ports.cfg)
        for c in golden {
            let tile = c.tile
            for k in 0 ..< tile.reduction {
                var values: [String: [UInt64]] = [
                    ports.inLast.name: [k == tile.reduction - 1 ? 1 : 0],
                    cfg.actType.name: [UInt64(tile.activation.type.rawValue)], cfg.actSigned.name: [tile.activation.signed ? 1 : 0],
                    cfg.weightType.name: [UInt64(tile.weight.type.rawValue)], cfg.weightSigned.name: [tile.weight.signed ? 1 : 0],
                ]
                if let actInt8 = cfg.actInt8 { values[actInt8.name] = [tile.activation.int8 ? 1 : 0] }
                if let weightInt8 = cfg.weightInt8 { values[weightInt8.name] = [tile.weight.int8 ? 1 : 0] }
                for (name, code) in zip(codes.aCode.signalNames, tile.a[k]) { values[name] = [code] }
                for (name, code) in zip(codes.wCode.signalNames, tile.w[k]) { values[name] = [code] }
                bench.beatLines.append(bench.line(bench.beatFields, values))
            }
            for i in (0 ..< p.rows).reversed() {
                let row = c.outputRow(i, model: model)
                var values: [String: [UInt64]] = [:]
                if let outPsum = psum.outPsum { values[outPsum.name] = row.codes.map(UInt64.init) }
                for (name, total) in zip(ports.outData.signalNames, row.totals) { values[name] = [total] }
                bench.expectedLines.append(bench.line(bench.observed, values))
                bench.preloadLines.append(bench.line([psum.psumIn.name], [psum.psumIn.name: c.preload[i]]))
            }
        }
        return bench
    }

    /// The bench of an ANT top with the stage: beats `{cfg_weight_int8, cfg_weight_signed,
    /// cfg_weight_type, cfg_act_int8, cfg_act_signed, cfg_act_type, in_last, w_code_{C−1} …
    /// w_code_0, a_code_{R−1} … a_code_0}` (most significant first; no int8 bits without int8),
    /// rows `{out_psum, out_data_{C−1}, …, out_data_0}` (no `out_psum` without the codec): the
    /// names of `top`'s typed ports.
    /// - Throws: ``HarnessError`` when `top` is not an elaborated ``AntArray``.
    static func testbench(for top: HardwareModule, parameters p: ArrayParameters) throws -> ReplayTestbench {
        let ports = try top.typedPorts(AntArray.Ports.self)
        let cfg = ports.cfg
        let beatFields = ports.codes.aCode.signalNames + ports.codes.wCode.signalNames
            + [ports.inLast, cfg.actType, cfg.actSigned].map(\.name) + [cfg.actInt8?.name].compactMap { $0 }
            + [cfg.weightType, cfg.weightSigned].map(\.name) + [cfg.weightInt8?.name].compactMap { $0 }
        let observed = ports.outData.signalNames + [ports.psum?.outPsum?.name].compactMap { $0 }
        return ReplayTestbench(top: top, handshake: ReplayHandshake(beat: ports.beat, out: ports.out, psum: ports.psum), tag: "PSUM",
                               beatFields: beatFields, observed: observed, tileRows: p.rows)
    }
}
