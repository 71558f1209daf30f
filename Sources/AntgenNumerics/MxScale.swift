/// The E8M0 shared block scale of OCP MX (spec §5.4): an unsigned biased exponent,
/// X = 2^(code − 127) for codes 0…254, and 0xFF the single NaN. It has no sign, no zero and
/// no infinity.
public struct MxScale: Sendable, Hashable, Codable {
    /// The 8-bit code.
    public let code: Int

    /// The E8M0 exponent bias.
    public static let bias = 127
    /// The NaN scale.
    public static let nan = MxScale(code: 0xFF)

    /// A scale from its code (the low 8 bits are used).
    public init(code: Int) { self.code = code & 0xFF }

    /// The scale 2^exponent; exponents above 127 give NaN, below −127 clamp to −127
    /// (spec §5.4: the emulation library's rule).
    public init(exponent: Int) {
        if exponent > 127 {
            code = 0xFF
        } else {
            code = max(exponent, -127) + Self.bias
        }
    }

    /// Whether this is the NaN scale 0xFF.
    public var isNaN: Bool { code == 0xFF }

    /// The unbiased exponent (code − 127); meaningless for NaN.
    public var exponent: Int { code - Self.bias }

    /// The real value 2^(code − 127), NaN for 0xFF.
    public var value: Double { isNaN ? .nan : Double(sign: .plus, exponent: exponent, significand: 1) }

    /// The shared-exponent rule of spec §5.3: ⌊log2 amax⌋ − emax_elem, for a block whose
    /// largest magnitude is `amax` (finite, ≥ 0). An all-zero block gets 2^−127, so its
    /// elements encode to 0.
    public static func shared(amax: Double, format: MxElementFormat) -> MxScale {
        guard amax > 0 else { return MxScale(exponent: -127) }
        return MxScale(exponent: Int(amax.exponent) - format.maxExponent)
    }
}
