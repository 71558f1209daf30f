import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSupport
import Foundation

/// The SDP array (TODAES'23, docs/architecture.md §10): int8 activations split into hi/lo
/// nibble parts, T of the 2G parts of each group of G kept, ANT (or int8) weights; the time
/// a group takes scales with T.
public struct SdpVariant: ArrayVariant {
    /// `--array sdp` and its options.
    public struct Configuration: Codable, Sendable, Equatable {
        /// PE rows and columns.
        public var rows: Int, cols: Int
        /// Values per group G (2, 4, 8 or 16).
        public var group: Int
        /// Kept parts per group T (1…2G).
        public var terms: Int
        /// Weight types (`int`, `flint`, `pot`, `float`).
        public var weightTypes: [String]
        /// int8 weights through nibble terms.
        public var int8: Bool
        /// Accumulator width W.
        public var accumulatorWidth: Int

        /// Creates a configuration (validated when a variant is made of it).
        public init(rows: Int = 32, cols: Int = 32, group: Int = 8, terms: Int = 8, weightTypes: [String] = ["int", "flint", "pot"],
                    int8: Bool = true, accumulatorWidth: Int = 32) {
            self.rows = rows
            self.cols = cols
            self.group = group
            self.terms = terms
            self.weightTypes = weightTypes
            self.int8 = int8
            self.accumulatorWidth = accumulatorWidth
        }
    }

    public typealias Defect = SdpMutant

    public static let name = "sdp"
    public static let summary = "SDP structured dynamic precision: int8 activations as hi/lo parts, T of 2G kept per group of G; ANT or int8 weights"
    public static let dataflows: [ArrayDataflow] = [.os]
    public static let specification = "docs/architecture.md §10, docs/sdp.md"

    public let configuration: Configuration
    public let dataflow: ArrayDataflow
    public var rows: Int { configuration.rows }
    public var cols: Int { configuration.cols }
    /// The validated hardware parameters.
    public let parameters: SdpArrayParameters

    public init(_ configuration: Configuration, dataflow: ArrayDataflow) throws {
        guard dataflow == .os else { throw VariantError("--array sdp is output-stationary; it takes no --dataflow \(dataflow)") }
        let c = configuration
        let types = try c.weightTypes.map { name -> AntType in
            guard let type = AntType(name: name) else { throw VariantError("invalid weight-types: unknown type '\(name)'; expected int, flint, pot or float") }
            return type
        }
        parameters = try SdpArrayParameters(rows: c.rows, cols: c.cols, group: c.group, terms: c.terms, weightTypes: types,
                                            weightInt8: c.int8, accumulatorWidth: c.accumulatorWidth)
        self.configuration = c
        self.dataflow = dataflow
    }

    /// The variant for already validated parameters.
    public init(_ p: SdpArrayParameters) throws {
        try self.init(Configuration(rows: p.rows, cols: p.cols, group: p.group, terms: p.terms, weightTypes: p.weight.types.map(\.description),
                                    int8: p.weight.int8, accumulatorWidth: p.accumulatorWidth), dataflow: .os)
    }

    public func elaborate() throws -> Design { try AntgenDSL.elaborate(SdpArray(parameters)) }
    public func elaborateForSynthesis() throws -> Design { try elaborate() }

