import AntgenNumerics
import Foundation

/// One way to store one tensor: a format with its best scale and the error it leaves.
public struct QuantizationOption: Sendable, Equatable {
    /// The candidate kind (`int`, `flint`, `pot`, `float`, …).
    public let kind: CandidateType
    /// The format (kind, width, signedness).
    public let format: NumberFormat
    /// Free α or power-of-two bias.
    public let scale: ScaleKind
    /// α per channel (for a bias, the equivalent α = q_max · 2^−bias).
    public let alphas: [Double]
    /// The bias per channel when `scale` is `.bias`, else empty.
    public let biases: [Int]
    /// Mean squared error over the tensor.
    public let meanSquaredError: Double
    /// MSE / mean x² (0 for an all-zero tensor).
    public let relativeError: Double
    /// Bits of the stored codes: elements × width.
    public let storedBits: Int

    /// Code width.
    public var bits: Int { format.bits }

    /// Signal-to-quantisation-noise ratio 10 · log10(mean x² / MSE) in dB; +∞ when the
    /// tensor is reproduced exactly.
    public var sqnr: Double { relativeError > 0 ? -10 * log10(relativeError) : .infinity }
}

/// A candidate (kind, width) that cannot be used, and why.
public struct SkippedOption: Sendable, Equatable {
    /// The kind.
    public let kind: CandidateType
    /// The width.
    public let bits: Int
    /// Why, e.g. "flint needs at least 2 magnitude bits; signed 2-bit has 1".
    public let reason: String
}

/// Every option of one tensor.
public struct TensorOptionSet: Sendable, Equatable {
    /// The tensor's name.
    public let name: String
    /// The file it came from.
    public let file: String
    /// Its shape.
    public let shape: [Int]
    /// Number of elements.
    public let elementCount: Int
    /// Whether it is quantized signed.
    public let isSigned: Bool
    /// Weight or activation.
    public let role: TensorRole
    /// Number of scales (channels).
    public let channelCount: Int
    /// Mean x².
    public let meanSquare: Double
    /// The valid options, kinds in the fixed order within each width, widths ascending.
    public let options: [QuantizationOption]
    /// The invalid (kind, width) pairs with their reasons.
    public let skipped: [SkippedOption]
}

/// Enumerates kinds × widths for one tensor, skipping invalid formats with their reason,
/// and fits every valid one with the numerics layer's exact search.
///
/// - Throws: `TuningError` for an empty tensor, NaN/Inf, or when no (kind, width) is valid.
public func enumerateOptions(for tensor: NamedTensor, file: String, in space: TuningSpace) throws(TuningError) -> TensorOptionSet {
    let isSigned = space.role == .weight || hasNegativeValue(tensor.tensor)
    let candidates = candidateFormats(space.kinds, widths: space.widths, signed: isSigned, check: space.formatCheck)
    guard !candidates.formats.isEmpty else {
        throw TuningError("tensor '\(tensor.name)': no valid format among the candidates: " + candidates.skipped.map(\.reason).joined(separator: "; "))
    }
    let fitted = fitOptions(try prepare(tensor, file: file, space: space), formats: candidates.formats, scale: space.scale, elements: tensor.tensor.count)
    return TensorOptionSet(name: tensor.name, file: file, shape: tensor.tensor.shape, elementCount: tensor.tensor.count, isSigned: isSigned,
                           role: space.role, channelCount: fitted.channelCount, meanSquare: fitted.meanSquare,
                           options: fitted.options, skipped: candidates.skipped)
}

