/// Multiplication by a power of two, 2^exponent, for any exponent a float64 tensor needs.
///
/// The quantizer normalises every channel by a power of two so that its maximum lies in
/// [1, 2), searches there, and scales the results back: powers of two scale exactly (as
/// long as the result stays a normal number), so codes, α and dequantised values do not
/// depend on the data's magnitude, and nothing in the search overflows (values near 1e307)
/// or underflows (subnormal values near 1e-310, whose normalising factor 2^1030 is itself
/// not a `Double`).
struct BinaryScale: Sendable {
    /// The power: values are multiplied by 2^exponent.
    let exponent: Int
    /// 2^exponent when that is a normal `Double`, else 0 (then `apply` scales in steps).
    private let factor: Double

    /// The scale 2^exponent.
    init(exponent: Int) {
        self.exponent = exponent
        factor = (-1022 ... 1023).contains(exponent) ? Double(sign: .plus, exponent: exponent, significand: 1) : 0
    }

    /// The scale that maps `base` into [1, 2) (the identity for 0, which has no exponent).
    init(normalizing base: Double) {
        self.init(exponent: base > 0 && base.isFinite ? -base.exponent : 0)
    }

    /// The identity.
    static let one = BinaryScale(exponent: 0)

    /// x · 2^exponent: exact unless the result leaves the normal range.
    @inline(__always)
    func apply(_ x: Double) -> Double {
        factor != 0 ? x * factor : Double(sign: .plus, exponent: exponent, significand: x)
    }

    /// x · 2^−exponent (undoes `apply`).
    @inline(__always)
    func undo(_ x: Double) -> Double {
        Double(sign: .plus, exponent: -exponent, significand: x)
    }
}

/// The exponent of the largest |x| of a tensor (0 for an all-zero tensor): the common
/// power of two in which errors of different channels are added and compared.
func magnitudeExponent(_ maximum: Double) -> Int {
    maximum > 0 && maximum.isFinite ? maximum.exponent : 0
}
