import AntgenNumerics
import Foundation

/// What an `antgen tune` plan asks of the hardware, as recorded in the manifest.
public struct PlanSummary: Codable, Sendable, Equatable {
    /// The plan file as given on the command line.
    public let path: String
    /// Number of tensors in the plan.
    public let tensors: Int
    /// The distinct formats the plan uses (e.g. `flint4s`, `int8s`), sorted.
    public let formats: [String]
    /// How the formats map to the array: native width and types, int8 terms, carried codes.
    public let mapping: String
}

/// The hardware view of a quantisation plan (`antgen tune --plan`): only each tensor's kind,
/// width, signedness and role, read with a small decoder of its own (the hardware needs none of
/// the plan's scales or biases); each kind is named by ``AntType/init(name:)``.
///
/// Mapping rules (docs/tuning.md, "Plan → hardware"):
/// - Every kind must have a hardware decode: int, flint, pot, float (eb 3).
/// - int codes wider than 4 bits next to codes of at most 4 bits run as int8 through the
///   nibble-term path (code width 4, int8 on); otherwise the native code width is the widest
///   code in the plan (at least 3 when flint or float is used, which need B ≥ 2).
/// - A narrower code of an enabled kind is carried in the native width: its values are a
///   subset of the wider format's up to a power of two, which the scale absorbs.
/// - Weight tensors enable the weight types, activation tensors the activation types; a plan
///   without activations enables the given activation types, or else the weight types.
/// - W is the spec §3 minimum for the enabled types and the reduction length K.
public struct PlanHardwareMapping: Sendable, Equatable {
    /// One tensor's format as the hardware sees it.
    public struct Entry: Decodable, Sendable, Equatable {
        /// The tensor's name.
        public let name: String
        /// `weight` or `activation`.
        public let role: String
        /// `int`, `flint`, `pot`, `float`, …
        public let kind: String
        /// Code width. (Signedness is a run-time setting of the array, so it is not read.)
        public let bits: Int
        /// The format's name, e.g. `flint4s`.
        public let format: String

        /// Creates an entry.
        public init(name: String, role: String, kind: String, bits: Int, format: String) {
            self.name = name
            self.role = role
            self.kind = kind
            self.bits = bits
            self.format = format
        }
    }

    /// Why a set of formats cannot be mapped, before the plan's path and a hint are added.
    private struct Unmappable: Error {
        let message: String
    }

    /// Why the array cannot carry a tensor in this format on its own (nil: it can), for
    /// reductions up to `maxReduction`: `antgen tune --hardware` skips such formats.
    public static func hardwareProblem(kind: String, bits: Int, maxReduction: Int) -> String? {
        let single = PlanHardwareMapping(path: "", entries: [Entry(name: "candidate", role: "weight", kind: kind, bits: bits,
                                                                   format: "\(kind)\(bits)")])
        do {
            _ = try single.mapped(rows: 1, cols: 1, activationTypes: nil, maxReduction: maxReduction)
            return nil
        } catch let problem as Unmappable {
            return problem.message
        } catch {
            return "\(error)"
        }
    }

    private struct PlanFile: Decodable {
        let format: String
        let tensors: [Entry]
    }

    /// The plan file's path.
    public let path: String
    /// Every tensor.
    public let entries: [Entry]

