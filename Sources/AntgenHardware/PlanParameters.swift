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

/// The hardware view of a quantisation plan (`antgen tune --plan`, read by AntgenNumerics'
/// ``QuantizationPlan/read(atPath:)``, the plan's one reader): of each tensor the mapping uses
/// only its kind, width and role (the hardware needs none of the plan's scales or biases, and
/// signedness is a run-time setting of the array); each kind is named by ``AntType/init(name:)``.
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
    /// What the mapping needs of one tensor: role, kind, width and the format's name (for messages).
    private struct Carried {
        let role: String
        let kind: String
        let bits: Int
        let format: String
    }

    /// Why a set of formats cannot be mapped, before the plan's path and a hint are added.
    private struct Unmappable: Error {
        let message: String
    }

    /// Why the array cannot carry a tensor in this format on its own (nil: it can), for
    /// reductions up to `maxReduction`: `antgen tune --hardware` skips such formats.
    public static func hardwareProblem(kind: String, bits: Int, maxReduction: Int) -> String? {
        let single = Carried(role: "weight", kind: kind, bits: bits, format: "\(kind)\(bits)")
        do {
            _ = try mapped([single], rows: 1, cols: 1, activationTypes: nil, maxReduction: maxReduction)
            return nil
        } catch let problem as Unmappable {
            return problem.message
        } catch {
            return "\(error)"
        }
    }

    /// The plan file's path.
    public let path: String
    /// The plan.
    public let plan: QuantizationPlan
    /// Every tensor of the plan, in plan order.
    public var entries: [PlannedTensor] { plan.tensors }

    /// Creates a mapping for a plan (already read) from the file at `path`.
    public init(path: String, plan: QuantizationPlan) {
        self.path = path
        self.plan = plan
    }

    /// Reads the plan with ``QuantizationPlan/read(atPath:)``.
    ///
    /// - Throws: ``ParameterError`` (parameter `plan`) with the reader's one line (it names the
    ///   file: unreadable, not an antgen plan, or values that contradict each other), or for a
    ///   plan without tensors.
    public static func read(atPath path: String) throws -> PlanHardwareMapping {
        let plan: QuantizationPlan
        do {
            plan = try QuantizationPlan.read(atPath: path)
        } catch {
            throw ParameterError(parameter: "plan", message: error.message)
        }
        guard !plan.tensors.isEmpty else { throw ParameterError(parameter: "plan", message: "\(path): the plan has no tensors") }
        return PlanHardwareMapping(path: path, plan: plan)
    }

    /// Whether the entry runs through the int8 nibble-term path in a build that enables it.
    private static func usesInt8Path(_ entry: Carried, type: AntType) -> Bool { type == .int && entry.bits > 4 }

    /// The array parameters that enable exactly the plan's types and precisions.
    ///
    /// - Parameter activationTypes: types for the activation stream when the plan has no
    ///   activation tensors (nil: the weight types).
    /// - Throws: ``ParameterError`` for bad rows, cols or K, and (parameter `plan`, naming the
    ///   plan and its formats) for formats the array cannot carry: a kind without a hardware
    ///   decode, an invalid array (e.g. unsigned 8-bit pot) or W above 256 bits.
    public func parameters(rows: Int, cols: Int, activationTypes: [AntType]?, maxReduction: Int) throws -> ArrayParameters {
        do {
            let carried = entries.map { Carried(role: $0.role, kind: $0.kind, bits: $0.bits, format: $0.format) }
            return try Self.mapped(carried, rows: rows, cols: cols, activationTypes: activationTypes, maxReduction: maxReduction)
        } catch let problem as Unmappable {
            let formats = Set(entries.map(\.format)).sorted().joined(separator: ", ")
            throw ParameterError(parameter: "plan", message: "\(path): its formats (\(formats)): \(problem.message); re-tune with `antgen tune --hardware` (only formats the array can carry) or narrower --kinds/--widths")
        }
    }

    /// The mapping itself; throws ``Unmappable`` for formats the array cannot carry.
    private static func mapped(_ entries: [Carried], rows: Int, cols: Int, activationTypes: [AntType]?,
                               maxReduction: Int) throws -> ArrayParameters {
        var typed: [(entry: Carried, type: AntType)] = []
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
