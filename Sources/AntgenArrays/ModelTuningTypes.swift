import AntgenModel
import AntgenNumerics
import Foundation

/// A model-level fidelity floor for `antgen tune --model`: one built-in metric of
/// ``FidelityReport`` (against FP32, on the corpus) and the lowest acceptable value.
public struct FidelityConstraint: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The metrics a floor can be put on.
    public enum Metric: String, Sendable, CaseIterable, Codable {
        /// Mean per-sentence cosine against FP32.
        case cosine
        /// Minimum per-sentence cosine.
        case minCosine = "min-cosine"
        /// Share of sentences whose nearest neighbour is unchanged.
        case top1
        /// Mean overlap of the top-5 neighbour sets.
        case top5
        /// Spearman correlation of all pairwise similarities.
        case spearman
    }

    /// The metric.
    public let metric: Metric
    /// The floor (the metric must be at least this).
    public let floor: Double

    /// Creates a constraint.
    public init(metric: Metric, floor: Double) {
        self.metric = metric
        self.floor = floor
    }

    /// `cosine>=0.99`, `min-cosine>=0.97`, `top1>=0.9`, `top5>=0.8`, `spearman>=0.95`.
    /// - Throws: ``VariantError`` for anything else.
    public init(parsing text: String) throws {
        let compact = text.replacingOccurrences(of: " ", with: "").lowercased()
        let parts = compact.components(separatedBy: ">=")
        let names = Metric.allCases.map { "\($0.rawValue)>=X" }.joined(separator: ", ")
        guard parts.count == 2, let metric = Metric(rawValue: parts[0]), let floor = Double(parts[1]), floor.isFinite else {
            throw VariantError("invalid model constraint '\(text)'; expected \(names) (e.g. cosine>=0.99)")
        }
        self.init(metric: metric, floor: floor)
    }

    /// The metric's value in `report` (a missing Spearman, fewer than 3 sentences, counts as 0).
    public func value(_ report: FidelityReport) -> Double {
        switch metric {
        case .cosine: return report.meanCosine
        case .minCosine: return report.minCosine
        case .top1: return report.top1Agreement
        case .top5: return report.top5Overlap
        case .spearman: return report.spearman ?? 0
        }
    }

    /// True when `report` meets the floor.
    public func isMet(by report: FidelityReport) -> Bool { value(report) >= floor }

    /// `cosine>=0.99`.
    public var description: String { "\(metric.rawValue)>=\(floor)" }
}

/// What `antgen tune --model` minimises over the whole model on the array.
public enum ModelTuningObjective: String, Sendable, CaseIterable, Codable {
    /// Σ cycles of every linear product (the performance model: the RTL's count).
    case cycles
    /// Σ energy (performance model; PEs priced from synthesized cells when given).
    case energy
    /// Stored weight bits Σ k·n·(weight bits) of the linear layers (model size; activation
    /// widths do not change it, so only weights are narrowed).
    case bits
}

/// One operand's width per linear layer (4 or 8) during the search.
public struct LayerWidths: Sendable, Equatable, Hashable, Codable {
    /// Activation and weight widths (4: the array's 4-bit code, 8: int8).
    public var activation: Int, weight: Int

    /// Creates the widths.
    public init(activation: Int, weight: Int) {
        self.activation = activation
        self.weight = weight
    }
}

/// One narrowing the search can make: one operand of one layer from 8 to 4 bits.
public struct Demotion: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The layer's name.
    public let layer: String
    /// True for the weights, false for the activations.
    public let weight: Bool

    /// `encoder.layer.3.output.dense w8->4`.
    public var description: String { "\(layer) \(weight ? "w" : "a")8->4" }
}

/// One evaluation of the search, for the log and the report.
public struct TuningEvaluation: Sendable, Equatable, Codable {
    /// What was evaluated (`start`, `sensitivity …`, `prefix 12`, `+ …`, `verify`).
    public let what: String
    /// The constraint metric's value.
    public let value: Double
    /// Whether the evaluated configuration met the floor.
    public let met: Bool
}

/// The result of a model-level tuning: the chosen precision per layer, the verified plan and
/// what it costs on the array.
public struct ModelTuningResult: Sendable {
    /// Every linear layer's choice, in model order.
    public let choices: [(layer: String, precision: LayerPrecision)]
    /// The plan as `antgen infer --plan` and `antgen compare` read it.
    public let plan: QuantizationPlan
    /// Fidelity of the plan, re-run end to end from the plan itself.
    public let fidelity: FidelityReport
    /// The plan's whole-model cost on the array.
    public let cycles: Int, energyPJ: Double, weightBits: Int
    /// Share of MACs with an 8-bit operand.
    public let eightBitMACShare: Double
    /// Every forward pass the search made, in order (the verification last).
    public let evaluations: [TuningEvaluation]
}
