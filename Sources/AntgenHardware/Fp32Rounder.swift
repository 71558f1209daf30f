import AntgenDSL

/// Rounds (−1)^sign · magnitude · 2^exponent to IEEE binary32, once, to nearest even
/// (docs/numeric-formats.md §5.6): subnormals are kept, values from 2^128 up become ±∞, an
/// exact zero is +0 and a nonzero value that rounds to 0 keeps its sign. Combinational.
///
/// The MX PE uses it to turn an exact block sum into FP32 and, via ``Fp32Adder``, to round
/// a sum of two FP32 values; the bounded-window accumulator uses it for its final value.
///
///     normalized = magnitude << leading_zeros          (MSB at the top)
///     biased     = exponent + (n − 1 − lz) + 127       (the leading bit's biased exponent)
///     subnormal: shift right by 1 − biased more (sticky kept)
///     significand = top 24 bits, guard = next, sticky = OR of the rest
///     packed = (max(biased, 1) − 1) << 23 + significand;  + (guard & (sticky | lsb))
///
/// A carry out of the rounding increments the exponent field through the packed add, so
/// 2^24 − 1 ulps rounding up and the top binade becoming ∞ need no special case.
public struct Fp32Rounder: Circuit {
    /// Width of the unsigned magnitude.
    public let magnitudeWidth: Int
    /// Width of the signed exponent.
    public let exponentWidth: Int

    /// Creates a rounder for a `magnitudeWidth`-bit magnitude and an `exponentWidth`-bit
    /// two's-complement exponent.
    public init(magnitudeWidth: Int, exponentWidth: Int) {
        self.magnitudeWidth = magnitudeWidth
        self.exponentWidth = exponentWidth
    }

    /// `Fp32Rounder`.
    public var name: String { "Fp32Rounder" }
    /// Widths.
    public var parameters: [Parameter] { [Parameter("mag", magnitudeWidth), Parameter("exp", exponentWidth)] }

    /// The interface.
    public struct Ports: PortSpec {
        /// The sign (1 = negative).
        public let sign = Port.input(.bool)
        /// The unsigned magnitude.
        public let magnitude: Port<HardwareType>
        /// The exponent of the magnitude's LSB.
        public let exponent: Port<HardwareType>
        /// The binary32 bit pattern.
        public let result = Port.output(.uint(32))

        init(magnitudeWidth: Int, exponentWidth: Int) {
            magnitude = .input(.uint(magnitudeWidth))
            exponent = .input(.sint(exponentWidth))
        }
    }

    /// The ports.
    public var ports: Ports { Ports(magnitudeWidth: magnitudeWidth, exponentWidth: exponentWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let n = magnitudeWidth
        let working = max(n, 26)   // 24 significand bits, the guard bit and ≥ 1 sticky bit
        let lz = m.wire("lz", equals: leadingZeros(io.magnitude))
        let normalized = m.wire("normalized", equals: (io.magnitude << lz).truncated(to: n))
        let top = m.wire("top", equals: working > n ? cat(normalized, .uint(0, width: working - n)) : normalized)
        let biased = m.wire("biased", equals: io.exponent + Value.sint(n - 1 + 127) - lz.toSigned())
        // Subnormal: shift right by 1 − biased (clamped: from `working` on everything is sticky).
        let below = m.wire("below", equals: Value.sint(1) - biased)
        let shiftWidth = minimalUnsignedWidth(working)
        let clamped = mux(below > working, Value.sint(working), below)
        let rightShift = m.wire("right_shift", equals: mux(biased < 1, clamped.asUInt.truncated(to: shiftWidth), .uint(0, width: shiftWidth)))
        let shifted = m.wire("shifted", equals: top >> rightShift)
        let lost = m.wire("lost", equals: (shifted << rightShift).truncated(to: working) != top)
        let significand = m.wire("significand", equals: shifted[(working - 24)...(working - 1)])
        let guardBit = m.wire("guard_bit", equals: shifted[working - 25])
        let sticky = m.wire("sticky", equals: lost | shifted[0...(working - 26)].orReduce())
        // Round up when the guard bit is set and the value is above the midpoint or odd.
        let roundUp = m.wire("round_up", equals: mux(guardBit, sticky | significand[0], Value.bool(false))).site(Fp32RounderSite.roundUp)
        let exponentField = m.wire("exponent_field", equals: mux(biased > 0, (biased - 1).asUInt.truncated(to: 8), .uint(0, width: 8)))
        let packed = m.wire("packed_bits", equals: cat(exponentField, .uint(0, width: 23)) + significand)
        let rounded = m.wire("rounded", equals: (packed + roundUp)[0...30])
        let overflow = m.wire("overflow", equals: biased > 254)
        let zero = m.wire("zero", equals: io.magnitude == 0)
        let magnitudeBits = mux(overflow, .uint(0x7F80_0000, width: 31), rounded)
        io.result.assign(mux(zero, .uint(0, width: 32), cat(io.sign, magnitudeBits)))
    }
}

/// The named defect sites of ``Fp32Rounder``.
public struct Fp32RounderSite: DefectSiteTag {
    public let description: String

    /// `round_up` = guard ? (sticky | lsb) : 0, the round-to-nearest-even decision.
    public static let roundUp = Fp32RounderSite(description: "Fp32Rounder.roundUp")
}
