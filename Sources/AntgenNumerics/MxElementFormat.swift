/// The six concrete OCP Microscaling (MX) v1.0 element formats (spec §5.1).
///
/// Every FP element format is a sign bit, `exponentBits` biased exponent bits and
/// `mantissaBits` fraction bits with subnormals at exponent field 0. INT8 is two's complement
/// with an implicit scale of 2^−6. Values here are *before* the block's shared E8M0 scale.
public enum MxElementFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// FP4 E2M1 (MXFP4): ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}.
    case fp4e2m1 = "fp4"
    /// FP6 E2M3: max 7.5.
    case fp6e2m3 = "fp6e2m3"
    /// FP6 E3M2: max 28.
    case fp6e3m2 = "fp6e3m2"
    /// FP8 E4M3: max 448, NaN = S.1111.111, no infinities.
    case fp8e4m3 = "fp8e4m3"
    /// FP8 E5M2: max 57344, exponent field 31 is ±Inf (fraction 0) or NaN.
    case fp8e5m2 = "fp8e5m2"
    /// INT8: two's complement q/64; 0x80 (−2.0) is accepted on input.
    case int8 = "int8"

    /// The run-time format code of the MX array (`cfg_*_format`) and the vector files.
    public var code: Int {
        switch self {
        case .fp4e2m1: return 0
        case .fp6e2m3: return 1
        case .fp6e3m2: return 2
        case .fp8e4m3: return 3
        case .fp8e5m2: return 4
        case .int8: return 5
        }
    }

    /// The format with run-time code `code`, nil for an unknown code.
    public init?(code: Int) {
        guard let format = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = format
    }

    /// The name `antgen quantize --mode` uses: `mxfp4`, `mxfp6e2m3`, …, `mxint8`.
    public var modeName: String { "mx" + rawValue }

    /// Code width in bits (4, 6 or 8).
    public var bits: Int {
        switch self {
        case .fp4e2m1: return 4
        case .fp6e2m3, .fp6e3m2: return 6
        case .fp8e4m3, .fp8e5m2, .int8: return 8
        }
    }

    /// Exponent field width (0 for INT8).
    public var exponentBits: Int {
        switch self {
        case .fp4e2m1, .fp6e2m3: return 2
        case .fp6e3m2: return 3
        case .fp8e4m3: return 4
        case .fp8e5m2: return 5
        case .int8: return 0
        }
    }

    /// Fraction field width (6 for INT8: its fraction bits).
    public var mantissaBits: Int {
        switch self {
        case .fp4e2m1: return 1
        case .fp6e2m3: return 3
        case .fp6e3m2, .fp8e5m2: return 2
        case .fp8e4m3: return 3
        case .int8: return 6
        }
    }

    /// Exponent bias, 2^(eb−1) − 1 (0 for INT8).
    public var bias: Int { exponentBits == 0 ? 0 : (1 << (exponentBits - 1)) - 1 }

    /// log2 of the unit, the value of M = 1 at E = 0: 1 − bias − m_b for FP formats, −6 for INT8.
    public var unitExponent: Int { self == .int8 ? -6 : 1 - bias - mantissaBits }

    /// The exponent of the largest power of two the format holds (emax_elem of the
    /// shared-exponent rule): 2, 2, 4, 8, 15 and 0 for INT8.
    public var maxExponent: Int {
        switch self {
        case .int8: return 0
        case .fp8e4m3: return 8
        case .fp8e5m2: return 15
        default: return (1 << exponentBits) - 1 - bias
        }
    }

    /// The largest finite magnitude in units (2^−unitExponent units make 1.0): E2M1 12,
    /// E2M3 60, E3M2 448, E4M3 229376, E5M2 57344·2^16, INT8 127 (128 with the −2.0 code).
    public var maxFiniteUnits: Int {
        switch self {
        case .int8: return 127
        case .fp8e4m3: return 14 << 14   // 1.75 · 2^8 in units 2^−9
        case .fp8e5m2: return 7 << 29    // 1.75 · 2^15 in units 2^−16
        default:
            let e = (1 << exponentBits) - 1
            return ((1 << mantissaBits) * 2 - 1) << (e - 1)
        }
    }

    /// The largest finite magnitude as a real value (448 for E4M3, 7.5 for E2M3, …).
    public var maxFinite: Double { Double(maxFiniteUnits) * Double(sign: .plus, exponent: unitExponent, significand: 1) }

    /// The largest M of any code (the hardware's mantissa range): 3, 15, 7, 15, 7, 128.
    public var maxMantissa: Int { self == .int8 ? 128 : (1 << (mantissaBits + 1)) - 1 }

    /// The largest E of any finite code (the hardware's shift range): 2, 2, 6, 14, 29, 0.
    public var maxShift: Int {
        switch self {
        case .int8: return 0
        case .fp8e4m3: return 14
        case .fp8e5m2: return 29
        default: return (1 << exponentBits) - 2
        }
    }

    /// The largest |M · 2^E| of any finite code, in units, counting INT8's −2.0 (128).
    public var maxMagnitudeUnits: Int { self == .int8 ? 128 : maxFiniteUnits }

    /// Whether the format has infinities (only E5M2).
    public var hasInfinity: Bool { self == .fp8e5m2 }
    /// Whether the format has NaN codes (E4M3 and E5M2).
    public var hasNaN: Bool { self == .fp8e4m3 || self == .fp8e5m2 }
}

