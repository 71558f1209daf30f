import AntgenGolden
import AntgenHarness
import AntgenModel
import Foundation

/// How one operand of a layer was quantized on the ANT array: what a plan records per tensor.
public struct OperandStatistics: Sendable, Equatable {
    /// The tensor's shape as a plan states it (`[out, in]` for weights, `[tokens, in]` for inputs).
    public let shape: [Int]
    /// Elements.
    public var elements: Int { shape.reduce(1, *) }
    /// Signedness and the format's tag (`flint4s`, `int8s`).
    public let signed: Bool, format: String
    /// The format's distinct values in units, ascending.
    public let grid: [Double]
    /// α per channel (weights) or per tensor: a code of q units is α · q / max(grid).
    public let alphas: [Double]
    /// Mean squared quantization error and mean x².
    public let mse: Double, meanSquare: Double

    /// The statistics of `q` quantizing `values` (row-major like `q`), on `model`.
    init(_ q: QuantizedMatrix, values: [Double], shape: [Int], model: GoldenModel, codeWidth: Int) {
        let bits = q.mode.codeBits(codeWidth: codeWidth)
        let units = (0 ..< (1 << bits)).map { Double(model.value(of: UInt64($0), mode: q.mode)) }
        let grid = Array(Set(units)).sorted()
        let top = max(grid.last ?? 1, 1)
        var error = 0.0, square = 0.0
        for r in 0 ..< q.rows {
            for c in 0 ..< q.cols {
                let x = values[r * q.cols + c]
                let d = x - q.scale(column: c) * units[Int(q.codes[r * q.cols + c])]
                error += d * d
                square += x * x
            }
        }
        let count = Double(max(1, values.count))
        self.shape = shape
        signed = q.mode.signed
        format = q.mode.tag(codeWidth: codeWidth)
        self.grid = grid
        alphas = q.scales.map { $0 * top }
        mse = error / count
        meanSquare = square / count
    }
}

/// A linear executor that records, on each layer's first call, how its input and weights are
/// quantized (``OperandStatistics``), then passes the call to `inner`.
final class OperandStatisticsRecorder: LinearExecutor, @unchecked Sendable {
    let variant: AntVariant
    let memos: WeightMemoStore
    let inner: VariantLinearExecutor
    private let lock = NSLock()
    private var recorded: [String: OperandStatistics] = [:]

    init(variant: AntVariant, memos: WeightMemoStore, inner: VariantLinearExecutor) {
        self.variant = variant
        self.memos = memos
        self.inner = inner
    }

    /// By tensor name (`<layer>.weight`, `<layer>.input`).
    var statistics: [String: OperandStatistics] { lock.withLock { recorded } }

    func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix {
        let name = layer.description
        if lock.withLock({ recorded[name + ".weight"] == nil }) {
            let (m, k, n) = (input.rows, input.columns, weight.rows)
            var w = [Double](repeating: 0, count: k * n)
            for j in 0 ..< n { for kk in 0 ..< k { w[kk * n + j] = Double(weight.values[j * k + kk]) } }
            let a = input.values.map(Double.init)
            let floatLayer = try FloatLayer(m: m, k: k, n: n, a: a, w: w)
            let (qa, qw) = try variant.quantizedOperands(floatLayer, precision: inner.precision(forLayer: name), weights: memos.memo(for: name))
            let model = try variant.goldenModel(), code = variant.parameters.codeWidth
            let ws = OperandStatistics(qw, values: w, shape: [n, k], model: model, codeWidth: code)
            let xs = OperandStatistics(qa, values: a, shape: [m, k], model: model, codeWidth: code)
            lock.withLock {
                recorded[name + ".weight"] = ws
                recorded[name + ".input"] = xs
            }
        }
        return try inner.linear(input, layer: layer, weight: weight, bias: bias)
    }

    func attention(_ left: ModelMatrix, _ right: ModelMatrix, product: AttentionProduct) throws -> ModelMatrix {
        try inner.attention(left, right, product: product)
    }
}
