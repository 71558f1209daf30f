import AntgenNumerics
import Foundation

/// The built-in constraints on the quantisation-error proxy.
public struct ProxyConstraint: Sendable, Equatable {
    /// Every tensor's SQNR must be at least this many dB.
    public var minimumSQNR: Double?
    /// Σ over tensors of MSE / mean x² must be at most this.
    public var relativeErrorBudget: Double?

    /// Creates a constraint; with neither bound the tuner picks the most accurate option of
    /// every tensor (the start of an `--evaluate` search without a proxy).
    public init(minimumSQNR: Double? = nil, relativeErrorBudget: Double? = nil) {
        self.minimumSQNR = minimumSQNR
        self.relativeErrorBudget = relativeErrorBudget
    }

    /// `sqnr>=25`, `budget<=0.01`, both joined by `, `, or `most accurate`.
    public var description: String {
        var parts: [String] = []
        if let minimumSQNR { parts.append("sqnr>=\(shortNumber(minimumSQNR))") }
        if let relativeErrorBudget { parts.append("budget<=\(relativeErrorBudget)") }
        return parts.isEmpty ? "most accurate" : parts.joined(separator: ", ")
    }
}

/// The tuner's choice: one option index per tensor, and how sure it is.
public struct ProxySelection: Sendable, Equatable {
    /// Per tensor, the index into its `options`.
    public let choices: [Int]
    /// True unless the knapsack search hit its node limit.
    public let isProvenOptimal: Bool
    /// A lower bound on the optimal objective (the objective itself when proven optimal).
    public let lowerBound: Double
    /// How the answer was found (for the plan and the CLI).
    public let method: String
}

/// Chooses one option per tensor minimising the objective under the proxy constraint.
///
/// - SQNR only: tensors are independent, so each takes its cheapest option meeting the bound
///   (ties: lower MSE, then the earlier option).
/// - Budget on Σ relative MSE (with or without an SQNR floor): the options that meet the
///   floor form a multiple-choice knapsack solved exactly by `solveMultipleChoiceKnapsack`.
/// - Neither: each tensor's most accurate option (ties: the cheaper, then the earlier).
///
/// - Throws: `TuningError` when a tensor has no option meeting the SQNR floor (naming its
///   best SQNR) or the budget is below what the most accurate options need.
public func solveProxy(
    _ sets: [TensorOptionSet], objective: TuningObjective, constraint: ProxyConstraint
) throws(TuningError) -> ProxySelection {
    var costs: [[Double]] = []
    for set in sets {
        var row: [Double] = []
        for option in set.options { row.append(try objective.cost(of: option)) }
        costs.append(row)
    }
    var allowed: [[Int]] = []
    for set in sets {
        let indices = set.options.indices.filter { set.options[$0].sqnr >= (constraint.minimumSQNR ?? -.infinity) }
        guard !indices.isEmpty else {
            let best = set.options.max { $0.sqnr < $1.sqnr }
            throw TuningError("tensor '\(set.name)': no option reaches SQNR >= \(shortNumber(constraint.minimumSQNR ?? 0)) dB (best: \(best.map { "\($0.format) at \(String(format: "%.2f", $0.sqnr)) dB" } ?? "none")); lower the bound or allow wider formats")
        }
        allowed.append(indices)
    }
    if let budget = constraint.relativeErrorBudget {
        guard budget.isFinite, budget >= 0 else { throw TuningError("the budget must be a finite number >= 0, not \(budget)") }
        let groups = sets.indices.map { t in allowed[t].map { KnapsackItem(cost: costs[t][$0], weight: sets[t].options[$0].relativeError) } }
        guard let solution = solveMultipleChoiceKnapsack(groups: groups, capacity: budget) else {
            let needed = sets.indices.reduce(0.0) { sum, t in sum + (allowed[t].map { sets[t].options[$0].relativeError }.min() ?? 0) }
            throw TuningError("budget \(budget) on the sum of relative MSEs is infeasible: the most accurate allowed options already sum to \(String(format: "%.4e", needed))")
        }
        let method = solution.isProvenOptimal
            ? "multiple-choice knapsack, branch and bound with LP bounds: optimal (\(solution.nodes) nodes)"
            : "multiple-choice knapsack, branch and bound stopped at \(solution.nodes) nodes: within \(String(format: "%.3g", (solution.cost - solution.lowerBound) / max(solution.lowerBound, 1) * 100)) % of optimal"
        return ProxySelection(choices: sets.indices.map { allowed[$0][solution.choices[$0]] },
                              isProvenOptimal: solution.isProvenOptimal, lowerBound: solution.lowerBound, method: method)
    }
    var choices: [Int] = []
    for t in sets.indices {
        let options = sets[t].options
        let best: Int
        if constraint.minimumSQNR != nil {
            best = allowed[t].min { a, b in (costs[t][a], options[a].relativeError, a) < (costs[t][b], options[b].relativeError, b) }!
        } else {
            best = allowed[t].min { a, b in (options[a].relativeError, costs[t][a], a) < (options[b].relativeError, costs[t][b], b) }!
        }
        choices.append(best)
    }
    let total = choices.enumerated().reduce(0.0) { $0 + costs[$1.offset][$1.element] }
    return ProxySelection(choices: choices, isProvenOptimal: true, lowerBound: total,
                          method: constraint.minimumSQNR != nil ? "per tensor: cheapest option meeting the SQNR floor (optimal: tensors are independent)" : "per tensor: most accurate option")
}

/// `25` for a whole number, else the shortest round-tripping decimal (`25.5`).
func shortNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
