import AntgenNumerics
import Foundation

/// One tensor of a plan: its format, scale and error.
public struct PlannedTensor: Codable, Sendable, Equatable {
    /// The tensor's name.
    public let name: String
    /// The file it came from.
    public let file: String
    /// Its shape.
    public let shape: [Int]
    /// Number of elements.
    public let elements: Int
    /// `weight` or `activation`.
    public let role: String
    /// The kind: `int`, `flint`, `pot`, `float` (eb 3), …
    public let kind: String
    /// Code width.
    public let bits: Int
    /// Signedness.
    public let signed: Bool
    /// The format's name, e.g. `flint4s`.
    public let format: String
    /// q_max: a code of q units dequantises to α · q / q_max.
    public let maxPositiveUnits: Double
    /// The format's distinct values in units, ascending: an evaluation script rounds x to the
    /// nearest of α · g / q_max (ties to the larger) without knowing the formats.
    public let grid: [Double]
    /// `alpha` or `bias`.
    public let scale: String
    /// α per channel (for a bias, the equivalent α = q_max · 2^−bias).
    public let alphas: [Double]
    /// The bias per channel (a code of q units represents q · 2^−bias); absent for α.
    public let biases: [Int]?
    /// Mean squared error.
    public let mse: Double
    /// MSE / mean x².
    public let relativeMSE: Double
    /// 10 · log10(mean x² / MSE) in dB; absent when the tensor is reproduced exactly.
    public let sqnrDB: Double?
    /// elements × bits.
    public let storedBits: Int
    /// The objective value of this choice.
    public let cost: Double
    /// PWLQ parameters when the choice is PWLQ (kind `pwlq`; `alphas` then hold the ranges m
    /// and `grid` is empty: the levels differ per channel, spec §7.2).
    public let pwlq: PwlqOptionDetail?

    /// Describes one chosen option of a tensor.
    public init(set: TensorOptionSet, option: QuantizationOption, cost: Double) {
        name = set.name
        file = set.file
        shape = set.shape
        elements = set.elementCount
        role = set.role.rawValue
        kind = option.pwlq == nil ? option.kind.name : "pwlq"
        bits = option.bits
        signed = option.format.isSigned
        format = option.pwlq.map { "pwlq\(option.bits)-\($0.variant)" } ?? option.format.description
        maxPositiveUnits = option.format.maxPositiveUnits
        grid = option.pwlq == nil ? option.format.distinctValues : []
        scale = option.scale.rawValue
        alphas = option.alphas
        biases = option.scale == .bias ? option.biases : nil
        mse = option.meanSquaredError
        relativeMSE = option.relativeError
        sqnrDB = option.sqnr.isFinite ? option.sqnr : nil
        storedBits = option.storedBits
        self.cost = cost
        pwlq = option.pwlq
    }
}

/// The totals of a plan.
public struct PlanTotals: Codable, Sendable, Equatable {
    /// Σ elements.
    public let elements: Int
    /// Σ stored code bits (scales not included).
    public let storedBits: Int
    /// Σ objective.
    public let cost: Double
    /// 32 · elements / stored bits.
    public let compressionVsFP32: Double
    /// 8 · elements / stored bits.
    public let compressionVsInt8: Double
    /// Σ relative MSE.
    public let relativeMSESum: Double
    /// The smallest tensor SQNR in dB (absent when every tensor is exact).
    public let minimumSQNRDB: Double?
}

/// A tuning plan: per tensor format, scale and error, plus totals. The JSON that
/// `antgen tune --plan` writes, `--evaluate` scripts read and `antgen emit --plan` maps to
/// hardware.
public struct QuantizationPlan: Codable, Sendable, Equatable {
    /// Always `antgen-plan`.
    public let format: String
    /// Plan format version (1).
    public let version: Int
    /// What was minimised.
    public let objective: String
    /// The constraint, e.g. `sqnr>=25`, `budget<=0.01`, `score>=0.9 (evaluate)`.
    public let constraint: String
    /// How the allocation was solved.
    public let method: String
    /// `alpha` or `bias`.
    public let scale: String
    /// `channel` or `tensor`.
    public let granularity: String
    /// Every tensor, in input order.
    public let tensors: [PlannedTensor]
    /// Sums and ratios.
    public let totals: PlanTotals

    /// Builds a plan from the chosen option index of every tensor.
    ///
    /// - Throws: `TuningError` when the objective cannot price a chosen option.
    public init(
        sets: [TensorOptionSet], choices: [Int], objective: TuningObjective, constraint: String, method: String,
        space: TuningSpace
    ) throws(TuningError) {
        var tensors: [PlannedTensor] = []
        for (set, choice) in zip(sets, choices) {
            tensors.append(PlannedTensor(set: set, option: set.options[choice], cost: try objective.cost(of: set.options[choice])))
        }
        format = "antgen-plan"
        version = 1
        self.objective = objective.name
        self.constraint = constraint
        self.method = method
        scale = space.scale.rawValue
        granularity = space.perChannel ? "channel" : "tensor"
        self.tensors = tensors
        let elements = tensors.reduce(0) { $0 + $1.elements }
        let stored = tensors.reduce(0) { $0 + $1.storedBits }
        let sqnrs = tensors.compactMap(\.sqnrDB)
        totals = PlanTotals(
            elements: elements, storedBits: stored, cost: tensors.reduce(0) { $0 + $1.cost },
            compressionVsFP32: stored > 0 ? Double(32 * elements) / Double(stored) : 0,
            compressionVsInt8: stored > 0 ? Double(8 * elements) / Double(stored) : 0,
            relativeMSESum: tensors.reduce(0) { $0 + $1.relativeMSE }, minimumSQNRDB: sqnrs.min())
    }