/// Enumerates one tensor width by width (ascending) and stops as soon as an option meets
/// the SQNR floor and no wider width can cost less: with an SQNR floor alone the tensors are
/// independent and the cheapest option meeting the floor is the answer, so the widest
/// (and slowest to fit) formats are usually never fitted. The set holds the fitted widths.
///
/// - Throws: `TuningError` as `enumerateOptions(for:file:in:)`, or from pricing.
public func enumerateOptions(
    for tensor: NamedTensor, file: String, in space: TuningSpace, untilSQNR floor: Double, objective: TuningObjective
) throws(TuningError) -> TensorOptionSet {
    let isSigned = space.role == .weight || hasNegativeValue(tensor.tensor)
    var options: [QuantizationOption] = []
    var skipped: [SkippedOption] = []
    var statistics: (channelCount: Int, meanSquare: Double)?
    var prepared: PreparedTensor?
    for (position, width) in space.widths.enumerated() {
        let candidates = candidateFormats(space.kinds, widths: [width], signed: isSigned, check: space.formatCheck)
        skipped += candidates.skipped
        if !candidates.formats.isEmpty {
            if prepared == nil { prepared = try prepare(tensor, file: file, space: space) }
            guard let sorted = prepared else { break }
            let fitted = fitOptions(sorted, formats: candidates.formats, scale: space.scale, elements: tensor.tensor.count)
            options += fitted.options
            statistics = (fitted.channelCount, fitted.meanSquare)
        }
        var cheapest = Double.infinity
        for option in options where option.sqnr >= floor { cheapest = min(cheapest, try objective.cost(of: option)) }
        let remaining = space.widths[(position + 1)...]
        if cheapest.isFinite, remaining.allSatisfy({ objective.lowestCost(elements: tensor.tensor.count, bits: $0, kinds: space.kinds) >= cheapest }) {
            break
        }
    }
    guard let statistics else {
        throw TuningError("tensor '\(tensor.name)': no valid format among the candidates: " + skipped.map(\.reason).joined(separator: "; "))
    }
    return TensorOptionSet(name: tensor.name, file: file, shape: tensor.tensor.shape, elementCount: tensor.tensor.count, isSigned: isSigned,
                           role: space.role, channelCount: statistics.channelCount, meanSquare: statistics.meanSquare,
                           options: options, skipped: skipped)
}

/// The valid formats of kinds × widths (widths outer, kinds in the fixed order) and the
/// invalid pairs with their reasons.
private func candidateFormats(
    _ kinds: [CandidateType], widths: [Int], signed: Bool, check: TuningSpace.FormatCheck?
) -> (formats: [(CandidateType, NumberFormat)], skipped: [SkippedOption]) {
    var formats: [(CandidateType, NumberFormat)] = []
    var skipped: [SkippedOption] = []
    for bits in widths {
        for kind in kinds {
            do throws(NumberFormatError) {
                let format = try NumberFormat(kind: kind.kind, bits: bits, signed: signed)
                if let problem = check?(kind, bits, signed) {
                    skipped.append(SkippedOption(kind: kind, bits: bits, reason: problem))
                } else {
                    formats.append((kind, format))
                }
            } catch {
                skipped.append(SkippedOption(kind: kind, bits: bits, reason: error.description))
            }
        }
    }
    return (formats, skipped)
}

/// Sorts the tensor's channels once for all its fits.
private func prepare(_ tensor: NamedTensor, file: String, space: TuningSpace) throws(TuningError) -> PreparedTensor {
    do {
        return try PreparedTensor(tensor.tensor, perChannel: space.perChannel, threadCount: space.threadCount)
    } catch {
        throw TuningError("\(file): tensor '\(tensor.name)': \(error.description)")
    }
}

/// Fits the formats and turns the fits into options.
private func fitOptions(
    _ prepared: PreparedTensor, formats: [(CandidateType, NumberFormat)], scale: ScaleKind, elements count: Int
) -> (options: [QuantizationOption], channelCount: Int, meanSquare: Double) {
    let options = zip(formats, prepared.fit(formats.map(\.1), scale: scale)).map { candidate, fit in
        QuantizationOption(
            kind: candidate.0, format: fit.format, scale: fit.scale, alphas: fit.alphas, biases: fit.biases,
            meanSquaredError: fit.meanSquaredError,
            relativeError: prepared.meanSquare > 0 ? fit.meanSquaredError / prepared.meanSquare : 0,
            storedBits: count * fit.format.bits)
    }
    return (options, prepared.channelCount, prepared.meanSquare)
}

private func hasNegativeValue(_ tensor: Tensor) -> Bool {
    switch tensor.storage {
    case .float32(let values): return values.contains { $0 < 0 }
    case .float64(let values): return values.contains { $0 < 0 }
    }
}
