import AntgenHarness
import AntgenModel
import AntgenPerf
import Foundation

/// Every linear layer of a model on one array variant: each product quantized in the
/// variant's formats at the layer's precision (one uniform choice, or a plan's per-layer
/// choices) and computed by the variant's golden integer path (``ArrayVariant/computeLayer(_:precision:)``),
/// the bias added in float. With an RTL request, every layer also goes through the
/// generated RTL (``ArrayVariant/run(_:precision:_:)``: one simulator build per
/// configuration, cached) and every output is checked against the golden path; any
/// difference stops the forward pass with one line.
///
/// A layer's weights are quantized once (a ``WeightMemo`` per layer name: give one executor
/// one model). Attention products stay in float unless ``attentionOnArray``. Every call is recorded, so
/// ``performance(clockMHz:buffers:table:cells:)`` prices the whole run on the array.
public final class VariantLinearExecutor: LinearExecutor, @unchecked Sendable {
    /// One product the executor computed.
    public struct Record: Sendable {
        /// The layer's name (`encoder.layer.0.attention.self.query`).
        public let name: String
        /// The golden path's computation: shape, formats and widths (its `output` is not kept: empty).
        public let computation: LayerComputation
        /// The RTL's cycles when the layer went through the RTL (nil: golden path only).
        public let rtlCycles: Int?
    }

    /// The array.
    public let variant: any ArrayVariant
    /// Where `--rtl` simulates (nil: the golden path only).
    public let rtl: LayerRunRequest?
    private let choose: @Sendable (String) -> LayerPrecision
    private let lock = NSLock()
    private var records: [Record] = []
    private let memos: WeightMemoStore
    /// Put the attention products (Q·Kᵀ, P·V) on the array too, at the precision of the
    /// name `encoder.layer.L.attention.qk` / `.pv` (default: float).
    public let attentionOnArray: Bool
    /// Called with one line per product checked through the RTL (progress of `--rtl` runs).
    public let log: (@Sendable (String) -> Void)?

    /// Every layer at `precision`.
    public convenience init(variant: any ArrayVariant, precision: LayerPrecision, rtl: LayerRunRequest? = nil, attentionOnArray: Bool = false,
                log: (@Sendable (String) -> Void)? = nil) {
        self.init(variant: variant, memos: WeightMemoStore(), rtl: rtl, attentionOnArray: attentionOnArray, log: log) { _ in precision }
    }

    /// Every layer at `choose(name)`, its quantized weights kept in `memos` (share one store
    /// between executors of the same variant and model, e.g. the passes of `antgen tune --model`).
    public init(variant: any ArrayVariant, memos: WeightMemoStore, rtl: LayerRunRequest? = nil, attentionOnArray: Bool = false,
                log: (@Sendable (String) -> Void)? = nil, choose: @escaping @Sendable (String) -> LayerPrecision) {
        self.log = log
        self.variant = variant
        self.rtl = rtl
        self.attentionOnArray = attentionOnArray
        self.memos = memos
        self.choose = choose
    }

    /// Every layer at its plan's choices (`fallback` for an operand the plan does not name).
    public convenience init(variant: any ArrayVariant, plan: PlanPrecisions, fallback: LayerPrecision = .standard, rtl: LayerRunRequest? = nil,
                attentionOnArray: Bool = false, log: (@Sendable (String) -> Void)? = nil) {
        self.init(variant: variant, memos: WeightMemoStore(), rtl: rtl, attentionOnArray: attentionOnArray, log: log) {
            plan.precision(forLayer: $0, fallback: fallback)
        }
    }

    /// Refuses, before any real work, a layer whose precision this array cannot run (each
    /// name's precision tried on a 1 × 1 · 1 × 1 layer).
    /// - Throws: ``VariantError`` naming the first such layer.
    public func preflight(_ names: [String]) throws {
        let tiny = try FloatLayer(m: 1, k: 1, n: 1, a: [1], w: [1])
        for name in names {
            do { _ = try variant.computeLayer(tiny, precision: choose(name)) } catch { throw VariantError("\(name): \(error)") }
        }
    }

