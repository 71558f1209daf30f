import Foundation
import Testing
@testable import AntgenNumerics

/// The compat algorithm as it was before the eight-ratio kernel: for every ratio, every
/// element, a binary search for x_s's neighbours and the smaller float32 distance (the later
/// value on ties, 0 past 102,400 or for NaN), squares summed in double in element order.
/// Written out plainly here so the production search is compared with an independent copy.
private enum PlainCompat {
    static func gridValues(_ format: NumberFormat) -> [Float] {
        let real = format.distinctValues.map { Float($0 * format.unit) }
        let normaliser = (1 / real[real.count - 1]) * 10
        return real.map { $0 * normaliser }
    }

    static func zeroIndex(_ format: NumberFormat) -> Int {
        format.distinctValues.firstIndex(of: 0) ?? 0
    }

    static func nearest(_ x: Float, values: [Float], zero: Int) -> Int {
        if x.isNaN { return zero }
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] > x { high = middle } else { low = middle + 1 }
        }
        let chosen: Int
        if low == 0 {
            chosen = 0
        } else if low == values.count {
            chosen = low - 1
        } else {
            chosen = abs(x - values[low]) <= abs(x - values[low - 1]) ? low : low - 1
        }
        return abs(x - values[chosen]) <= 102_400 ? chosen : zero
    }

    static func dequantize(_ x: Float, scale: Float, values: [Float], zero: Int) -> (index: Int, value: Float) {
        let scaled = x / scale
        let index = nearest(scaled, values: values, zero: zero)
        return (index, ((values[index] - scaled) + scaled) * scale)
    }

    static func alpha(_ base: Float, _ percent: Int) -> Float { base * Float(Double(percent) * 0.01) }

    static func search(_ channel: ArraySlice<Float>, base: Float, format: NumberFormat, ratios: Range<Int>) -> (alpha: Float, score: Float) {
        let values = gridValues(format)
        let zero = zeroIndex(format)
        let maxValue = values.max()!
        var best = (alpha: base, score: Float(1e10))
        for percent in ratios {
            let scale = alpha(base, percent) / maxValue
            var sum = 0.0
            for x in channel {
                let error = dequantize(x, scale: scale, values: values, zero: zero).value - x
                sum += Double(error * error)
            }
            let score = Float(sum) * (1 / Float(channel.count))
            if score < best.score { best = (alpha(base, percent), score) }
        }
        return best
    }
}

/// Channels that exercise ties, edge cases and ordinary data.
private func testChannels(length: Int, seed: UInt64) -> [[Float]] {
    var random = SplitMix64(seed: seed)
    let gaussian = (0 ..< length).map { _ in Float(random.gaussian()) }
    let heavy = (0 ..< length).map { _ -> Float in
        let (a, b) = (random.gaussian(), random.gaussian())
        return Float(random.gaussian() / ((a * a + b * b) / 2).squareRoot())
    }
    // Multiples of 1/8 of the maximum: many elements land exactly on grid points and midpoints.
    let ties = (0 ..< length).map { _ in Float(Int(random.next() % 17) - 8) / 8 }
    let zeros = [Float](repeating: 0, count: length)
    let constant = [Float](repeating: -0.75, count: length)
    let subnormal = (0 ..< length).map { index in Float.leastNonzeroMagnitude * Float(index % 7) * (index % 2 == 0 ? 1 : -1) }
    let huge = (0 ..< length).map { index in index == 0 ? Float.greatestFiniteMagnitude : Float(random.gaussian()) * 1e37 }
    let oneHot = (0 ..< length).map { $0 == length / 2 ? Float(3) : 0 }
    return [gaussian, heavy, ties, zeros, constant, subnormal, huge, oneHot]
}

@Suite("Compat search: the eight-ratio kernel equals the plain algorithm")
struct CompatSearchEquivalenceTests {
    private static let formats: [NumberFormat] = [NumberKind.int, .flint, .pot, .float(exponentBits: 1), .float(exponentBits: 3), .apot]
        .flatMap { kind in [(2, true), (3, false), (4, true), (4, false), (5, true)].compactMap { try? NumberFormat(kind: kind, bits: $0.0, signed: $0.1) } }
        + [try! NumberFormat(kind: .int, bits: 8, signed: true), try! NumberFormat(kind: .pot, bits: 6, signed: false)]

