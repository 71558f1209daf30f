import AntgenArrays
import AntgenGolden
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import Foundation
import Testing

/// The golden layer path of every array variant (`computeLayer`): bit-identical to the RTL
/// through `run`, and equal to straightforward integer arithmetic on its quantized operands.
@Suite struct VariantLayerComputeTests {
    /// A random float layer with ragged edges (no dimension a multiple of the small arrays').
    static func layer(m: Int = 5, k: Int = 37, n: Int = 7, seed: UInt64) throws -> FloatLayer {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2001) / 1000 - 1
        }
        return try FloatLayer(m: m, k: k, n: n, a: (0..<m * k).map { _ in next() }, w: (0..<k * n).map { _ in next() * 0.5 })
    }

    static let cache = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-walk-cache")

    /// Every variant's small build and the precisions to check on it (the int-only ANT array too).
    static func cases() throws -> [(String, any ArrayVariant, LayerPrecision)] {
        let ant = try AntVariant.small(dataflow: .os)
        var intOnly = AntVariant.smallConfiguration
        intOnly.activationTypes = ["int"]
        intOnly.weightTypes = ["int"]
        let intAnt = try AntVariant(intOnly, dataflow: .os)
        return [
            ("ant os standard", ant, .standard), ("ant os a8w8", ant, try LayerPrecision(parsing: "a8w8")),
            ("ant os a4w8", ant, try LayerPrecision(parsing: "a4w8")), ("ant ws a8w4", try AntVariant.small(dataflow: .ws), try LayerPrecision(parsing: "a8w4")),
            ("int-only a4w4", intAnt, try LayerPrecision(parsing: "a4w4")), ("int-only a8w4", intAnt, try LayerPrecision(parsing: "a8w4")),
            ("pwlq standard", try PwlqVariant.small(dataflow: .os), .standard), ("pwlq a4w4", try PwlqVariant.small(dataflow: .os), try LayerPrecision(parsing: "a4w4")),
            ("sdp standard", try SdpVariant.small(dataflow: .os), .standard), ("sdp a8w4", try SdpVariant.small(dataflow: .os), try LayerPrecision(parsing: "a8w4")),
            ("mx standard", try MxVariant.small(dataflow: .os), .standard),
        ]
    }

    static var caseNames: [String] { ((try? cases()) ?? []).map(\.0) }

    @Test(arguments: caseNames)
    func goldenPathIsBitIdenticalToTheRTL(_ name: String) throws {
        let (_, variant, precision) = try #require(try Self.cases().first { $0.0 == name })
        let layer = try Self.layer(seed: 11)
        let golden = try variant.computeLayer(layer, precision: precision)
        let run = try variant.run(layer, precision: precision, LayerRunRequest(cacheDirectory: Self.cache))
        #expect(run.bitExact, "\(name): \(run.firstMismatch ?? run.protocolErrors.first ?? "")")
        #expect(run.output.count == golden.output.count)
        let differing = zip(run.output, golden.output).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(name): \(differing) of \(golden.output.count) outputs differ between the RTL and the golden path")
        #expect(golden.formats == run.formats, "\(name): the same quantization (\(golden.formats) vs \(run.formats))")
        if let bits = run.activationBits { #expect(golden.activationBits == bits) }
        if let bits = run.weightBits { #expect(golden.weightBits == bits) }
        // the perf model prices the layer at the cycles the RTL counted
        let report = try variant.performance(of: [(name: "l", computation: golden)])
        #expect(report.cycles == run.cycles, "\(name): perf \(report.cycles) cycles, RTL \(run.cycles)")
    }

    @Test func antGoldenPathEqualsPlainIntegerArithmetic() throws {
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4, accumulatorWidth: 32), dataflow: .os)
        let layer = try Self.layer(m: 19, k: 23, n: 9, seed: 5)
        for text in ["a4w4", "a8w4", "a4w8", "a8w8"] {
            let precision = try LayerPrecision(parsing: text)
            let (a, w) = try variant.quantizedOperands(layer, precision: precision)
            #expect(a.mode.int8 == text.hasPrefix("a8") && w.mode.int8 == text.hasSuffix("w8"), "\(text): \(a.mode) \(w.mode)")
            // decode each code with the number format (not the golden model) and sum in Int
            let af = try a.mode.format(codeWidth: 4), wf = try w.mode.format(codeWidth: 4)
            let av = try a.codes.map { try af.decode(code: Int($0)) }, wv = try w.codes.map { try wf.decode(code: Int($0)) }
            let out = try variant.computeLayer(layer, precision: precision).output
            for i in 0..<layer.m {
                for j in 0..<layer.n {
                    var sum = 0.0
                    for kk in 0..<layer.k { sum += Double(av[i * layer.k + kk]) * Double(wv[kk * layer.n + j]) }
                    let expected = sum * a.scales[0] * w.scale(column: j)
                    #expect(abs(out[i * layer.n + j] - expected) <= 1e-14 * max(1, abs(expected)), "\(text) C[\(i), \(j)]")
                }
            }
        }
    }

    @Test func sdpWithEveryTermKeptIsTheExactIntegerProduct() throws {
        let variant = try SdpVariant(SdpVariant.Configuration(rows: 3, cols: 2, group: 2, terms: 4), dataflow: .os)
        let layer = try Self.layer(m: 7, k: 13, n: 5, seed: 9)
        for (text, int8) in [("a8w8", true), ("a8w4", false)] {
            let q = try SdpLayerOperands(layer, parameters: variant.parameters, weightInt8: int8)
            let out = try variant.computeLayer(layer, precision: try LayerPrecision(parsing: text)).output
            #expect(q.w.allSatisfy { abs($0) <= (int8 ? 127 : 7) })
            for i in 0..<layer.m {
                for j in 0..<layer.n {
                    let sum = (0..<layer.k).reduce(0) { $0 + q.a[i * layer.k + $1] * q.w[$1 * layer.n + j] }
                    #expect(out[i * layer.n + j] == Double(sum) * q.activationScale * q.weightScales[j], "\(text) C[\(i), \(j)]")
                }
            }
        }
    }

    @Test func pwlqGoldenPathFollowsTheDequantizedWeights() throws {
        let variant = try PwlqVariant.small(dataflow: .os)
        let layer = try Self.layer(m: 6, k: 29, n: 8, seed: 3)
        for activation in [PwlqActivationWidth.int4, .int8] {
            let q = try PwlqLayerRunner(parameters: variant.parameters, activation: activation).quantize(layer)
            let w = q.weights.dequantized.doubles  // [N, K]
            let out = try variant.computeLayer(layer, precision: try LayerPrecision(parsing: activation == .int8 ? "a8w4" : "a4w4")).output
            for i in 0..<layer.m {
                for j in 0..<layer.n {
                    let sum = (0..<layer.k).reduce(0.0) { $0 + Double(q.layer.integerActivations[i][$1]) * w[j * layer.k + $1] }
                    let expected = sum * q.layer.activationScale
                    #expect(abs(out[i * layer.n + j] - expected) <= 1e-9 * max(1, abs(expected)), "\(activation) C[\(i), \(j)]")
                }
            }
        }
    }

    @Test func mxGoldenPathFollowsTheDequantizedBlocks() throws {
        let variant = try MxVariant.small(dataflow: .os)
        let layer = try Self.layer(m: 4, k: 40, n: 5, seed: 2)
        let formats = variant.layerFormats
        let k = variant.parameters.blockSize
        let a = MxQuantizer(format: formats.activation, blockSize: k).quantize(layer.a, shape: [layer.m, layer.k]).dequantized
        let wt = (0..<layer.n * layer.k).map { layer.w[($0 % layer.k) * layer.n + $0 / layer.k] }
        let w = MxQuantizer(format: formats.weight, blockSize: k).quantize(wt, shape: [layer.n, layer.k]).dequantized
        let out = try variant.computeLayer(layer, precision: .standard).output
        for i in 0..<layer.m {
            for j in 0..<layer.n {
                let terms = (0..<layer.k).map { a[i * layer.k + $0] * w[j * layer.k + $0] }
                let bound = 1e-6 * terms.reduce(0) { $0 + abs($1) } + 1e-30
                #expect(abs(out[i * layer.n + j] - terms.reduce(0, +)) <= bound, "C[\(i), \(j)]")
            }
        }
    }

    @Test func precisionsParseAndBadOnesAreRefused() throws {
        #expect(try LayerPrecision(parsing: "A8W4") == .uniform(activationBits: 8, weightBits: 4))
        #expect(try LayerPrecision(parsing: "standard") == .standard)
        #expect(throws: VariantError.self) { try LayerPrecision(parsing: "a16w4") }
        let layer = try Self.layer(seed: 1)
        #expect(throws: VariantError.self) { try MxVariant.small(dataflow: .os).computeLayer(layer, precision: .uniform(activationBits: 4, weightBits: 4)) }
        #expect(throws: VariantError.self) { try PwlqVariant.small(dataflow: .os).computeLayer(layer, precision: .uniform(activationBits: 8, weightBits: 8)) }
        #expect(throws: VariantError.self) { try SdpVariant.small(dataflow: .os).computeLayer(layer, precision: .uniform(activationBits: 4, weightBits: 8)) }
        var noInt8 = AntVariant.smallConfiguration
        noInt8.int8 = false
        #expect(throws: VariantError.self) { try AntVariant(noInt8, dataflow: .os).computeLayer(layer, precision: .uniform(activationBits: 8, weightBits: 4)) }
        var intOnly = AntVariant.smallConfiguration
        intOnly.weightTypes = ["int"]
        let planned = LayerPrecision(activation: .standard, weight: .format(kind: "flint", bits: 4))
        #expect(throws: VariantError.self) { try AntVariant(intOnly, dataflow: .os).computeLayer(layer, precision: planned) }
    }

    @Test func planChoicesAreFoundByLayerName() throws {
        func tensor(_ name: String, _ role: String, _ kind: String, _ bits: Int) -> PlannedTensor {
            PlannedTensor(name: name, file: "f", shape: [4, 4], elements: 16, role: role, kind: kind, bits: bits, signed: true,
                          format: "\(kind)\(bits)s", maxPositiveUnits: 7, grid: [], scale: "alpha", alphas: [1], biases: nil, mse: 0,
                          relativeMSE: 0, sqnrDB: nil, storedBits: 16 * bits, cost: 0, pwlq: nil)
        }
        let plan = QuantizationPlan(objective: "bits", constraint: "sqnr>=20", method: "greedy", scale: "alpha", granularity: "channel",
                                    tensors: [tensor("l0.q.weight", "weight", "flint", 4), tensor("l0.q.input", "activation", "int", 8),
                                              tensor("l1.ffn.out.weight", "weight", "int", 8), tensor("l1.ffn.up.input", "activation", "pot", 4)],
                                    totals: PlanTotals(elements: 0, storedBits: 0, cost: 0, compressionVsFP32: 1, compressionVsInt8: 1,
                                                       relativeMSESum: 0, minimumSQNRDB: nil))
        let lookup = PlanPrecisions(plan)
        #expect(lookup.precision(forLayer: "l0.q") == LayerPrecision(activation: .format(kind: "int", bits: 8), weight: .format(kind: "flint", bits: 4)))
        // no l1.ffn.out.input: the one sibling input (l1.ffn.up.input, same parent l1.ffn) stands in
        #expect(lookup.precision(forLayer: "l1.ffn.out") == LayerPrecision(activation: .format(kind: "pot", bits: 4), weight: .format(kind: "int", bits: 8)))
        #expect(lookup.precision(forLayer: "l2.x", fallback: .uniform(activationBits: 8, weightBits: 4)) == .uniform(activationBits: 8, weightBits: 4))
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os)
        let layer = try Self.layer(seed: 4)
        let c = try variant.computeLayer(layer, precision: lookup.precision(forLayer: "l0.q"))
        #expect(c.activationBits == 8 && c.weightBits == 4 && c.formats.contains("w flint4"), "\(c.formats)")
    }

    @Test func modelPerformanceIsTheSumOfItsLayers() throws {
        let variant = try AntVariant(AntVariant.Configuration(rows: 4, cols: 4), dataflow: .os)
        let a = try variant.computeLayer(try Self.layer(m: 9, k: 16, n: 12, seed: 1), precision: .uniform(activationBits: 4, weightBits: 4))
        let b = try variant.computeLayer(try Self.layer(m: 9, k: 12, n: 16, seed: 2), precision: .uniform(activationBits: 8, weightBits: 8))
        let both = try variant.performance(of: [("a", a), ("b", b)])
        let one = try variant.performance(of: [("a", a)]), other = try variant.performance(of: [("b", b)])
        #expect(both.layers.map(\.layer.precisionLabel) == ["a4w4", "a8w8"])
        #expect(both.cycles == one.cycles + other.cycles)
        #expect(both.energy.total == one.energy.total + other.energy.total)
        #expect(both.traffic.dramReadBits == one.traffic.dramReadBits + other.traffic.dramReadBits)
        // int8 × int8 takes four nibble steps per beat where 4-bit codes take one
        #expect(other.cycles > one.cycles)
    }
}

