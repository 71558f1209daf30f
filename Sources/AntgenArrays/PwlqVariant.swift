import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenPerf
import AntgenSupport
import Foundation

/// The PWLQ array (docs/architecture.md §13): b-bit piecewise-linear weights with a region
/// bit against int4/int8 activations, three accumulators per PE drained together, and
/// optionally the partial-sum preload stage and its 12-bit codec.
public struct PwlqVariant: ArrayVariant {
    /// `--array pwlq` and its options.
    public struct Configuration: Codable, Sendable, Equatable {
        /// PE rows and columns.
        public var rows: Int, cols: Int
        /// PWLQ weight bits b (the code on the weight stream is b + 1 bits).
        public var weightBits: Int
        /// Accumulator width W of each of the three sums.
        public var accumulatorWidth: Int
        /// int8 activations through nibble terms.
        public var int8: Bool
        /// The longest K the minimum-W check assumes.
        public var maxReduction: Int
        /// The partial-sum stage.
        public var partialSums: PartialSumMode

        /// Creates a configuration (validated when a variant is made of it).
        public init(rows: Int = 32, cols: Int = 32, weightBits: Int = 4, accumulatorWidth: Int = 32, int8: Bool = true,
                    maxReduction: Int = 4608, partialSums: PartialSumMode = .none) {
            self.rows = rows
            self.cols = cols
            self.weightBits = weightBits
            self.accumulatorWidth = accumulatorWidth
            self.int8 = int8
            self.maxReduction = maxReduction
            self.partialSums = partialSums
        }
    }

    /// The PWLQ array's named defects (its own, and the partial-sum stage's on a build with it).
    public typealias Defect = PwlqMutant

    public static let name = "pwlq"
    public static let summary = "PWLQ piecewise-linear b-bit weights (+ region bit) × int4/int8 activations, three sums per PE; optional partial-sum preload and 12-bit codec"
    public static let dataflows: [ArrayDataflow] = [.os]
    public static let specification = "docs/architecture.md §13, docs/pwlq.md"

    public let configuration: Configuration
    public let dataflow: ArrayDataflow
    public var rows: Int { configuration.rows }
    public var cols: Int { configuration.cols }
    /// The validated hardware parameters.
    public let parameters: PwlqArrayParameters

    public init(_ configuration: Configuration, dataflow: ArrayDataflow) throws {
        guard dataflow == .os else { throw VariantError("--array pwlq is output-stationary; it takes no --dataflow \(dataflow)") }
        let c = configuration
        parameters = try PwlqArrayParameters(rows: c.rows, cols: c.cols, weightBits: c.weightBits, accumulatorWidth: c.accumulatorWidth,
                                             int8: c.int8, maxReduction: c.maxReduction, preload: c.partialSums != .none,
                                             codec: c.partialSums == .codec)
        self.configuration = c
        self.dataflow = dataflow
    }

    public func elaborate() throws -> Design { try AntgenDSL.elaborate(PwlqArray(parameters)) }
    public func elaborateForSynthesis() throws -> Design { try elaborate() }

