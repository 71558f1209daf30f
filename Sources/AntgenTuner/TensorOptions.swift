import AntgenNumerics
import Foundation

/// One way to store one tensor: a format with its best scale and the error it leaves.
public struct QuantizationOption: Sendable, Equatable {
    /// The candidate kind (`int`, `flint`, `pot`, `float`, …).
    public let kind: TypeCandidate
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
    /// Bits of the stored codes: elements × width (PWLQ: elements × (width + 1), the region bit).
    public let storedBits: Int
    /// Set for a PWLQ option (`antgen tune --pwlq`, spec §7): its parameters.
    public var pwlq: PwlqOptionDetail? = nil

    /// Code width.
    public var bits: Int { format.bits }

    /// Signal-to-quantisation-noise ratio 10 · log10(mean x² / MSE) in dB; +∞ when the
    /// tensor is reproduced exactly.
    public var sqnr: Double { relativeError > 0 ? -10 * log10(relativeError) : .infinity }
}

/// A candidate (kind, width) that cannot be used, and why.
public struct SkippedOption: Sendable, Equatable {
    /// The kind.
    public let kind: TypeCandidate
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
/// With an SQNR `floor`, widths are fitted in ascending order and the enumeration stops as
/// soon as an option meets the floor and every wider width costs more (`objective`): with
/// an SQNR floor alone the tensors are independent and the cheapest option meeting it is the
/// answer, so the widest (and slowest to fit) formats are usually never fitted. The set then
/// holds the fitted widths only. Without a floor every width is fitted, in one pass.
///
/// - Throws: `TuningError` for an empty tensor, NaN/Inf, when no (kind, width) is valid, or
///   from pricing.
public func enumerateOptions(
    for tensor: NamedTensor, file: String, in space: TuningSpace, untilSQNR floor: Double? = nil,
    objective: TuningObjective = .storedBits
) throws(TuningError) -> TensorOptionSet {
    let prepared = try prepare(tensor, file: file, space: space)
    let isSigned = space.role == .weight || prepared.hasNegativeValue
    let count = tensor.tensor.count
    var options: [QuantizationOption] = []
    var skipped: [SkippedOption] = []
    let passes = floor == nil ? [space.widths] : space.widths.map { [$0] }
    for (position, widths) in passes.enumerated() {
        let candidates = candidateFormats(space.kinds, widths: widths, signed: isSigned, check: space.formatCheck)
        skipped += candidates.skipped
        if !candidates.formats.isEmpty {
            options += fitOptions(prepared, formats: candidates.formats, scale: space.scale, elements: count)
        }
        guard let floor else { continue }
        var cheapest = Double.infinity
        for option in options where option.sqnr >= floor { cheapest = min(cheapest, try objective.cost(of: option)) }
        // Strictly more: a wider width of equal cost may still win on error.
        let remaining = space.widths[(position + 1)...]
        if cheapest.isFinite, remaining.allSatisfy({ objective.lowestCost(elements: count, bits: $0, kinds: space.kinds) > cheapest }) {
            break
        }
    }
    guard !options.isEmpty else {
        throw TuningError("tensor '\(tensor.name)': no valid format among the candidates: " + skipped.map(\.reason).joined(separator: "; "))
    }
    return TensorOptionSet(name: tensor.name, file: file, shape: tensor.tensor.shape, elementCount: count, isSigned: isSigned,
                           role: space.role, channelCount: prepared.channelCount, meanSquare: prepared.meanSquare,
                           options: options, skipped: skipped)
}

/// The valid formats of kinds × widths (widths outer, kinds in the fixed order) and the
/// invalid pairs with their reasons.
private func candidateFormats(
    _ kinds: [TypeCandidate], widths: [Int], signed: Bool, check: TuningSpace.FormatCheck?
) -> (formats: [(TypeCandidate, NumberFormat)], skipped: [SkippedOption]) {
    var formats: [(TypeCandidate, NumberFormat)] = []
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
    _ prepared: PreparedTensor, formats: [(TypeCandidate, NumberFormat)], scale: ScaleKind, elements count: Int
) -> [QuantizationOption] {
    zip(formats, prepared.fit(formats.map(\.1), scale: scale)).map { candidate, fit in
        QuantizationOption(
            kind: candidate.0, format: fit.format, scale: fit.scale, alphas: fit.alphas, biases: fit.biases,
            meanSquaredError: fit.meanSquaredError,
            relativeError: fit.relativeError,
            storedBits: count * fit.format.bits)
    }
}
