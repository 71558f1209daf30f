import AntgenDSL
import AntgenNumerics

// One small combinational decoder per ANT type (spec §2). Each turns an n-bit code
// plus the run-time signedness bit into (sign, M, E) with value (−1)^s · M · 2^E
// units. They share one port shape so ``OperandDecoder`` can select among them:
//   in:  code UInt<n>, signed_mode Bool
//   out: sign Bool, mant UInt<mantissaWidth>, exp UInt<exponentWidth>
// Signed non-int codes are sign-magnitude `[s | magnitude]`, so the sign is always
// the code's MSB when signed_mode is set.

/// Declares the shared port shape and returns (code, signedMode, sign, mant, exp).
private func decoderPorts(_ m: ModuleBuilder, codeWidth: Int, type: AntType)
    -> (code: Value, signedMode: Value, sign: Value, mant: Value, exp: Value) {
    let code = m.input("code", .uint(codeWidth))
    let signedMode = m.input("signed_mode", .bool)
    let sign = m.output("sign", .bool)
    let mant = m.output("mant", .uint(OperandFormat.mantissaWidth(of: type, codeWidth: codeWidth)))
    let exp = m.output("exp", .uint(minimalUnsignedWidth(OperandFormat.maxExponent(of: type, codeWidth: codeWidth))))
    return (code, signedMode, sign, mant, exp)
}

/// int: two's complement when signed (s = MSB, M = |v|), plain binary otherwise; E = 0.
public struct IntDecoder: Circuit {
    /// Code width n.
    public let codeWidth: Int
    /// Creates the decoder.
    public init(codeWidth: Int) { self.codeWidth = codeWidth }
    /// `IntDecoder`.
    public var name: String { "IntDecoder" }
    /// `bits`.
    public var parameters: [Parameter] { [Parameter("bits", codeWidth)] }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let p = decoderPorts(m, codeWidth: codeWidth, type: .int)
        let negative = p.signedMode & p.code[codeWidth - 1]
        p.sign.assign(negative)
        // |v| of an n-bit two's-complement value fits n bits unsigned (|−2^(n−1)| = 2^(n−1)).
        p.mant.assign(mux(p.signedMode, p.code.asSInt.magnitude(), p.code))
        p.exp.assign(0)
    }
}

/// flint: a leading-ones counter plus a shifter (spec §2).
///
/// For an n-bit magnitude c with L leading ones: L = 0 → (M = c, E = 0); otherwise
/// E = L and M = [1, tail, 0^(L−1)], which is ((c << L) mod 2^n | 2^(n−1)) >> 1: the
/// shift drops the ones and the separating 0 lands under the forced leading 1.
/// Signed codes have an (n−1)-bit magnitude; appending a 0 makes it an n-bit field
/// with the same leading-ones count, and the unsigned result shifted right once is
/// the signed decode, so one counter and one shifter serve both signednesses.
public struct FlintDecoder: Circuit {
    /// Code width n (≥ 3).
    public let codeWidth: Int
    /// `.flintWrongShift` builds a deliberately broken decoder; anything else is correct.
    public let mutation: HardwareMutation
    /// Creates the decoder.
    public init(codeWidth: Int, mutation: HardwareMutation = .none) {
        self.codeWidth = codeWidth
        self.mutation = mutation == .flintWrongShift ? mutation : .none
    }
    /// `FlintDecoder`.
    public var name: String { "FlintDecoder" }
    /// `bits`.
    public var parameters: [Parameter] { [Parameter("bits", codeWidth)] + mutation.nameParameters }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let n = codeWidth
        let p = decoderPorts(m, codeWidth: n, type: .flint)
        p.sign.assign(p.signedMode & p.code[n - 1])
        let field = m.wire("field", equals: mux(p.signedMode, cat(p.code[0...(n - 2)], .uint(0, width: 1)), p.code))
        let ones = m.wire("leading_ones", equals: leadingOnes(field))
        let shiftAmount = mutation == .flintWrongShift ? ones.extended(to: ones.width + 1) &+ 1 : ones
        let dropped = m.wire("shifted", equals: (field << shiftAmount).truncated(to: n))
        // Force the implicit leading 1 and drop the (now zero) LSB below the tail.
        let normal = cat(Value.uint(1, width: 1), dropped[1...(n - 2)])
        let unsignedMant = m.wire("unsigned_mant", equals: mux(ones == 0, field[0...(n - 2)], normal))
        let signedMant = unsignedMant >> 1
        p.mant.assign(mux(p.signedMode, signedMant, unsignedMant))
        p.exp.assign(ones)
    }
}

