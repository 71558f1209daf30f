import Dispatch

/// The biases the search tries per channel, relative to the anchor bias whose top value
/// q_max · 2^−bias is the largest at most 2 · max|x|: from 6 octaves above it (formats with
/// sparse top values, such as flint, pot and float, often do best leaving their top codes
/// unused) to 8 below (clipping hard, for narrow codes). 15 powers of two in all.
let biasSearchOffsets = -6 ... 8

/// The anchor of the bias search: the smallest bias whose top value q_max · 2^−bias is at
/// most 2 · base (base > 0).
///
/// Powers of two are built with `Double(sign:exponent:significand:)`, so every comparison
/// is exact.
func firstBiasCandidate(base: Double, maxUnits: Double) -> Int {
    var bias = maxUnits.exponent - base.exponent - 1
    func top(_ b: Int) -> Double { Double(sign: .plus, exponent: maxUnits.exponent - b, significand: maxUnits.significand) }
    while top(bias) > 2 * base { bias += 1 }
    while top(bias - 1) <= 2 * base { bias -= 1 }
    return bias
}

extension SortedChannel {
    /// Σ (x − g_k · 2^−bias)² over the channel, scaled by `scale²`, each x mapped to
    /// the nearest grid value (ties to the larger, clamped at the ends).
    ///
    /// The scale is a power of two and the midpoint sums are integers, so every threshold
    /// 2^−bias · (g_k + g_(k+1)) / 2 is exact and so is every nearest-value decision.
    func squaredError(grid: PreparedGrid, bias: Int) -> DoubleDouble {
        let unit = Double(sign: .plus, exponent: scale.exponent - bias, significand: 1)
        var total = sumOfSquares
        var cellStart = 0
        var startSum = DoubleDouble.zero
        let lastCell = grid.values.count - 1
        for k in 0 ... lastCell {
            let cellEnd = k == lastCell ? count : firstIndex(atOrAbove: unit * grid.midpointSums[k] * 0.5, from: cellStart)
            if cellEnd == cellStart { continue }
            let endSum = prefixSum(upTo: cellEnd)
            total = total + cellTerm(from: startSum, to: endSum, count: cellEnd - cellStart, value: grid.values[k] * unit)
            cellStart = cellEnd
            startSum = endSum
        }
        return total
    }

    /// The bias with the strictly smallest squared error among `biasSearchOffsets` around
    /// the anchor, in ascending order (first minimum wins). An all-zero channel gets bias 0
    /// and error 0. Biases whose top value q_max · 2^−bias would exceed float64's range
    /// (only for data within 2^7 of the largest float64) are not tried; the anchor + 8 is
    /// always representable, so some bias always is.
    func bestBias(grid: PreparedGrid) -> (bias: Int, meanSquaredError: Double) {
        guard base > 0 else { return (0, 0) }
        // Found on the normalised maximum (exact powers of two whatever the magnitude), then
        // shifted by the channel's scale: q · 2^−b ≤ 2 · base ⟺ q · 2^−(b − s) ≤ 2 · base · 2^s.
        let anchor = firstBiasCandidate(base: scaledBase, maxUnits: grid.maxUnits) + scale.exponent
        let maxUnits = grid.maxUnits
        var best: (bias: Int, error: DoubleDouble)?
        for bias in anchor + biasSearchOffsets.lowerBound ... anchor + biasSearchOffsets.upperBound
        where Double(sign: .plus, exponent: maxUnits.exponent - bias, significand: maxUnits.significand).isFinite {
            let error = squaredError(grid: grid, bias: bias)
            if best == nil || error < best!.error { best = (bias, error) }
        }
        let found = best ?? (anchor + biasSearchOffsets.upperBound, squaredError(grid: grid, bias: anchor + biasSearchOffsets.upperBound))
        return (found.bias, meanSquaredError(found.error, channel: self))
    }
}

/// Quantizes every element with a power-of-two scale per channel: a code of g units stands
/// for g · 2^−bias, x goes to the nearest grid value (ties to the larger, clamped at the
/// ends), and the midpoints (g_k + g_(k+1))/2 · 2^−bias are exact, as in the bias search.
/// An all-zero channel (maximum 0) gets the zero code and value 0.
func powerOfTwoQuantize<Element: BinaryFloatingPoint & Sendable>(
    _ data: UnsafeBufferPointer<Element>, layout: ChannelLayout, grid: PreparedGrid, biases: [Int], maxima: [Double]
) -> QuantizedElements<Element> {
    let zeroIndex = grid.values.firstIndex(of: 0) ?? 0
    let codeTable = grid.values.indices.map { UInt8(grid.format.code(forDistinctIndex: $0)) }
    let input = SharedReads(data)
    return quantizeInChunks(count: data.count) { range, codesOut, valuesOut in
        var channel = -1
        var thresholds: [Double] = []
        var levels: [Element] = []
        var isZero = true
        var scale = BinaryScale.one
        for index in range {
            if index / layout.length != channel {
                channel = index / layout.length
                isZero = maxima[channel] == 0
                // Thresholds in the channel's normalised units (exact and normal for any
                // data magnitude); levels g · 2^−bias in the data's units.
                scale = BinaryScale(normalizing: maxima[channel])
                let scaledUnit = Double(sign: .plus, exponent: scale.exponent - biases[channel], significand: 1)
                thresholds = grid.midpointSums.map { $0 * 0.5 * scaledUnit }
                let bias = biases[channel]
                levels = grid.values.map { Element(Double(sign: .plus, exponent: -bias, significand: $0)) }
            }
            var k = zeroIndex
            if !isZero {
                // The number of midpoints at or below x is the nearest grid index.
                let x = scale.apply(Double(input.pointer[index]))
                var low = 0
                var high = thresholds.count
                while low < high {
                    let middle = (low + high) >> 1
                    if x >= thresholds[middle] { low = middle + 1 } else { high = middle }
                }
                k = low
            }
            codesOut.write(codeTable[k], at: index)
            valuesOut.write(isZero ? 0 : levels[k], at: index)
        }
    }
}
