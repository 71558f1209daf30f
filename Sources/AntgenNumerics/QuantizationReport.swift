import Foundation

/// One candidate's line in a report.
public struct CandidateReport: Codable, Sendable, Equatable {
    /// The candidate name (`int`, `flint`, …).
    public let type: String
    /// The format scored, e.g. `flint4s`; nil when skipped.
    public let format: String?
    /// MSE over the tensor at the candidate's best α; nil when skipped.
    public let mse: Double?
    /// MSE / mean x² (exact at every magnitude); nil when skipped.
    public let relativeError: Double?
    /// Why the candidate was skipped.
    public let skipped: String?
}

/// The report of one quantized tensor: what `antgen quantize` prints and writes as JSON.
public struct TensorReport: Codable, Sendable, Equatable {
    /// The file the tensor came from.
    public let file: String
    /// The tensor's name.
    public let name: String
    /// Its shape.
    public let shape: [Int]
    /// Whether it was quantized signed.
    public let signed: Bool
    /// `weight` or `activation`.
    public let role: String
    /// `exact` or `compat`.
    public let arithmetic: String
    /// The code width.
    public let bits: Int
    /// The mode string.
    public let mode: String
    /// The chosen candidate.
    public let chosenType: String
    /// The chosen format, e.g. `flint4s`.
    public let chosenFormat: String
    /// q_max of the chosen format: a code of value q dequantises to α · q / q_max.
    public let maxPositiveUnits: Double
    /// Every candidate in the fixed order.
    public let candidates: [CandidateReport]
    /// MSE of the chosen candidate.
    public let mse: Double
    /// Mean x² of the tensor.
    public let meanSquare: Double
    /// MSE / mean x².
    public let relativeError: Double
    /// Number of α values (channels).
    public let channels: Int
    /// Smallest α.
    public let alphaMin: Double
    /// Largest α.
    public let alphaMax: Double
    /// `alpha` (free α) or `bias` (power-of-two scale).
    public let scale: String
    /// Smallest bias per channel, for a power-of-two scale.
    public let biasMin: Int?
    /// Largest bias per channel, for a power-of-two scale.
    public let biasMax: Int?

    /// Summarises a quantizer result.
    public init(file: String, name: String, shape: [Int], result: QuantizationResult) {
        self.file = file
        self.name = name
        self.shape = shape
        signed = result.isSigned
        role = result.options.role.rawValue
        arithmetic = result.options.arithmetic.rawValue
        bits = result.options.bits
        mode = result.options.mode
        chosenType = result.chosenType.name
        chosenFormat = result.chosenFormat.description
        maxPositiveUnits = result.chosenFormat.maxPositiveUnits
        candidates = result.candidates.map {
            CandidateReport(type: $0.type.name, format: $0.format?.description, mse: $0.meanSquaredError,
                            relativeError: $0.relativeError, skipped: $0.skippedBecause)
        }
        mse = result.meanSquaredError
        meanSquare = result.meanSquare
        relativeError = result.relativeError
        channels = result.channelCount
        alphaMin = result.alphaRange.lowerBound
        alphaMax = result.alphaRange.upperBound
        scale = result.options.scale.rawValue
        biasMin = result.biases?.min()
        biasMax = result.biases?.max()
    }

    /// The human-readable table of this tensor.
    public var table: String {
        let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        var lines = [
            "\(name)  (\(file))",
            "  shape \(shapeText)  \(signed ? "signed" : "unsigned")  \(role)  \(channels) α\(channels == 1 ? "" : "s")  \(bits)-bit \(arithmetic)  chosen: \(chosenType) (\(chosenFormat))",
            "  " + pad("type", 8) + pad("format", 12) + pad("MSE", 14) + "MSE / mean x²",
        ]
        for candidate in candidates {
            let marker = candidate.type == chosenType ? "  <- chosen" : ""
            if let mse = candidate.mse {
                let relative = candidate.relativeError ?? 0
                lines.append("  " + pad(candidate.type, 8) + pad(candidate.format ?? "", 12) + pad(scientific(mse), 14) + scientific(relative) + marker)
            } else {
                lines.append("  " + pad(candidate.type, 8) + "skipped: " + (candidate.skipped ?? ""))
            }
        }
        var scaleText = "α \(scientific(alphaMin)) … \(scientific(alphaMax))"
        if let biasMin, let biasMax {
            scaleText = "bias \(biasMin) … \(biasMax) (code q means q · 2^−bias; α = q_max · 2^−bias \(scientific(alphaMin)) … \(scientific(alphaMax)))"
        }
        lines.append("  relative error (MSE / mean x²) \(scientific(relativeError))   " + scaleText)
        if candidates.contains(where: { $0.mse.map { !$0.isFinite } ?? false }) {
            lines.append("  —: the MSE in the data's own units leaves float64's range (|x| beyond about 1e±154); MSE / mean x² is exact")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func scientific(_ value: Double) -> String { value.isFinite ? String(format: "%.4e", value) : "—" }
}

/// The report of a whole `antgen quantize` run.
public struct QuantizationReport: Codable, Sendable, Equatable {
    /// Every tensor, in the order quantized.
    public var tensors: [TensorReport]

    /// Creates a report.
    public init(tensors: [TensorReport]) { self.tensors = tensors }

    /// The tables of all tensors, separated by blank lines.
    public var table: String { tensors.map(\.table).joined(separator: "\n\n") }

    /// Pretty-printed JSON with sorted keys (stable for diffs).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // MSE and mean x² are in the data's units and overflow to +∞ for data beyond about
        // 1e154 (the relative error stays exact); JSON has no infinity, so it is written "inf".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Every field is a number, string or list, so encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Writes the JSON atomically (temporary file, then rename).
    ///
    /// - Throws: `TensorFileError.Kind.unwritable` naming the path.
    public func writeJSON(toPath path: String) throws(TensorFileError) {
        try writeAtomically(Array(jsonData()) + [0x0A], toPath: path)
    }
}