/// pot: `[s | k]`; k = 0 is zero, otherwise M = 1 and E = k − 1.
public struct PotDecoder: Circuit {
    /// Code width n.
    public let codeWidth: Int
    /// Creates the decoder.
    public init(codeWidth: Int) { self.codeWidth = codeWidth }
    /// `PotDecoder`.
    public var name: String { "PotDecoder" }
    /// `bits`.
    public var parameters: [Parameter] { [Parameter("bits", codeWidth)] }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let n = codeWidth
        let p = decoderPorts(m, codeWidth: n, type: .pot)
        p.sign.assign(p.signedMode & p.code[n - 1])
        // The signed k excludes the sign bit.
        let k = m.wire("k", equals: mux(p.signedMode, p.code[0...(n - 2)], p.code))
        let nonzero = k.orReduce()
        p.mant.assign(nonzero)
        p.exp.assign(mux(nonzero, k &- 1, Value.uint(0, width: n)))
    }
}

/// float(eb = 3): `[s | e | m]`, bias 1, subnormals; e = 0 → (m, 0), else (2^m_b | m, e − 1).
/// B = 2 uses e_b = 2, m_b = 0 (spec §1). Unsigned and signed differ in B, so both
/// field layouts are decoded and the signedness bit selects.
public struct FloatDecoder: Circuit {
    /// Code width n (≥ 3).
    public let codeWidth: Int
    /// Creates the decoder.
    public init(codeWidth: Int) { self.codeWidth = codeWidth }
    /// `FloatDecoder`.
    public var name: String { "FloatDecoder" }
    /// `bits`, `eb`.
    public var parameters: [Parameter] { [Parameter("bits", codeWidth), Parameter("eb", 3)] }

    /// (e_b, m_b) for B magnitude bits.
    static func layout(magnitudeBits b: Int) -> (exponentBits: Int, mantissaBits: Int) {
        b == 2 ? (2, 0) : (3, b - 3)
    }

    /// Decodes a B-bit magnitude field into (M, E).
    private func decode(_ field: Value, magnitudeBits b: Int) -> (mant: Value, exp: Value) {
        let (eb, mb) = Self.layout(magnitudeBits: b)
        let e = field[mb...(mb + eb - 1)]
        let normal = e.orReduce()
        let mant: Value
        if mb == 0 {
            mant = normal
        } else {
            let m = field[0...(mb - 1)]
            mant = mux(normal, cat(Value.uint(1, width: 1), m), m)
        }
        return (mant, mux(normal, e &- 1, Value.uint(0, width: eb)))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let n = codeWidth
        let p = decoderPorts(m, codeWidth: n, type: .float)
        p.sign.assign(p.signedMode & p.code[n - 1])
        let unsignedDecode = decode(p.code, magnitudeBits: n)
        let signedDecode = decode(p.code[0...(n - 2)], magnitudeBits: n - 1)
        p.mant.assign(mux(p.signedMode, signedDecode.mant, unsignedDecode.mant))
        p.exp.assign(mux(p.signedMode, signedDecode.exp, unsignedDecode.exp))
    }
}

/// One nibble term of an int8 operand (spec §2, "int8 on 4-bit datapaths"):
/// high = x >> 4 (arithmetic when signed) with E = 4, low = x & 15 (unsigned) with E = 0.
public struct Int8TermDecoder: Circuit {
    /// Creates the decoder.
    public init() {}
    /// `Int8TermDecoder`.
    public var name: String { "Int8TermDecoder" }

    /// Builds the module: inputs `code` (UInt<8>), `signed_mode`, `high`; outputs sign, mant (4 b), exp (3 b).
    public func build(_ m: ModuleBuilder) {
        let code = m.input("code", .uint(8))
        let signedMode = m.input("signed_mode", .bool)
        let high = m.input("high", .bool)
        let sign = m.output("sign", .bool)
        let mant = m.output("mant", .uint(4))
        let exp = m.output("exp", .uint(3))
        let upper = code[4...7]
        // The signed high nibble is −8 … 7: sign-magnitude of a 4-bit two's-complement value.
        let highMant = mux(signedMode, upper.asSInt.magnitude(), upper)
        sign.assign(high & signedMode & code[7])
        mant.assign(mux(high, highMant, code[0...3]))
        exp.assign(mux(high, Value.uint(4, width: 3), Value.uint(0, width: 3)))
    }
}
