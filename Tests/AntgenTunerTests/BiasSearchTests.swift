import AntgenNumerics
import Foundation
import Testing

/// MSE of quantizing `values` to the nearest value of `format` at a power-of-two scale,
/// by a linear scan over the grid (ties to the larger value).
private func directMSE(_ values: [Double], format: NumberFormat, bias: Int) -> Double {
    let unit = Double(sign: .plus, exponent: -bias, significand: 1)
    let grid = format.distinctValues.map { $0 * unit }
    var total = 0.0
    for x in values {
        var best = grid[0]
        for g in grid where abs(x - g) <= abs(x - best) { best = g }
        total += (x - best) * (x - best)
    }
    return total / Double(values.count)
}

@Suite struct BiasSearchTests {
    @Test func findsTheExactPowerOfTwoScaleOfRepresentableData() throws {
        // int4s values −8…7 times 2^−3: exact at bias 3 and nowhere else.
        let values = (-8 ... 7).map { Float($0) * 0.125 }
        let tensor = try Tensor(shape: [1, values.count], float32: values)
        let format = try NumberFormat(kind: .int, bits: 4, signed: true)
        let fits = try fitFormats(tensor, formats: [format], perChannel: true, scale: .bias)
        let fit = try #require(fits.fits.first)
        #expect(fit.biases == [3])
        #expect(fit.meanSquaredError == 0)
        #expect(fit.alphas == [7 * 0.125])
    }

    @Test func chosenBiasIsTheBestPowerOfTwoAndItsErrorIsExact() throws {
        let named = gaussianTensor("w", shape: [6, 50], seed: 5, spread: 0.3)
        let formats = try [NumberFormat(kind: .int, bits: 3, signed: true), NumberFormat(kind: .flint, bits: 4, signed: true),
                           NumberFormat(kind: .pot, bits: 4, signed: true), NumberFormat(kind: .float(exponentBits: 3), bits: 5, signed: true)]
        let fits = try fitFormats(named.tensor, formats: formats, perChannel: true, scale: .bias, threadCount: 2)
        let data = named.tensor.doubles
        for fit in fits.fits {
            var total = 0.0
            for channel in 0 ..< 6 {
                let values = Array(data[channel * 50 ..< (channel + 1) * 50])
                let chosen = fit.biases[channel]
                let mse = directMSE(values, format: fit.format, bias: chosen)
                total += mse
                // No power of two in the documented window does better: 6 octaves above to 8
                // below the largest top value q_max · 2^−b at most 2 · max|x|.
                let base = values.map { abs($0) }.max()!
                let anchor = (-300 ... 300).first { fit.format.maxPositiveUnits * Double(sign: .plus, exponent: -$0, significand: 1) <= 2 * base }!
                #expect((anchor - 6 ... anchor + 8).contains(chosen))
                for bias in anchor - 6 ... anchor + 8 {
                    #expect(directMSE(values, format: fit.format, bias: bias) >= mse * (1 - 1e-12))
                }
                let expectedAlpha = fit.format.maxPositiveUnits * Double(sign: .plus, exponent: -chosen, significand: 1)
                #expect(fit.alphas[channel] == expectedAlpha)
            }
            #expect(abs(fit.meanSquaredError - total / 6) <= 1e-12 * total)
        }
    }

    @Test func perTensorAndThreadCountGiveConsistentResults() throws {
        let named = gaussianTensor("w", shape: [3, 400], seed: 8)
        let format = try NumberFormat(kind: .flint, bits: 4, signed: true)
        let one = try fitFormats(named.tensor, formats: [format], perChannel: false, scale: .bias, threadCount: 1)
        let two = try fitFormats(named.tensor, formats: [format], perChannel: false, scale: .bias, threadCount: 2)
        #expect(one == two)
        #expect(one.channelCount == 1 && one.fits[0].biases.count == 1)
        let direct = directMSE(named.tensor.doubles, format: format, bias: one.fits[0].biases[0])
        #expect(abs(one.fits[0].meanSquaredError - direct) <= 1e-12 * direct)
    }

    @Test func alphaFitsMatchTheReferenceQuantizer() throws {
        let named = gaussianTensor("w", shape: [5, 30], seed: 9)
        let format = try NumberFormat(kind: .flint, bits: 4, signed: true)
        let fits = try fitFormats(named.tensor, formats: [format], perChannel: true, scale: .alpha)
        let reference = try AntQuantizer(options: QuantizerOptions(bits: 4, mode: "flint")).quantize(named.tensor)
        #expect(fits.fits[0].meanSquaredError == reference.meanSquaredError)
        #expect(fits.fits[0].alphas == reference.alphas)
        #expect(fits.fits[0].biases.isEmpty)
    }

    @Test func rejectsNonFiniteInput() throws {
        let tensor = try Tensor(shape: [2], float32: [1, .nan])
        let format = try NumberFormat(kind: .int, bits: 4, signed: true)
        #expect(throws: QuantizerError.emptyTensor) {
            _ = try fitFormats(try Tensor(shape: [0], float32: []), formats: [format], perChannel: true, scale: .bias)
        }
        #expect(throws: QuantizerError.self) { _ = try fitFormats(tensor, formats: [format], perChannel: true, scale: .bias) }
    }
}
