import AntgenHarness
import AntgenNumerics
import AntgenPerf
import Foundation

/// How one operand of a layer is quantized on an array.
public enum OperandChoice: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// What `antgen run` does on the array: ANT its adaptive types at the code width; PWLQ
    /// int8 activations on a build with int8 (else int4) and its PWLQ weights; SDP int8
    /// activations and the build's widest int weights; MX its `layerFormats`.
    case standard
    /// A width as `antgen perf --precision` spells it: 4 (the array's 4-bit codes; ANT picks
    /// among its adaptive types) or 8 (int8).
    case bits(Int)
    /// A plan's choice for the tensor (`antgen tune`): its kind (`int`, `flint`, `pot`,
    /// `float`, `pwlq`) and width.
    case format(kind: String, bits: Int)

    /// `std`, `4`, `8`, `flint4`.
    public var description: String {
        switch self {
        case .standard: return "std"
        case .bits(let b): return "\(b)"
        case .format(let kind, let bits): return "\(kind)\(bits)"
        }
    }
}

/// The quantization choices of one layer: activation and weight.
public struct LayerPrecision: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The activations' choice (A, per tensor).
    public var activation: OperandChoice
    /// The weights' choice (W, per output channel).
    public var weight: OperandChoice

    /// Creates a precision.
    public init(activation: OperandChoice, weight: OperandChoice) {
        self.activation = activation
        self.weight = weight
    }

    /// What `antgen run` does on each array.
    public static let standard = LayerPrecision(activation: .standard, weight: .standard)

    /// One uniform width pair (`a8w4`: 8-bit activations, 4-bit weights).
    public static func uniform(activationBits: Int, weightBits: Int) -> LayerPrecision {
        LayerPrecision(activation: .bits(activationBits), weight: .bits(weightBits))
    }

    /// `a4w4`, `a8w4`, `a4w8` or `a8w8` (activation first), as `antgen perf --precision`, or
    /// `standard` (what `antgen run` does on the array: MX's only choice).
    /// - Throws: ``VariantError`` for any other text.
    public init(parsing text: String) throws {
        if text.lowercased() == "standard" { self = .standard; return }
        let pairs = ["a4w4": (4, 4), "a8w4": (8, 4), "a4w8": (4, 8), "a8w8": (8, 8)]
        guard let (a, w) = pairs[text.lowercased()] else {
            throw VariantError("invalid precision: '\(text)'; expected a4w4, a8w4, a4w8, a8w8 or standard")
        }
        self = .uniform(activationBits: a, weightBits: w)
    }

    /// `a4w8`, `standard`, or `a flint4 w int8`-style for plan choices.
    public var description: String {
        if self == .standard { return "standard" }
        if case .bits(let a) = activation, case .bits(let w) = weight { return "a\(a)w\(w)" }
        return "a \(activation) w \(weight)"
    }
}

/// The per-layer choices of an `antgen tune` plan, by layer name: the weight tensor
/// `<layer>.weight` and the activation tensor `<layer>.input` (or, as `antgen perf
/// --layer-plan` reads it, the one `*.input` tensor under the same parent).
public struct PlanPrecisions: Sendable {
    /// The plan.
    public let plan: QuantizationPlan

    /// The choices of `plan`.
    public init(_ plan: QuantizationPlan) { self.plan = plan }

    /// Reads a plan written by `antgen tune --plan`.
    /// - Throws: the plan reader's one-line error.
    public static func read(atPath path: String) throws -> PlanPrecisions { PlanPrecisions(try QuantizationPlan.read(atPath: path)) }

    /// The layer's precision: the plan's formats for its weight and input tensors, `fallback`'s
    /// choice for an operand the plan does not name.
    public func precision(forLayer name: String, fallback: LayerPrecision = .standard) -> LayerPrecision {
        func parent(_ n: String) -> String { n.split(separator: ".").dropLast().joined(separator: ".") }
        let weight = plan.tensors.first { $0.role == "weight" && ($0.name == name + ".weight" || $0.name == name) }
        var input = plan.tensors.first { $0.role == "activation" && $0.name == name + ".input" }
        if input == nil {
            let siblings = plan.tensors.filter { $0.role == "activation" && $0.name.hasSuffix(".input")
                && parent(String($0.name.dropLast(".input".count))) == parent(name) }
            if siblings.count == 1 { input = siblings[0] }
        }
        return LayerPrecision(activation: input.map { .format(kind: $0.kind, bits: $0.bits) } ?? fallback.activation,
                              weight: weight.map { .format(kind: $0.kind, bits: $0.bits) } ?? fallback.weight)
    }
}

