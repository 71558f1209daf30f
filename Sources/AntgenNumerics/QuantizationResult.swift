/// The score of one candidate type on one tensor.
public struct CandidateScore: Sendable, Equatable {
    /// The candidate.
    public let type: TypeCandidate
    /// The format it was scored with, nil when the type is invalid at this width.
    public let format: NumberFormat?
    /// Selection score: the sum over channels of each channel's minimum MSE (per-tensor:
    /// the tensor MSE). nil when the type is invalid at this width.
    public let score: Double?
    /// Mean squared error over the whole tensor at the best α: score / channel count.
    /// In the data's units, so +∞ or 0 when that leaves float64's range (near 1e±154);
    /// `relativeError` is exact at every magnitude.
    public let meanSquaredError: Double?
    /// MSE / mean x², computed on the normalised data (scale-invariant).
    public let relativeError: Double?
    /// Why the type was skipped, when it was.
    public let skippedBecause: String?
}

/// Everything one quantizer run produces.
public struct QuantizationResult: Sendable {
    /// The options of the run.
    public let options: QuantizerOptions
    /// Whether the data was quantized signed.
    public let isSigned: Bool
    /// The candidate chosen (the lowest score, earliest on ties).
    public let chosenType: TypeCandidate
    /// Its format; `chosenFormat.maxPositiveUnits` is the q_max of dequantisation.
    public let chosenFormat: NumberFormat
    /// Every enabled candidate in the fixed order, with its score.
    public let candidates: [CandidateScore]
    /// Number of α values: output channels for weights, 1 for activations.
    public let channelCount: Int
    /// Clip value α per channel (0 for an all-zero channel).
    public let alphas: [Double]
    /// max |x| per channel, the base of the ratio search.
    public let channelMaxima: [Double]
    /// Codes in C order, one per element (the format's bit encoding, in the low bits).
    public let codes: [UInt8]
    /// Dequantised values α · q / q_max in the input's element type and shape.
    public let dequantized: Tensor
    /// Mean squared error of `dequantized` against the input, as found by the search, in
    /// the data's units: +∞ or 0 when that leaves float64's range (data near 1e±154).
    public let meanSquaredError: Double
    /// Mean of x² over the input (same caveat as `meanSquaredError`).
    public let meanSquare: Double
    /// MSE / mean x² (0 for an all-zero tensor), computed on the data normalised by a power
    /// of two, so it is exact and the same at every magnitude.
    public let relativeError: Double
    /// With a power-of-two scale (`scale: .bias`): the bias per channel, a code of q units
    /// dequantising to q · 2^−bias (`alphas` then hold the equivalent q_max · 2^−bias).
    /// nil for a free α.
    public let biases: [Int]?

    /// The smallest and largest α over channels.
    public var alphaRange: ClosedRange<Double> { (alphas.min() ?? 0) ... (alphas.max() ?? 0) }
}