/// The ANT golden path's parallel GEMM against the one-thread reference it splits (W = 16
/// wraps the int8 sums: the Int32 path must mask its exact sums to the same words).
@Suite struct AntParallelGemmTests {
    @Test(arguments: [(4, 24), (4, 32), (4, 16)])
    func parallelGemmEqualsTheReference(_ codeWidthAndW: (Int, Int)) throws {
        let (codeWidth, width) = codeWidthAndW
        let model = try GoldenModel(configuration: ArrayConfiguration(rows: 4, cols: 4, codeWidth: codeWidth, accumulatorWidth: width,
                                                                      activationTypes: [.int, .flint, .pot], weightTypes: [.int, .flint, .pot], int8: true))
        var state: UInt64 = 7
        func next(_ bound: Int) -> UInt8 { state = state &* 6364136223846793005 &+ 1442695040888963407; return UInt8(Int(state >> 33) % bound) }
        let modes = [OperandMode(type: .int, signed: true, int8: true), OperandMode(type: .int, signed: false, int8: true),
                     OperandMode(type: .flint, signed: true), OperandMode(type: .pot, signed: false)]
        for am in modes {
            for wm in modes {
                let (m, k, n) = (37, 300, 11)
                let ab = 1 << am.codeBits(codeWidth: codeWidth), wb = 1 << wm.codeBits(codeWidth: codeWidth)
                let a = try QuantizedMatrix(rows: m, cols: k, codes: (0..<m * k).map { _ in next(ab) }, mode: am, scales: [1])
                let w = try QuantizedMatrix(rows: k, cols: n, codes: (0..<k * n).map { _ in next(wb) }, mode: wm, scales: [1])
                #expect(try AntVariant.parallelGemm(model, a: a, w: w) == GemmReference.expected(model, a: a, w: w), "\(am) × \(wm), W = \(width)")
            }
        }
    }
}
