import Foundation

/// A bad request to the FP-on-INT reference (docs/numeric-formats.md §9): one line.
public struct FpIntError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The line.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// The floating-point operand formats of the FP-on-INT unit (docs/numeric-formats.md §9).
/// Codes are the format's bit patterns in the low bits of an `Int` (sign in the top bit).
public enum FpIntFloatFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// IEEE binary16: 1 + 5 + 10 bits, bias 15, Inf and NaN at exponent 31.
    case fp16
    /// bfloat16: 1 + 8 + 7 bits, bias 127, Inf and NaN at exponent 255.
    case bf16
    /// OCP FP8 E4M3: 1 + 4 + 3 bits, bias 7, no Inf; S.1111.111 is NaN.
    case fp8e4m3
    /// OCP FP8 E5M2: 1 + 5 + 2 bits, bias 15, Inf and NaN at exponent 31 (IEEE-like).
    case fp8e5m2

    /// Exponent field width.
    public var exponentBits: Int {
        switch self { case .fp16: 5; case .bf16: 8; case .fp8e4m3: 4; case .fp8e5m2: 5 }
    }
    /// Fraction field width f (the significand has f + 1 bits with the hidden bit).
    public var fractionBits: Int {
        switch self { case .fp16: 10; case .bf16: 7; case .fp8e4m3: 3; case .fp8e5m2: 2 }
    }
    /// Total code width.
    public var bits: Int { 1 + exponentBits + fractionBits }
    /// The exponent bias.
    public var bias: Int { (1 << (exponentBits - 1)) - 1 }
    /// Whether the all-ones exponent encodes Inf (fraction 0) and NaN (E4M3: no, only NaN at all-ones fraction).
    public var hasInfinity: Bool { self != .fp8e4m3 }
    /// The significand width p = f + 1 (hidden bit included).
    public var significandBits: Int { fractionBits + 1 }
    /// Nibbles per significand: ⌈p / 4⌉ (FP16 3, BF16 2, FP8 1).
    public var nibbles: Int { (significandBits + 3) / 4 }
    /// The unbiased exponent of the smallest normal (also the subnormals' exponent).
    public var minExponent: Int { 1 - bias }
    /// The unbiased exponent of the largest finite value.
    public var maxExponent: Int {
        let top = (1 << exponentBits) - 1
        return (hasInfinity ? top - 1 : top) - bias
    }
    /// The spread of product exponents e_a + e_b: 2·(maxExponent − minExponent)
    /// (FP16 58, BF16 506, E4M3 28, E5M2 58).
    public var productExponentSpread: Int { 2 * (maxExponent - minExponent) }

    /// Decodes a code (only its low `bits` bits are read).
    public func decode(_ code: Int) -> FpIntOperand {
        let c = code & ((1 << bits) - 1)
        let negative = c >> (bits - 1) == 1
        let field = (c >> fractionBits) & ((1 << exponentBits) - 1)
        let fraction = c & ((1 << fractionBits) - 1)
        let top = (1 << exponentBits) - 1
        if hasInfinity, field == top {
            return FpIntOperand(kind: fraction == 0 ? .infinity : .nan, negative: negative, significand: 0, exponent: 0)
        }
        if !hasInfinity, field == top, fraction == (1 << fractionBits) - 1 {
            return FpIntOperand(kind: .nan, negative: negative, significand: 0, exponent: 0)
        }
        if field == 0 {
            return FpIntOperand(kind: fraction == 0 ? .zero : .subnormal, negative: negative, significand: fraction, exponent: minExponent)
        }
        return FpIntOperand(kind: .normal, negative: negative, significand: (1 << fractionBits) | fraction, exponent: field - bias)
    }

    /// The value of a code as a Double (exact for every format here); NaN for NaN codes.
    public func value(_ code: Int) -> Double {
        let x = decode(code)
        switch x.kind {
        case .nan: return .nan
        case .infinity: return x.negative ? -.infinity : .infinity
        default:
            let magnitude = Double(sign: .plus, exponent: x.exponent - fractionBits, significand: Double(x.significand))
            return x.negative ? -magnitude : magnitude
        }
    }

    /// The code of `value`: rounded to nearest, ties to even, when `cast` is true; otherwise
    /// the value must be exactly representable (±0, ±Inf and NaN always are, except Inf in
    /// E4M3). Overflow past the largest finite value gives ±Inf (E4M3: NaN), as IEEE does.
    /// - Throws: ``FpIntError`` when `cast` is false and `value` is not representable.
    public func encode(_ value: Double, cast: Bool) throws(FpIntError) -> Int {
        let signBit = value.sign == .minus ? 1 << (bits - 1) : 0
        let top = (1 << exponentBits) - 1
        let nanCode = hasInfinity ? (top << fractionBits) | (1 << (fractionBits - 1)) : (top << fractionBits) | ((1 << fractionBits) - 1)
        if value.isNaN { return nanCode }
        if value.isInfinite {
            guard hasInfinity else {
                if cast { return signBit | nanCode }
                throw FpIntError("\(value) is not representable in \(rawValue) (no infinity)")
            }
            return signBit | (top << fractionBits)
        }
        if value == 0 { return signBit }
        let magnitude = value.magnitude
        // The quantum of the binade of `magnitude` (subnormal binades share minExponent's).
        let exponent = max(Int(magnitude.exponent), minExponent)
        let quantum = Double(sign: .plus, exponent: exponent - fractionBits, significand: 1)
        let scaled = magnitude / quantum  // exact: a power-of-two scaling
        let rounded = scaled.rounded(.toNearestOrEven)
        var significand = Int(rounded)
        var e = exponent
        if significand == 1 << significandBits {  // rounded up into the next binade
            significand >>= 1
            e += 1
        }
        if e > maxExponent || (!hasInfinity && e == maxExponent && significand == (1 << significandBits) - 1) {
            if !cast { throw FpIntError("\(value) is not representable in \(rawValue) (beyond the largest finite value)") }
            return hasInfinity ? signBit | (top << fractionBits) : signBit | nanCode
        }
        if rounded != scaled, !cast {  // after the range check: an overflowing value rounds to no finite value
            throw FpIntError("\(value) is not representable in \(rawValue) (it would round to \(rounded * quantum))")
        }
        let field = significand >> fractionBits == 0 ? 0 : e + bias
        return signBit | (field << fractionBits) | (significand & ((1 << fractionBits) - 1))
    }
}