    public func manifestJSON(for design: Design) throws -> String {
        try SdpManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: antgenVersion).jsonText()
    }

    /// `rtl-out/sdp_<rows>x<cols>_g<G>_t<T>_<weight types>_w<W>[_noint8]`.
    public var defaultFolder: String {
        let p = parameters
        return "rtl-out/sdp_\(p.rows)x\(p.cols)_g\(p.group)_t\(p.terms)_\(p.weight.typeList.replacingOccurrences(of: ",", with: "-"))_w\(p.accumulatorWidth)\(p.weight.int8 ? "" : "_noint8")"
    }

    public func summaryLines(for design: Design) -> [String] {
        let p = parameters
        return [String(format: "parts:   G = %d, T = %d (%.2f activation bits on average)", p.group, p.terms, 4.0 * Double(p.terms) / Double(p.group)),
                "weights: \(p.weight.typeList)\(p.weight.int8 ? ", int8 (nibble terms, 2T steps per group)" : "")",
                "cycles:  \(p.terms) per group of \(p.group) values; latency \(p.firstRowLatency(weightInt8: false)) cycles to the first output row, \(p.lastRowLatency(weightInt8: false)) to the last"]
    }

    public var warnings: [String] { [] }

    public var synthesisFields: [String: String] {
        ["array": "sdp", "rows": "\(parameters.rows)", "cols": "\(parameters.cols)", "group": "\(parameters.group)",
         "terms": "\(parameters.terms)", "acc": "\(parameters.accumulatorWidth)"]
    }

    /// The harness spec of a verification.
    public func verificationSpec(_ request: VerifyRequest, defect: (any DesignDefect)?) -> SdpVerificationSpec {
        var spec = SdpVerificationSpec(parameters: parameters, cases: request.cases, seed: request.seed)
        spec.simulators = request.simulators
        spec.bubbles = request.bubbles
        spec.mutant = defect
        return spec
    }

    public func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome {
        try run(verificationSpec(request, defect: defect), request)
    }

    /// Runs an SDP harness spec.
    public func run(_ spec: SdpVerificationSpec, _ request: VerifyRequest) throws -> VerifyOutcome {
        var verifier = SdpVerifier()
        verifier.tools = request.tools
        request.progress("sdp \(spec.name): \(spec.cases) cases, \(spec.simulators.map(\.description).joined(separator: " + ")) …")
        return VerifyOutcome(runs: try verifier.run(spec).map { r in
            VerifyRun(name: spec.name, simulator: r.simulator, cases: r.outcome.casePassed.count,
                      failedCases: r.outcome.casePassed.filter { !$0 }.count, problems: r.outcome.problems,
                      cycles: r.outcome.cycles, seconds: r.outcome.seconds)
        })
    }

    /// Small arrays, every G, the extreme budgets T = 1 and T = 2G, int8 and native ANT weights,
    /// and each named defect on the first configuration.
    public static func regression(seed: UInt64) throws -> [RegressionEntry] {
        let configs: [Configuration] = [
            Configuration(rows: 2, cols: 3, group: 2, terms: 1, weightTypes: ["int", "flint", "pot", "float"]),
            Configuration(rows: 3, cols: 2, group: 4, terms: 5),
            Configuration(rows: 4, cols: 4, group: 8, terms: 6),
            Configuration(rows: 2, cols: 2, group: 16, terms: 32, weightTypes: ["int", "pot"]),
            Configuration(rows: 3, cols: 3, group: 8, terms: 13, weightTypes: ["flint", "float"], int8: false),
        ]
        let variants = try configs.map { try SdpVariant($0, dataflow: .os) }
        return variants.map { RegressionEntry($0, cases: 120) }
            + SdpMutant.allCases.map { RegressionEntry(variants[2], cases: 120, defect: $0.rawValue, simulators: [.verilator]) }
    }

    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        try layerRunner(precision, defect: defect).run(layer, request)
    }

    public func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray {
        try PerfArray(rows: parameters.rows, cols: parameters.cols, shape: try perfShape, timing: streamTiming,
                      accumulatorWidth: parameters.accumulatorWidth, int8: parameters.weight.int8, clockMHz: clockMHz, buffers: buffers)
    }

    public var perfShape: any ArrayPerfShape { get throws { try SdpShape(group: parameters.group, terms: parameters.terms) } }
    public var streamTiming: StreamTiming { parameters.streamTiming }

    public var arguments: [String] {
        let c = configuration
        return ["--rows", "\(c.rows)", "--cols", "\(c.cols)", "--group", "\(c.group)", "--terms", "\(c.terms)",
                "--weight-types", c.weightTypes.joined(separator: ","), c.int8 ? "--int8" : "--no-int8", "--acc-width", "\(c.accumulatorWidth)"]
    }
}

extension SdpVariant {
    public static let sharedOptions: Set<String> = ["--rows", "--cols", "--acc-width", "--int8/--no-int8", "--types", "--weight-types"]
    public func designDefect(_ defect: Defect) throws -> any DesignDefect { defect }

    public static let smallConfiguration = Configuration(rows: 2, cols: 3, group: 4, terms: 5)
    public static let ownOptions = ["--group", "--terms"]

    public static func configuration(from selection: ArraySelection) throws -> Configuration {
        let s = selection.shared
        let group = selection.sdp.group ?? 8
        return Configuration(rows: s.rows ?? 32, cols: s.cols ?? 32, group: group, terms: selection.sdp.terms ?? group,
                             weightTypes: SharedArrayOptions.typeList(s.weightTypes ?? s.types ?? "int,flint,pot"), int8: s.int8 ?? true,
                             accumulatorWidth: s.accWidth ?? 32)
    }
}
