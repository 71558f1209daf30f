import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSupport
import Foundation

/// Where partial sums enter and leave an output-stationary array (docs/architecture.md §14).
public enum PartialSumMode: String, Codable, Sendable, CaseIterable {
    /// No partial-sum stage.
    case none
    /// A preload queue of W-bit partial sums added as each row drains.
    case preload
    /// The preload queue with the 12-bit partial-sum codec on both sides.
    case codec
}

/// The ANT array (MICRO'22): adaptive int/flint/pot/float operands decoded at the array's
/// edges, int8 through nibble terms, output-stationary (``AntArray``) or weight-stationary
/// (``WsArray``), optionally with the partial-sum stage.
public struct AntVariant: ArrayVariant {
    /// `--array ant` and its options.
    public struct Configuration: Codable, Sendable, Equatable {
        /// PE rows and columns.
        public var rows: Int, cols: Int
        /// Native code width.
        public var codeWidth: Int
        /// Types of the activation and weight streams (`int`, `flint`, `pot`, `float`).
        public var activationTypes: [String], weightTypes: [String]
        /// Accumulator width W.
        public var accumulatorWidth: Int
        /// int8 through nibble terms.
        public var int8: Bool
        /// The longest K the minimum-W check assumes.
        public var maxReduction: Int
        /// The partial-sum stage (output-stationary only).
        public var partialSums: PartialSumMode
        /// A plan from `antgen tune --plan` the build was sized for (recorded in the manifest).
        public var plan: String?

        /// Creates a configuration (validated when a variant is made of it).
        public init(rows: Int = 32, cols: Int = 32, codeWidth: Int = 4, activationTypes: [String] = ["int", "flint", "pot"],
                    weightTypes: [String] = ["int", "flint", "pot"], accumulatorWidth: Int = 32, int8: Bool = true,
                    maxReduction: Int = 4608, partialSums: PartialSumMode = .none, plan: String? = nil) {
            self.rows = rows
            self.cols = cols
            self.codeWidth = codeWidth
            self.activationTypes = activationTypes
            self.weightTypes = weightTypes
            self.accumulatorWidth = accumulatorWidth
            self.int8 = int8
            self.maxReduction = maxReduction
            self.partialSums = partialSums
            self.plan = plan
        }
    }

    /// The ANT array's named defects: the array's own and, on a partial-sum build, the stage's.
    public struct Defect: RawRepresentable, CaseIterable, Sendable, CustomStringConvertible, Hashable {
        public let rawValue: String
        public init?(rawValue: String) {
            guard Self.allCases.contains(where: { $0.rawValue == rawValue }) else { return nil }
            self.rawValue = rawValue
        }
        private init(known: String) { rawValue = known }
        public static var allCases: [Defect] {
            NamedMutant.allCases.map { Defect(known: $0.rawValue) } + PartialSumMutant.allCases.map { Defect(known: $0.rawValue) }
        }
        public var description: String { rawValue }
        /// The array's own mutant, if this is one.
        var arrayMutant: NamedMutant? { NamedMutant(rawValue: rawValue) }
        /// The partial-sum stage's mutant, if this is one.
        var stageMutant: PartialSumMutant? { PartialSumMutant(rawValue: rawValue) }
    }

    public static let name = "ant"
    public static let summary = "ANT adaptive int/flint/pot/float operands, int8 by nibble terms; optional partial-sum preload and 12-bit codec (os)"
    public static let dataflows: [ArrayDataflow] = [.os, .ws]
    public static let specification = "docs/architecture.md §1–§12, §14"

    public let configuration: Configuration
    public let dataflow: ArrayDataflow
    public var rows: Int { configuration.rows }
    public var cols: Int { configuration.cols }
    /// The validated hardware parameters.
    public let parameters: ArrayParameters
    /// The plan the build was sized for, if any.
    let planMapping: PlanHardwareMapping?

