import AntgenDSL
import AntgenNumerics

/// The 12-bit partial-sum encoder (docs/numeric-formats.md §7.7), combinational: a W-bit
/// two's-complement sum to `{sign, exponent[4:0], fraction[5:0]}`, rounding to nearest, ties
/// to even, bit-exact with ``PartialSumCodec/encode(_:)``. W is 8…37.
public struct PartialSumEncoder: Circuit {
    /// W.
    public let sumWidth: Int

    public init(sumWidth: Int) { self.sumWidth = sumWidth }

    public var name: String { "PartialSumEncoder" }
    public var parameters: [Parameter] { [Parameter("w", sumWidth)] }

    public struct Ports: PortSpec {
        /// The sum.
        public let sum: Port<HardwareType>
        /// Its 12-bit code.
        public let code = Port.output(.uint(PartialSumCodec.codeWidth))
    }

    public var ports: Ports { Ports(sum: .input(.sint(sumWidth))) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = sumWidth
        let sign = m.wire("sign", equals: io.sum[w - 1])
        let magnitude = m.wire("magnitude", equals: io.sum.magnitude())
        let leading = m.wire("leading", equals: priorityEncoder(magnitude, fromMostSignificant: true).index)
        let normal = m.wire("normal", equals: magnitude >= 64)
        // shift = leading − 6 (meaningful when normal): the dropped low bits.
        let shift = m.wire("shift", equals: (leading &- 6).extended(to: 6))
        let significand = m.wire("significand", equals: (magnitude >> shift)[0 ... 6])
        let hasRound = m.wire("has_round", equals: shift != 0)
        let below = m.wire("below", equals: shift &- 1)
        let roundBit = m.wire("round_bit", equals: (magnitude >> below)[0] & hasRound)
        let lowMask = ((Value.uint(1, width: w) << below) &- 1)
        let sticky = m.wire("sticky", equals: (magnitude & lowMask.truncated(to: w)) != 0)
        let roundUp = m.wire("round_up", equals: roundBit & (sticky | significand[0]).site(PartialSumEncoderSite.nearestEven))
        let rounded = m.wire("rounded", equals: significand.extended(to: 8) &+ roundUp.asUInt.extended(to: 8))
        let carry = m.wire("carry", equals: rounded[7])
        let exponent = m.wire("exponent", equals: shift.truncated(to: 5) &+ Value.uint(1, width: 5) &+ carry.asUInt.extended(to: 5))
        let fraction = m.wire("fraction", equals: mux(carry, Value.uint(0, width: 6), rounded[0 ... 5]))
        let small = cat(sign, Value.uint(0, width: 5), magnitude[0 ... 5])
        io.code.assign(mux(normal, cat(sign, exponent, fraction), small))
    }
}

/// The 12-bit partial-sum decoder, combinational: a code to a W-bit two's-complement sum,
/// saturated to the W-bit range, bit-exact with ``PartialSumCodec/decode(_:)``.
public struct PartialSumDecoder: Circuit {
    /// W.
    public let sumWidth: Int

    public init(sumWidth: Int) { self.sumWidth = sumWidth }

    public var name: String { "PartialSumDecoder" }
    public var parameters: [Parameter] { [Parameter("w", sumWidth)] }

    public struct Ports: PortSpec {
        public let code = Port.input(.uint(PartialSumCodec.codeWidth))
        public let sum: Port<HardwareType>
    }

    public var ports: Ports { Ports(sum: .output(.sint(sumWidth))) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = sumWidth
        let sign = m.wire("sign", equals: io.code[11])
        let exponent = m.wire("exponent", equals: io.code[6 ... 10])
        let fraction = io.code[0 ... 5]
        // (64 + f) << (e − 1) for e ≥ 1: at most 127 · 2^30, 37 bits.
        let normal = (cat(Value.uint(1, width: 1), fraction) << (exponent &- 1)).truncated(to: 38)
        let magnitude = m.wire("magnitude", equals: mux(exponent == 0, fraction.extended(to: 38), normal))
        let limit = m.wire("limit", equals: mux(sign, Value.uint(1 << (w - 1), width: 38), Value.uint((1 << (w - 1)) - 1, width: 38)))
        let saturated = m.wire("saturated", equals: mux(magnitude > limit, limit, magnitude).truncated(to: w))
        let zero = Value.uint(0, width: w)
        io.sum.assign(mux(sign, zero &- saturated, saturated).asSInt)
    }
}

/// The named defect sites of ``PartialSumEncoder``.
public struct PartialSumEncoderSite: DefectSiteTag {
    public let description: String

    /// `sticky | lsb`, the round-to-nearest-even condition (inside `round_up`).
    public static let nearestEven = PartialSumEncoderSite(description: "PartialSumEncoder.nearestEven")
}
