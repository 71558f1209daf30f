/// A candidate format's grid arranged for the clip search and the output pass.
///
/// With s = α/q_max and α = base · i/100, the value x lies at or above the midpoint of grid
/// values g_k and g_(k+1) exactly when x · (200 · q_max) ≥ base · (i · (g_k + g_(k+1))).
/// Both sides are products of a data value with an integer that is exact in `Double`, so
/// the nearest-value decision (ties to the larger value) is made without rounding.
struct PreparedGrid: Sendable {
    let format: NumberFormat
    /// Distinct grid values in units, ascending.
    let values: [Double]
    /// g_k + g_(k+1) for each adjacent pair.
    let midpointSums: [Double]
    /// q_max: the largest positive value in units.
    let maxUnits: Double
    /// 200 · q_max, the data-side factor of the exact midpoint test.
    let dataFactor: Double

    init(format: NumberFormat) {
        self.format = format
        values = format.distinctValues
        midpointSums = zip(values, values.dropFirst()).map { $0 + $1 }
        maxUnits = format.maxPositiveUnits
        dataFactor = 200 * format.maxPositiveUnits
    }

    /// Whether x belongs above midpoint k for clip ratio `percent` and channel maximum `base`.
    @inline(__always)
    func isAtOrAboveMidpoint(_ x: Double, _ k: Int, base: Double, percent: Double) -> Bool {
        productIsAtLeast(x, dataFactor, base, percent * midpointSums[k])
    }

    /// The index of the grid value nearest to x (exact, ties to the larger, clamped).
    @inline(__always)
    func nearestIndex(_ x: Double, base: Double, percent: Double) -> Int {
        var low = 0
        var high = values.count - 1
        while low < high {
            let middle = (low + high) >> 1
            if isAtOrAboveMidpoint(x, middle, base: base, percent: percent) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The dequantised value (α · g_k) / q_max with α = (base · i) / 100, each operation
    /// rounded to nearest: the one definition used by the search, the output and the docs.
    @inline(__always)
    func dequantized(_ k: Int, alpha: Double) -> Double {
        (alpha * values[k]) / maxUnits
    }

    /// α = (base · i) / 100 formed on base normalised into [1, 2) and scaled back exactly:
    /// the same value as `alpha(base:percent:)` for ordinary magnitudes, without its
    /// overflow near 1e308 or its rounding for subnormal bases.
    static func normalizedAlpha(base: Double, percent: Int) -> Double {
        let scale = BinaryScale(normalizing: base)
        return scale.undo(alpha(base: scale.apply(base), percent: percent))
    }

    /// α = (base · i) / 100 rounded to nearest.
    @inline(__always)
    static func alpha(base: Double, percent: Int) -> Double {
        (base * Double(percent)) / 100
    }
}
