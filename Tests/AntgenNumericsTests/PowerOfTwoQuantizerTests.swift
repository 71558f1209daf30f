import Foundation
import Testing
@testable import AntgenNumerics

/// `AntQuantizer` with a power-of-two scale (`scale: .bias`, libnumber's bias): the fast
/// bias search against a naive one, and the output pass against its own definition.
@Suite struct PowerOfTwoQuantizerTests {
    /// Per channel, every bias of the search window scored by a plain pass over the data:
    /// nearest grid value (ties to the larger, clamped), squared error summed in order.
    static func naiveBestBias(_ values: [Double], format: NumberFormat) -> (bias: Int, mse: Double) {
        let grid = format.distinctValues
        let base = values.map(abs).max() ?? 0
        let anchor = firstBiasCandidate(base: base, maxUnits: format.maxPositiveUnits)
        var best: (bias: Int, error: Double)?
        for bias in anchor + biasSearchOffsets.lowerBound ... anchor + biasSearchOffsets.upperBound {
            let unit = Double(sign: .plus, exponent: -bias, significand: 1)
            var error = 0.0
            for x in values {
                var k = 0
                while k + 1 < grid.count, x >= (grid[k] + grid[k + 1]) * 0.5 * unit { k += 1 }
                error += (x - grid[k] * unit) * (x - grid[k] * unit)
            }
            if best == nil || error < best!.error { best = (bias, error) }
        }
        return (best!.bias, best!.error / Double(values.count))
    }

    @Test("weights: each channel's bias and MSE match a naive search; values are q · 2^−bias",
          arguments: [(4, "ant-int-pot-flint"), (3, "ant-int-flint"), (6, "int")])
    func weights(bits: Int, mode: String) throws {
        var generator = SeededGenerator(seed: UInt64(bits) * 31)
        let channels = 5, length = 300
        let values = (0 ..< channels * length).map { index in Float(generator.gaussian() * 0.05 * Double(1 + index / length)) }
        let tensor = try Tensor(shape: [channels, length], float32: values)
        let result = try AntQuantizer(options: QuantizerOptions(bits: bits, mode: mode, scale: .bias)).quantize(tensor)
        let biases = try #require(result.biases)
        #expect(biases.count == channels)
        var total = 0.0
        for channel in 0 ..< channels {
            let slice = values[channel * length ..< (channel + 1) * length].map(Double.init)
            let naive = Self.naiveBestBias(slice, format: result.chosenFormat)
            #expect(biases[channel] == naive.bias, "channel \(channel)")
            total += naive.mse
            // The equivalent α is q_max · 2^−bias.
            #expect(result.alphas[channel] == result.chosenFormat.maxPositiveUnits * Double(sign: .plus, exponent: -biases[channel], significand: 1))
        }
        #expect(abs(result.meanSquaredError - total / Double(channels)) <= 1e-12 * result.meanSquaredError)
        // Every output value is its code's value times 2^−bias, and the MSE is what the values give.
        var measured = 0.0
        for index in values.indices {
            let channel = index / length
            let units = try result.chosenFormat.decodeUnits(code: Int(result.codes[index]))
            let expected = Float(units * Double(sign: .plus, exponent: -biases[channel], significand: 1))
            #expect(result.dequantized[index] == Double(expected))
            measured += (Double(values[index]) - Double(expected)) * (Double(values[index]) - Double(expected))
        }
        #expect(abs(measured / Double(values.count) - result.meanSquaredError) <= 1e-6 * result.meanSquaredError)
    }

    @Test("the chosen type has the lowest bias-search MSE of the candidates")
    func selection() throws {
        var generator = SeededGenerator(seed: 77)
        // Heavy tails favour the non-uniform types.
        let values = (0 ..< 2000).map { _ in Float(pow(generator.gaussian(), 3)) }
        let result = try AntQuantizer(options: QuantizerOptions(bits: 4, role: .activation, scale: .bias))
            .quantize(try Tensor(shape: [2000], float32: values))
        let scored = result.candidates.compactMap { candidate in candidate.meanSquaredError.map { (candidate.type, $0) } }
        let lowest = try #require(scored.min { $0.1 < $1.1 })
        #expect(result.chosenType == lowest.0)
        #expect(result.channelCount == 1)
        let naive = Self.naiveBestBias(values.map(Double.init), format: result.chosenFormat)
        #expect(result.biases == [naive.bias])
    }

    @Test("compat arithmetic has no power-of-two mode; an all-zero channel gives zeros")
    func edges() throws {
        let tensor = try Tensor(shape: [2, 3], float32: [0, 0, 0, 0.5, -0.25, 0.125])
        #expect(throws: QuantizerError.biasNeedsExactArithmetic) {
            try AntQuantizer(options: QuantizerOptions(arithmetic: .compat, scale: .bias)).quantize(tensor)
        }
        let result = try AntQuantizer(options: QuantizerOptions(scale: .bias)).quantize(tensor)
        #expect((0 ..< 3).allSatisfy { result.dequantized[$0] == 0 })
        #expect(result.alphas[0] == 0)
    }
}
