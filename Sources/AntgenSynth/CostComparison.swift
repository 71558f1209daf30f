import AntgenDSL
import AntgenHardware
import AntgenNumerics

/// One measured block of the comparison.
public struct MeasuredBlock: Sendable, Equatable, Codable {
    /// What it is, for the table.
    public let label: String
    /// The Verilog module synthesized (blocks built from the same module share a number).
    public let module: String
    /// The block with everything below it.
    public let cost: ModuleCost

    /// Creates a measured block.
    public init(label: String, module: String, cost: ModuleCost) {
        self.label = label
        self.module = module
        self.cost = cost
    }
}

/// One array size: int-only against ANT.
public struct ArrayPair: Sendable, Equatable, Codable {
    /// Rows = cols.
    public let size: Int
    /// The int-only array as emitted (`--types int --no-int8`).
    public let intOnly: ArrayMeasurement
    /// The ANT array (int/flint/pot with int8, the paper's configuration).
    public let ant: ArrayMeasurement
    /// The int-only array priced with the no-shifter ``IntOnlyProcessingElement`` (4-bit) in every position.
    public let intOnlyWithInt4PE: ModuleCost

    /// Creates the pair.
    public init(size: Int, intOnly: ArrayMeasurement, ant: ArrayMeasurement, intOnlyWithInt4PE: ModuleCost) {
        self.size = size
        self.intOnly = intOnly
        self.ant = ant
        self.intOnlyWithInt4PE = intOnlyWithInt4PE
    }

    /// ANT / int-only, NAND2 equivalents.
    public var ratio: Double { ant.cost.nand2Equivalent / intOnly.cost.nand2Equivalent }
    /// ANT / int-only with the no-shifter PE, NAND2 equivalents.
    public var ratioToInt4PE: Double { ant.cost.nand2Equivalent / intOnlyWithInt4PE.nand2Equivalent }
}

/// One synthesized array.
public struct ArrayMeasurement: Sendable, Equatable, Codable {
    /// The whole design.
    public let cost: ModuleCost
    /// Boundary decoders (all `OperandDecoder` copies), NAND2 equivalents.
    public let decoderNand2: Double
    /// How many boundary decoders (rows + cols).
    public let decoderCount: Int
    /// All PEs (rows × cols copies), NAND2 equivalents.
    public let peNand2: Double

    /// Creates the measurement.
    public init(cost: ModuleCost, decoderNand2: Double, decoderCount: Int, peNand2: Double) {
        self.cost = cost
        self.decoderNand2 = decoderNand2
        self.decoderCount = decoderCount
        self.peNand2 = peNand2
    }

    /// Boundary decoders / whole design, NAND2 equivalents.
    public var decoderShare: Double { cost.nand2Equivalent > 0 ? decoderNand2 / cost.nand2Equivalent : 0 }
    /// PEs / whole design, NAND2 equivalents.
    public var peShare: Double { cost.nand2Equivalent > 0 ? peNand2 / cost.nand2Equivalent : 0 }
}

/// A post-route frequency estimate of one small array.
public struct MeasuredFrequency: Sendable, Equatable, Codable {
    /// What was placed and routed.
    public let label: String
    /// The estimate.
    public let estimate: FrequencyEstimate
}

/// Everything the cost report shows.
public struct CostComparisonResult: Sendable, Equatable, Codable {
    /// `Yosys 0.23 (git sha1 …)`.
    public let yosysVersion: String
    /// Accumulator width of every block.
    public let accumulatorWidth: Int
    /// PE variants, the int4 baseline first.
    public let processingElements: [MeasuredBlock]
    /// Decoders.
    public let decoders: [MeasuredBlock]
    /// Arrays by size.
    public let arrays: [ArrayPair]
    /// nextpnr estimates (empty unless asked for: `antgen synth --compare --fmax`).
    public let frequencies: [MeasuredFrequency]

    /// Creates the result.
    public init(yosysVersion: String, accumulatorWidth: Int, processingElements: [MeasuredBlock], decoders: [MeasuredBlock],
                arrays: [ArrayPair], frequencies: [MeasuredFrequency]) {
        self.yosysVersion = yosysVersion
        self.accumulatorWidth = accumulatorWidth
        self.processingElements = processingElements
        self.decoders = decoders
        self.arrays = arrays
        self.frequencies = frequencies
    }