/// What an MX element code stands for.
public enum MxElementKind: Sendable, Hashable {
    /// A finite value (−1)^sign · mantissa · 2^shift units.
    case finite
    /// ±∞ (E5M2 only).
    case infinity
    /// NaN (E4M3 and E5M2).
    case nan
}

/// The exact hardware form of one element code (spec §5.2): value = (−1)^s · M · 2^E · unit.
/// Specials have M = E = 0 and their kind set.
public struct MxDecodedElement: Sendable, Hashable {
    /// The sign bit (the MSB of the code; for INT8 the two's-complement sign).
    public let sign: Bool
    /// The unsigned mantissa M.
    public let mantissa: Int
    /// The unsigned shift E.
    public let shift: Int
    /// Finite, infinite or NaN.
    public let kind: MxElementKind

    /// Creates a decoded element.
    public init(sign: Bool, mantissa: Int, shift: Int, kind: MxElementKind = .finite) {
        self.sign = sign
        self.mantissa = mantissa
        self.shift = shift
        self.kind = kind
    }

    /// The signed value in units (finite elements only; 0 for specials).
    public var signedUnits: Int { kind == .finite ? (sign ? -1 : 1) * (mantissa << shift) : 0 }
}

extension MxElementFormat {
    /// Decodes a code (its low `bits` bits) to (s, M, E) exactly (spec §5.2).
    public func decode(_ code: Int) -> MxDecodedElement {
        let raw = code & ((1 << bits) - 1)
        if self == .int8 {
            let q = raw >= 128 ? raw - 256 : raw
            return MxDecodedElement(sign: q < 0, mantissa: abs(q), shift: 0)
        }
        let sign = raw >> (bits - 1) == 1
        let e = (raw >> mantissaBits) & ((1 << exponentBits) - 1)
        let m = raw & ((1 << mantissaBits) - 1)
        let topExponent = (1 << exponentBits) - 1
        if self == .fp8e5m2, e == topExponent {
            return MxDecodedElement(sign: sign, mantissa: 0, shift: 0, kind: m == 0 ? .infinity : .nan)
        }
        if self == .fp8e4m3, e == topExponent, m == (1 << mantissaBits) - 1 {
            return MxDecodedElement(sign: sign, mantissa: 0, shift: 0, kind: .nan)
        }
        if e == 0 { return MxDecodedElement(sign: sign, mantissa: m, shift: 0) }
        return MxDecodedElement(sign: sign, mantissa: (1 << mantissaBits) | m, shift: e - 1)
    }

    /// The real value of a code before the shared scale (±∞ and NaN for specials).
    public func value(_ code: Int) -> Double {
        let d = decode(code)
        switch d.kind {
        case .nan: return .nan
        case .infinity: return d.sign ? -.infinity : .infinity
        case .finite:
            let magnitude = Double(d.mantissa << d.shift) * Double(sign: .plus, exponent: unitExponent, significand: 1)
            return d.sign ? -magnitude : magnitude
        }
    }
}
