import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSupport
import ArgumentParser
import Foundation

/// The FP-on-INT array (docs/fp-on-int.md): FP16, BF16, FP8 and INT4/INT8 dot products of N
/// lanes on 4 × 4-bit nibble multipliers with a local shifter of capacity S, an auxiliary
/// shifter and FP32 accumulation, bit-exact with the ``FpIntDotProduct`` reference.
public struct FpIntVariant: ArrayVariant {
    /// `--array fpint` and its options.
    public struct Configuration: Codable, Sendable, Equatable {
        /// PE rows and columns.
        public var rows: Int, cols: Int
        /// Lanes N and the local shift capacity S.
        public var lanes: Int, shiftCapacity: Int
        /// The precisions the build carries.
        public var formats: [FpIntPrecision]
        /// The format `run` casts a float layer to (nil: the widest carried float format).
        public var layerFormat: FpIntPrecision?
        /// `run` casts (RNE) values that the layer format cannot represent; false refuses them.
        public var cast: Bool
        /// `perf` without data: the assumed fraction of groups that need window 2 (nil: 0, the
        /// best case); `run` counts it from the tensors and refuses the option.
        public var window2Rate: Double?

        public init(rows: Int = 8, cols: Int = 8, lanes: Int = 16, shiftCapacity: Int = 8, formats: [FpIntPrecision] = FpIntPrecision.allCases,
                    layerFormat: FpIntPrecision? = nil, cast: Bool = true, window2Rate: Double? = nil) {
            self.rows = rows
            self.cols = cols
            self.lanes = lanes
            self.shiftCapacity = shiftCapacity
            self.formats = formats
            self.layerFormat = layerFormat
            self.cast = cast
            self.window2Rate = window2Rate
        }
    }

    public typealias Defect = FpIntMutant

    public static let name = "fpint"
    public static let summary = "FP on INT: FP16/BF16/FP8 and INT4/INT8 dot products of N lanes on nibble multipliers, local shift S, FP32 accumulation"
    public static let dataflows: [ArrayDataflow] = [.os]
    public static let specification = "docs/fp-on-int.md, docs/numeric-formats.md §9"

    public let configuration: Configuration
    public let dataflow: ArrayDataflow
    public var rows: Int { configuration.rows }
    public var cols: Int { configuration.cols }
    /// The validated hardware parameters.
    public let parameters: FpIntArrayParameters

    public init(_ configuration: Configuration, dataflow: ArrayDataflow) throws {
        guard dataflow == .os else { throw VariantError("--array fpint is output-stationary; it takes no --dataflow \(dataflow)") }
        var c = configuration
        let p = FpIntArrayParameters(rows: c.rows, cols: c.cols, lanes: c.lanes, shiftCapacity: c.shiftCapacity, formats: c.formats)
        if let problem = p.problem() { throw VariantError("invalid fpint configuration: \(problem)") }
        if let f = c.layerFormat, !p.formats.contains(f) {
            throw VariantError("invalid fpint configuration: --fpint-layer-format \(f.rawValue) is not carried by this build (--fpint-formats \(p.formats.map(\.rawValue).joined(separator: ",")))")
        }
        if let r = c.window2Rate, !(0 ... 1).contains(r) {
            throw VariantError("invalid fpint configuration: --fpint-window2-rate \(r) is outside 0…1")
        }
        c.formats = p.formats  // canonical order (cfg_format codes), so reproduce lines round-trip
        parameters = p
        self.configuration = c
        self.dataflow = dataflow
    }

    public func elaborate() throws -> Design { try AntgenDSL.elaborate(FpIntArray(parameters)) }
    public func elaborateForSynthesis() throws -> Design { try elaborate() }

    public func manifestJSON(for design: Design) throws -> String {
        try FpIntManifest(parameters: parameters, top: design.top.name, modules: design.modules.map(\.name), version: antgenVersion).jsonText()
    }

    /// `rtl-out/fpint_<rows>x<cols>_n<N>_s<S>_<formats>`.
    public var defaultFolder: String { "rtl-out/\(parameters.tag)" }

