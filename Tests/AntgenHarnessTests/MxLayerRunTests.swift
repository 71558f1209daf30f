import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// Real float layers through the MX array's RTL (`MxLayerRunner`): bit-exact against the
/// golden model with ragged edges on every side, the RTL's cycle count, a named mutant
/// caught, and the dequantised output close to the float product.
@Suite("MX layer run", .serialized)
struct MxLayerRunTests {
    /// One build for every test here (and MxCycleTests): 3 × 2 PEs, blocks of 8, three formats.
    static let array = MxArrayParameters(rows: 3, cols: 2, formats: [.fp4e2m1, .fp8e4m3, .int8], blockSize: 8)

    /// A Gaussian layer (seeded), rows of A scaled differently so blocks get different scales.
    static func layer(m: Int, k: Int, n: Int, seed: UInt64) throws -> FloatLayer {
        var rng = SplitMix64(seed: seed)
        let a = (0..<(m * k)).map { i in rng.gaussian() * Double(1 << (i / k % 4)) }
        let w = (0..<(k * n)).map { _ in rng.gaussian() * 0.05 }
        return try FloatLayer(m: m, k: k, n: n, a: a, w: w)
    }

    static func request() -> LayerRunRequest { LayerRunRequest(cacheDirectory: sharedCache) }

    /// Σ_k Aq·Wq and Σ_k |Aq·Wq| in float64 from the quantizer's dequantised operands (not
    /// from the runner).
    static func dequantisedProduct(_ layer: FloatLayer, _ fa: MxElementFormat, _ fw: MxElementFormat,
                                   blockSize: Int) -> (product: [Double], magnitude: [Double]) {
        let aq = MxQuantizer(format: fa, blockSize: blockSize).quantize(layer.a, shape: [layer.m, layer.k]).dequantized
        var wt = [Double](repeating: 0, count: layer.k * layer.n)
        for kk in 0..<layer.k { for j in 0..<layer.n { wt[j * layer.k + kk] = layer.w[kk * layer.n + j] } }
        let wq = MxQuantizer(format: fw, blockSize: blockSize).quantize(wt, shape: [layer.n, layer.k]).dequantized
        var product = [Double](repeating: 0, count: layer.m * layer.n), magnitude = product
        for i in 0..<layer.m {
            for j in 0..<layer.n {
                for kk in 0..<layer.k {
                    let term = aq[i * layer.k + kk] * wq[j * layer.k + kk]
                    product[i * layer.n + j] += term
                    magnitude[i * layer.n + j] += abs(term)
                }
            }
        }
        return (product, magnitude)
    }

    static func sqnr(_ reference: [Double], _ approximation: [Double]) -> Double {
        let signal = reference.reduce(0) { $0 + $1 * $1 }
        let noise = zip(reference, approximation).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return 10 * log10(signal / noise)
    }

    /// M = 5 (3 + 2 rows), N = 3 (2 + 1 columns), K = 19 (blocks 8, 8, 3): every edge ragged.
    /// The SQNR floor against the float product: MXFP8 E4M3 rounds each element to 3 fraction
    /// bits (RNE, relative error ≤ 2^-4, so each operand's relative MSE ≤ 2^-8, 24 dB), and
    /// the product's error is about the sum of its operands' (independent data), so ≥ 21 dB;
    /// 20 dB leaves room for the few subnormal elements (measured: 29 dB). MXINT8 × MXFP4: an
    /// FP4 element of 1…8 scale units is off by at most 1/4 of itself (one fraction bit, and
    /// 6…8 clamped to 6), a smaller one by at most 1/4 of a unit, so W keeps ≥ 12 dB; INT8's
    /// 2^-6 steps keep A above 40 dB; the product ≥ 9 dB, floor 7 dB (measured: 26 dB).
    @Test("bit-exact with ragged edges, for two format pairs, and close to the float product",
          arguments: [(MxElementFormat.fp8e4m3, MxElementFormat.fp8e4m3, 20.0), (.int8, .fp4e2m1, 7.0)])
    func bitExactLayer(fa: MxElementFormat, fw: MxElementFormat, floor: Double) throws {
        let layer = try Self.layer(m: 5, k: 19, n: 3, seed: 7)
        let outcome = try MxLayerRunner(Self.array, activationFormat: fa, weightFormat: fw).run(layer, Self.request())
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors)")
        #expect(outcome.tiles == 4 && outcome.comparedElements == 4 * 3 * 2)
        // 4 tiles of 19 beats back to back, then 3 cycles to the first row and 2 more rows.
        #expect(outcome.cycles == 4 * 19 + 3 + 2)
        #expect(outcome.formats == "a \(fa.modeName), w \(fw.modeName), k8")
        #expect(outcome.output.count == 15 && outcome.output.allSatisfy(\.isFinite))
        // Against Σ Aq·Wq: the block sums are exact; rounding the three to binary32 costs at
        // most 2^-24 of Σ|terms| in all, and each of the two folds 2^-24 of Σ|terms| more.
        let (product, magnitude) = Self.dequantisedProduct(layer, fa, fw, blockSize: 8)
        for (index, (got, want)) in zip(outcome.output, product).enumerated() {
            #expect(abs(got - want) <= 4 * 0x1p-24 * magnitude[index], "C[\(index / 3), \(index % 3)] \(got) vs \(want)")
        }
        let quality = Self.sqnr(layer.exactProduct(), outcome.output)
        #expect(quality >= floor, "SQNR \(quality) dB")
    }

    @Test("a K shorter than the rows is padded to R beats and stays bit-exact")
    func shortReduction() throws {
        let layer = try Self.layer(m: 4, k: 2, n: 2, seed: 3)
        let outcome = try MxLayerRunner(Self.array, activationFormat: .int8, weightFormat: .fp8e4m3).run(layer, Self.request())
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "")")
        #expect(outcome.cycles == 2 * 3 + 3 + 2)
    }

    @Test("the block-scale mutant is caught")
    func mutantCaught() throws {
        let layer = try Self.layer(m: 5, k: 19, n: 3, seed: 7)
        let outcome = try MxLayerRunner(Self.array, activationFormat: .fp8e4m3, weightFormat: .fp8e4m3, mutant: .scaleOffByOne)
            .run(layer, Self.request())
        // Every real output is nonzero, so every one of them doubles.
        #expect(outcome.mismatchCount >= 15 && !outcome.bitExact)
        #expect(outcome.firstMismatch?.contains("expected 0x") == true)
    }

    @Test("Icarus gives the same outputs and cycles as Verilator")
    func icarusAgrees() throws {
        let layer = try Self.layer(m: 4, k: 9, n: 3, seed: 11)
        let runner = MxLayerRunner(Self.array, activationFormat: .fp4e2m1, weightFormat: .int8)
        let verilator = try runner.run(layer, Self.request())
        var request = Self.request()
        request.simulator = .icarus
        let icarus = try runner.run(layer, request)
        #expect(verilator.bitExact && icarus.bitExact, "\(icarus.firstMismatch ?? "") \(icarus.protocolErrors)")
        #expect(verilator.output == icarus.output)
        #expect(verilator.cycles == icarus.cycles && icarus.cycles == 4 * 9 + 3 + 2)
    }

    @Test("a format the array was not built with is a one-line error")
    func formatNotBuilt() throws {
        let layer = try Self.layer(m: 1, k: 1, n: 1, seed: 1)
        #expect(throws: HarnessError.self) {
            try MxLayerRunner(Self.array, activationFormat: .fp6e2m3, weightFormat: .int8).run(layer, Self.request())
        }
    }
}