    public init(_ configuration: Configuration, dataflow: ArrayDataflow) throws {
        func types(_ names: [String], _ option: String) throws -> [AntType] {
            try names.map { name in
                guard let type = AntType(name: name) else {
                    throw ParameterError(parameter: option, message: name.lowercased() == "apot"
                        ? "apot is quantizer-only (a sum of powers of two, not one M·2^E); the hardware decodes int, flint, pot and float"
                        : "unknown type '\(name)'; expected int, flint, pot or float")
                }
                return type
            }
        }
        let c = configuration
        if c.partialSums != .none && dataflow != .os {
            throw VariantError("--psum-preload/--psum-codec: the partial-sum stage is built for the output-stationary array, not --dataflow \(dataflow)")
        }
        var p: ArrayParameters
        var mapping: PlanHardwareMapping?
        if let plan = c.plan {
            guard dataflow == .os else { throw VariantError("--plan is for the os dataflow only") }
            let read = try PlanHardwareMapping.read(atPath: plan)
            mapping = read
            p = try read.parameters(rows: c.rows, cols: c.cols, activationTypes: nil, maxReduction: c.maxReduction)
        } else {
            p = try ArrayParameters(rows: c.rows, cols: c.cols, codeWidth: c.codeWidth,
                                    activationTypes: try types(c.activationTypes, "act-types"), weightTypes: try types(c.weightTypes, "weight-types"),
                                    accumulatorWidth: c.accumulatorWidth, int8: c.int8, maxReduction: c.maxReduction)
        }
        if c.partialSums != .none { p = try p.withPartialSums(preload: true, codec: c.partialSums == .codec) }
        self.configuration = c
        self.dataflow = dataflow
        self.parameters = p
        self.planMapping = mapping
    }

    /// The variant for already validated parameters (tests, the regression catalogue).
    public init(_ p: ArrayParameters, dataflow: ArrayDataflow = .os) throws {
        try self.init(Configuration(rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, activationTypes: p.activation.types.map(\.description),
                                    weightTypes: p.weight.types.map(\.description), accumulatorWidth: p.accumulatorWidth, int8: p.int8,
                                    maxReduction: p.maxReduction, partialSums: p.codec ? .codec : p.preload ? .preload : .none),
                      dataflow: dataflow)
    }

    public func elaborate() throws -> Design {
        dataflow == .ws ? try AntgenDSL.elaborate(WsArray(parameters)) : try AntgenDSL.elaborate(AntArray(parameters))
    }

    public func elaborateForSynthesis() throws -> Design { try elaborate() }

    public func manifestJSON(for design: Design) throws -> String {
        let modules = design.modules.map(\.name)
        if dataflow == .ws {
            return try ArrayManifest(wsParameters: parameters, top: design.top, modules: modules, version: antgenVersion).jsonText()
        }
        return try ArrayManifest(parameters: parameters, top: design.top, modules: modules, version: antgenVersion,
                                 plan: planMapping.map { $0.summary(for: parameters) }).jsonText()
    }

    /// `rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8][_preload|_psum12]` (`ws_…` for WS).
    public var defaultFolder: String {
        let p = parameters
        func joined(_ list: String) -> String { list.replacingOccurrences(of: ",", with: "-") }
        let act = joined(p.activation.typeList), weight = joined(p.weight.typeList)
        let types = act == weight ? act : "act-\(act)_wgt-\(weight)"
        let psum = p.codec ? "_psum12" : p.preload ? "_preload" : ""
        return "rtl-out/\(dataflow == .ws ? "ws" : "ant")_\(p.rows)x\(p.cols)_\(types)_\(p.codeWidth)b_w\(p.accumulatorWidth)\(p.int8 ? "" : "_noint8")\(psum)"
    }

