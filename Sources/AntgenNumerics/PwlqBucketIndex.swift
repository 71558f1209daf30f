/// Equal-width buckets over a channel's value range [lo, hi] (spec §7.3, for speed): bucket b
/// holds the values in [edge(b), edge(b + 1)), edge(b) = lo + b·width, the last bucket also
/// everything above. The channel is sorted through them (a counting sort, then a small sort
/// inside each bucket), and `start[b]` is then the first sorted index whose value is
/// ≥ edge(b), so a threshold's partition point lies between `start[b]` and `start[b + 1]` of
/// its bucket: a binary search over one bucket instead of the whole channel.
///
/// The sorted array is the same multiset in ascending order as `sorted()` gives (only the
/// order of −0 and +0 may differ, which no sum or comparison can see).
struct PwlqBucketIndex {
    /// The smallest value (edge(0)).
    let low: Double
    /// The bucket width (0 with a single bucket).
    let width: Double
    /// 1 / width, for the first guess of a bucket.
    private let inverseWidth: Double
    /// B, the number of buckets (≥ 1).
    let count: Int
    /// B + 1 entries: the first sorted index of each bucket, then the element count.
    let start: [Int]

    /// The lower edge of bucket b.
    @inline(__always) func edge(_ b: Int) -> Double { low + Double(b) * width }

    /// The bucket b with edge(b) ≤ t (or b = 0) and t < edge(b + 1) (or b = B − 1).
    @inline(__always) func bucket(of t: Double) -> Int {
        guard count > 1 else { return 0 }
        let guess = (t - low) * inverseWidth
        var b = guess >= 0 ? (guess < Double(count) ? Int(guess) : count - 1) : 0
        while b > 0 && edge(b) > t { b -= 1 }
        while b < count - 1 && edge(b + 1) <= t { b += 1 }
        return b
    }

    /// Sorts `values` ascending through n buckets and returns the sorted values with the index.
    static func sorting(_ values: UnsafeBufferPointer<Double>) -> (sorted: [Double], index: PwlqBucketIndex) {
        let n = values.count
        var lo = Double.infinity, hi = -Double.infinity
        for x in values {
            lo = min(lo, x)
            hi = max(hi, x)
        }
        var width = n > 1 ? (hi - lo) / Double(n) : 0
        let buckets = width > 0 && width.isFinite && (1 / width).isFinite ? n : 1
        if buckets == 1 { width = 0 }
        let index = PwlqBucketIndex(low: n > 0 ? lo : 0, width: width, inverseWidth: buckets > 1 ? 1 / width : 0,
                                    count: buckets, start: [])
        // Counting sort by bucket, then a small sort inside each bucket.
        var start = [Int](repeating: 0, count: buckets + 1)
        var sorted = [Double](repeating: 0, count: n)
        var bucketOf = [Int32](repeating: 0, count: n)
        start.withUnsafeMutableBufferPointer { start in
            bucketOf.withUnsafeMutableBufferPointer { bucketOf in
                for i in 0 ..< n {
                    let b = index.bucket(of: values[i])
                    bucketOf[i] = Int32(truncatingIfNeeded: b)
                    start[b + 1] += 1
                }
                for b in 0 ..< buckets { start[b + 1] += start[b] }
                sorted.withUnsafeMutableBufferPointer { sorted in
                    // Scatter from the back of each bucket (start[b + 1] counts down to start[b]).
                    var end = Array(start[1...])
                    end.withUnsafeMutableBufferPointer { end in
                        for i in 0 ..< n {
                            let b = Int(bucketOf[i])
                            end[b] -= 1
                            sorted[end[b]] = values[i]
                        }
                    }
                    for b in 0 ..< buckets where start[b + 1] - start[b] > 1 { sortBucket(sorted, start[b] ..< start[b + 1]) }
                }
            }
        }
        return (sorted, PwlqBucketIndex(low: index.low, width: width, inverseWidth: index.inverseWidth, count: buckets, start: start))
    }

    /// Insertion sort for a few elements, the standard sort for more.
    private static func sortBucket(_ buffer: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>) {
        guard range.count <= 24 else {
            var slice = UnsafeMutableBufferPointer(rebasing: buffer[range])
            slice.sort()
            return
        }
        for i in range.lowerBound + 1 ..< range.upperBound {
            let x = buffer[i]
            var j = i
            while j > range.lowerBound && x < buffer[j - 1] {
                buffer[j] = buffer[j - 1]
                j -= 1
            }
            buffer[j] = x
        }
    }
}