    /// The PE row with this label (``CostComparison``'s label constants), if measured.
    public func processingElement(_ label: String) -> MeasuredBlock? { processingElements.first { $0.label == label } }
    /// The int4 baseline PE (the first row when a result lacks the labelled one).
    public var int4PE: MeasuredBlock { processingElement(CostComparison.int4PELabel) ?? processingElements[0] }
    /// The native int8 reference PE, when measured.
    public var nativeInt8PE: MeasuredBlock? { processingElement(CostComparison.nativeInt8PELabel) }
    /// The ANT PE (int/flint/pot).
    public var antPE: MeasuredBlock { processingElement(CostComparison.antPELabel) ?? processingElements[0] }
}

/// The comparison suite of `antgen synth --compare` (docs/hardware-cost.md): PE variants, decoders,
/// and int-only against ANT arrays at several sizes, all with code width 4.
public struct CostComparison: Sendable {
    /// Square array sizes to compare.
    public let arraySizes: [Int]
    /// W of every PE and array.
    public let accumulatorWidth: Int
    /// Also run nextpnr on 2 × 2 arrays.
    public let estimateFrequency: Bool

    /// The array sizes compared unless told otherwise.
    public static let defaultArraySizes = [8, 16, 32]
    /// The accumulator width W of every block unless told otherwise.
    public static let defaultAccumulatorWidth = 32

    /// Label of the int4-only baseline PE row.
    public static let int4PELabel = "int4 PE (no shifter)"
    /// Label of the PE an int-only build emits.
    public static let emittedIntPELabel = "int PE as emitted for --types int --no-int8 (1-bit E)"
    /// Label of the int8-capable (nibble-term) PE row.
    public static let int8CapablePELabel = "int8-capable PE (int + int8 nibble terms)"
    /// Label of the int/flint PE row.
    public static let intFlintPELabel = "int/flint PE"
    /// Label of the ANT PE row.
    public static let antPELabel = "ANT PE (int/flint/pot)"
    /// Label of the reference row: a native int8 PE (not what antgen generates).
    public static let nativeInt8PELabel = "native int8 PE (8×8 multiplier; reference)"

    /// Creates the suite.
    public init(arraySizes: [Int] = CostComparison.defaultArraySizes, accumulatorWidth: Int = CostComparison.defaultAccumulatorWidth,
                estimateFrequency: Bool = false) {
        self.arraySizes = arraySizes
        self.accumulatorWidth = accumulatorWidth
        self.estimateFrequency = estimateFrequency
    }

    /// Array parameters for a square array.
    private func array(_ size: Int, _ types: [AntType], int8: Bool) throws -> ArrayParameters {
        try ArrayParameters(rows: size, cols: size, codeWidth: 4, activationTypes: types, weightTypes: types,
                            accumulatorWidth: accumulatorWidth, int8: int8)
    }

