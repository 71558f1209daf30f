/// The compat clip search, eight clip ratios at a time.
///
/// Every (channel, grid, ratio) score is the reference's float32 sequence, operation for
/// operation: x_s = fl(x/s), the kernel's nearest choice (counted against
/// `CompatGrid.thresholds`, which reproduce the neighbour comparison exactly), the far rule,
/// the straight-through fl(fl(g − x_s) + x_s), fl(fl(t·s) − x) squared in float32, and the
/// squares added in double in element order. Only the layout changes: one SIMD lane per
/// ratio, so a pass over the channel serves eight ratios, and the nearest value comes from a
/// few compares and selects instead of a branchy binary search. Scores are therefore
/// bit-identical to evaluating one ratio at a time (tested against a plain copy).
enum CompatSearchKernel {
    /// Ratios evaluated per pass over a channel.
    static let lanes = 8

    /// Grids with more values than this (int at 6 bits and above) pick the nearest value by
    /// a binary search over the thresholds, one ratio at a time.
    static let selectLimit = 32

    /// The reference's search for one channel and grid: ratios in order, strictly smaller
    /// score wins against an initial 1e10; α stays max|x| when nothing beats it.
    static func search(_ channel: UnsafeBufferPointer<Float>, base: Float, grid: CompatGrid,
                       ratios: Range<Int>) -> (alpha: Float, score: Float) {
        let percents = Array(ratios)
        let scales = percents.map { CompatArithmetic.alpha(base: base, percent: $0) / grid.maxValue }
        let inverseCount = 1 / Float(channel.count)
        var scores: [Float]
        if grid.values.count > selectLimit {
            scores = scales.map { Float(plainSum(channel, scale: $0, grid: grid)) * inverseCount }
        } else {
            let window = ChoiceWindow(channel, base: base, grid: grid, smallestScale: scales[0], largestScale: scales[scales.count - 1])
            scores = []
            for start in stride(from: 0, to: scales.count, by: lanes) {
                var laneScales = SIMD8<Float>()
                for lane in 0 ..< lanes { laneScales[lane] = scales[min(start + lane, scales.count - 1)] }
                let sums = window.starts.withUnsafeBufferPointer { starts in
                    grid.broadcastThresholds.withUnsafeBufferPointer { thresholds in
                        grid.broadcastValues.withUnsafeBufferPointer { values in
                            laneSums(channel, scale: laneScales, window: window, starts: starts,
                                     thresholds: thresholds, values: values, zero: values[grid.zeroIndex])
                        }
                    }
                }
                scores += (0 ..< min(lanes, scales.count - start)).map { Float(sums[$0]) * inverseCount }
            }
        }
        var best = (alpha: base, score: CompatArithmetic.initialBestScore)
        for (percent, score) in zip(percents, scores) where score < best.score {
            best = (CompatArithmetic.alpha(base: base, percent: percent), score)
        }
        return best
    }

    /// Σ (fl(t·s) − x)² in element order for one scale, one element at a time.
    private static func plainSum(_ channel: UnsafeBufferPointer<Float>, scale: Float, grid: CompatGrid) -> Double {
        var sum = 0.0
        for x in channel {
            let error = CompatArithmetic.dequantize(x, scale: scale, grid: grid).value - x
            sum += Double(error * error)
        }
        return sum
    }

    /// Σ (fl(t·s) − x)² per lane in element order. Element i's choice in every lane lies in
    /// starts[i] … starts[i] + window.width, so only those thresholds are compared.
    @inline(__always)
    private static func laneSums(_ channel: UnsafeBufferPointer<Float>, scale: SIMD8<Float>, window: ChoiceWindow,
                                 starts: UnsafeBufferPointer<UInt8>, thresholds: UnsafeBufferPointer<SIMD8<Float>>,
                                 values: UnsafeBufferPointer<SIMD8<Float>>, zero: SIMD8<Float>) -> [Double] {
        var low = SIMD4<Double>()
        var high = SIMD4<Double>()
        let farLimit = SIMD8<Float>(repeating: 102_400)
        let width = window.width
        let checkFar = window.farPossible
        for index in 0 ..< channel.count {
            let element = SIMD8<Float>(repeating: channel[index])
            let scaled = element / scale
            let start = Int(starts[index])
            var nearest = values[start]
            for step in 0 ..< width {
                nearest.replace(with: values[start + step + 1], where: scaled .>= thresholds[start + step])
            }
            if checkFar {
                let distance = scaled - nearest
                nearest.replace(with: zero, where: .!((distance .<= farLimit) .& (distance .>= -farLimit)))
            }
            let passed = (nearest - scaled) + scaled
            let error = passed * scale - element
            let square = error * error
            low += SIMD4<Double>(square.lowHalf)
            high += SIMD4<Double>(square.highHalf)
        }
        return [low[0], low[1], low[2], low[3], high[0], high[1], high[2], high[3]]
    }
}

/// Where each element's nearest choice can fall over a whole ratio range.
///
/// s grows with the ratio, so fl(x/s) moves monotonically between its values at the
/// smallest and the largest scale, and so does the choice (the number of thresholds ≤ x_s).
/// Element i's choices therefore lie in starts[i] … starts[i] + width for every ratio.
struct ChoiceWindow {
    var starts: [UInt8]
    var width: Int
    /// Whether some |fl(x_s − g)| can exceed 102,400 (only for degenerate scales or data).
    var farPossible: Bool

    init(_ channel: UnsafeBufferPointer<Float>, base: Float, grid: CompatGrid, smallestScale: Float, largestScale: Float) {
        let last = grid.values.count - 1
        let regular = smallestScale > 0 && largestScale.isFinite
        guard regular else {
            starts = [UInt8](repeating: 0, count: channel.count)
            width = last
            farPossible = true
            return
        }
        var lows = [Int](repeating: 0, count: channel.count)
        var widest = 0
        for (index, x) in channel.enumerated() {
            let first = grid.choice(x / smallestScale)
            let second = grid.choice(x / largestScale)
            lows[index] = min(first, second)
            widest = max(widest, abs(first - second))
        }
        width = widest
        starts = lows.map { UInt8(min($0, last - widest)) }
        // |fl(x_s − g)| ≤ fl(|x_s| + |g|) and |x_s| ≤ fl(base / smallest s).
        let largestValue = max(abs(grid.values[0]), abs(grid.values[last]))
        farPossible = !((base / smallestScale + largestValue) <= 102_400)
    }
}
