import Foundation
import Testing
@testable import AntgenNumerics

/// The PWLQ quantizer's speed paths give the same codes as the plain ones: the bucket sort
/// equals `sorted()`, the bucketed partition equals a binary search over the whole channel,
/// the libm-free rounding equals `rounded(.toNearestOrEven)`, and `encode` equals the spec's
/// formulas (docs/numeric-formats.md §7.2) written out here with `rounded(.toNearestOrEven)`.
@Suite("PWLQ fast paths")
struct PwlqFastPathTests {
    /// Channels that stress the buckets: Gaussian, many duplicates, ±0, one far outlier (one
    /// bucket holds almost everything), constant, one and two elements, subnormal, huge range.
    private static func channels() -> [[Double]] {
        var generator = SplitMix64(seed: 77)
        let gaussian = (0 ..< 4000).map { _ in generator.gaussian() }
        let duplicates = (0 ..< 1000).map { _ in Double(Int(generator.next() % 9)) - 4 }
        let zeros = (0 ..< 200).map { i in i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : generator.gaussian()) }
        let outlier = (0 ..< 500).map { _ in generator.gaussian() * 1e-3 } + [1e6]
        let subnormal = (0 ..< 300).map { _ in generator.gaussian() * 1e-310 }
        return [gaussian, duplicates, zeros, outlier, [2.5, 2.5, 2.5], [-1.25], [3, -3], subnormal,
                [-1.7e308, 1.7e308, 0, 1, -1]]
    }

    @Test("the bucket sort equals sorted(), and each bucket's start is its first value ≥ its edge")
    func bucketSortEqualsSorted() {
        for values in Self.channels() {
            let (sorted, index) = values.withUnsafeBufferPointer { PwlqBucketIndex.sorting($0) }
            #expect(sorted == values.sorted())
            #expect(index.start.first == 0 && index.start.last == values.count && index.start.count == index.count + 1)
            for b in 1 ..< index.count {
                let edge = index.edge(b)
                #expect(sorted[..<index.start[b]].allSatisfy { $0 < edge } && sorted[index.start[b]...].allSatisfy { $0 >= edge })
            }
        }
    }

    @Test("the bucketed partition equals a binary search over the whole sorted channel")
    func partitionEqualsBinarySearch() {
        var generator = SplitMix64(seed: 78)
        for values in Self.channels() {
            let reference = values.sorted()
            let channel = values.withUnsafeBufferPointer { PwlqSortedChannel($0) }
            func search(_ t: Double, _ range: Range<Int>, strict: Bool) -> Int {
                var low = range.lowerBound, high = range.upperBound
                while low < high {
                    let middle = (low + high) / 2
                    if strict ? reference[middle] <= t : reference[middle] < t { low = middle + 1 } else { high = middle }
                }
                return low
            }
            let spread = max(abs(reference.first!), abs(reference.last!))
            let thresholds = values + values.map { $0.nextUp } + values.map { $0.nextDown } + [0, -0.0, 2 * spread, -2 * spread]
                + (0 ..< 200).map { _ in (Double(generator.next() % 2001) / 1000 - 1) * spread }
            let n = values.count
            for t in thresholds {
                for range in [0 ..< n, n / 3 ..< n, 0 ..< n / 2, n / 4 ..< n / 4 + n / 3] {
                    for strict in [false, true] {
                        #expect(channel.partition(t, in: range, strict: strict) == search(t, range, strict: strict), "t = \(t)")
                    }
                }
            }
        }
    }

    @Test("roundHalfEven equals rounded(.toNearestOrEven), ties and extremes included")
    func roundingMatches() {
        var generator = SplitMix64(seed: 79)
        let ties = (-20 ... 20).map { Double($0) + 0.5 }
        let extremes: [Double] = [0, -0.0, 0x1p51 - 0.5, -0x1p51 + 0.5, 0x1p51, 0x1p52 + 1, -0x1p53, 1e300, .infinity, -.infinity,
                                  Double.leastNonzeroMagnitude, 0.49999999999999994, -0.49999999999999994]
        let random = (0 ..< 2000).map { _ in generator.gaussian() * 100 }
        for v in ties + extremes + random {
            // Equal as numbers (a zero may differ in sign; callers convert to Int).
            #expect(roundHalfEven(v) == v.rounded(.toNearestOrEven), "v = \(v)")
        }
        #expect(roundHalfEven(.nan).isNaN)
    }

    /// The spec's encoder (§7.2), packed as region << b | sign << (b − 1) | magnitude.
    private func specCode(_ x: Double, _ c: PwlqChannel) -> UInt16 {
        let b = c.bits, n = Double((1 << (b - 1)) - 1), p = c.breakpoint, m = c.range
        func pack(_ region: Int, _ negative: Bool, _ q: Double) -> UInt16 { UInt16(region << b | (negative ? 1 << (b - 1) : 0) | Int(q)) }
        func clamp(_ v: Double, _ low: Double, _ high: Double) -> Double { min(max(v, low), high) }
        switch c.variant {
        case .paper:
            if abs(x) <= p {
                let q = clamp((abs(x) / (p / n)).rounded(.toNearestOrEven), 0, n)
                return pack(0, x < 0 && q > 0, q)
            }
            return pack(1, x < 0, clamp(((abs(x) - p) / ((m - p) / n)).rounded(.toNearestOrEven), 0, n))
        case .nonoverlap, .overlap:
            let full = Double((1 << b) - 1)
            if abs(x) < p {
                let k = clamp((x / (2 * p / full)).rounded(.toNearestOrEven), -n, n)
                return pack(0, k < 0, abs(k))
            }
            if c.variant == .overlap {
                let k = Int(clamp((x / (2 * m / full)).rounded(.toNearestOrEven), -n - 1, n))
                return UInt16(1 << b | (k & ((1 << b) - 1)))
            }
            if x >= p { return pack(1, false, clamp(((x - p) / ((m - p) / n)).rounded(.toNearestOrEven), 0, n)) }
            return pack(1, true, n - clamp(((x + m) / ((m - p) / n)).rounded(.toNearestOrEven), 0, n))
        }
    }

    @Test("encode equals the spec's formulas on random values, ties, ±p, ±m and 0", arguments: PwlqVariant.allCases)
    func encodeMatchesSpec(variant: PwlqVariant) throws {
        var generator = SplitMix64(seed: 80)
        for bits in [2, 3, 4, 8] {
            for ratio in [0.1, 0.37, 0.5, 0.9] {
                let m = 1.75, channel = try PwlqChannel(bits: bits, variant: variant, range: m, breakpoint: ratio * m)
                let levels = channel.allCodes().map { channel.value(of: $0) }
                let steps = [channel.centreStep, channel.tailStep]
                let ties = levels.flatMap { v in steps.map { v + $0 / 2 } + steps.map { v - $0 / 2 } }
                let special = [0, -0.0, channel.breakpoint, -channel.breakpoint, m, -m, channel.breakpoint.nextUp, -channel.breakpoint.nextDown]
                let random = (0 ..< 500).map { _ in generator.gaussian() * m / 2.5 }.map { min(max($0, -m), m) }
                for x in levels + ties + special + random where abs(x) <= m {
                    #expect(channel.encode(x).packed == specCode(x, channel), "b=\(bits) ratio=\(ratio) x=\(x)")
                }
            }
        }
    }
}