    public func summaryLines(for design: Design) -> [String] {
        let p = parameters
        var lines: [String] = []
        if dataflow == .ws {
            let timing = WsTiming(rows: p.rows, cols: p.cols)
            lines.append("latency: \(timing.outputLatency(termsPerBeat: 1)) cycles from a compute beat to its output row (T + rows + cols + 1); \(timing.loadBeats) load beats per weight tile")
        } else {
            let timing = ArrayTiming(rows: p.rows, cols: p.cols)
            lines.append("latency: \(timing.firstRowLatency(termsPerBeat: 1)) cycles to the first output row, \(timing.lastRowLatency(termsPerBeat: 1)) to the last (\(ArrayTiming.firstRowFormula))")
        }
        lines.append("W:       \(p.accumulatorWidth) bits (minimum \(p.minimumAccumulatorWidth) for K = \(p.maxReduction))")
        if let stage = p.partialSumStage {
            lines.append("psum:    preload queue of \(stage.depth) rows\(p.codec ? ", 12-bit codes in (psum_in) and out (out_psum)" : ", W-bit rows") added as each row drains, 0 extra cycles")
        }
        return lines
    }

    public var warnings: [String] { parameters.accumulatorWarning.map { [$0] } ?? [] }

    public var synthesisFields: [String: String] { parameters.manifestFields.merging(["dataflow": dataflow.rawValue]) { a, _ in a } }

    public func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray {
        guard parameters.partialSumStage == nil else {
            throw VariantError("antgen perf models the ANT array without the partial-sum stage; drop --psum-preload/--psum-codec")
        }
        return try PerfArray(rows: parameters.rows, cols: parameters.cols, shape: perfShape, timing: streamTiming,
                             accumulatorWidth: parameters.accumulatorWidth, int8: parameters.int8, clockMHz: clockMHz, buffers: buffers)
    }

    public var perfShape: any ArrayPerfShape { dataflow == .os ? AntOutputStationaryShape() : AntWeightStationaryShape() }
    public var streamTiming: StreamTiming { parameters.streamTiming(dataflow: dataflow) }

    public var arguments: [String] {
        let c = configuration
        var args = ["--rows", "\(c.rows)", "--cols", "\(c.cols)"]
        if let plan = c.plan { return args + ["--plan", plan, "--max-k", "\(c.maxReduction)"] }
        args += ["--code-width", "\(c.codeWidth)", "--act-types", c.activationTypes.joined(separator: ","),
                 "--weight-types", c.weightTypes.joined(separator: ","), "--acc-width", "\(c.accumulatorWidth)",
                 c.int8 ? "--int8" : "--no-int8", "--max-k", "\(c.maxReduction)"]
        switch c.partialSums {
        case .none: break
        case .preload: args.append("--psum-preload")
        case .codec: args.append("--psum-codec")
        }
        return args
    }
}

extension AntVariant {
    public static let sharedOptions: Set<String> = ["--rows", "--cols", "--acc-width", "--int8/--no-int8", "--max-k", "--code-width", "--types",
                                                   "--act-types", "--weight-types", "--psum-preload", "--psum-codec"]
    public func designDefect(_ defect: Defect) throws -> any DesignDefect {
        if let stage = defect.stageMutant, parameters.partialSumStage != nil { return stage }
        guard let mutant = try arrayMutant(defect) else { throw VariantError("\(defect) has no site in this build") }
        return Mutant.named(mutant)
    }

    public static let smallConfiguration = Configuration(rows: 3, cols: 2, accumulatorWidth: 24)
    public static let ownOptions = ["--plan"]

    public static func configuration(from selection: ArraySelection) throws -> Configuration {
        let s = selection.shared
        if selection.ant.plan != nil {
            let replaced = s.given.filter { ["--code-width", "--types", "--act-types", "--weight-types", "--acc-width", "--int8/--no-int8"].contains($0) }
            if let option = replaced.first { throw VariantError("\(option): --plan sets the types, precisions and W of the build; drop \(option)") }
        }
        let types = SharedArrayOptions.typeList(s.types ?? "int,flint,pot")
        return Configuration(rows: s.rows ?? 32, cols: s.cols ?? 32, codeWidth: s.codeWidth ?? 4,
                             activationTypes: s.actTypes.map(SharedArrayOptions.typeList) ?? types,
                             weightTypes: s.weightTypes.map(SharedArrayOptions.typeList) ?? types,
                             accumulatorWidth: s.accWidth ?? 32, int8: s.int8 ?? true, maxReduction: s.maxK ?? 4608,
                             partialSums: s.partialSums, plan: selection.ant.plan)
    }
}
