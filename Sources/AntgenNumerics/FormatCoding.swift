/// The hardware view of one code (spec §2): value = (−1)^sign · mantissa · 2^shift units.
public struct HardwareOperand: Hashable, Sendable, CustomStringConvertible {
    /// True for negative values and for the "−0" code of sign-magnitude types.
    public var sign: Bool
    /// The unsigned mantissa M.
    public var mantissa: Int
    /// The unsigned shift E.
    public var shift: Int

    /// Creates an operand from its three fields.
    public init(sign: Bool, mantissa: Int, shift: Int) {
        self.sign = sign
        self.mantissa = mantissa
        self.shift = shift
    }

    /// The value in units, exact in `Double`.
    public var units: Double {
        let magnitude = Double(sign: .plus, exponent: shift, significand: Double(mantissa))
        return sign ? -magnitude : magnitude
    }

    /// A one-line human-readable description.
    public var description: String { "(\(sign ? 1 : 0), \(mantissa), \(shift))" }
}

extension NumberFormat {
    /// The value of `code` in units, exact for every valid format.
    ///
    /// - Throws: `NumberFormatError.codeOutOfRange` unless `0 <= code < codeCount`.
    public func decodeUnits(code: Int) throws(NumberFormatError) -> Double {
        guard (0 ..< codeCount).contains(code) else { throw .codeOutOfRange(code: code, format: description) }
        if kind == .int {
            let value = isSigned && code >= (1 << magnitudeBits) ? code - codeCount : code
            return Double(value)
        }
        let magnitude = magnitudeUnits[code & ((1 << magnitudeBits) - 1)]
        return isSigned && (code >> magnitudeBits) & 1 == 1 ? -magnitude : magnitude
    }

    /// The value of `code` in units as an `Int`.
    ///
    /// - Throws: `codeOutOfRange`, or `valueExceedsInt` for the few very wide pot/float
    ///   formats whose values pass 2^63 (use `decodeUnits(code:)` for those).
    public func decode(code: Int) throws(NumberFormatError) -> Int {
        let units = try decodeUnits(code: code)
        guard let value = Int(exactly: units) else { throw .valueExceedsInt(code: code, format: description) }
        return value
    }

    /// The hardware decode of spec §2 computed from the code's bit fields.
    ///
    /// - Throws: `codeOutOfRange`, or `noHardwareDecode` for apot.
    public func hardwareDecode(code: Int) throws(NumberFormatError) -> HardwareOperand {
        guard (0 ..< codeCount).contains(code) else { throw .codeOutOfRange(code: code, format: description) }
        let magnitudeMask = (1 << magnitudeBits) - 1
        let sign = isSigned && (code >> magnitudeBits) & 1 == 1
        let field = code & magnitudeMask
        switch kind.type {
        case .int?:
            let value = sign ? code - codeCount : code
            return HardwareOperand(sign: value < 0, mantissa: abs(value), shift: 0)
        case .pot?:
            if field == 0 { return HardwareOperand(sign: sign, mantissa: 0, shift: 0) }
            return HardwareOperand(sign: sign, mantissa: 1, shift: field - 1)
        case .flint?:
            return Self.flintDecode(field, n: magnitudeBits, sign: sign)
        case .float?:
            let exponentBits = kind.exponentBits!  // set for every float kind
            let shape = FloatShape(exponentBits: exponentBits, magnitudeBits: magnitudeBits)!
            let exponent = field >> shape.mantissaBits
            let mantissa = field & ((1 << shape.mantissaBits) - 1)
            if exponent == 0 { return HardwareOperand(sign: sign, mantissa: mantissa, shift: 0) }
            return HardwareOperand(sign: sign, mantissa: (1 << shape.mantissaBits) | mantissa, shift: exponent - 1)
        case nil:  // apot
            throw .noHardwareDecode(format: description)
        }
    }

    /// flint magnitude code c of n bits: MSB 0 → (c, 0); otherwise L leading ones, then a 0
    /// and a tail t of n−1−L bits → (2^(n−2) | t << (L−1), L); all ones → (2^(n−2), n).
    static func flintDecode(_ field: Int, n: Int, sign: Bool) -> HardwareOperand {
        if field >> (n - 1) == 0 { return HardwareOperand(sign: sign, mantissa: field, shift: 0) }
        var leadingOnes = 0
        while leadingOnes < n, (field >> (n - 1 - leadingOnes)) & 1 == 1 { leadingOnes += 1 }
        let hidden = 1 << (n - 2)
        if leadingOnes == n { return HardwareOperand(sign: sign, mantissa: hidden, shift: n) }
        let tailBits = n - 1 - leadingOnes
        let tail = field & ((1 << tailBits) - 1)
        return HardwareOperand(sign: sign, mantissa: hidden | (tail << (leadingOnes - 1)), shift: leadingOnes)
    }

    /// Width in bits of the decoded mantissa M (spec §2 table), nil for apot.
    public var mantissaWidth: Int? {
        switch kind.type {
        case .int?: return bits
        case .flint?: return magnitudeBits - 1
        case .pot?: return 1
        case .float?:
            let exponentBits = kind.exponentBits!  // set for every float kind
            return FloatShape(exponentBits: exponentBits, magnitudeBits: magnitudeBits)!.mantissaBits + 1
        case nil: return nil  // apot
        }
    }

    /// The range of the decoded shift E (spec §2 table), nil for apot.
    public var shiftRange: ClosedRange<Int>? {
        switch kind.type {
        case .int?: return 0 ... 0
        case .flint?: return 0 ... magnitudeBits
        case .pot?: return 0 ... (1 << magnitudeBits) - 2
        case .float?:
            let exponentBits = kind.exponentBits!  // set for every float kind
            return 0 ... (1 << FloatShape(exponentBits: exponentBits, magnitudeBits: magnitudeBits)!.exponentBits) - 2
        case nil: return nil  // apot
        }
    }

    /// The code of the grid value nearest to `x / scale` (in units): an exact tie goes to
    /// the larger value, values beyond the ends clamp to the end values.
    ///
    /// - Throws: `notANumber` for NaN `x`, `invalidScale` unless `scale` is finite and > 0.
    public func encode(_ x: Double, scale: Double) throws(NumberFormatError) -> Int {
        guard scale.isFinite, scale > 0 else { throw .invalidScale(scale) }
        guard !x.isNaN else { throw .notANumber(format: description) }
        return codeForDistinctIndex[nearestIndex(toUnits: x / scale)]
    }

    /// The code that encodes the value `units` exactly, nil when it is not on the grid.
    /// Zero gives the positive-zero code.
    public func code(ofUnits units: Double) -> Int? {
        let index = nearestIndex(toUnits: units)
        return distinctValues[index] == units ? codeForDistinctIndex[index] : nil
    }

    /// The index in `distinctValues` nearest to `units`, ties to the larger, clamped.
    public func nearestIndex(toUnits units: Double) -> Int {
        var low = 0
        var high = distinctValues.count - 1
        // Invariant: the answer is in low...high; midpoint of neighbours decides each step.
        while low < high {
            let middle = (low + high) / 2
            let midpoint = (distinctValues[middle] + distinctValues[middle + 1]) / 2
            if units >= midpoint { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The code for an index into `distinctValues`.
    public func code(forDistinctIndex index: Int) -> Int { codeForDistinctIndex[index] }
}