/// A decoded operand: value (−1)^negative · significand · 2^(exponent − f) for finite kinds.
public struct FpIntOperand: Sendable, Hashable {
    /// The operand class.
    public enum Kind: Sendable, Hashable { case zero, subnormal, normal, infinity, nan }
    /// The class.
    public let kind: Kind
    /// The sign bit.
    public let negative: Bool
    /// The integer significand (hidden bit included for normals; 0 for zero, Inf, NaN).
    public let significand: Int
    /// The unbiased exponent (minExponent for zeros and subnormals; 0 for Inf and NaN).
    public let exponent: Int
}

/// The integer operand formats, run as nibble passes (docs/numeric-formats.md §9):
/// two's complement, split into a signed top nibble and unsigned lower nibbles.
public enum FpIntIntegerFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// 4-bit signed, −8…7: one nibble, one pass.
    case int4
    /// 8-bit signed: two nibbles, four passes.
    case int8
    /// 16-bit signed: four nibbles, sixteen passes.
    case int16

    /// Bits per operand.
    public var bits: Int { switch self { case .int4: 4; case .int8: 8; case .int16: 16 } }
    /// Nibbles per operand.
    public var nibbles: Int { bits / 4 }
    /// The representable range.
    public var range: ClosedRange<Int> { -(1 << (bits - 1)) ... (1 << (bits - 1)) - 1 }

    /// The nibbles of `value`, least significant first: n_0 … n_(k−2) unsigned (0…15),
    /// n_(k−1) signed (−8…7); value = Σ n_j · 16^j.
    public func nibbles(of value: Int) -> [Int] {
        (0 ..< nibbles).map { j in j == nibbles - 1 ? value >> (4 * j) : (value >> (4 * j)) & 15 }
    }
}
