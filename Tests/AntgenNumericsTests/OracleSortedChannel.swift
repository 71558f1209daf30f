@testable import AntgenNumerics

// The clip search's SortedChannel as it was before the speed work of issue 26 part 8
// (commit 31c2268), kept verbatim (renamed) as a slow test-only oracle: the fast search must
// give bit-identical squared errors (high and low parts) for every candidate.

/// One channel sorted once, with prefix sums of x (and the total of x²), so that the squared
/// error of any grid cell is read in O(1) after a binary search for its boundaries.
///
/// Values are scaled by a power of two (`scale`) so the channel maximum lies in [1, 2):
/// exact, and it keeps x² and the midpoint products far from overflow or underflow for any
/// finite float64 input, subnormal values included. Prefix sums are kept every `blockSize` elements (1 for ordinary channels,
/// 32 for very long ones to bound memory); a prefix inside a block adds the remaining few
/// elements.
struct OracleSortedChannel<Element: BinaryFloatingPoint & Sendable> {
    /// The channel sorted ascending, times `scale` (exact: a power of two).
    private var scaledValues: [Double] = []
    private var prefixX: [DoubleDouble] = []
    private var blockShift = 0
    /// max |x| of the channel (unscaled).
    private(set) var base: Double = 0
    /// Σ x² of the whole channel (scaled), exact to double-double.
    private(set) var sumOfSquares = DoubleDouble.zero
    /// 2^−e with base · 2^−e in [1, 2).
    private(set) var scale = BinaryScale.one
    /// base · 2^−e, in [1, 2) (0 for an all-zero channel).
    private(set) var scaledBase: Double = 0
    /// The exponent E of the tensor's largest |x|: `meanSquaredError` reports the channel's
    /// error in units of 2^(2E), so channels of one tensor add up without overflow.
    private(set) var tensorExponent = 0

    /// Channels longer than this keep one prefix entry per 32 elements.
    var denseLimit = 1 << 16

    var count: Int { scaledValues.count }

    /// Loads and sorts a channel, reusing this value's buffers; `tensorExponent` is the
    /// exponent of the largest |x| of the whole tensor (`magnitudeExponent`).
    mutating func load(_ values: UnsafeBufferPointer<Element>, tensorExponent: Int = 0) {
        self.tensorExponent = tensorExponent
        // Element converts to Double exactly, and scaling by a power of two keeps the order.
        scaledValues.removeAll(keepingCapacity: true)
        scaledValues.reserveCapacity(values.count)
        for value in values { scaledValues.append(Double(value)) }
        scaledValues.sort()
        base = max(abs(scaledValues[0]), abs(scaledValues[scaledValues.count - 1]))
        scale = BinaryScale(normalizing: base)
        scaledBase = scale.apply(base)
        let scale = self.scale
        if scale.exponent != 0 {
            scaledValues.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = scale.apply(buffer[index]) }
            }
        }
        blockShift = scaledValues.count > denseLimit ? 5 : 0
        let blockCount = (scaledValues.count >> blockShift) + 1
        prefixX.removeAll(keepingCapacity: true)
        prefixX.reserveCapacity(blockCount)
        var sumX = DoubleDouble.zero
        var sumXSquared = DoubleDouble.zero
        let blockMask = (1 << blockShift) - 1
        for index in 0 ..< scaledValues.count {
            if index & blockMask == 0 { prefixX.append(sumX) }
            let x = scaled(index)
            sumX = sumX + DoubleDouble(x)
            sumXSquared = sumXSquared + DoubleDouble.twoProduct(x, x)
        }
        if scaledValues.count & blockMask == 0 { prefixX.append(sumX) }
        sumOfSquares = sumXSquared
    }

    /// The element at `index` of the sorted channel, times `scale`.
    @inline(__always)
    func scaled(_ index: Int) -> Double {
        scaledValues[index]
    }

    /// The first index in `start..<count` whose scaled element is at or above `threshold`.
    ///
    /// Galloping from `start`: consecutive grid cells are searched left to right and most
    /// are narrow, so this costs O(log gap) rather than O(log n) per cell.
    @inline(__always)
    func firstIndex(atOrAbove threshold: Double, from start: Int) -> Int {
        scaledValues.withUnsafeBufferPointer { values in
            let n = values.count
            var low = start
            var probe = start
            var step = 1
            while probe < n, values[probe] < threshold {
                low = probe + 1
                probe = low + step
                step <<= 1
            }
            var high = min(probe, n)
            while low < high {
                let middle = (low + high) >> 1
                if values[middle] < threshold { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Σ x over the first `end` sorted (scaled) elements.
    @inline(__always)
    func prefixSum(upTo end: Int) -> DoubleDouble {
        let block = end >> blockShift
        var sum = prefixX[block]
        var index = block << blockShift
        while index < end {
            sum = sum + DoubleDouble(scaled(index))
            index += 1
        }
        return sum
    }

    /// Σ over one cell [start, end) of (x − d)² − x², i.e. n·d² − 2·d·Σx, in double-double.
    ///
    /// Summed over every cell and added to Σ x² of the channel this is the squared error;
    /// the Σ x² of the cells telescopes to that one constant, so it is never differenced.
    @inline(__always)
    func cellTerm(from startSum: DoubleDouble, to endSum: DoubleDouble, count: Int, value d: Double) -> DoubleDouble {
        (endSum - startSum) * (-2 * d) + DoubleDouble.twoProduct(d, d) * Double(count)
    }

    /// The first index in `start..<count` whose element lies at or above midpoint k of
    /// `grid` for clip ratio `percent`: a binary search on a rounded threshold, then an
    /// exact correction.
    @inline(__always)
    func boundary(of k: Int, in grid: PreparedGrid, percent: Double, from start: Int) -> Int {
        let threshold = (scaledBase * (percent * grid.midpointSums[k])) / grid.dataFactor
        var low = firstIndex(atOrAbove: threshold, from: start)
        while low > start, grid.isAtOrAboveMidpoint(scaled(low - 1), k, base: scaledBase, percent: percent) {
            low -= 1
        }
        while low < scaledValues.count, !grid.isAtOrAboveMidpoint(scaled(low), k, base: scaledBase, percent: percent) {
            low += 1
        }
        return low
    }

    /// Σ (x − d_k)² over the channel for clip ratio `percent`, scaled by `scale²`.
    ///
    /// Σ x² of the channel plus, for each cell in ascending grid order, n·d² − 2·d·S1,
    /// evaluated in double-double arithmetic.
    func squaredError(grid: PreparedGrid, percent: Int) -> DoubleDouble {
        let ratio = Double(percent)
        let alpha = PreparedGrid.alpha(base: scaledBase, percent: percent)
        var total = sumOfSquares
        var cellStart = 0
        var startSum = DoubleDouble.zero
        let lastCell = grid.values.count - 1
        for k in 0 ... lastCell {
            let cellEnd = k == lastCell ? scaledValues.count : boundary(of: k, in: grid, percent: ratio, from: cellStart)
            if cellEnd == cellStart { continue }
            let endSum = prefixSum(upTo: cellEnd)
            total = total + cellTerm(from: startSum, to: endSum, count: cellEnd - cellStart, value: grid.dequantized(k, alpha: alpha))
            cellStart = cellEnd
            startSum = endSum
        }
        return total
    }
}