    public func manifestJSON(for design: Design) throws -> String {
        try PwlqManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: antgenVersion).jsonText()
    }

    /// `rtl-out/pwlq_<rows>x<cols>_<b>b_w<W>[_noint8][_preload|_psum12]`.
    public var defaultFolder: String {
        let p = parameters
        let psum = p.codec ? "_psum12" : p.preload ? "_preload" : ""
        return "rtl-out/pwlq_\(p.rows)x\(p.cols)_\(p.weightBits)b_w\(p.accumulatorWidth)\(p.int8 ? "" : "_noint8")\(psum)"
    }

    public func summaryLines(for design: Design) -> [String] {
        let p = parameters
        var lines = ["weights: \(p.weightBits)-bit PWLQ codes + region bit; activations int4\(p.int8 ? " and int8 (nibble terms)" : "")",
                     "drain:   three sums per column per row (out_centre/out_tail/out_offset), 0 extra cycles"]
        if p.preload {
            lines.append("psum:    preload queue of \(2 * p.rows) rows\(p.codec ? ", 12-bit codes in (psum_in) and out (out_psum)" : ", W-bit rows") added as each row drains")
        }
        lines.append("latency: \(p.firstRowLatency(int8Activations: false)) cycles to the first output row (int4; a + T + R + C)")
        lines.append("W:       \(p.accumulatorWidth) bits per accumulator (minimum \(p.minimumAccumulatorWidth) for K = \(p.maxReduction))")
        return lines
    }

    public var warnings: [String] {
        parameters.accumulatorWidth < parameters.minimumAccumulatorWidth
            ? ["accumulator width \(parameters.accumulatorWidth) is below the \(parameters.minimumAccumulatorWidth) bits that K = \(parameters.maxReduction) needs; sums may wrap"]
            : []
    }

    public var synthesisFields: [String: String] {
        ["array": "pwlq", "rows": "\(parameters.rows)", "cols": "\(parameters.cols)", "weight_bits": "\(parameters.weightBits)",
         "acc": "\(parameters.accumulatorWidth)", "int8": parameters.int8 ? "on" : "off",
         "psum": parameters.codec ? "codec12" : parameters.preload ? "preload" : "none"]
    }

    public func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome {
        try request.refuseBubbles("the PWLQ replay testbench")
        let results = try PwlqVerification(parameters: parameters, cases: max(request.cases, 1), seed: request.seed, mutant: defect)
            .run(on: request.simulators, in: FileManager.default.temporaryDirectory, tools: request.tools)
        let name = "pwlq-\(parameters.rows)x\(parameters.cols)-b\(parameters.weightBits)" + (defect.map { "-\($0)" } ?? "")
        return VerifyOutcome(runs: results.map { VerifyRun(replay: $0, name: name) })
    }

    public static func regression(seed: UInt64) throws -> [RegressionEntry] {
        try ReplayRegression.pwlqConfigurations().flatMap { (p, cases) -> [RegressionEntry] in
            let variant = try PwlqVariant(p)
            let design = try variant.elaborate()
            let mutants = PwlqMutant.allCases.filter { m in (try? m.mutations(in: design).isEmpty == false) ?? false }
            return [RegressionEntry(variant, cases: cases)]
                + mutants.map { RegressionEntry(variant, cases: cases, defect: $0.rawValue, simulators: [.verilator]) }
        }
    }

    /// The variant for already validated parameters.
    public init(_ p: PwlqArrayParameters) throws {
        try self.init(Configuration(rows: p.rows, cols: p.cols, weightBits: p.weightBits, accumulatorWidth: p.accumulatorWidth, int8: p.int8,
                                    maxReduction: p.maxReduction, partialSums: p.codec ? .codec : p.preload ? .preload : .none),
                      dataflow: .os)
    }

    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        try layerRunner(precision, defect: defect).run(layer, request)
    }

    public func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray {
        guard parameters.partialSumStage == nil else {
            throw VariantError("antgen perf models the PWLQ array without the partial-sum stage; drop --psum-preload/--psum-codec")
        }
        return try PerfArray(rows: parameters.rows, cols: parameters.cols, shape: try perfShape, timing: streamTiming,
                             accumulatorWidth: parameters.accumulatorWidth, int8: parameters.int8, clockMHz: clockMHz, buffers: buffers)
    }

    public var perfShape: any ArrayPerfShape { get throws { try PwlqShape(weightBits: parameters.weightBits) } }
    public var streamTiming: StreamTiming { parameters.streamTiming }

    public var arguments: [String] {
        let c = configuration
        var args = ["--rows", "\(c.rows)", "--cols", "\(c.cols)", "--code-width", "\(c.weightBits)", "--acc-width", "\(c.accumulatorWidth)",
                    c.int8 ? "--int8" : "--no-int8", "--max-k", "\(c.maxReduction)"]
        if c.partialSums == .preload { args.append("--psum-preload") }
        if c.partialSums == .codec { args.append("--psum-codec") }
        return args
    }
}

extension PwlqVariant {
    public static let sharedOptions: Set<String> = ["--rows", "--cols", "--acc-width", "--int8/--no-int8", "--max-k", "--code-width",
                                                   "--psum-preload", "--psum-codec"]
    public func designDefect(_ defect: Defect) throws -> any DesignDefect { defect }

    public static let smallConfiguration = Configuration(rows: 2, cols: 3, weightBits: 4, accumulatorWidth: 24)
    public static let ownOptions: [String] = []

    public static func configuration(from selection: ArraySelection) throws -> Configuration {
        let s = selection.shared
        return Configuration(rows: s.rows ?? 32, cols: s.cols ?? 32, weightBits: s.codeWidth ?? 4, accumulatorWidth: s.accWidth ?? 32,
                             int8: s.int8 ?? true, maxReduction: s.maxK ?? 4608, partialSums: s.partialSums)
    }
}