    /// Pretty-printed JSON with sorted keys and a trailing newline: the same plan always
    /// gives the same bytes.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // An MSE in the data's units overflows to +∞ for data beyond about 1e154 (relative
        // errors stay exact); JSON has no infinity, so it is written "inf" (and read back).
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    /// Writes the JSON to a temporary file in the target's directory, then renames it over
    /// `path`, so a reader never sees a partial plan.
    ///
    /// - Throws: `TuningError` naming the path.
    public func write(toPath path: String) throws(TuningError) {
        do {
            // `.atomic` writes a temporary file and renames it: never half-written.
            try jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TuningError("the plan: " + describeFileError(error, path: path, action: "write"))
        }
    }

    /// Reads a plan written by `write(toPath:)` and checks it is one (``problem``).
    ///
    /// - Throws: `TuningError`, one line naming the file, for an unreadable file, JSON that
    ///   is not a plan (with the field at fault), or a plan whose values contradict each other.
    public static func read(atPath path: String) throws(TuningError) -> QuantizationPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw TuningError("\(path): cannot read the plan") }
        let plan: QuantizationPlan
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            plan = try decoder.decode(QuantizationPlan.self, from: data)
        } catch let error as DecodingError {
            throw TuningError("\(path): not an antgen plan (\(Self.describe(error)))")
        } catch {
            throw TuningError("\(path): not an antgen plan (not valid JSON)")
        }
        if let problem = plan.problem { throw TuningError("\(path): not an antgen plan (\(problem))") }
        return plan
    }

    /// The first rule a decoded plan breaks (nil: none): the format tag and version, and per
    /// tensor a non-negative shape whose product is the element count, a width of 1…64 bits,
    /// a known role and scale, one α (and for a bias scale one bias) per channel, no NaN.
    public var problem: String? {
        guard format == "antgen-plan" else { return "format is '\(Self.shown(format))', expected 'antgen-plan'" }
        guard version == 1 else { return "version \(version) is not supported (this antgen reads version 1)" }
        for tensor in tensors {
            let name = "tensor '\(Self.shown(tensor.name))'"
            var product = 1
            for extent in tensor.shape {
                let (next, overflow) = product.multipliedReportingOverflow(by: extent)
                guard extent >= 0, !overflow else { return "\(name): shape \(tensor.shape.prefix(8)) is not a tensor shape" }
                product = next
            }
            guard product == tensor.elements else { return "\(name): shape holds \(product) elements, not \(tensor.elements)" }
            guard (1 ... 64).contains(tensor.bits) else { return "\(name): \(tensor.bits) bits" }
            guard ["weight", "activation"].contains(tensor.role) else { return "\(name): role '\(Self.shown(tensor.role))'" }
            guard ["alpha", "bias"].contains(tensor.scale) else { return "\(name): scale '\(Self.shown(tensor.scale))'" }
            guard !tensor.alphas.isEmpty, (tensor.scale == "bias") == (tensor.biases != nil),
                  tensor.biases.map({ $0.count == tensor.alphas.count }) ?? true else {
                return "\(name): \(tensor.alphas.count) α and \(tensor.biases?.count ?? 0) biases for scale \(tensor.scale)"
            }
            let numbers = tensor.alphas + tensor.grid + [tensor.maxPositiveUnits, tensor.mse, tensor.relativeMSE, tensor.cost, tensor.sqnrDB ?? 0]
            guard !numbers.contains(where: \.isNaN) else { return "\(name): a value is NaN" }
        }
        let sums = [totals.cost, totals.compressionVsFP32, totals.compressionVsInt8, totals.relativeMSESum, totals.minimumSQNRDB ?? 0]
        guard !sums.contains(where: \.isNaN) else { return "a total is NaN" }
        return nil
    }

    /// A value from the file as it may appear in a one-line message.
    static func shown(_ text: String) -> String {
        let printable = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return printable.count > 40 ? String(printable.prefix(40)) + "…" : printable
    }

    /// One line for a decoding failure: the field at fault and what was wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : shown(String(text.drop { $0 == "." }))
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(field(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(field(context.codingPath)): missing \(type)"
        case .keyNotFound(let key, let context): return "\(field(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(field(context.codingPath)): not a valid value"
        @unknown default: return "not a plan"
        }
    }

    /// The table `antgen tune` prints: tensor, format, bits, MSE, SQNR, then the totals.
    public var table: String {
        let nameWidth = max(6, tensors.map(\.name.count).max() ?? 0) + 2
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines = [pad("tensor", nameWidth) + pad("format", 12) + pad("bits", 6) + pad("MSE", 13) + "SQNR (dB)"]
        for tensor in tensors {
            let sqnr = tensor.sqnrDB.map { String(format: "%.2f", $0) } ?? "exact"
            lines.append(pad(tensor.name, nameWidth) + pad(tensor.format, 12) + pad("\(tensor.bits)", 6)
                         + pad(String(format: "%.4e", tensor.mse), 13) + sqnr)
        }
        let bytes = Double(totals.storedBits) / 8
        lines.append("total: \(totals.elements) parameters, \(totals.storedBits) bits (\(String(format: "%.1f", bytes / 1024)) KiB), \(String(format: "%.3f", Double(totals.storedBits) / Double(max(totals.elements, 1)))) bits per parameter")
        lines.append(String(format: "compression: %.2fx vs FP32, %.2fx vs uniform int8", totals.compressionVsFP32, totals.compressionVsInt8))
        lines.append("objective (\(objective)): \(shortNumber(totals.cost))   constraint: \(constraint)   sum of relative MSEs: \(String(format: "%.4e", totals.relativeMSESum))")
        return lines.joined(separator: "\n")
    }
}