    @Test("nearestIndex equals the binary-search rule on grid points, neighbours, midpoints and specials")
    func nearestIndexMatches() {
        var random = SplitMix64(seed: 17)
        for format in Self.formats {
            let grid = CompatGrid(format: format)
            let values = PlainCompat.gridValues(format)
            let zero = PlainCompat.zeroIndex(format)
            #expect(grid.values == values)
            var probes: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 102_410, -102_410, 1e30, -1e30]
            for (k, value) in values.enumerated() {
                probes += [value, value.nextUp, value.nextDown, -value]
                if k > 0 {
                    let middle = (values[k - 1] + values[k]) / 2
                    var probe = middle
                    for _ in 0 ..< 4 { probe = probe.nextDown }
                    for _ in 0 ..< 9 { probes.append(probe); probe = probe.nextUp }
                }
            }
            probes += grid.thresholds.flatMap { [$0, $0.nextDown, $0.nextUp] }
            probes += (0 ..< 2_000).map { _ in Float(random.gaussian() * 6) }
            for x in probes {
                #expect(grid.nearestIndex(x) == PlainCompat.nearest(x, values: values, zero: zero), "\(format) at \(x)")
            }
        }
    }

    @Test("per-channel α and score are bit-identical for every grid and ratio range")
    func channelSearchMatches() {
        for (offset, format) in Self.formats.enumerated() {
            let grid = CompatGrid(format: format)
            for (index, channel) in testChannels(length: 61, seed: UInt64(offset)).enumerated() {
                let base = channel.reduce(Float(0)) { max($0, abs($1)) }
                for ratios in [75 ..< 150, 95 ..< 150, 100 ..< 101, 80 ..< 83] {
                    let expected = PlainCompat.search(channel[...], base: base, format: format, ratios: ratios)
                    let actual = channel.withUnsafeBufferPointer {
                        CompatSearchKernel.search($0, base: base, grid: grid, ratios: ratios)
                    }
                    #expect(actual.alpha.bitPattern == expected.alpha.bitPattern, "\(format) channel \(index) \(ratios)")
                    #expect(actual.score.bitPattern == expected.score.bitPattern, "\(format) channel \(index) \(ratios)")
                }
            }
        }
    }

    @Test("a whole compat run chooses the same type and α and dequantizes bit for bit", arguments: [false, true])
    func quantizerMatches(weights: Bool) throws {
        // Compat mode refuses tensors whose max |x| leaves 2^-40 … 2^60 (docs/reliability.md),
        // so the near-overflow channel is left to the per-channel test above.
        let channels = testChannels(length: 96, seed: weights ? 3 : 4).filter { $0.allSatisfy { abs($0) <= 0x1p60 } }
        let data = weights ? channels.flatMap { $0 } : channels[0].map { abs($0) } + channels[2]
        let rows = weights ? channels.count : 1
        let tensor = try Tensor(shape: [rows, data.count / rows], float32: data)
        let mode = "ant-int-pot-flint-float2"
        let options = QuantizerOptions(bits: 4, mode: mode, role: weights ? .weight : .activation, arithmetic: .compat)
        let result = try AntQuantizer(options: options).quantize(tensor)

        // The plain pipeline: every candidate scored on its selection grid (float2 with the
        // eb = 1 grid; `-float2` also enables `float` by substring), lowest total wins, a
        // chosen float2 re-searched with its own grid, then each element dequantized.
        let signed = weights || data.contains { $0 < 0 }
        let length = data.count / rows
        let candidates: [(type: TypeCandidate, kind: NumberKind, selection: NumberKind)] = [
            (TypeCandidate(.int), .int, .int), (TypeCandidate(.flint), .flint, .flint), (TypeCandidate(.pot), .pot, .pot),
            (TypeCandidate(.float), .float(exponentBits: 3), .float(exponentBits: 3)),
            (.float(exponentBits: 2), .float(exponentBits: 2), .float(exponentBits: 1)),
        ]
        let bases = (0 ..< rows).map { row in data[row * length ..< (row + 1) * length].reduce(Float(0)) { max($0, abs($1)) } }
        func searchAll(_ format: NumberFormat) -> [(alpha: Float, score: Float)] {
            (0 ..< rows).map { PlainCompat.search(data[$0 * length ..< ($0 + 1) * length], base: bases[$0], format: format, ratios: 75 ..< 150) }
        }
        var totals: [(type: TypeCandidate, total: Float)] = []
        var searches: [[(alpha: Float, score: Float)]] = []
        for (type, _, selectionKind) in candidates {
            let found = searchAll(try NumberFormat(kind: selectionKind, bits: 4, signed: signed))
            searches.append(found)
            totals.append((type, Float(found.reduce(0.0) { $0 + Double($1.score) })))
        }
        let chosen = totals.indices.reduce(0) { totals[$1].total < totals[$0].total ? $1 : $0 }
        let finalFormat = try NumberFormat(kind: candidates[chosen].kind, bits: 4, signed: signed)
        let finalSearch = candidates[chosen].kind != candidates[chosen].selection ? searchAll(finalFormat) : searches[chosen]
        let values = PlainCompat.gridValues(finalFormat)
        let zero = PlainCompat.zeroIndex(finalFormat)
        let maxValue = values.max()!
        let expectedValues = data.indices.map { index -> Float in
            let row = index / length
            guard bases[row] > 0 else { return 0 }
            return PlainCompat.dequantize(data[index], scale: finalSearch[row].alpha / maxValue, values: values, zero: zero).value
        }

        #expect(result.chosenType == candidates[chosen].type)
        #expect(result.alphas == finalSearch.map { Double($0.alpha) })
        let scored = result.candidates.compactMap(\.score)
        #expect(scored == totals.map { Double($0.total) })
        guard case .float32(let actualValues) = result.dequantized.storage else {
            Issue.record("compat output of float32 input is float32")
            return
        }
        #expect(actualValues.map(\.bitPattern) == expectedValues.map(\.bitPattern))
    }
}
