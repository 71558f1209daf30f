import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSupport
import Foundation

/// The OCP MX array (docs/mx.md): MX element formats with shared E8M0 block scales on both
/// operands, exact block sums, FP32 or bounded-window accumulation.
public struct MxVariant: ArrayVariant {
    /// `--array mx` and its options.
    public struct Configuration: Codable, Sendable, Equatable {
        /// PE rows and columns.
        public var rows: Int, cols: Int
        /// Element formats both streams decode (`fp4`, `fp6e2m3`, `fp6e3m2`, `fp8e4m3`, `fp8e5m2`, `int8`).
        public var formats: [MxElementFormat]
        /// `fp32` (FP32 adder) or `window` (fixed point with a bounded alignment window).
        public var accumulator: String
        /// The alignment window S in bits (window accumulation).
        public var window: Int
        /// Elements per block k.
        public var blockSize: Int
        /// Blocks per tile the window accumulator is sized for.
        public var maxBlocks: Int

        /// Creates a configuration (validated when a variant is made of it).
        public init(rows: Int = 32, cols: Int = 32, formats: [MxElementFormat] = [.fp4e2m1, .fp8e4m3], accumulator: String = "fp32",
                    window: Int = 8, blockSize: Int = 32, maxBlocks: Int = 128) {
            self.rows = rows
            self.cols = cols
            self.formats = formats
            self.accumulator = accumulator
            self.window = window
            self.blockSize = blockSize
            self.maxBlocks = maxBlocks
        }
    }

    public typealias Defect = MxMutant

    public static let name = "mx"
    public static let summary = "OCP MX: fp4/fp6/fp8/int8 elements with E8M0 block scales, exact block sums, FP32 or windowed accumulation"
    public static let dataflows: [ArrayDataflow] = [.os]
    public static let specification = "docs/mx.md, docs/numeric-formats.md §5"

    public let configuration: Configuration
    public let dataflow: ArrayDataflow
    public var rows: Int { configuration.rows }
    public var cols: Int { configuration.cols }
    /// The validated hardware parameters.
    public let parameters: MxArrayParameters

    public init(_ configuration: Configuration, dataflow: ArrayDataflow) throws {
        guard dataflow == .os else { throw VariantError("--array mx is output-stationary; it takes no --dataflow \(dataflow)") }
        let c = configuration
        let kind: MxAccumulatorKind
        switch c.accumulator {
        case "fp32": kind = .float32
        case "window": kind = .window(c.window)
        default: throw VariantError("invalid mx-acc: '\(c.accumulator)' (use fp32 or window)")
        }
        let p = MxArrayParameters(rows: c.rows, cols: c.cols, formats: c.formats, blockSize: c.blockSize, accumulation: kind, maxBlocks: c.maxBlocks)
        if let problem = p.problem() { throw VariantError("invalid MX configuration: \(problem)") }
        parameters = p
        self.configuration = c
        self.dataflow = dataflow
    }

    /// The variant for already validated parameters.
    public init(_ p: MxArrayParameters) throws {
        var c = Configuration(rows: p.rows, cols: p.cols, formats: p.formats, blockSize: p.blockSize, maxBlocks: p.maxBlocks)
        if case .window(let s) = p.accumulation { c.accumulator = "window"; c.window = s }
        try self.init(c, dataflow: .os)
    }

    public func elaborate() throws -> Design { try AntgenDSL.elaborate(MxArray(parameters)) }
    public func elaborateForSynthesis() throws -> Design { try elaborate() }

    public func manifestJSON(for design: Design) throws -> String {
        try MxManifest(parameters: parameters, top: design.top.name, modules: design.modules.map(\.name), version: antgenVersion).jsonText()
    }

    /// `rtl-out/mx_<rows>x<cols>_<formats>_k<k>_<fp32|winS>`.
    public var defaultFolder: String { "rtl-out/\(parameters.tag)" }

    public func summaryLines(for design: Design) -> [String] {
        let p = parameters
        var lines = ["formats: \(p.formats.map(\.modeName).joined(separator: ", ")); decoded M \(p.mantissaWidth) b, E \(p.shiftWidth) b; exact block sum \(p.blockSumWidth) b"]
        switch p.accumulation {
        case .float32: lines.append("accumulator: FP32 (Fp32Adder, RNE), k = \(p.blockSize)")
        case .window(let s): lines.append("accumulator: fixed point, window \(s) b, \(p.windowAccumulatorWidth) b wide, k = \(p.blockSize)")
        }
        return lines
    }

    public var warnings: [String] { [] }

    public var synthesisFields: [String: String] {
        let p = parameters
        var fields = ["array": "mx", "rows": "\(p.rows)", "cols": "\(p.cols)", "mx": p.formats.map(\.rawValue).joined(separator: ","),
                      "blockSize": "\(p.blockSize)", "blockSumWidth": "\(p.blockSumWidth)"]
        switch p.accumulation {
        case .float32: fields["accumulation"] = "fp32"
        case .window(let s): fields["accumulation"] = "window \(s) (\(p.windowAccumulatorWidth) b)"
        }
        return fields
    }

    /// Random tiles per format pair for `cases` requested cases: the generator makes tiles of
    /// 1 … N blocks for every pair (plus special-value and quantized tiles), N = cases ÷ pairs in 1…64.
    public func blocksPerPair(cases: Int) -> Int {
        let pairs = parameters.formats.count * parameters.formats.count
        return min(64, max(1, cases / max(pairs, 1)))
    }