    /// Creates a mapping from entries (already read).
    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// Reads the plan JSON.
    ///
    /// - Throws: ``ParameterError`` (parameter `plan`) for an unreadable file, JSON that is not
    ///   an antgen plan, or a plan without tensors.
    public static func read(atPath path: String) throws -> PlanHardwareMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParameterError(parameter: "plan", message: "\(path): cannot read the file")
        }
        let file: PlanFile
        do {
            file = try JSONDecoder().decode(PlanFile.self, from: data)
        } catch {
            throw ParameterError(parameter: "plan", message: "\(path): not an antgen plan (expected the JSON written by antgen tune --plan)")
        }
        guard file.format == "antgen-plan" else {
            throw ParameterError(parameter: "plan", message: "\(path): format is '\(file.format)', expected 'antgen-plan'")
        }
        guard !file.tensors.isEmpty else { throw ParameterError(parameter: "plan", message: "\(path): the plan has no tensors") }
        return PlanHardwareMapping(path: path, entries: file.tensors)
    }

    /// Whether the entry runs through the int8 nibble-term path in a build that enables it.
    private static func usesInt8Path(_ entry: Entry, type: AntType) -> Bool { type == .int && entry.bits > 4 }

    /// The array parameters that enable exactly the plan's types and precisions.
    ///
    /// - Parameter activationTypes: types for the activation stream when the plan has no
    ///   activation tensors (nil: the weight types).
    /// - Throws: ``ParameterError`` for bad rows, cols or K, and (parameter `plan`, naming the
    ///   plan and its formats) for formats the array cannot carry: a kind without a hardware
    ///   decode, an invalid array (e.g. unsigned 8-bit pot) or W above 256 bits.
    public func parameters(rows: Int, cols: Int, activationTypes: [AntType]?, maxReduction: Int) throws -> ArrayParameters {
        do {
            return try mapped(rows: rows, cols: cols, activationTypes: activationTypes, maxReduction: maxReduction)
        } catch let problem as Unmappable {
            let formats = Set(entries.map(\.format)).sorted().joined(separator: ", ")
            throw ParameterError(parameter: "plan", message: "\(path): its formats (\(formats)): \(problem.message); re-tune with `antgen tune --hardware` (only formats the array can carry) or narrower --kinds/--widths")
        }
    }

    /// The mapping itself; throws ``Unmappable`` for formats the array cannot carry.
    private func mapped(rows: Int, cols: Int, activationTypes: [AntType]?, maxReduction: Int) throws -> ArrayParameters {
        var typed: [(entry: Entry, type: AntType)] = []
        for entry in entries {
            guard let type = AntType(name: entry.kind) else {
                throw Unmappable(message: "\(entry.format) has no hardware decode; the array decodes int, flint, pot and float (eb 3)")
            }
            typed.append((entry, type))
        }
        let int8Entries = typed.filter { Self.usesInt8Path($0.entry, type: $0.type) }
        let others = typed.filter { !Self.usesInt8Path($0.entry, type: $0.type) }
        let int8 = !int8Entries.isEmpty && !others.isEmpty && others.allSatisfy { $0.entry.bits <= 4 }
        let native = int8 ? others : typed
        var codeWidth = int8 ? 4 : native.map(\.entry.bits).max() ?? 4
        if native.contains(where: { $0.type == .flint || $0.type == .float }) { codeWidth = max(codeWidth, 3) }
        let weightTypes = Array(Set(native.filter { $0.entry.role != "activation" }.map(\.type))).sorted()
        let planActivationTypes = Array(Set(native.filter { $0.entry.role == "activation" }.map(\.type))).sorted()
        let weights = weightTypes.isEmpty ? (planActivationTypes.isEmpty ? [.int] : planActivationTypes) : weightTypes
        let activations = planActivationTypes.isEmpty ? (activationTypes ?? weights) : planActivationTypes
        let sizing: ArrayParameters
        do {
            sizing = try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth, activationTypes: activations, weightTypes: weights,
                                         accumulatorWidth: ArrayParameters.accumulatorWidthRange.upperBound, int8: int8, maxReduction: maxReduction)
        } catch let error as ParameterError where error.parameter != "rows" && error.parameter != "cols" && error.parameter != "max-k" {
            throw Unmappable(message: "\(codeWidth)-bit codes with weight types \(weights.map(\.description).joined(separator: ",")) and activation types \(activations.map(\.description).joined(separator: ",")) cannot be built: \(error.message)")
        }
        let width = sizing.minimumAccumulatorWidth
        guard ArrayParameters.accumulatorWidthRange.contains(width) else {
            throw Unmappable(message: "needs a \(width)-bit accumulator for K = \(maxReduction), above \(ArrayParameters.accumulatorWidthRange.upperBound)")
        }
        return try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth, activationTypes: activations, weightTypes: weights,
                                   accumulatorWidth: width, int8: int8, maxReduction: maxReduction)
    }

    /// The manifest record of this plan mapped to `parameters`.
    public func summary(for parameters: ArrayParameters) -> PlanSummary {
        var mapping = "native \(parameters.codeWidth)-bit codes, weight types \(parameters.weight.typeList), activation types \(parameters.activation.typeList)"
        if parameters.int8 { mapping += "; int codes wider than 4 bits as int8 nibble terms" }
        let narrower = Set(entries.filter { $0.bits < parameters.codeWidth }.map(\.format)).sorted()
        if !narrower.isEmpty { mapping += "; carried in \(parameters.codeWidth)-bit codes: " + narrower.joined(separator: ", ") }
        mapping += "; W = \(parameters.accumulatorWidth) (minimum for K = \(parameters.maxReduction))"
        return PlanSummary(path: path, tensors: entries.count, formats: Set(entries.map(\.format)).sorted(), mapping: mapping)
    }
}
