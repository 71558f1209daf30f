/// Why a number format is not valid.
public enum NumberFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The code width is outside 2…8 bits.
    case unsupportedBitWidth(Int)
    /// flint needs at least two magnitude bits.
    case flintNeedsTwoMagnitudeBits(bits: Int, signed: Bool)
    /// A float whose mantissa width `B − eb` would be negative, or with fewer than one
    /// exponent bit.
    case invalidFloatExponentBits(exponentBits: Int, bits: Int, signed: Bool)
    /// apot is defined only for B = 2…6 magnitude bits.
    case apotOutOfRange(bits: Int, signed: Bool)
    /// The largest value does not fit in float32 (e.g. unsigned 8-bit pot, 2^254).
    case exceedsFloat32Range(format: String)
    /// A code outside `0 ..< codeCount`.
    case codeOutOfRange(code: Int, format: String)
    /// A value in units does not fit in `Int` (only for very wide pot/float formats).
    case valueExceedsInt(code: Int, format: String)
    /// apot values are sums of powers of two; they have no single (s, M, E) decode.
    case noHardwareDecode(format: String)
    /// `encode` was given NaN.
    case notANumber(format: String)
    /// `encode` was given a scale that is not finite and positive.
    case invalidScale(Double)

    /// A one-line human-readable description.
    public var description: String {
        switch self {
        case .unsupportedBitWidth(let bits):
            return "unsupported bit width \(bits) (supported: 2…8)"
        case .flintNeedsTwoMagnitudeBits(let bits, let signed):
            return "flint needs at least 2 magnitude bits; \(signed ? "signed" : "unsigned") \(bits)-bit has \(signed ? bits - 1 : bits)"
        case .invalidFloatExponentBits(let eb, let bits, let signed):
            return "float with \(eb) exponent bits is invalid at \(signed ? "signed" : "unsigned") \(bits) bits (mantissa bits would be \((signed ? bits - 1 : bits) - eb); need eb ≥ 1 and m_b ≥ 0)"
        case .apotOutOfRange(let bits, let signed):
            return "apot is defined only for B = 2…6 magnitude bits; \(signed ? "signed" : "unsigned") \(bits)-bit has B = \(signed ? bits - 1 : bits)"
        case .exceedsFloat32Range(let format):
            return "\(format): the largest value overflows float32"
        case .codeOutOfRange(let code, let format):
            return "\(format): code \(code) is out of range"
        case .valueExceedsInt(let code, let format):
            return "\(format): the value of code \(code) in units does not fit in Int; use decodeUnits(code:)"
        case .noHardwareDecode(let format):
            return "\(format): apot has no hardware (sign, mantissa, shift) decode"
        case .notANumber(let format):
            return "\(format): cannot encode NaN"
        case .invalidScale(let scale):
            return "encode scale must be finite and positive, got \(scale)"
        }
    }
}

/// One ANT number format: kind, code width and signedness, with its value grid.
///
/// Values are held in integer **units** (spec notation): the real value of a code is
/// `units × 2^unitExponent`. Every value is an exact integer in a `Double` (they are all
/// `M · 2^E` with a short `M`), which keeps even signed 8-bit pot (2^126 units) exact.
public struct NumberFormat: Hashable, Sendable, CustomStringConvertible {
    /// The value grid: the ANT type and its parameters (``NumberKind``).
    public let kind: NumberKind
    /// The code width in bits (2…8).
    public let bits: Int
    /// Whether the format carries a sign (two's complement for int, sign-magnitude otherwise).
    public let isSigned: Bool
    /// log2 of the unit: the real value of a code is `units × 2^unitExponent`.
    public let unitExponent: Int
    /// Distinct magnitudes in units, ascending; for int the full value list instead
    /// (int is not sign-magnitude). Index `i` is the magnitude code `i` for non-int kinds.
    let magnitudeUnits: [Double]
    /// The sorted grid in units with one entry per code (signed non-int grids hold a
    /// duplicate zero, like the reference's padded grid).
    public let values: [Double]
    /// The sorted grid in units without the duplicate zero.
    public let distinctValues: [Double]
    /// For each entry of `distinctValues`, the code that encodes it (positive zero for 0).
    let codeForDistinctIndex: [Int]

    /// Creates a format, rejecting the invalid configurations of spec §1.
    ///
    /// - Throws: `NumberFormatError` for bit widths outside 2…8, flint with B < 2, float with
    ///   m_b < 0 (or eb < 1), apot outside B = 2…6, and formats whose top value overflows
    ///   float32 (unsigned 8-bit pot; also unsigned 8-bit float with eb = 8).
    public init(kind: NumberKind, bits: Int, signed: Bool) throws(NumberFormatError) {
        guard (2...8).contains(bits) else { throw .unsupportedBitWidth(bits) }
        self.kind = kind
        self.bits = bits
        self.isSigned = signed
        let grid = try ValueGrid.magnitudes(kind: kind, bits: bits, signed: signed)
        self.unitExponent = grid.unitExponent
        self.magnitudeUnits = grid.units
        let layout = CodeLayout(kind: kind, bits: bits, signed: signed, magnitudes: grid.units)
        self.values = layout.sortedValues
        self.distinctValues = layout.distinctValues
        self.codeForDistinctIndex = layout.codeForDistinctIndex
        let topReal = Double(sign: .plus, exponent: unitExponent, significand: layout.distinctValues.last ?? 0)
        guard topReal <= Double(Float.greatestFiniteMagnitude) else {
            throw .exceedsFloat32Range(format: Self.describe(kind: kind, bits: bits, signed: signed))
        }
    }

    /// Number of magnitude bits `B` (bits − 1 when signed).
    public var magnitudeBits: Int { isSigned ? bits - 1 : bits }

    /// Number of codes, 2^bits.
    public var codeCount: Int { 1 << bits }

    /// The largest positive value in units: q_max of spec §3 (7 for signed int4, 64 for
    /// unsigned flint4, 2^126 for signed pot8).
    public var maxPositiveUnits: Double { distinctValues[distinctValues.count - 1] }

    /// The real value of one unit, 2^unitExponent.
    public var unit: Double { Double(sign: .plus, exponent: unitExponent, significand: 1) }

    /// A name such as `flint4s`, `int8u` or `float3_4s` (float carries its exponent bits).
    public var description: String { Self.describe(kind: kind, bits: bits, signed: isSigned) }

    static func describe(kind: NumberKind, bits: Int, signed: Bool) -> String {
        let suffix = signed ? "s" : "u"
        if let eb = kind.exponentBits { return "float\(eb)_\(bits)\(suffix)" }
        return "\(kind.name)\(bits)\(suffix)"
    }

    /// Formats are equal when kind, width and signedness are.
    public static func == (lhs: NumberFormat, rhs: NumberFormat) -> Bool {
        lhs.kind == rhs.kind && lhs.bits == rhs.bits && lhs.isSigned == rhs.isSigned
    }

    /// Hashes kind, width and signedness.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(bits)
        hasher.combine(isSigned)
    }
}