    public func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome {
        let spec = MxVerificationSpec(parameters: parameters, maxBlocks: blocksPerPair(cases: request.cases), seed: request.seed,
                                      verilator: request.simulators.contains(.verilator), icarus: request.simulators.contains(.icarus),
                                      bubbles: request.bubbles > 0 ? UInt64(request.bubbles) : nil, mutant: defect)
        return try run(spec, request)
    }

    /// Runs an MX harness spec.
    func run(_ spec: MxVerificationSpec, _ request: VerifyRequest) throws -> VerifyOutcome {
        let verifier = MxVerifier(cacheDirectory: request.cacheDirectory, testbenches: try TestbenchSources.locate(), tools: request.tools)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-mx-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        request.progress("mx \(spec.name): \(spec.simulatorsDescription) …")
        return VerifyOutcome(runs: try spec.run(verifier, work: work).map { r in
            VerifyRun(name: spec.name, simulator: SimulatorKind(rawValue: r.simulator) ?? .verilator, cases: r.cases,
                      failedCases: r.ok ? 0 : max(r.failed, r.cases - r.passed, 1),
                      problems: r.messages.filter { !r.ok || $0.hasPrefix("ERROR") }, seconds: r.seconds)
        })
    }

    public func verifyRegression(_ entry: RegressionEntry, _ request: VerifyRequest) throws -> VerifyOutcome {
        if let spec = entry.detail as? MxVerificationSpec { return try run(spec, request) }
        var r = request
        r.cases = entry.cases
        r.simulators = entry.simulators
        return try verify(r, defect: try Self.defect(named: entry.defect))
    }

    /// The MX nightly configurations, and each named defect on the first.
    public static func regression(seed: UInt64) throws -> [RegressionEntry] {
        let specs = MxRegressionSuite.nightly(seed: seed)
        let plain = try specs.map { spec in
            RegressionEntry(try MxVariant(spec.parameters), cases: spec.maxBlocks, simulators: spec.icarus ? [.verilator, .icarus] : [.verilator],
                            detail: spec)
        }
        let first = try MxVariant(specs[0].parameters)
        let defects = MxMutant.allCases.map { m in
            RegressionEntry(first, cases: specs[0].maxBlocks, defect: m.rawValue, simulators: [.verilator],
                            detail: MxVerificationSpec(parameters: specs[0].parameters, maxBlocks: specs[0].maxBlocks, seed: seed, mutant: m))
        }
        return plain + defects
    }

    /// The formats a float layer runs in: activations in the widest enabled format (they
    /// carry the outliers), weights in the narrowest (the storage saving MX is chosen for).
    public var layerFormats: (activation: MxElementFormat, weight: MxElementFormat) {
        let byWidth = parameters.formats.sorted { ($0.bits, $0.rawValue) < ($1.bits, $1.rawValue) }
        return (byWidth.last ?? .fp8e4m3, byWidth.first ?? .fp4e2m1)
    }

    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        try layerRunner(precision, defect: defect).run(layer, request)
    }

    public func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray {
        try PerfArray(rows: parameters.rows, cols: parameters.cols, shape: try perfShape, timing: streamTiming, accumulatorWidth: 32,
                      int8: false, clockMHz: clockMHz, buffers: buffers)
    }

    public var perfShape: any ArrayPerfShape {
        get throws {
            let formats = layerFormats
            return try MxShape(activationFormat: formats.activation, weightFormat: formats.weight, blockSize: parameters.blockSize)
        }
    }
    public var streamTiming: StreamTiming { parameters.streamTiming }

    public var arguments: [String] {
        let c = configuration
        var args = ["--rows", "\(c.rows)", "--cols", "\(c.cols)", "--mx-formats", c.formats.map(\.rawValue).joined(separator: ","),
                    "--mx-acc", c.accumulator]
        if c.accumulator == "window" { args += ["--mx-window", "\(c.window)"] }
        return args + ["--mx-block-size", "\(c.blockSize)", "--mx-max-blocks", "\(c.maxBlocks)"]
    }
}

extension MxVerificationSpec {
    /// `verilator + icarus`.
    var simulatorsDescription: String { [verilator ? "verilator" : nil, icarus ? "icarus" : nil].compactMap { $0 }.joined(separator: " + ") }
}

extension MxVariant {
    public static let sharedOptions: Set<String> = ["--rows", "--cols"]
    public func designDefect(_ defect: Defect) throws -> any DesignDefect { defect }

    public static let smallConfiguration = Configuration(rows: 2, cols: 3, formats: [.fp4e2m1, .fp8e4m3])
    public static let ownOptions = ["--mx-formats", "--mx-acc", "--mx-window", "--mx-block-size", "--mx-max-blocks"]

    public static func configuration(from selection: ArraySelection) throws -> Configuration {
        let s = selection.shared, mx = selection.mx
        if mx.window != nil && mx.accumulator != "window" {
            throw VariantError("--mx-window sets the window of --mx-acc window; give --mx-acc window too")
        }
        return Configuration(rows: s.rows ?? 32, cols: s.cols ?? 32, formats: try mx.formats.map(MxOptions.parseFormats) ?? [.fp4e2m1, .fp8e4m3],
                             accumulator: mx.accumulator ?? "fp32", window: mx.window ?? 8, blockSize: mx.blockSize ?? 32,
                             maxBlocks: mx.maxBlocks ?? 128)
    }
}
