/// antgen's 12-bit partial-sum code (docs/numeric-formats.md §7.7): sign, 5-bit exponent,
/// 6-bit fraction, `code = sign << 11 | e << 6 | f`, for W-bit two's-complement sums
/// (W ≤ 37).
///
/// Magnitude: e = 0 → f (0 … 63, exact); e ≥ 1 → (64 + f) · 2^(e−1) (a 7-bit significand).
/// Encoding rounds the magnitude to nearest, ties to even significand; a carry out of the
/// significand moves to the next exponent. Every |S| ≤ 127 is exact, and for larger sums
/// |decode(encode(S)) − S| ≤ 2^(e−2) ≤ |S| · 2^−7 (half a unit in the last place). Decoding
/// saturates to the W-bit range (a positive sum just below 2^(W−1) can round up to it).
public struct PartialSumCodec: Sendable, Equatable {
    /// Code width (12).
    public static let codeWidth = 12
    /// Fraction bits (6).
    public static let fractionBits = 6
    /// Exponent bits (5).
    public static let exponentBits = 5
    /// The widest sum the exponent covers without overflow.
    public static let maximumSumWidth = 37

    /// The sum width W.
    public let sumWidth: Int

    /// A codec for W-bit sums.
    ///
    /// - Throws: `PartialSumCodecError` when W is outside 2…37.
    public init(sumWidth: Int) throws(PartialSumCodecError) {
        guard (2 ... Self.maximumSumWidth).contains(sumWidth) else { throw PartialSumCodecError(sumWidth: sumWidth) }
        self.sumWidth = sumWidth
    }

    /// The code of a sum (`sum` must be a W-bit two's-complement value).
    public func encode(_ sum: Int) -> UInt16 {
        let sign = sum < 0 ? 1 : 0
        let magnitude = sum.magnitude
        guard magnitude >= 64 else { return UInt16(sign << 11 | Int(magnitude)) }
        let leading = UInt.bitWidth - 1 - magnitude.leadingZeroBitCount  // ≥ 6
        let shift = leading - 6
        var significand = magnitude >> UInt(shift)  // 64 … 127
        if shift > 0 {
            let remainder = magnitude & ((1 << UInt(shift)) - 1)
            let half: UInt = 1 << UInt(shift - 1)
            if remainder > half || (remainder == half && significand & 1 == 1) { significand += 1 }
        }
        var exponent = shift + 1
        if significand == 128 {
            significand = 64
            exponent += 1
        }
        return UInt16(sign << 11 | exponent << 6 | Int(significand - 64))
    }

    /// The W-bit sum a code stands for, saturated to the W-bit range (−2^(W−1) … 2^(W−1) − 1):
    /// every code decodes to a W-bit value, so the decoder is bit-exact for all 4096 codes.
    public func decode(_ code: UInt16) -> Int {
        let sign = Int(code >> 11) & 1, exponent = Int(code >> 6) & 31, fraction = Int(code) & 63
        let magnitude = exponent == 0 ? fraction : (64 + fraction) << (exponent - 1)
        if sign == 1 { return -min(magnitude, 1 << (sumWidth - 1)) }
        return min(magnitude, (1 << (sumWidth - 1)) - 1)
    }

    /// The worst-case |decode(encode(S)) − S| for this |S|: 0 up to 127, else 2^(e−2) with
    /// e the exponent of S's magnitude (before rounding).
    public static func errorBound(magnitude: Int) -> Int {
        guard magnitude >= 128 else { return 0 }
        let leading = Int.bitWidth - 1 - magnitude.leadingZeroBitCount
        return 1 << (leading - 6 - 1)
    }
}

/// A partial-sum width the 12-bit code cannot cover.
public struct PartialSumCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    public let sumWidth: Int
    public var description: String {
        "the 12-bit partial-sum code covers sums of 2…\(PartialSumCodec.maximumSumWidth) bits, not \(sumWidth) (its exponent reaches 2^36)"
    }
}
