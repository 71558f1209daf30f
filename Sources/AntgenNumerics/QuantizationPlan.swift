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

    /// Creates a tensor record from its fields (the tuner builds one from a chosen option).
    public init(
        name: String, file: String, shape: [Int], elements: Int, role: String, kind: String, bits: Int, signed: Bool, format: String,
        maxPositiveUnits: Double, grid: [Double], scale: String, alphas: [Double], biases: [Int]?, mse: Double, relativeMSE: Double,
        sqnrDB: Double?, storedBits: Int, cost: Double, pwlq: PwlqOptionDetail?
    ) {
        self.name = name
        self.file = file
        self.shape = shape
        self.elements = elements
        self.role = role
        self.kind = kind
        self.bits = bits
        self.signed = signed
        self.format = format
        self.maxPositiveUnits = maxPositiveUnits
        self.grid = grid
        self.scale = scale
        self.alphas = alphas
        self.biases = biases
        self.mse = mse
        self.relativeMSE = relativeMSE
        self.sqnrDB = sqnrDB
        self.storedBits = storedBits
        self.cost = cost
        self.pwlq = pwlq
    }
}

/// What a PWLQ choice of a plan stores beyond a plain format (spec §7): the variant, the
/// breakpoint rule and the per-channel range m and breakpoint p.
public struct PwlqOptionDetail: Codable, Sendable, Equatable {
    /// `paper`, `nonoverlap` or `overlap`.
    public let variant: String
    /// The breakpoint rule (`closed-form`, `search`, …).
    public let breakpoint: String
    /// m per channel.
    public let ranges: [Double]
    /// p per channel.
    public let breakpoints: [Double]

    /// Creates the detail.
    public init(variant: String, breakpoint: String, ranges: [Double], breakpoints: [Double]) {
        self.variant = variant
        self.breakpoint = breakpoint
        self.ranges = ranges
        self.breakpoints = breakpoints
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

    /// Creates the totals from their fields.
    public init(elements: Int, storedBits: Int, cost: Double, compressionVsFP32: Double, compressionVsInt8: Double,
                relativeMSESum: Double, minimumSQNRDB: Double?) {
        self.elements = elements
        self.storedBits = storedBits
        self.cost = cost
        self.compressionVsFP32 = compressionVsFP32
        self.compressionVsInt8 = compressionVsInt8
        self.relativeMSESum = relativeMSESum
        self.minimumSQNRDB = minimumSQNRDB
    }
}

/// A tuning plan: per tensor format, scale and error, plus totals. The one model of the JSON
/// that `antgen tune --plan` writes, `--evaluate` scripts read, `antgen emit --plan` maps to
/// hardware (AntgenHardware's `PlanHardwareMapping`) and `antgen perf --layer-plan` reads as
/// layers (AntgenPerf's `LayerSources.readPlans`): ``read(atPath:)`` is its only reader and
/// ``write(toPath:)`` its only writer. The tuner builds plans (AntgenTuner's
/// `init(sets:choices:objective:constraint:method:space:)`).
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

    /// The `format` tag of every plan.
    public static let formatTag = "antgen-plan"
    /// The plan format version this antgen writes and reads.
    public static let currentVersion = 1

    /// Creates a plan from its fields, tagged `antgen-plan` version 1 (the tuner builds one
    /// from its option sets and choices).
    public init(objective: String, constraint: String, method: String, scale: String, granularity: String,
                tensors: [PlannedTensor], totals: PlanTotals) {
        format = Self.formatTag
        version = Self.currentVersion
        self.objective = objective
        self.constraint = constraint
        self.method = method
        self.scale = scale
        self.granularity = granularity
        self.tensors = tensors
        self.totals = totals
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
        guard format == Self.formatTag else { return "format is '\(Self.shown(format))', expected '\(Self.formatTag)'" }
        guard version == Self.currentVersion else {
            return "version \(version) is not supported (this antgen reads version \(Self.currentVersion))"
        }
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
}
