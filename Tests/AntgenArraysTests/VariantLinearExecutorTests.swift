import AntgenArrays
import AntgenHarness
import AntgenModel
import AntgenNumerics
import AntgenPerf
import Foundation
import Testing

/// The model executor on a tiny generated layer sequence: every linear layer on an array's
/// golden path (and through the RTL), weights quantized once, the whole run priced.
@Suite struct VariantLinearExecutorTests {
    static func matrix(_ rows: Int, _ cols: Int, seed: UInt64, scale: Float = 1) -> ModelMatrix {
        var state = seed
        return ModelMatrix(rows: rows, columns: cols, values: (0..<rows * cols).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001) / 1000 * scale - scale
        })
    }

    /// Two layers of a toy model: 6 tokens, 11 → 9 → 7 features.
    static let names = [LinearLayerName(layer: 0, role: .query), LinearLayerName(layer: 0, role: .intermediate)]
    static let weights = [matrix(9, 11, seed: 3, scale: 0.5), matrix(7, 9, seed: 4, scale: 0.5)]
    static let biases: [[Float]] = [(0..<9).map { Float($0) / 10 }, (0..<7).map { -Float($0) / 10 }]

    /// Runs the toy model's layers one after another, `batches` times with new inputs.
    static func forward(_ executor: any LinearExecutor, batches: Int = 2) throws -> [ModelMatrix] {
        try (0..<batches).map { b in
            var x = matrix(6, 11, seed: 100 + UInt64(b))
            for (i, name) in names.enumerated() { x = try executor.linear(x, layer: name, weight: weights[i], bias: biases[i]) }
            return x
        }
    }

    @Test func layersRunOnTheGoldenPathWithTheBiasAdded() throws {
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os)
        let executor = VariantLinearExecutor(variant: variant, precision: .uniform(activationBits: 8, weightBits: 8))
        let input = Self.matrix(6, 11, seed: 100)
        let out = try executor.linear(input, layer: Self.names[0], weight: Self.weights[0], bias: Self.biases[0])
        // the same layer by hand: W transposed to K × N, computeLayer, bias in float
        var w = [Double](repeating: 0, count: 11 * 9)
        for j in 0..<9 { for k in 0..<11 { w[k * 9 + j] = Double(Self.weights[0][j, k]) } }
        let layer = try FloatLayer(m: 6, k: 11, n: 9, a: input.values.map(Double.init), w: w)
        let direct = try variant.computeLayer(layer, precision: .uniform(activationBits: 8, weightBits: 8))
        #expect(out.rows == 6 && out.columns == 9)
        for i in 0..<6 { for j in 0..<9 { #expect(out[i, j] == Float(direct.output[i * 9 + j]) + Self.biases[0][j]) } }
        // int8 × int8 follows the float product closely
        let float = try Float32Linear().linear(input, layer: Self.names[0], weight: Self.weights[0], bias: Self.biases[0])
        let worst = zip(out.values, float.values).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 0.05, "largest difference from float: \(worst)")
    }

    @Test func weightsQuantizedOnceGiveTheSameOutputs() throws {
        for variant in [try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os) as any ArrayVariant, try PwlqVariant.small(dataflow: .os)] {
            let memoized = try Self.forward(VariantLinearExecutor(variant: variant, precision: .standard), batches: 3)
            let name = type(of: variant).name
            for b in 0..<3 {
                // a fresh executor per batch quantizes the weights anew
                var x = Self.matrix(6, 11, seed: 100 + UInt64(b))
                let fresh = VariantLinearExecutor(variant: variant, precision: .standard)
                for (i, n) in Self.names.enumerated() { x = try fresh.linear(x, layer: n, weight: Self.weights[i], bias: Self.biases[i]) }
                #expect(x == memoized[b], "\(name): batch \(b)")
            }
        }
    }

    static var variantNames: [String] { VariantRegistry.names }

    @Test(arguments: variantNames)
    func theRTLAgreesOnEveryLayerAndCountsThePerfModelsCycles(_ name: String) throws {
        let variant = try VariantRegistry.type(named: name).small(dataflow: .os)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-walk-cache")
        let executor = VariantLinearExecutor(variant: variant, precision: .standard, rtl: LayerRunRequest(cacheDirectory: cache))
        let golden = VariantLinearExecutor(variant: variant, precision: .standard)
        #expect(try Self.forward(executor) == Self.forward(golden), "\(name): the --rtl run's outputs are the golden path's")
        #expect(executor.rtlCheckedLayers == 4)
        let report = try executor.performance()
        #expect(report.layers.count == 4)
        #expect(report.cycles == executor.layers.reduce(0) { $0 + ($1.rtlCycles ?? 0) }, "\(name): perf cycles equal the RTL's")
        let cost = ModelArrayReport(executor: executor, precision: "standard", performance: report)
        #expect(cost.products == 4 && cost.rtlCheckedProducts == 4 && cost.rtlCycles == report.cycles)
        #expect(cost.macs == 2 * (6 * 11 * 9 + 6 * 9 * 7))
    }

    @Test func aPlanSetsEachLayersPrecision() throws {
        func tensor(_ name: String, _ role: String, _ kind: String, _ bits: Int) -> PlannedTensor {
            PlannedTensor(name: name, file: "f", shape: [9, 11], elements: 99, role: role, kind: kind, bits: bits, signed: true,
                          format: "\(kind)\(bits)s", maxPositiveUnits: 7, grid: [], scale: "alpha", alphas: [1], biases: nil, mse: 0,
                          relativeMSE: 0, sqnrDB: nil, storedBits: 99 * bits, cost: 0, pwlq: nil)
        }
        let plan = QuantizationPlan(objective: "bits", constraint: "sqnr>=20", method: "greedy", scale: "alpha", granularity: "channel",
                                    tensors: [tensor("encoder.layer.0.attention.self.query.weight", "weight", "int", 8),
                                              tensor("encoder.layer.0.intermediate.dense.input", "activation", "int", 8)],
                                    totals: PlanTotals(elements: 0, storedBits: 0, cost: 0, compressionVsFP32: 1, compressionVsInt8: 1,
                                                       relativeMSESum: 0, minimumSQNRDB: nil))
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os)
        let executor = VariantLinearExecutor(variant: variant, plan: PlanPrecisions(plan))
        _ = try Self.forward(executor, batches: 1)
        #expect(try executor.performance().layers.map(\.layer.precisionLabel) == ["a4w8", "a8w4"])
    }

    @Test func attentionProductsGoOnTheArrayOnlyWhenAsked() throws {
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os)
        let q = Self.matrix(5, 8, seed: 1), k = Self.matrix(5, 8, seed: 2)
        let product = AttentionProduct(layer: 0, head: 1, kind: .scores)
        let float = try FloatGemm.multiply(q, transposed: k)
        let plain = VariantLinearExecutor(variant: variant, precision: .uniform(activationBits: 8, weightBits: 8))
        #expect(try plain.attention(q, k, product: product) == float)
        #expect(plain.layers.isEmpty)
        let onArray = VariantLinearExecutor(variant: variant, precision: .uniform(activationBits: 8, weightBits: 8), attentionOnArray: true)
        let scores = try onArray.attention(q, k, product: product)
        var w = [Double](repeating: 0, count: 40)
        for j in 0..<5 { for kk in 0..<8 { w[kk * 5 + j] = Double(k[j, kk]) } }
        let direct = try variant.computeLayer(try FloatLayer(m: 5, k: 8, n: 5, a: q.values.map(Double.init), w: w), precision: .uniform(activationBits: 8, weightBits: 8))
        #expect(scores.values == direct.output.map(Float.init))
        #expect(onArray.layers.map(\.name) == ["encoder.layer.0.attention.qk"])
        #expect(scores != float)
    }
}
