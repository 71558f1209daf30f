import Foundation

/// One tensor's line in a PWLQ report: PWLQ's error next to b-bit uniform and the ANT types
/// at the same width (what `antgen quantize --mode pwlq` prints and writes as JSON).
public struct PwlqTensorReport: Codable, Sendable, Equatable {
    /// The file the tensor came from.
    public let file: String
    /// The tensor's name.
    public let name: String
    /// Its shape.
    public let shape: [Int]
    /// `weight` (per-channel parameters) or `activation` (per tensor).
    public let role: String
    /// Code width b (b + 1 bits stored with the region bit).
    public let bits: Int
    /// `paper`, `nonoverlap` or `overlap`.
    public let variant: String
    /// The breakpoint rule (`closed-form`, `search`, …).
    public let breakpoint: String
    /// Whether the bias correction was applied.
    public let biasCorrection: Bool
    /// Number of parameter sets (channels).
    public let channels: Int
    /// Fraction of elements in the centre region.
    public let centreFraction: Double
    /// PWLQ's MSE.
    public let mse: Double
    /// Mean x².
    public let meanSquare: Double
    /// b-bit symmetric uniform MSE (spec §7.5).
    public let uniformMSE: Double
    /// MSE of each ANT type at b bits (nil when invalid), keyed by type name.
    public let antMSE: [String: Double]
    /// The ANT adaptive choice and its MSE.
    public let antChosen: String
    /// MSE of the ANT adaptive choice.
    public let antChosenMSE: Double

    public init(file: String, name: String, shape: [Int], result: PwlqResult, uniformMSE: Double, ant: QuantizationResult) {
        self.file = file
        self.name = name
        self.shape = shape
        role = result.options.role.rawValue
        bits = result.options.bits
        variant = result.options.variant.rawValue
        breakpoint = result.options.breakpoint.description
        biasCorrection = result.options.biasCorrection
        channels = result.channels.count
        centreFraction = result.centreFraction
        mse = result.meanSquaredError
        meanSquare = result.meanSquare
        self.uniformMSE = uniformMSE
        var types: [String: Double] = [:]
        for candidate in ant.candidates { if let value = candidate.meanSquaredError { types[candidate.type.name] = value } }
        antMSE = types
        antChosen = ant.chosenFormat.description
        antChosenMSE = ant.meanSquaredError
    }

    /// The human-readable table.
    public var table: String {
        func row(_ label: String, _ value: Double) -> String {
            let ratio = uniformMSE > 0 ? String(format: "%.3f", value / uniformMSE) : "-"
            return label.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%12.4e  ", value) + ratio
        }
        var lines = ["\(name) \(shape) \(role), \(channels) parameter set\(channels == 1 ? "" : "s"), \(String(format: "%.1f", 100 * centreFraction)) % in the centre region",
                     "format".padding(toLength: 34, withPad: " ", startingAt: 0) + "         MSE  vs uniform"]
        lines.append(row("pwlq\(bits) \(variant) \(breakpoint)\(biasCorrection ? " +bc" : "")", mse))
        lines.append(row("uniform\(bits)", uniformMSE))
        for (type, value) in antMSE.sorted(by: { $0.key < $1.key }) { lines.append(row("ant \(type)\(bits)", value)) }
        lines.append(row("ant adaptive (\(antChosen))", antChosenMSE))
        return lines.joined(separator: "\n")
    }
}

/// The report of a whole PWLQ run.
public struct PwlqReport: Codable, Sendable, Equatable {
    /// Every tensor, in order.
    public var tensors: [PwlqTensorReport]

    public init(tensors: [PwlqTensorReport]) { self.tensors = tensors }

    /// Writes pretty JSON with sorted keys atomically.
    public func writeJSON(toPath path: String) throws(TensorFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        try writeAtomically(Array(data) + [0x0A], toPath: path)
    }
}
