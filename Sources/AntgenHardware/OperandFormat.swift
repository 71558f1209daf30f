import AntgenDSL
import AntgenNumerics

/// A non-negative magnitude `mantissa · 2^exponent` in integer units, exact even
/// when the exponent is far beyond 64 bits (pot codes reach 2^126 at 7 bits).
public struct Magnitude: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// M.
    public let mantissa: Int
    /// E.
    public let exponent: Int

    /// Creates `mantissa · 2^exponent`.
    public init(mantissa: Int, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// Bits of the value as an unsigned integer: ⌊log2 v⌋ + 1 (0 for zero).
    public var bitLength: Int {
        mantissa == 0 ? 0 : (Int.bitWidth - mantissa.leadingZeroBitCount) + exponent
    }

    /// Numeric order of the two values.
    public static func < (a: Magnitude, b: Magnitude) -> Bool {
        if a.bitLength != b.bitLength { return a.bitLength < b.bitLength }
        // Same bit length: the mantissas differ by at most their own width in scale.
        let common = min(a.exponent, b.exponent)
        return a.mantissa << (a.exponent - common) < b.mantissa << (b.exponent - common)
    }

    /// `M·2^E`, or the decimal value when it fits comfortably.
    public var description: String {
        bitLength < 62 ? "\(mantissa << exponent)" : "\(mantissa)*2^\(exponent)"
    }
}

/// What one operand stream (activations or weights) can carry, and therefore the
/// widths of its decoded form `(sign, M, E)`: the minimum the enabled types need
/// (spec §2, "Decoded widths"), for both signednesses since signedness is chosen
/// at run time.
public struct OperandFormat: Sendable, Equatable {
    /// Bits of a native code.
    public let codeWidth: Int
    /// Enabled ANT types, in configuration-code order.
    public let types: [AntType]
    /// True when the stream also accepts int8 (as two nibble terms).
    public let int8: Bool

    /// Creates a format; `types` is sorted and deduplicated.
    public init(codeWidth: Int, types: [AntType], int8: Bool) {
        self.codeWidth = codeWidth
        self.types = Array(Set(types)).sorted()
        self.int8 = int8
    }

    /// Width of the code input port: 8 when int8 is enabled (native codes sit in the low bits).
    public var codeInputWidth: Int { int8 ? max(8, codeWidth) : codeWidth }

    /// Mantissa width of one type at this code width (unsigned and signed decodes).
    public static func mantissaWidth(of type: AntType, codeWidth n: Int) -> Int {
        switch type {
        case .int: return n                 // |−2^(n−1)| and 2^n − 1 both fit n bits
        case .flint: return n - 1           // unsigned B = n: M < 2^(n−1)
        case .pot: return 1
        case .float: return max(n - 2, 1)   // unsigned B = n: m_b = n − 3, M = 1.m
        }
    }

    /// Largest decoded E of one type at this code width (either signedness).
    public static func maxExponent(of type: AntType, codeWidth n: Int) -> Int {
        switch type {
        case .int: return 0
        case .flint: return n                // all-ones unsigned code: E = n
        case .pot: return (1 << n) - 2       // unsigned k = 2^n − 1: E = k − 1
        case .float: return 6                // e_b = 3, bias 1: e = 7 → E = 6
        }
    }

    /// Largest magnitude of one type in integer units (either signedness).
    public static func maxMagnitude(of type: AntType, codeWidth n: Int) -> Magnitude {
        switch type {
        case .int: return Magnitude(mantissa: (1 << n) - 1, exponent: 0)
        case .flint: return Magnitude(mantissa: 1 << (n - 2), exponent: n)
        case .pot: return Magnitude(mantissa: 1, exponent: (1 << n) - 2)
        case .float:
            // Unsigned B = n ≥ 3: e_b = 3, m_b = n − 3; top code M = 2^(m_b+1) − 1, E = 6.
            return Magnitude(mantissa: (1 << (n - 2)) - 1, exponent: 6)
        }
    }

    /// Width of the decoded mantissa M.
    public var mantissaWidth: Int {
        var w = types.map { Self.mantissaWidth(of: $0, codeWidth: codeWidth) }.max() ?? 1
        if int8 { w = max(w, 4) }       // a nibble term: |−8| … 15
        return w
    }

    /// Largest decoded E.
    public var maxExponent: Int {
        var e = types.map { Self.maxExponent(of: $0, codeWidth: codeWidth) }.max() ?? 0
        if int8 { e = max(e, 4) }       // the high nibble term carries E = 4
        return e
    }

    /// Width of the decoded shift E.
    public var exponentWidth: Int { minimalUnsignedWidth(maxExponent) }

    /// Largest |value| over every enabled type, signedness and precision.
    public var maxMagnitude: Magnitude {
        var best = types.map { Self.maxMagnitude(of: $0, codeWidth: codeWidth) }.max() ?? Magnitude(mantissa: 0, exponent: 0)
        if int8 { best = max(best, Magnitude(mantissa: 255, exponent: 0)) }
        return best
    }

    /// `int,flint` style list for names and manifests.
    public var typeList: String { types.map(\.description).joined(separator: ",") }
}
