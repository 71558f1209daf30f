/// One channel sorted once, with prefix sums of x and x², so that the squared error of any
/// grid cell is read in O(1) after a binary search for its boundaries.
///
/// Values are scaled by a power of two (`scaleFactor`) so the channel maximum lies in
/// [1, 2): exact, and it keeps x² and the midpoint products far from overflow for any
/// float64 input. Prefix sums are kept every `blockSize` elements (1 for ordinary channels,
/// 32 for very long ones to bound memory); a prefix inside a block adds the remaining few
/// elements.
struct SortedChannel<Element: BinaryFloatingPoint & Sendable> {
    private(set) var sorted: [Element] = []
    private var prefixX: [DoubleDouble] = []
    private var prefixXSquared: [DoubleDouble] = []
    private var blockShift = 0
    /// max |x| of the channel (unscaled).
    private(set) var base: Double = 0
    /// 2^−e with base · 2^−e in [1, 2).
    private(set) var scaleFactor: Double = 1

    /// Channels longer than this keep one prefix entry per 32 elements.
    var denseLimit = 1 << 16

    var count: Int { sorted.count }

    /// Loads and sorts a channel, reusing this value's buffers.
    mutating func load(_ values: UnsafeBufferPointer<Element>) {
        sorted.removeAll(keepingCapacity: true)
        sorted.append(contentsOf: values)
        sorted.sort()
        base = max(abs(Double(sorted[0])), abs(Double(sorted[sorted.count - 1])))
        scaleFactor = base > 0 ? Double(sign: .plus, exponent: -base.exponent, significand: 1) : 1
        blockShift = sorted.count > denseLimit ? 5 : 0
        let blockCount = (sorted.count >> blockShift) + 1
        prefixX.removeAll(keepingCapacity: true)
        prefixXSquared.removeAll(keepingCapacity: true)
        prefixX.reserveCapacity(blockCount)
        prefixXSquared.reserveCapacity(blockCount)
        var sumX = DoubleDouble.zero
        var sumXSquared = DoubleDouble.zero
        let blockMask = (1 << blockShift) - 1
        for index in 0 ..< sorted.count {
            if index & blockMask == 0 {
                prefixX.append(sumX)
                prefixXSquared.append(sumXSquared)
            }
            let x = scaled(index)
            sumX = sumX + DoubleDouble(x)
            sumXSquared = sumXSquared + DoubleDouble.twoProduct(x, x)
        }
        if sorted.count & blockMask == 0 {
            prefixX.append(sumX)
            prefixXSquared.append(sumXSquared)
        }
    }

    /// The element at `index` of the sorted channel, times `scaleFactor`.
    @inline(__always)
    func scaled(_ index: Int) -> Double {
        Double(sorted[index]) * scaleFactor
    }

    /// Σ x and Σ x² over the first `end` sorted (scaled) elements.
    @inline(__always)
    func prefixSums(upTo end: Int) -> (x: DoubleDouble, xSquared: DoubleDouble) {
        let block = end >> blockShift
        var sumX = prefixX[block]
        var sumXSquared = prefixXSquared[block]
        var index = block << blockShift
        while index < end {
            let x = scaled(index)
            sumX = sumX + DoubleDouble(x)
            sumXSquared = sumXSquared + DoubleDouble.twoProduct(x, x)
            index += 1
        }
        return (sumX, sumXSquared)
    }

    /// The first index in `start..<count` whose element lies at or above midpoint k of
    /// `grid` for clip ratio `percent`: a binary search on a rounded threshold, then an
    /// exact correction.
    @inline(__always)
    func boundary(of k: Int, in grid: PreparedGrid, percent: Double, from start: Int) -> Int {
        let scaledBase = base * scaleFactor
        let threshold = (scaledBase * (percent * grid.midpointSums[k])) / grid.dataFactor
        var low = start
        var high = sorted.count
        while low < high {
            let middle = (low + high) >> 1
            if scaled(middle) < threshold { low = middle + 1 } else { high = middle }
        }
        while low > start, grid.isAtOrAboveMidpoint(scaled(low - 1), k, base: scaledBase, percent: percent) {
            low -= 1
        }
        while low < sorted.count, !grid.isAtOrAboveMidpoint(scaled(low), k, base: scaledBase, percent: percent) {
            low += 1
        }
        return low
    }

    /// Σ (x − d_k)² over the channel for clip ratio `percent`, scaled by `scaleFactor²`.
    ///
    /// Each cell contributes S2 − 2·d·S1 + n·d², evaluated in double-double arithmetic
    /// in cell order (ascending grid value).
    func squaredError(grid: PreparedGrid, percent: Int) -> DoubleDouble {
        let ratio = Double(percent)
        let alpha = PreparedGrid.alpha(base: base * scaleFactor, percent: percent)
        var total = DoubleDouble.zero
        var cellStart = 0
        var startSums = (x: DoubleDouble.zero, xSquared: DoubleDouble.zero)
        let lastCell = grid.values.count - 1
        for k in 0 ... lastCell {
            let cellEnd = k == lastCell ? sorted.count : boundary(of: k, in: grid, percent: ratio, from: cellStart)
            if cellEnd == cellStart { continue }
            let endSums = prefixSums(upTo: cellEnd)
            let d = grid.dequantized(k, alpha: alpha)
            let sumX = endSums.x - startSums.x
            let sumXSquared = endSums.xSquared - startSums.xSquared
            let term = sumXSquared + sumX * (-2 * d) + DoubleDouble.twoProduct(d, d) * Double(cellEnd - cellStart)
            total = total + term
            cellStart = cellEnd
            startSums = endSums
        }
        return total
    }
}
