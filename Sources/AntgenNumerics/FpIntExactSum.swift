/// One exact term ±magnitude · 2^exponent of an FP-on-INT sum.
public struct FpIntTerm: Sendable, Hashable {
    /// The sign.
    public let negative: Bool
    /// The unsigned magnitude (a significand product, < 2^22 in every format here).
    public let magnitude: UInt64
    /// The exponent of the magnitude's LSB.
    public let exponent: Int

    /// Creates a term.
    public init(negative: Bool, magnitude: UInt64, exponent: Int) {
        self.negative = negative
        self.magnitude = magnitude
        self.exponent = exponent
    }
}

/// The exact sum of terms of any exponent spread, rounded once to binary32 (RNE, subnormals,
/// overflow to ±Inf) by ``MxFloat32/rounded(_:exponent:)``. Used for exact alignment and
/// whenever the spread exceeds 128 bits (BF16 reaches 506).
public enum FpIntExactSum {
    /// The rounded sum; +0 for an empty list or an exact zero.
    public static func rounded(_ terms: [FpIntTerm]) -> Float {
        let live = terms.filter { $0.magnitude != 0 }
        guard let low = live.map(\.exponent).min() else { return 0 }
        let high = live.map { $0.exponent + 64 - $0.magnitude.leadingZeroBitCount }.max()!
        let countBits = Int.bitWidth - live.count.leadingZeroBitCount
        if high - low + countBits + 1 <= 126 {
            var sum: Int128 = 0
            for t in live {
                let shifted = Int128(t.magnitude) << (t.exponent - low)
                sum += t.negative ? -shifted : shifted
            }
            return MxFloat32.rounded(sum, exponent: low)
        }
        return wide(live, low: low, limbs: (high - low + countBits) / 64 + 2)
    }

    /// The multi-limb path: positive and negative magnitudes summed separately in 64-bit
    /// limbs, subtracted, then compressed to 101 bits plus a sticky bit (enough for RNE to 24).
    private static func wide(_ terms: [FpIntTerm], low: Int, limbs: Int) -> Float {
        var positive = [UInt64](repeating: 0, count: limbs)
        var negative = positive
        for t in terms {
            let shift = t.exponent - low
            if t.negative { add(t.magnitude, at: shift, to: &negative) } else { add(t.magnitude, at: shift, to: &positive) }
        }
        let resultNegative = compare(negative, positive) > 0
        var magnitude = resultNegative ? negative : positive
        subtract(resultNegative ? positive : negative, from: &magnitude)
        guard let top = topBit(magnitude) else { return 0 }
        let r = max(0, top - 100)
        var kept = window(magnitude, shiftedRightBy: r)
        if sticky(magnitude, below: r) { kept |= 1 }
        let value = Int128(kept)
        return MxFloat32.rounded(resultNegative ? -value : value, exponent: low + r)
    }

    private static func add(_ m: UInt64, at shift: Int, to limbs: inout [UInt64]) {
        var index = shift / 64
        var pending = UInt128(m) << (shift % 64)
        while pending != 0 {
            let (sum, overflow) = limbs[index].addingReportingOverflow(UInt64(truncatingIfNeeded: pending))
            limbs[index] = sum
            pending = (pending >> 64) + (overflow ? 1 : 0)
            index += 1
        }
    }

    /// −1, 0 or 1 as x is below, equal to or above y.
    private static func compare(_ x: [UInt64], _ y: [UInt64]) -> Int {
        for i in stride(from: x.count - 1, through: 0, by: -1) where x[i] != y[i] { return x[i] > y[i] ? 1 : -1 }
        return 0
    }

    /// x ← x − y, for x ≥ y.
    private static func subtract(_ y: [UInt64], from x: inout [UInt64]) {
        var borrow: UInt64 = 0
        for i in 0 ..< x.count {
            let (d1, b1) = x[i].subtractingReportingOverflow(y[i])
            let (d2, b2) = d1.subtractingReportingOverflow(borrow)
            x[i] = d2
            borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
        }
    }

    private static func topBit(_ x: [UInt64]) -> Int? {
        for i in stride(from: x.count - 1, through: 0, by: -1) where x[i] != 0 { return 64 * i + 63 - x[i].leadingZeroBitCount }
        return nil
    }

    /// The 128 bits of x starting at bit r.
    private static func window(_ x: [UInt64], shiftedRightBy r: Int) -> UInt128 {
        func limb(_ i: Int) -> UInt128 { i < x.count ? UInt128(x[i]) : 0 }
        let q = r / 64, b = r % 64
        let low = (limb(q + 1) << 64 | limb(q)) >> b
        return b == 0 ? low : low | (limb(q + 2) << (128 - b))
    }

    /// Whether any bit of x below bit r is set.
    private static func sticky(_ x: [UInt64], below r: Int) -> Bool {
        let q = r / 64, b = r % 64
        if x[..<q].contains(where: { $0 != 0 }) { return true }
        return b > 0 && x[q] & ((1 << UInt64(b)) - 1) != 0
    }
}
