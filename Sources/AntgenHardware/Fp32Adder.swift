import AntgenDSL

/// An IEEE 754 binary32 adder, round to nearest even, combinational and written in the DSL
/// (docs/numeric-formats.md §5.6). Bit-exact with IEEE addition (Swift's `Float` `+`) for
/// every non-NaN result, subnormals included (no flush to zero); every NaN result is the
/// canonical 0x7FC00000. x + (−x) = +0, −0 + −0 = −0, +∞ + −∞ = NaN.
///
///     order by magnitude: L ≥ S (the bit patterns without sign compare as magnitudes)
///     align:  S's 24-bit significand, 3 bits appended, shifted right by e_L − e_S (≤ 27);
///             bits shifted out are ORed into bit 0 (sticky)
///     add or subtract (sign_L ⊕ sign_S) in 28 bits: the exact sum up to the sticky bit
///     round:  ``Fp32Rounder`` of (sign_L, sum, e_L − 153)
///
/// Three extra bits suffice: bits are lost only when e_L − e_S > 3, and then the sum keeps
/// at least 26 significant bits, so the rounding point is ≥ 2 bits above the sticky bit and
/// the sticky-compressed sum rounds like the exact one.
public struct Fp32Adder: Circuit {
    /// Creates the adder.
    public init() {}

    /// `Fp32Adder`.
    public var name: String { "Fp32Adder" }
    /// None.
    public var parameters: [Parameter] { [] }

    /// The interface.
    public struct Ports: PortSpec {
        /// One operand (binary32 bits).
        public let a = Port.input(.uint(32))
        /// The other.
        public let b = Port.input(.uint(32))
        /// a + b (binary32 bits).
        public let sum = Port.output(.uint(32))
    }

    /// The ports.
    public var ports: Ports { Ports() }

    /// The extra low bits carried through the alignment (guard, round, sticky).
    static let extraBits = 3

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let extra = Self.extraBits
        func fields(_ x: Value, _ tag: String) -> (sign: Value, exponent: Value, significand: Value, nan: Value, inf: Value) {
            let exponent = m.wire("\(tag)_exponent", equals: x[23...30])
            let fraction = x[0...22]
            let special = exponent == 255
            return (x[31], exponent, cat(exponent != 0, fraction),
                    m.wire("\(tag)_nan", equals: special & (fraction != 0)), m.wire("\(tag)_inf", equals: special & (fraction == 0)))
        }
        let a = fields(io.a, "a"), b = fields(io.b, "b")
        let swap = m.wire("swap", equals: io.a[0...30] < io.b[0...30])
        let large = m.wire("larger", equals: mux(swap, io.b, io.a))
        let small = m.wire("smaller", equals: mux(swap, io.a, io.b))
        let l = fields(large, "l"), s = fields(small, "s")
        // Subnormals (field 0) have the exponent of field 1.
        let largeExponent = m.wire("large_exponent", equals: mux(l.exponent == 0, .uint(1, width: 8), l.exponent))
        let smallExponent = mux(s.exponent == 0, .uint(1, width: 8), s.exponent)
        let distance = m.wire("distance", equals: (largeExponent - smallExponent).asUInt.truncated(to: 8))
        let limit = 24 + extra
        let alignShift = m.wire("align_shift", equals: mux(distance > limit, .uint(limit, width: 8), distance).truncated(to: 5))
        let smallExtended = m.wire("small_extended", equals: cat(s.significand, .uint(0, width: extra)))
        let aligned = m.wire("aligned", equals: smallExtended >> alignShift)
        let lost = m.wire("lost", equals: (aligned << alignShift).truncated(to: limit) != smallExtended)
        let alignedSticky = m.wire("aligned_sticky", equals: aligned | lost)
        let largeExtended = m.wire("large_extended", equals: cat(l.significand, .uint(0, width: extra)))
        let subtract = m.wire("subtract", equals: l.sign ^ s.sign)
        let total = m.wire("total", equals: mux(subtract, (largeExtended - alignedSticky).asUInt, largeExtended + alignedSticky))

        let rounder = m.instance(Fp32Rounder(magnitudeWidth: total.width, exponentWidth: 10), name: "round")
        rounder.sign.assign(l.sign)
        rounder.magnitude.assign(total)
        rounder.exponent.assign((largeExponent.toSigned() - Value.sint(127 + 23 + extra)).truncated(to: 10).asSInt)

        let nan = m.wire("nan", equals: a.nan | b.nan | (a.inf & b.inf & (a.sign ^ b.sign)))
        let inf = m.wire("inf", equals: a.inf | b.inf)
        let infSign = mux(a.inf, a.sign, b.sign)
        let zeroSign = l.sign & s.sign
        var result = mux(total == 0, cat(zeroSign, .uint(0, width: 31)), rounder.result)
        result = mux(inf, cat(infSign, .uint(0x7F80_0000, width: 31)), result)
        io.sum.assign(mux(nan, .uint(0x7FC0_0000, width: 32), result))
    }
}
