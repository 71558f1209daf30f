/// One channel sorted once with prefix sums of x and x², so the squared error of a PWLQ
/// quantizer at any breakpoint costs O(2^b) bucket look-ups instead of O(n) (spec §7.3).
///
/// Every piece of a PWLQ quantizer is a set of values (an index range of the sorted channel)
/// rounded to the nearest of a uniform level set o + k·s; the values between two decision
/// boundaries o + (k ± ½)s are found by a binary search inside the threshold's bucket
/// (`PwlqBucketIndex`, one bucket per element on average) and their error is
/// Σx² − 2vΣx + n·v² with v the level. Ties round to either neighbour at equal cost, so the
/// result equals the element-wise error up to floating-point rounding.
struct PwlqSortedChannel {
    private let sorted: [Double]
    private let prefixX: [Double]
    private let prefixXX: [Double]
    private let buckets: PwlqBucketIndex

    init(_ values: UnsafeBufferPointer<Double>) {
        (sorted, buckets) = PwlqBucketIndex.sorting(values)
        var px = [Double](repeating: 0, count: sorted.count + 1)
        var pxx = px
        for (index, x) in sorted.enumerated() {
            px[index + 1] = px[index] + x
            pxx[index + 1] = pxx[index] + x * x
        }
        prefixX = px
        prefixXX = pxx
    }

    var count: Int { sorted.count }

    /// The first index in `range` whose value is ≥ t (strict: > t). The channel's own first
    /// such index lies in t's bucket; clamped to `range` it is the first such index in `range`.
    func partition(_ t: Double, in range: Range<Int>, strict: Bool = false) -> Int {
        let b = buckets.bucket(of: t)
        var low = buckets.start[b], high = buckets.start[b + 1]
        while low < high {
            let middle = (low + high) >> 1
            if strict ? sorted[middle] <= t : sorted[middle] < t { low = middle + 1 } else { high = middle }
        }
        return min(max(low, range.lowerBound), range.upperBound)
    }

    /// Squared error of rounding `range` to the nearest of o + k·s, k ∈ levels.
    private func pieceError(_ range: Range<Int>, offset o: Double, step s: Double, levels: ClosedRange<Int>) -> Double {
        var start = range.lowerBound
        var total = 0.0
        var k = levels.lowerBound
        while start < range.upperBound {
            let end = k == levels.upperBound ? range.upperBound : partition(o + (Double(k) + 0.5) * s, in: start ..< range.upperBound)
            if end > start {
                let v = o + Double(k) * s
                let n = Double(end - start)
                let sx = prefixX[end] - prefixX[start], sxx = prefixXX[end] - prefixXX[start]
                total += max(0, sxx - 2 * v * sx + n * v * v)
            }
            start = end
            k += 1
        }
        return total
    }

    /// The total squared error of `channel`'s quantizer (no bias correction) on this channel.
    func squaredError(_ channel: PwlqChannel) -> Double {
        let p = channel.breakpoint, n = channel.maxMagnitude
        let all = 0 ..< sorted.count
        switch channel.variant {
        case .paper:
            let zero = partition(0, in: all)
            let low = partition(-p, in: all), high = partition(p, in: all, strict: true)
            let s1 = channel.centreStep, s2 = channel.tailStep
            return pieceError(0 ..< low, offset: -p, step: s2, levels: -n ... 0)
                + pieceError(low ..< zero, offset: 0, step: s1, levels: -n ... 0)
                + pieceError(zero ..< high, offset: 0, step: s1, levels: 0 ... n)
                + pieceError(high ..< sorted.count, offset: p, step: s2, levels: 0 ... n)
        case .nonoverlap, .overlap:
            let low = partition(-p, in: all, strict: true), high = partition(p, in: all)
            let centre = pieceError(low ..< high, offset: 0, step: channel.centreStep, levels: -n ... n)
            if channel.variant == .overlap {
                let half = 1 << (channel.bits - 1)
                let levels = -half ... half - 1
                return centre + pieceError(0 ..< low, offset: 0, step: channel.tailStep, levels: levels)
                    + pieceError(high ..< sorted.count, offset: 0, step: channel.tailStep, levels: levels)
            }
            return centre + pieceError(0 ..< low, offset: -channel.range, step: channel.tailStep, levels: 0 ... n)
                + pieceError(high ..< sorted.count, offset: p, step: channel.tailStep, levels: 0 ... n)
        }
    }
}

/// The coarse-to-fine L2 grid search (spec §7.3): p/m over 0.1…0.9, then best + k·0.01 and
/// best + k·0.001 for k = −10…9, skipping ratios outside (0, 1); a candidate replaces the
/// best only with a strictly smaller error. Ratios are kept in integer thousandths so the
/// grid has no floating-point drift. Returns p/m.
func gridSearchRatio(_ sorted: PwlqSortedChannel, bits: Int, variant: PwlqVariant, range m: Double) -> Double {
    var best = 500
    var bestError = Double.infinity
    func consider(_ thousandths: Int) {
        guard thousandths > 0, thousandths < 1000 else { return }
        let p = Double(thousandths) / 1000 * m
        guard p > 0, p < m, let channel = try? PwlqChannel(bits: bits, variant: variant, range: m, breakpoint: p) else { return }
        let error = sorted.squaredError(channel)
        if error < bestError {
            bestError = error
            best = thousandths
        }
    }
    for tenth in 1 ... 9 { consider(tenth * 100) }
    let coarse = best
    for k in -10 ..< 10 { consider(coarse + 10 * k) }
    let middle = best
    for k in -10 ..< 10 { consider(middle + k) }
    return Double(best) / 1000
}
