import Testing
@testable import AntgenNumerics

/// The O(n · grid) search the fast one replaces: every element against every grid value.
private func naiveSearch(_ channel: [Double], format: NumberFormat, ratios: Range<Int>) -> (percent: Int, mse: Double) {
    let base = channel.map(abs).max() ?? 0
    guard base > 0 else { return (ratios.lowerBound, 0) }
    let grid = format.distinctValues
    let qMax = format.maxPositiveUnits
    var best = (percent: ratios.lowerBound, mse: Double.infinity)
    for percent in ratios {
        let alpha = (base * Double(percent)) / 100
        let levels = grid.map { (alpha * $0) / qMax }
        var sum = 0.0
        for x in channel {
            var nearest = levels[0]
            for level in levels where abs(x - level) <= abs(x - nearest) { nearest = level }
            sum += (x - nearest) * (x - nearest)
        }
        let mse = sum / Double(channel.count)
        if mse < best.mse { best = (percent, mse) }
    }
    return best
}

@Suite("Fast clip search equals the naive O(n) search")
struct FastSearchTests {
    @Test("per-channel weights: same α and type, MSE equal to rounding", arguments: [4, 3, 6])
    func weights(bits: Int) throws {
        var generator = SeededGenerator(seed: UInt64(bits))
        let channels = 6
        let length = 97
        let values = (0 ..< channels * length).map { index in generator.gaussian() * (1 + Double(index / length)) }
        let kinds: [NumberKind] = [.int, .flint, .pot, .float(exponentBits: 3), .float(exponentBits: 2), .apot]
        let options = QuantizerOptions(bits: bits, mode: "ant-int-flint-pot-float-float2-apot")
        let result = try AntQuantizer(options: options).quantize(try Tensor(shape: [channels, length], float64: values))
        var naiveScores: [Double] = []
        for kind in kinds {
            guard let format = try? NumberFormat(kind: kind, bits: bits, signed: true) else { continue }
            var score = 0.0
            for channel in 0 ..< channels {
                let slice = Array(values[channel * length ..< (channel + 1) * length])
                let naive = naiveSearch(slice, format: format, ratios: 75 ..< 150)
                score += naive.mse
                if format == result.chosenFormat {
                    #expect(result.alphas[channel] == (result.channelMaxima[channel] * Double(naive.percent)) / 100, "\(format) channel \(channel)")
                }
            }
            naiveScores.append(score)
            let fast = try #require(result.candidates.first { $0.format == format }?.score)
            #expect(abs(fast - score) <= 1e-12 * score, "\(format): fast \(fast) naive \(score)")
        }
        let naiveBest = naiveScores.indices.min { naiveScores[$0] < naiveScores[$1] }!
        #expect(result.candidates.compactMap(\.format)[naiveBest] == result.chosenFormat)
    }

    @Test("per-tensor activations, unsigned and signed")
    func activations() throws {
        var generator = SeededGenerator(seed: 99)
        let relu = (0 ..< 700).map { _ in max(0, generator.gaussian()) }
        let signed = (0 ..< 700).map { _ in generator.gaussian() * 3 }
        for values in [relu, signed] {
            let result = try AntQuantizer(options: QuantizerOptions(mode: "ant-int-flint-pot-float", role: .activation))
                .quantize(try Tensor(shape: [7, 100], float64: values))
            let naive = naiveSearch(values, format: result.chosenFormat, ratios: 75 ..< 150)
            #expect(result.alphas == [(result.channelMaxima[0] * Double(naive.percent)) / 100])
            #expect(abs(result.meanSquaredError - naive.mse) <= 1e-12 * naive.mse)
        }
    }

    @Test("blocked prefix sums (long channels) give the dense result")
    func blockedPrefixSums() throws {
        var generator = SeededGenerator(seed: 21)
        let values = (0 ..< 1000).map { _ in Float(generator.gaussian()) }
        let grid = PreparedGrid(format: try format(.flint, 4, signed: true))
        var dense = SortedChannel<Float>()
        var blocked = SortedChannel<Float>()
        blocked.denseLimit = 100
        values.withUnsafeBufferPointer {
            dense.load($0)
            blocked.load($0)
        }
        for percent in [75, 100, 149] {
            let a = dense.squaredError(grid: grid, percent: percent).value
            let b = blocked.squaredError(grid: grid, percent: percent).value
            #expect(abs(a - b) <= 1e-14 * a)
        }
        let naive = naiveSearch(values.map(Double.init), format: grid.format, ratios: 75 ..< 150)
        #expect(bestRatio(blocked, grid: grid, ratios: 75 ..< 150).percent == naive.percent)
    }

    @Test("huge and tiny magnitudes stay exact (power-of-two scaling)", arguments: [1e160, 1e-300])
    func extremeMagnitudes(scale: Double) throws {
        // x² would overflow for 7e160 without the scaling; at ratio 100 the data sit on the
        // int4 grid (units 7, −7, 3, 0), so the search must find error 0 there.
        let values = [7, -7, 3, 0].map { $0 * scale }
        let result = try AntQuantizer(options: QuantizerOptions(mode: "int")).quantize(try Tensor(shape: [1, 4], float64: values))
        #expect(result.alphas == [7 * scale])
        #expect(result.meanSquaredError == 0)
        #expect(result.codes == [7, 9, 3, 0])
    }
}
