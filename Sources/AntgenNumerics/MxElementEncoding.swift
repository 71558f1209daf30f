/// How a scaled value is rounded to an element (spec §5.3).
public enum MxRounding: String, Sendable, Hashable, CaseIterable, Codable {
    /// Round to nearest, ties to even (the spec's required mode; antgen's default).
    case nearestEven = "even"
    /// Round to nearest, ties away from zero (the emulation library's default `nearest`).
    case nearestAway = "away"
}

/// What an FP8 element does with a magnitude above its largest finite value (spec §5.3).
/// FP6, FP4 and INT8 always saturate.
public enum MxOverflow: String, Sendable, Hashable, CaseIterable, Codable {
    /// SAT: clamp to ±max finite (the default).
    case saturate
    /// OVF: E5M2 goes to ±Inf, E4M3 (no infinities) to NaN.
    case overflow
}

/// Which INT8 codes the encoder may produce (spec §5.3). The decoder accepts all 256.
public enum MxInt8Range: String, Sendable, Hashable, CaseIterable, Codable {
    /// −127 … 127: 0x80 (−2.0) is never produced (the default, as the emulation library).
    case symmetric
    /// −128 … 127: values that round to −2.0 are encoded as 0x80.
    case full
}

/// The encoder's choices (spec §5.3).
public struct MxEncodingOptions: Sendable, Hashable, Codable {
    /// Rounding of the scaled value.
    public var rounding: MxRounding
    /// FP8 overflow mode.
    public var overflow: MxOverflow
    /// INT8 code range.
    public var int8Range: MxInt8Range

    /// The defaults: RNE, saturation, symmetric INT8.
    public init(rounding: MxRounding = .nearestEven, overflow: MxOverflow = .saturate, int8Range: MxInt8Range = .symmetric) {
        self.rounding = rounding
        self.overflow = overflow
        self.int8Range = int8Range
    }
}

extension MxElementFormat {
    /// The code for `value` (already divided by the block scale), rounded and clamped as
    /// spec §5.3 says. A NaN input gives a NaN code where the format has one and 0
    /// otherwise; ±∞ saturates (or, with `.overflow`, gives E5M2's ∞ or E4M3's NaN).
    public func encode(_ value: Double, options: MxEncodingOptions = MxEncodingOptions()) -> Int {
        let negative = value.sign == .minus
        let signBit = negative ? 1 << (bits - 1) : 0
        if value.isNaN {
            return hasNaN ? nanCode : 0
        }
        if self == .int8 { return encodeInt8(value, options: options) }
        let magnitude = value.magnitude
        let rounded = roundedMagnitudeUnits(magnitude, rounding: options.rounding)
        if rounded > Double(maxFiniteUnits) {
            if options.overflow == .overflow, bits == 8 {
                return self == .fp8e5m2 ? signBit | (31 << 2) : signBit | 0x7F
            }
            return signBit | encodeUnits(maxFiniteUnits)
        }
        return signBit | encodeUnits(Int(rounded))
    }

    /// The canonical NaN code (positive sign): 0x7F for both FP8 formats.
    public var nanCode: Int { 0x7F }

    /// |value| in units, rounded to the format's grid (not yet clamped; may exceed the max).
    private func roundedMagnitudeUnits(_ magnitude: Double, rounding: MxRounding) -> Double {
        guard magnitude.isFinite else { return .infinity }
        let units = magnitude * Double(sign: .plus, exponent: -unitExponent, significand: 1)
        guard units > 0 else { return 0 }
        // The quantum in units: 1 in the subnormal range and the first binade (E = 0), and
        // 2^(p − m_b) where 2^p ≤ units < 2^(p+1), p > m_b.
        let p = Int(units.exponent)
        let quantumExponent = max(0, p - mantissaBits)
        let steps = units * Double(sign: .plus, exponent: -quantumExponent, significand: 1)
        let roundedSteps = steps.rounded(rounding == .nearestEven ? .toNearestOrEven : .toNearestOrAwayFromZero)
        return roundedSteps * Double(sign: .plus, exponent: quantumExponent, significand: 1)
    }

    /// The magnitude code (sign bit clear) of an exact grid value in units.
    private func encodeUnits(_ units: Int) -> Int {
        if units < (2 << mantissaBits) {
            // E = 0: subnormals (field 0) and the first normal binade (field 1).
            return units < (1 << mantissaBits) ? units : (1 << mantissaBits) | (units - (1 << mantissaBits))
        }
        var shift = 0
        var mantissa = units
        while mantissa >= (2 << mantissaBits) {
            mantissa >>= 1
            shift += 1
        }
        return ((shift + 1) << mantissaBits) | (mantissa - (1 << mantissaBits))
    }

    private func encodeInt8(_ value: Double, options: MxEncodingOptions) -> Int {
        let lowest = options.int8Range == .full ? -128.0 : -127.0
        let scaled = (value * 64).rounded(options.rounding == .nearestEven ? .toNearestOrEven : .toNearestOrAwayFromZero)
        let q = Int(min(127, max(lowest, scaled.isNaN ? 0 : scaled)))
        return q & 0xFF
    }
}
