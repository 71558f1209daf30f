import AntgenDSL

/// A dedicated signed integer multiply–accumulate unit of the mixed-precision baseline
/// (docs/fp-on-int.md, "The baseline"): a `bits` × `bits` two's-complement multiplier and a
/// W-bit wrapping accumulator. In a cycle with `enable`: acc ← (first ? 0 : acc) + a · b.
public struct BaselineIntMac: Circuit {
    /// Operand width (4 or 8 in the baseline).
    public let bits: Int
    /// Accumulator width W.
    public let accumulatorWidth: Int

    /// Creates the unit.
    public init(bits: Int, accumulatorWidth: Int) {
        self.bits = bits
        self.accumulatorWidth = accumulatorWidth
    }

    /// `BaselineIntMac`.
    public var name: String { "BaselineIntMac" }
    /// Widths.
    public var parameters: [Parameter] { [Parameter("bits", bits), Parameter("acc", accumulatorWidth)] }

    /// The interface.
    public struct Ports: PortSpec {
        /// A product is accumulated this cycle.
        public let enable = Port.input(.bool)
        /// The product starts a new sum.
        public let first = Port.input(.bool)
        /// One operand (two's complement).
        public let a: Port<HardwareType>
        /// The other.
        public let b: Port<HardwareType>
        /// The accumulator (two's complement, wrapping).
        public let acc: Port<HardwareType>

        init(bits: Int, accumulatorWidth: Int) {
            a = .input(.sint(bits))
            b = .input(.sint(bits))
            acc = .output(.sint(accumulatorWidth))
        }
    }

    /// The ports.
    public var ports: Ports { Ports(bits: bits, accumulatorWidth: accumulatorWidth) }

    /// Builds the unit.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = accumulatorWidth
        let product = m.wire("product", equals: io.a * io.b)
        let acc = m.register("acc_q", .sint(w), reset: 0, enable: io.enable)
        let base = mux(io.first, .sint(0, width: w), acc)
        acc.assign(base &+ product.extended(to: w))
        io.acc.assign(acc)
    }
}

/// The baseline's conventional floating-point unit, FP16 and BF16 on one datapath
/// (docs/fp-on-int.md, "The baseline"): decode, an 11 × 11 significand multiplier, the
/// exponent adder, the product rounded to binary32 (``Fp32Rounder``: exact for FP16), and an
/// IEEE binary32 adder (``Fp32Adder``: exponent compare, full-width alignment shifter with
/// sticky, add, normalize, round) into an FP32 accumulator. In a cycle with `enable`:
/// acc ← (first ? −0 : acc) + fp32(a · b). Specials: a NaN operand or ∞ × 0 gives NaN, ∞ × x
/// gives ±∞, a zero operand gives a zero of sign s_a ⊕ s_b; every NaN result is 0x7FC00000.
/// Bit-exact with ``MixedPrecisionBaselineReference`` (the FP-on-INT reference at N = 1, exact).
public struct BaselineFloatMac: Circuit {
    /// Creates the unit.
    public init() {}

    /// `BaselineFloatMac`.
    public var name: String { "BaselineFloatMac" }
    /// None.
    public var parameters: [Parameter] { [] }

    /// The interface.
    public struct Ports: PortSpec {
        /// A product is accumulated this cycle.
        public let enable = Port.input(.bool)
        /// The product starts a new sum.
        public let first = Port.input(.bool)
        /// The operands are bfloat16 (else binary16).
        public let bf16 = Port.input(.bool)
        /// One operand's code.
        public let a = Port.input(.uint(16))
        /// The other's.
        public let b = Port.input(.uint(16))
        /// The FP32 accumulator (binary32 bits).
        public let acc = Port.output(.uint(32))
    }

    /// The ports.
    public var ports: Ports { Ports() }

    /// One decoded operand: sign, significand (hidden bit included), unbiased exponent of
    /// the significand's leading position (10-bit signed), and the class flags.
    struct Decoded {
        let sign: Value, significand: Value, exponent: Value, zero: Value, inf: Value, nan: Value
    }

    /// Decodes `x` as binary16 or bfloat16 under `bf16`.
    static func decode(_ m: ModuleBuilder, _ x: Value, bf16: Value, tag: String) -> Decoded {
        let halfField = x[10...14], halfFraction = x[0...9]
        let brainField = x[7...14], brainFraction = x[0...6]
        let halfExponent = mux(halfField == 0, .sint(-14, width: 10), (halfField.toSigned() - 15).extended(to: 10))
        let brainExponent = mux(brainField == 0, .sint(-126, width: 10), (brainField.toSigned() - 127).extended(to: 10))
        let halfSignificand = cat(halfField != 0, halfFraction)
        let brainSignificand = cat(brainField != 0, brainFraction).extended(to: 11)
        let fieldAllOnes = mux(bf16, brainField == 255, halfField == 31)
        let fractionZero = mux(bf16, brainFraction == 0, halfFraction == 0)
        let fieldZero = mux(bf16, brainField == 0, halfField == 0)
        return Decoded(sign: x[15],
                       significand: m.wire("\(tag)_significand", equals: mux(bf16, brainSignificand, halfSignificand)),
                       exponent: m.wire("\(tag)_exponent", equals: mux(bf16, brainExponent, halfExponent)),
                       zero: m.wire("\(tag)_zero", equals: fieldZero & fractionZero),
                       inf: m.wire("\(tag)_inf", equals: fieldAllOnes & fractionZero),
                       nan: m.wire("\(tag)_nan", equals: fieldAllOnes & !fractionZero))
    }

    /// Builds the unit.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let a = Self.decode(m, io.a, bf16: io.bf16, tag: "a"), b = Self.decode(m, io.b, bf16: io.bf16, tag: "b")
        let sign = m.wire("product_sign", equals: a.sign ^ b.sign)
        let significand = m.wire("product_significand", equals: a.significand * b.significand)
        // The product's LSB weighs 2^(E_a + E_b − 2f): f = 10 (FP16) or 7 (BF16).
        let fractionBits = mux(io.bf16, .sint(14, width: 10), .sint(20, width: 10))
        let exponent = m.wire("product_exponent", equals: (a.exponent + b.exponent - fractionBits).truncated(to: 10))
        let rounder = m.instance(Fp32Rounder(magnitudeWidth: 22, exponentWidth: 10), name: "product_round")
        rounder.sign.assign(sign)
        rounder.magnitude.assign(significand)
        rounder.exponent.assign(exponent)
        var product = mux(significand == 0, cat(sign, .uint(0, width: 31)), rounder.result)
        product = mux(a.inf | b.inf, cat(sign, .uint(0x7F80_0000, width: 31)), product)
        let nan = a.nan | b.nan | (a.inf & b.zero) | (b.inf & a.zero)
        product = m.wire("product_fp32", equals: mux(nan, .uint(0x7FC0_0000, width: 32), product))

        let acc = m.register("acc_q", .uint(32), reset: 0x8000_0000, enable: io.enable)
        let adder = m.instance(Fp32Adder(), name: "accumulate")
        adder.a.assign(mux(io.first, .uint(0x8000_0000, width: 32), acc))
        adder.b.assign(product)
        acc.assign(adder.sum)
        io.acc.assign(acc)
    }
}
