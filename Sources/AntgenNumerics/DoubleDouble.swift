/// An unevaluated sum `high + low` of two doubles (about 106 significant bits).
///
/// The fast clip search takes differences of prefix sums; in plain `Double` those lose
/// digits to cancellation, so the sums and the per-cell error are kept in this form and
/// the channel MSE is then as accurate as a correctly rounded exact sum.
struct DoubleDouble: Sendable, Comparable {
    var high: Double
    var low: Double

    static let zero = DoubleDouble(high: 0, low: 0)

    init(high: Double, low: Double) {
        self.high = high
        self.low = low
    }

    init(_ value: Double) {
        self.init(high: value, low: 0)
    }

    /// Error-free sum a + b = s + e (Knuth's TwoSum).
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let sum = a + b
        let bVirtual = sum - a
        let aVirtual = sum - bVirtual
        return DoubleDouble(high: sum, low: (a - aVirtual) + (b - bVirtual))
    }

    /// Error-free product a · b = p + e via fused multiply-add.
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let product = a * b
        return DoubleDouble(high: product, low: (-product).addingProduct(a, b))
    }

    @inline(__always)
    static func normalized(_ high: Double, _ low: Double) -> DoubleDouble {
        let sum = high + low
        return DoubleDouble(high: sum, low: low - (sum - high))
    }

    @inline(__always)
    static func + (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let sum = twoSum(lhs.high, rhs.high)
        let tail = twoSum(lhs.low, rhs.low)
        let first = normalized(sum.high, sum.low + tail.high)
        return normalized(first.high, first.low + tail.low)
    }

    @inline(__always)
    static prefix func - (value: DoubleDouble) -> DoubleDouble {
        DoubleDouble(high: -value.high, low: -value.low)
    }

    @inline(__always)
    static func - (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        lhs + (-rhs)
    }

    /// The product with a double, accurate to about 2^−104 relative.
    @inline(__always)
    static func * (lhs: DoubleDouble, rhs: Double) -> DoubleDouble {
        let product = twoProduct(lhs.high, rhs)
        return normalized(product.high, product.low + lhs.low * rhs)
    }

    /// The value rounded to a double.
    var value: Double { high + low }

    static func < (lhs: DoubleDouble, rhs: DoubleDouble) -> Bool {
        lhs.high < rhs.high || (lhs.high == rhs.high && lhs.low < rhs.low)
    }
}

/// Whether a · b ≥ c · d, decided exactly (no overflow or underflow assumed).
///
/// Rounding is monotone, so unequal rounded products decide; equal ones are decided by
/// the exact rounding errors.
@inline(__always)
func productIsAtLeast(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Bool {
    let left = a * b
    let right = c * d
    if left != right { return left > right }
    return (-left).addingProduct(a, b) >= (-right).addingProduct(c, d)
}