    /// The precision the layer named `name` runs at.
    public func precision(forLayer name: String) -> LayerPrecision { choose(name) }

    public func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix {
        guard weight.columns == input.columns, bias.count == weight.rows else {
            throw VariantError("\(layer): input \(input.rows)×\(input.columns), weight \(weight.rows)×\(weight.columns), \(bias.count) biases do not fit")
        }
        return try product(input, weight, bias: bias, name: layer.description, memo: memos.memo(for: layer.description))
    }

    /// With ``onArray`` set for attention, Q·Kᵀ and P·V on the array too (K and V as the
    /// right operand, quantized per row like weights, anew for every sentence); else in float.
    public func attention(_ left: ModelMatrix, _ right: ModelMatrix, product kind: AttentionProduct) throws -> ModelMatrix {
        guard attentionOnArray else { return try FloatGemm.multiply(left, transposed: right) }
        let layerName = "encoder.layer.\(kind.layer).attention.\(kind.kind == .scores ? "qk" : "pv")"
        return try product(left, right, bias: [Float](repeating: 0, count: right.rows), name: layerName, memo: nil)
    }

    /// `input · weightᵀ + bias` on the array's golden path (and the RTL), recorded as `name`.
    func product(_ input: ModelMatrix, _ weight: ModelMatrix, bias: [Float], name: String, memo: WeightMemo?) throws -> ModelMatrix {
        let (m, k, n) = (input.rows, input.columns, weight.rows)
        var w = [Double](repeating: 0, count: k * n)
        for j in 0..<n { for kk in 0..<k { w[kk * n + j] = Double(weight.values[j * k + kk]) } }
        let floatLayer = try FloatLayer(m: m, k: k, n: n, a: input.values.map(Double.init), w: w)
        let precision = choose(name)
        let computation: LayerComputation
        do {
            computation = try variant.computeLayer(floatLayer, precision: precision, weights: memo)
        } catch {
            throw VariantError("\(name): \(error)")
        }
        var cycles: Int?
        if let rtl {
            let run = try variant.run(floatLayer, precision: precision, rtl, weights: memo)
            guard run.bitExact else {
                throw VariantError("\(name): the RTL differs from the golden model in \(run.mismatchCount) of \(run.comparedElements) outputs (first: \(run.firstMismatch ?? run.protocolErrors.first ?? "?"))")
            }
            if let i = computation.output.indices.first(where: { run.output[$0].bitPattern != computation.output[$0].bitPattern }) {
                throw VariantError("\(name): C[\(i / n), \(i % n)] is \(run.output[i]) from the RTL but \(computation.output[i]) on the golden path")
            }
            cycles = run.cycles
            log?("\(name): \(m)×\(k) · \(k)×\(n) bit-identical through the RTL, \(run.cycles) cycles (\(run.formats))")
        }
        // The record keeps the shape and widths, not the output: memory stays one layer's
        // activations however long the corpus.
        let kept = LayerComputation(m: m, k: k, n: n, output: [], formats: computation.formats, precision: computation.precision,
                                    activationBits: computation.activationBits, weightBits: computation.weightBits)
        lock.withLock { records.append(Record(name: name, computation: kept, rtlCycles: cycles)) }
        var out = ModelMatrix(zeros: m, n)
        for i in 0..<m { for j in 0..<n { out.values[i * n + j] = Float(computation.output[i * n + j]) + bias[j] } }
        return out
    }

    /// Every product computed so far, in call order.
    public var layers: [Record] { lock.withLock { records } }

    /// Products that went through the RTL, bit-exact against the golden path.
    public var rtlCheckedLayers: Int { layers.filter { $0.rtlCycles != nil }.count }

    /// The performance model's cycles, traffic and energy of every product computed so far
    /// on this array (totals: the whole run).
    public func performance(clockMHz: Double = 500, buffers: BufferSizes = .standard, table: EnergyTable = .standard,
                            cells: ArrayCells? = nil) throws -> PerformanceReport {
        try variant.performance(of: layers.map { ($0.name, $0.computation) }, clockMHz: clockMHz, buffers: buffers, table: table, cells: cells)
    }
}