    public func summaryLines(for design: Design) -> [String] {
        let p = parameters
        return ["formats: \(p.formats.map { "\($0.rawValue) (\($0.passesPerWindow) pass\($0.passesPerWindow == 1 ? "" : "es"))" }.joined(separator: ", "))",
                "N = \(p.lanes) lanes, S = \(p.shiftCapacity); term \(p.termWidth) b, tree \(p.treeWidth) b, group accumulator \(p.accumulatorWidth) b; FP32 accumulation"]
    }

    public var warnings: [String] { [] }

    public var synthesisFields: [String: String] {
        let p = parameters
        return ["array": "fpint", "rows": "\(p.rows)", "cols": "\(p.cols)", "lanes": "\(p.lanes)", "shiftCapacity": "\(p.shiftCapacity)",
                "formats": p.formats.map(\.rawValue).joined(separator: ","), "accumulatorWidth": "\(p.accumulatorWidth)"]
    }

    public func designDefect(_ defect: Defect) throws -> any DesignDefect { defect }

    public func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome {
        let verification = FpIntVerification(parameters: parameters, cases: request.cases, seed: request.seed, mutant: defect)
        return try run(verification, request, name: "fpint \(parameters.tag)")
    }

    /// Runs a verification on the request's simulators.
    func run(_ verification: FpIntVerification, _ request: VerifyRequest, name: String) throws -> VerifyOutcome {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-fpint-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        request.progress("\(name): \(request.simulators.map(\.rawValue).joined(separator: " + ")) …")
        let start = Date()
        let results = try verification.run(on: request.simulators, in: work, tools: request.tools, runtimeCache: request.cacheDirectory)
        let seconds = Date().timeIntervalSince(start) / Double(max(results.count, 1))
        return VerifyOutcome(runs: results.map { r in
            VerifyRun(name: name, simulator: r.simulator, cases: r.cases, failedCases: r.passed ? 0 : max(r.failedCases, 1),
                      problems: r.problems, seconds: seconds)
        })
    }

    /// Three small builds (every format, FP-only with a small S, integers only) on both
    /// simulators, and each named defect on the first (Verilator, must fail).
    public static func regression(seed: UInt64) throws -> [RegressionEntry] {
        let builds = [Configuration(rows: 2, cols: 2, lanes: 4, shiftCapacity: 8),
                      Configuration(rows: 2, cols: 3, lanes: 3, shiftCapacity: 3, formats: [.fp16, .bf16, .fp8e4m3, .fp8e5m2]),
                      Configuration(rows: 3, cols: 2, lanes: 2, shiftCapacity: 4, formats: [.int4, .int8])]
        let variants = try builds.map { try FpIntVariant($0, dataflow: .os) }
        return variants.map { RegressionEntry($0, cases: 120) }
            + FpIntMutant.allCases.map { RegressionEntry(variants[0], cases: 120, defect: $0.rawValue, simulators: [.verilator]) }
    }

    public func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray {
        try PerfArray(rows: parameters.rows, cols: parameters.cols, shape: try perfShape, timing: streamTiming, accumulatorWidth: 32,
                      int8: false, clockMHz: clockMHz, buffers: buffers)
    }

    /// The layer format's shape: window 1 only (the best case), or window 2 at the assumed
    /// `--fpint-window2-rate` (docs/fp-on-int.md, "Timing").
    public var perfShape: any ArrayPerfShape {
        get throws { try FpIntShape(precision: layerFormat, lanes: parameters.lanes, secondWindowRate: configuration.window2Rate ?? 0) }
    }
    public var streamTiming: StreamTiming { parameters.streamTiming }
    public var streamProtocol: StreamProtocol {
        StreamProtocol(handshake: .readyValid, operands: ["a_code", "w_code"], results: ["out_data"], drainOrder: .lastRowFirst, timing: streamTiming)
    }

