/// What a tensor is: weights (signed, α per output channel) or activations (signed only if
/// the data has a negative value, one α for the tensor).
public enum TensorRole: String, Sendable, Codable, CaseIterable {
    /// Weights: signed, one α per output channel.
    case weight
    /// Activations: signed only with negative data, one α per tensor.
    case activation
}

/// How the quantizer computes.
public enum ArithmeticMode: String, Sendable, Codable, CaseIterable {
    /// Integer grid units, exact nearest-value decisions, MSE accumulated exactly enough
    /// to be deterministic (the default).
    case exact
    /// The reference's float32 sequence (spec §4 decision 4), including its float2/3/4
    /// selection-grid bug and its mode-string substring matching.
    case compat
}

/// Settings of one quantizer run.
public struct QuantizerOptions: Sendable, Equatable {
    /// Code width, 2…8. Above 6 bits the type is always int (as in the reference).
    public var bits: Int
    /// Mode string: `ant-…` for adaptive selection, or one type name.
    public var mode: String
    /// Weight or activation.
    public var role: TensorRole
    /// Exact or reference-compatible float32 arithmetic.
    public var arithmetic: ArithmeticMode
    /// Clip ratios tried, in percent of max |x|; nil means 75..<150, or 95..<150 above 6 bits.
    public var ratioPercents: Range<Int>?
    /// Worker threads; nil means one per active processor. Results never depend on it.
    public var threadCount: Int?
    /// Free α (ANT's clip search, the default) or a power-of-two scale (libnumber's bias,
    /// searched over the bias; exact arithmetic only).
    public var scale: ScaleKind

    /// Creates options; the defaults are those of `antgen quantize`.
    public init(
        bits: Int = 4, mode: String = "ant-int-pot-flint", role: TensorRole = .weight,
        arithmetic: ArithmeticMode = .exact, ratioPercents: Range<Int>? = nil, threadCount: Int? = nil,
        scale: ScaleKind = .alpha
    ) {
        self.scale = scale
        self.bits = bits
        self.mode = mode
        self.role = role
        self.arithmetic = arithmetic
        self.ratioPercents = ratioPercents
        self.threadCount = threadCount
    }

    /// The clip ratios actually searched (spec §4: lb 75, ub 150, lb 95 above 6 bits).
    public var effectiveRatioPercents: Range<Int> {
        ratioPercents ?? (bits > 6 ? 95 ..< 150 : 75 ..< 150)
    }
}

/// Why a quantizer run was rejected.
public enum QuantizerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The tensor has no elements.
    case emptyTensor
    /// A NaN or infinite element at this flat index.
    case nonFiniteValue(index: Int, value: Double)
    /// The bit width is outside 2…8.
    case unsupportedBitWidth(Int)
    /// The clip-ratio range is empty or not positive.
    case invalidRatioRange(Range<Int>)
    /// The mode string is malformed.
    case invalidMode(ModeError)
    /// Every candidate of the mode is invalid at this width and signedness.
    case noValidCandidate(mode: String, bits: Int, signed: Bool, reasons: [String])
    /// A power-of-two scale was asked for with the reference-compatible arithmetic.
    case biasNeedsExactArithmetic
    /// The tensor's magnitude is outside what the arithmetic can represent (its largest
    /// |x| and why).
    case outOfRange(maximum: Double, reason: String)

    /// A one-line human-readable description.
    public var description: String {
        switch self {
        case .emptyTensor:
            return "the tensor is empty"
        case .nonFiniteValue(let index, let value):
            return "element \(index) is \(value) (NaN and infinite values cannot be quantized)"
        case .unsupportedBitWidth(let bits):
            return "unsupported bit width \(bits) (supported: 2…8)"
        case .invalidRatioRange(let range):
            return "clip ratio range \(range.lowerBound)..<\(range.upperBound) must be non-empty and positive"
        case .invalidMode(let error):
            return error.description
        case .noValidCandidate(let mode, let bits, let signed, let reasons):
            return "mode '\(mode)' has no valid type at \(signed ? "signed" : "unsigned") \(bits) bits: " + reasons.joined(separator: "; ")
        case .biasNeedsExactArithmetic:
            return "a power-of-two scale (bias) has no reference to be compatible with; drop --compat or use --scale alpha"
        case .outOfRange(let maximum, let reason):
            return "max |x| = \(maximum) is out of range: \(reason)"
        }
    }
}
