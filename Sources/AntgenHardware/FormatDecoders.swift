import AntgenDSL
import AntgenNumerics

// One small combinational decoder per ANT type (docs/numeric-formats.md §2). Each turns
// an n-bit code plus the run-time signedness bit into the operand (sign, M, E) with value
// (−1)^s · M · 2^E units. They share one interface, ``TypeDecoderPorts``, so
// ``OperandDecoder`` can select among them. Signed non-int codes are sign-magnitude
// `[s | magnitude]`, so the sign is always the code's MSB when signed_mode is set.

/// The interface every per-type decoder has: `code` and `signed_mode` in, the decoded
/// operand out (its M and E as wide as the type needs at this code width).
public struct TypeDecoderPorts: PortSpec {
    /// The n-bit code.
    public let code: Port<HardwareType>
    /// The code is signed.
    public let signedMode = Port.input(.bool)
    /// (sign, M, E).
    public let decoded: Port<Operand>

    /// The interface of the `type` decoder at `codeWidth` bits.
    public init(type: AntType, codeWidth: Int) {
        code = .input(.uint(codeWidth))
        decoded = .output(Self.operand(type: type, codeWidth: codeWidth))
    }

    /// The operand bundle the `type` decoder produces at `codeWidth` bits.
    public static func operand(type: AntType, codeWidth: Int) -> Operand {
        Operand(mantissaWidth: OperandFormat.mantissaWidth(of: type, codeWidth: codeWidth),
                shiftWidth: minimalUnsignedWidth(OperandFormat.maxExponent(of: type, codeWidth: codeWidth)))
    }
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

    /// `code`, `signed_mode` → `decoded`.
    public var ports: TypeDecoderPorts { TypeDecoderPorts(type: .int, codeWidth: codeWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<TypeDecoderPorts>) {
        let out = io.decoded
        out.sign.assign(io.signedMode & io.code[codeWidth - 1])
        // |v| of an n-bit two's-complement value fits n bits unsigned (|−2^(n−1)| = 2^(n−1)).
        out.mantissa.assign(mux(io.signedMode, io.code.asSInt.magnitude(), io.code))
        out.shift.assign(0)
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
    /// Creates the decoder.
    public init(codeWidth: Int) { self.codeWidth = codeWidth }
    /// `FlintDecoder`.
    public var name: String { "FlintDecoder" }
    /// `bits`.
    public var parameters: [Parameter] { [Parameter("bits", codeWidth)] }
    /// `code`, `signed_mode` → `decoded`.
    public var ports: TypeDecoderPorts { TypeDecoderPorts(type: .flint, codeWidth: codeWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<TypeDecoderPorts>) {
        let n = codeWidth
        let out = io.decoded
        out.sign.assign(io.signedMode & io.code[n - 1])
        let field = m.wire("field", equals: mux(io.signedMode, cat(io.code[0...(n - 2)], .uint(0, width: 1)), io.code))
        let ones = m.wire("leading_ones", equals: leadingOnes(field))
        let dropped = m.wire("shifted", equals: (field << ones).site(FlintDecoderSite.shift).truncated(to: n))
        // Force the implicit leading 1 and drop the (now zero) LSB below the tail.
        let normal = cat(Value.uint(1, width: 1), dropped[1...(n - 2)])
        let unsignedMant = m.wire("unsigned_mant", equals: mux(ones == 0, field[0...(n - 2)], normal))
        let signedMant = unsignedMant >> 1
        out.mantissa.assign(mux(io.signedMode, signedMant, unsignedMant))
        out.shift.assign(ones)
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

    /// `code`, `signed_mode` → `decoded`.
    public var ports: TypeDecoderPorts { TypeDecoderPorts(type: .pot, codeWidth: codeWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<TypeDecoderPorts>) {
        let n = codeWidth
        let out = io.decoded
        out.sign.assign(io.signedMode & io.code[n - 1])
        // The signed k excludes the sign bit.
        let k = m.wire("k", equals: mux(io.signedMode, io.code[0...(n - 2)], io.code))
        let nonzero = k.orReduce()
        out.mantissa.assign(nonzero)
        out.shift.assign(mux(nonzero, k &- 1, Value.uint(0, width: n)))
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

    /// `code`, `signed_mode` → `decoded`.
    public var ports: TypeDecoderPorts { TypeDecoderPorts(type: .float, codeWidth: codeWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<TypeDecoderPorts>) {
        let n = codeWidth
        let out = io.decoded
        out.sign.assign(io.signedMode & io.code[n - 1])
        let unsignedDecode = decode(io.code, magnitudeBits: n)
        let signedDecode = decode(io.code[0...(n - 2)], magnitudeBits: n - 1)
        out.mantissa.assign(mux(io.signedMode, signedDecode.mant, unsignedDecode.mant))
        out.shift.assign(mux(io.signedMode, signedDecode.exp, unsignedDecode.exp))
    }
}

/// One nibble term of an int8 operand (spec §2, "int8 on 4-bit datapaths"):
/// high = x >> 4 (arithmetic when signed) with E = 4, low = x & 15 (unsigned) with E = 0.
public struct Int8TermDecoder: Circuit {
    /// Creates the decoder.
    public init() {}
    /// `Int8TermDecoder`.
    public var name: String { "Int8TermDecoder" }

    /// The interface: the int8 code, its signedness and which nibble; the term as an operand.
    public struct Ports: PortSpec {
        /// The 8-bit code.
        public let code = Port.input(.uint(8))
        /// The code is signed.
        public let signedMode = Port.input(.bool)
        /// Select the high nibble term (else the low one).
        public let high = Port.input(.bool)
        /// The term: M of 4 bits, E of 3 bits (4 for the high nibble).
        public let decoded = Port.output(Int8TermDecoder.term)
    }

    /// The operand shape of a nibble term.
    public static var term: Operand { Operand(mantissaWidth: 4, shiftWidth: 3) }

    /// `code`, `signed_mode`, `high` → `decoded`.
    public var ports: Ports { Ports() }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let code = io.code, out = io.decoded
        let upper = code[4...7]
        // The signed high nibble is −8 … 7: sign-magnitude of a 4-bit two's-complement value.
        let highMant = mux(io.signedMode, upper.asSInt.magnitude(), upper)
        out.sign.assign(io.high & io.signedMode & code[7])
        out.mantissa.assign(mux(io.high, highMant, code[0...3]))
        out.shift.assign(mux(io.high, Value.uint(4, width: 3), Value.uint(0, width: 3)))
    }
}

/// The named defect sites of ``FlintDecoder``.
public struct FlintDecoderSite: DefectSiteTag {
    public let description: String

    /// `field << leading_ones`, the shift that drops the unary prefix (inside `shifted`).
    public static let shift = FlintDecoderSite(description: "FlintDecoder.shift")
}