    /// Runs every synthesis; `progress` gets one line per block.
    /// - Throws: ``SynthesisError`` from the first failing run.
    public func run(with synthesizer: Synthesizer, progress: (String) -> Void = { _ in }) throws -> CostComparisonResult {
        // Keyed by module and flattening: a flat and a hierarchical run of one module differ.
        var cache: [String: ModuleCost] = [:]
        func measure(_ label: String, _ circuit: some Circuit, flatten: Bool = false) throws -> MeasuredBlock {
            let design = try elaborateForSynthesis(circuit)
            let key = "\(design.top.name) flatten=\(flatten)"
            if let known = cache[key] { return MeasuredBlock(label: label, module: design.top.name, cost: known) }
            progress("synth \(label): \(design.top.name)")
            let report = try synthesizer.synthesize(design, options: SynthesisOptions(flatten: flatten))
            cache[key] = report.design
            return MeasuredBlock(label: label, module: design.top.name, cost: report.design)
        }
        let ant: [AntType] = [.int, .flint, .pot]
        let int4PE = try measure(Self.int4PELabel, try IntOnlyProcessingElement(bits: 4, accumulatorWidth: accumulatorWidth), flatten: true)
        let pes = [
            int4PE,
            try measure(Self.emittedIntPELabel, ProcessingElement(shape: PEShape(array(1, [.int], int8: false)))),
            try measure(Self.int8CapablePELabel, ProcessingElement(shape: PEShape(array(1, [.int], int8: true)))),
            try measure(Self.intFlintPELabel, ProcessingElement(shape: PEShape(array(1, [.int, .flint], int8: false)))),
            try measure(Self.antPELabel, ProcessingElement(shape: PEShape(array(1, ant, int8: false)))),
            try measure("ANT PE + int8", ProcessingElement(shape: PEShape(array(1, ant, int8: true)))),
            try measure("ANT PE with float (int/flint/pot/float + int8)", ProcessingElement(shape: PEShape(array(1, ant + [.float], int8: true)))),
            try measure(Self.nativeInt8PELabel, try IntOnlyProcessingElement(bits: 8, accumulatorWidth: accumulatorWidth), flatten: true),
        ]
        let decoders = [
            try measure("int decoder", IntDecoder(codeWidth: 4)),
            try measure("flint decoder", FlintDecoder(codeWidth: 4)),
            try measure("pot decoder", PotDecoder(codeWidth: 4)),
            try measure("float decoder", FloatDecoder(codeWidth: 4)),
            try measure("int8 nibble-term decoder", Int8TermDecoder()),
            try measure("unified decoder, int only", OperandDecoder(format: OperandFormat(codeWidth: 4, types: [.int], int8: false))),
            try measure("unified decoder, int/flint/pot + int8", OperandDecoder(format: OperandFormat(codeWidth: 4, types: ant, int8: true))),
            try measure("unified decoder, int/flint/pot/float + int8", OperandDecoder(format: OperandFormat(codeWidth: 4, types: ant + [.float], int8: true))),
        ]
        var arrays: [ArrayPair] = []
        for size in arraySizes {
            progress("synth \(size)x\(size) int-only array")
            let intReport = try synthesizer.synthesize(try elaborateForSynthesis(AntArray(array(size, [.int], int8: false))))
            progress("synth \(size)x\(size) ANT array")
            let antReport = try synthesizer.synthesize(try elaborateForSynthesis(AntArray(array(size, ant, int8: true))))
            let intPE = intReport.modules(generator: "ProcessingElement").map(\.name)
            let substituted = intReport.designTotal(substituting: Dictionary(uniqueKeysWithValues: intPE.map { ($0, int4PE.cost) }))
            arrays.append(ArrayPair(size: size, intOnly: Self.measurement(intReport), ant: Self.measurement(antReport),
                                    intOnlyWithInt4PE: substituted))
        }
        var frequencies: [MeasuredFrequency] = []
        if estimateFrequency {
            for (label, types, int8) in [("2x2 int-only array", [AntType.int], false), ("2x2 ANT array", ant, true)] {
                progress("place and route \(label)")
                let report = try synthesizer.synthesize(try elaborateForSynthesis(AntArray(array(2, types, int8: int8))),
                                                        options: SynthesisOptions(estimateFrequency: true))
                if let fmax = report.fmax { frequencies.append(MeasuredFrequency(label: label, estimate: fmax)) }
            }
        }
        return CostComparisonResult(yosysVersion: try synthesizer.yosysVersion(), accumulatorWidth: accumulatorWidth,
                                    processingElements: pes, decoders: decoders, arrays: arrays, frequencies: frequencies)
    }

    /// The array numbers the report shows.
    private static func measurement(_ report: SynthesisReport) -> ArrayMeasurement {
        ArrayMeasurement(cost: report.design, decoderNand2: report.designShare(ofGenerator: "OperandDecoder"),
                         decoderCount: report.modules(generator: "OperandDecoder").reduce(0) { $0 + $1.instancesInDesign },
                         peNand2: report.designShare(ofGenerator: "ProcessingElement"))
    }
}

/// Elaborates a circuit, turning elaboration errors into ``SynthesisError/invalidDesign(_:)``.
public func elaborateForSynthesis(_ circuit: some Circuit) throws -> Design {
    do {
        return try elaborate(circuit)
    } catch {
        throw SynthesisError.invalidDesign("\(error)".split(separator: "\n").first.map(String.init) ?? "elaboration failed")
    }
}