    /// The format a float layer runs in: the configured one, else the widest carried float
    /// format (FP16 before BF16 before FP8), else the widest integer.
    public var layerFormat: FpIntPrecision {
        if let f = configuration.layerFormat { return f }
        return [.fp16, .bf16, .fp8e4m3, .fp8e5m2, .int8, .int4].first { parameters.formats.contains($0) } ?? .fp16
    }

    public var arguments: [String] {
        let c = configuration
        var args = ["--rows", "\(c.rows)", "--cols", "\(c.cols)", "--fpint-lanes", "\(c.lanes)", "--fpint-shift", "\(c.shiftCapacity)",
                    "--fpint-formats", parameters.formats.map(\.rawValue).joined(separator: ",")]
        if let f = c.layerFormat { args += ["--fpint-layer-format", f.rawValue] }
        if !c.cast { args.append("--fpint-no-cast") }
        if let r = c.window2Rate { args += ["--fpint-window2-rate", "\(r)"] }
        return args
    }

    public static let sharedOptions: Set<String> = ["--rows", "--cols"]
    /// S = 24 (reach 48 binades): layers of moderate range never need window 2, so `perf`'s
    /// window-1 count is the RTL's exact count on the registry walk's layer.
    public static let smallConfiguration = Configuration(rows: 2, cols: 2, lanes: 4, shiftCapacity: 24)
    public static let ownOptions = ["--fpint-lanes", "--fpint-shift", "--fpint-formats", "--fpint-layer-format", "--fpint-no-cast", "--fpint-window2-rate"]
    /// The layer format (how `run` casts, what `perf` counts), the cast policy (the layer's
    /// values) and the assumed window-2 rate (`perf`'s cycles without data; `run` counts it).
    public static let layerOptions = ["--fpint-layer-format": ["run", "perf", "infer", "compare"],
                                      "--fpint-no-cast": ["run", "infer", "compare"],
                                      "--fpint-window2-rate": ["perf", "infer", "compare"]]

    public static func configuration(from selection: ArraySelection) throws -> Configuration {
        let s = selection.shared, o = selection.fpint
        do {
            return Configuration(rows: s.rows ?? 8, cols: s.cols ?? 8, lanes: o.lanes ?? 16, shiftCapacity: o.shift ?? 8,
                                 formats: try o.formats.map(FpIntPrecision.parse) ?? FpIntPrecision.allCases,
                                 layerFormat: try o.layerFormat.map { try FpIntPrecision.parse($0).first! }, cast: !o.noCast,
                                 window2Rate: o.window2Rate)
        } catch let error as FpIntError {
            throw VariantError("invalid fpint option: \(error.description)")
        }
    }
}

/// The options of `--array fpint`.
public struct FpIntOptions: ParsableArguments {
    @Option(name: .customLong("fpint-lanes"), help: "Lanes N per PE (products per adder tree), 1…64 (default 16).")
    public var lanes: Int?
    @Option(name: .customLong("fpint-shift"), help: "Local shift capacity S, 1…24 (default 8).")
    public var shift: Int?
    @Option(name: .customLong("fpint-formats"), help: "Formats the build carries, comma-separated: int4, int8, fp8e4m3, fp8e5m2, bf16, fp16 (default all).")
    public var formats: String?
    @Option(name: .customLong("fpint-layer-format"), help: "The format `run` casts a float layer to (default the widest carried float format).")
    public var layerFormat: String?
    @Flag(name: .customLong("fpint-no-cast"), help: "`run`: refuse layer values the format cannot represent instead of rounding them (RNE).")
    public var noCast = false
    @Option(name: .customLong("fpint-window2-rate"), help: "perf without data: the fraction of beats that need the second window in any PE (0…1; default 0, the best case, a lower bound). run counts it from the tensors.")
    public var window2Rate: Double?

    public init() {}

    /// The options given.
    public var given: [String] {
        [("--fpint-lanes", lanes != nil), ("--fpint-shift", shift != nil), ("--fpint-formats", formats != nil),
         ("--fpint-layer-format", layerFormat != nil), ("--fpint-no-cast", noCast), ("--fpint-window2-rate", window2Rate != nil)].filter(\.1).map(\.0)
    }
}