/// One float layer computed on an array's golden path (no simulator): the quantization
/// choices made and the dequantised output, bit-identical to what the RTL gives through
/// ``ArrayVariant/run(_:precision:_:defect:)``.
public struct LayerComputation: Sendable {
    /// The layer's shape.
    public let m: Int, k: Int, n: Int
    /// C dequantised, row-major M × N.
    public let output: [Double]
    /// The formats the layer was quantized to, as `antgen run` words them.
    public let formats: String
    /// The precision asked for.
    public let precision: LayerPrecision
    /// The operand widths as the array runs them (4: one step, 8: int8), the precision the
    /// performance model prices the layer at.
    public let activationBits: Int, weightBits: Int

    /// Creates a computation.
    public init(m: Int, k: Int, n: Int, output: [Double], formats: String, precision: LayerPrecision, activationBits: Int, weightBits: Int) {
        self.m = m
        self.k = k
        self.n = n
        self.output = output
        self.formats = formats
        self.precision = precision
        self.activationBits = activationBits
        self.weightBits = weightBits
    }

    /// The layer as the performance model sees it, named `name`.
    /// - Throws: ``PerfError`` for a width the array does not carry.
    public func perfLayer(name: String) throws -> GemmLayer {
        try GemmLayer(name: name, m: m, k: k, n: n, activationBits: try LayerBits(carrying: activationBits, what: "\(name) activations"),
                      weightBits: try LayerBits(carrying: weightBits, what: "\(name) weights"))
    }
}

/// Quantized weights of ONE layer kept across calls (a model's layer sees new activations
/// every batch, the same weights): a variant stores its weight operand under the precision
/// that made it and reuses it, so a layer's weights are quantized once per precision.
/// Thread-safe; give each layer its own memo.
public final class WeightMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: any Sendable] = [:]

    /// An empty memo.
    public init() {}

    /// The value stored under `key`, or `make()`'s, stored.
    public func value<T: Sendable>(_ key: String, _ make: () throws -> T) throws -> T {
        if let hit = lock.withLock({ values[key] }) as? T { return hit }
        let made = try make()
        lock.withLock { values[key] = made }
        return made
    }
}

/// One ``WeightMemo`` per layer name, made on first use. Thread-safe; share one store only
/// between executors of the same variant and model.
public final class WeightMemoStore: @unchecked Sendable {
    private let lock = NSLock()
    private var memos: [String: WeightMemo] = [:]

    /// An empty store.
    public init() {}

    /// The memo of the layer named `name`.
    public func memo(for name: String) -> WeightMemo {
        lock.withLock {
            if let memo = memos[name] { return memo }
            let memo = WeightMemo()
            memos[name] = memo
            return memo
        }
    }
}

extension ArrayVariant {
    /// ``computeLayer(_:precision:weights:)`` without a weight memo.
    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision) throws -> LayerComputation {
        try computeLayer(layer, precision: precision, weights: nil)
    }

    /// ``run(_:precision:_:defect:)`` at the standard precision (what `antgen run` does).
    public func run(_ layer: FloatLayer, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        try run(layer, precision: .standard, request, defect: defect)
    }

    /// ``run(_:precision:_:defect:)`` on the real hardware (no defect).
    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest) throws -> LayerRunOutcome {
        try run(layer, precision: precision, request, defect: nil)
    }

    /// The default: the weights quantized anew (the memo is not used).
    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, weights: WeightMemo?) throws -> LayerRunOutcome {
        try run(layer, precision: precision, request, defect: nil)
    }

    /// The performance model's cycles, traffic and energy of `layers` (name, computation) on
    /// this array: one ``PerformanceReport`` whose totals are the whole model's.
    /// - Parameters:
    ///   - cells: the array's cell counts (`perfCells(synthesizer:…)`); nil prices the
    ///     PEs and array logic at 0.
    /// - Throws: the variant's or the model's one-line error.
    public func performance(of layers: [(name: String, computation: LayerComputation)], clockMHz: Double = 500,
                            buffers: BufferSizes = .standard, table: EnergyTable = .standard, cells: ArrayCells? = nil) throws -> PerformanceReport {
        let array = try perfArray(clockMHz: clockMHz, buffers: buffers)
        return try PerformanceModel(array: array, table: table, cells: cells).evaluate(try layers.map { try $0.computation.perfLayer(name: $0.name) })
    }
}
