import AntgenNumerics
import Testing
@testable import AntgenGolden

@Suite("PWLQ golden model (spec §7.6)")
struct PwlqGoldenTests {
    @Test("hand-computed three sums of a 1 × 3 by 3 × 1 tile")
    func handComputedSums() {
        // Weights: centre +2, tail −(q 1), tail +(q 3); activations 5, −4, 7.
        let codes = [PwlqCode(region: 0, sign: 0, magnitude: 2, bits: 4), PwlqCode(region: 1, sign: 1, magnitude: 1, bits: 4),
                     PwlqCode(region: 1, sign: 0, magnitude: 3, bits: 4)]
        let sums = PwlqTileSums(activations: [[5, -4, 7]], weights: codes.map { [$0] }, accumulatorWidth: 8)
        // A1 = 2·5 = 10; A2 = −1·(−4) + 3·7 = 25; A3 = −(−4) + 7 = 11.
        #expect(sums.centre == [[10]] && sums.tail == [[25]] && sums.offset == [[11]])
        // Wrap: −1 in 8 bits.
        let wrapped = PwlqTileSums(activations: [[-1]], weights: [[PwlqCode(region: 1, sign: 0, magnitude: 1, bits: 4)]], accumulatorWidth: 8)
        #expect(wrapped.tail == [[255]] && PwlqTileSums.signed(255, width: 8) == -1)
    }

    @Test("the host's affine step on the three sums equals the float dot product of dequantised weights",
          arguments: [PwlqVariant.paper, .nonoverlap])
    func affineStepMatchesFloat(variant: PwlqVariant) throws {
        var generator = SplitMix64(seed: 5)
        let n = 6, k = 40, rows = 3
        let weights = (0 ..< n * k).map { _ in generator.gaussian() * 0.1 }
        let result = try PwlqQuantizer(options: PwlqOptions(bits: 4, variant: variant)).quantize(Tensor(shape: [n, k], float64: weights))
        let x = (0 ..< rows).map { _ in (0 ..< k).map { _ in Int.random(in: -128 ... 127, using: &generator) } }
        let codes = (0 ..< k).map { t in (0 ..< n).map { j in PwlqCode(packed: result.codes[j * k + t], bits: 4) } }
        let y = PwlqTileSums(activations: x, weights: codes, accumulatorWidth: 32).combine(channels: result.channels, activationScale: 0.01, width: 32)
        let dequantized = result.dequantized.doubles
        for i in 0 ..< rows {
            for j in 0 ..< n {
                let direct = (0 ..< k).reduce(0.0) { $0 + 0.01 * Double(x[i][$1]) * dequantized[j * k + $1] }
                #expect(abs(y[i][j] - direct) <= 1e-12 * max(1, abs(direct)))
            }
        }
    }
}
