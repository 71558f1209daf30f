import AntgenNumerics

/// One evaluation of the real-accuracy search.
public struct EvaluationStep: Sendable, Equatable {
    /// 1-based evaluation number.
    public let number: Int
    /// What was tried: `start` or `layer1.weight: int4s -> int3s`.
    public let change: String
    /// The score the command printed.
    public let score: Double
    /// Whether the plan met the minimum score and was kept.
    public let accepted: Bool

    /// One line for the log.
    public var line: String {
        "evaluation \(number): \(change): score \(shortNumber(score)) \(accepted ? "(kept)" : "(below the minimum, undone)")"
    }
}

/// The result of the real-accuracy search.
public struct EvaluationSearchResult: Sendable, Equatable {
    /// The final option index of every tensor.
    public let choices: [Int]
    /// Every evaluation in order.
    public let steps: [EvaluationStep]
    /// The score of the final plan.
    public let finalScore: Double
    /// Why the search stopped.
    public let stopReason: String
}

/// The next width reduction of one tensor: the widest width below the current one with an
/// option cheaper than the current, and there the most accurate such option.
func nextReduction(of set: TensorOptionSet, from current: Int, costs: [Double]) -> Int? {
    let bits = set.options[current].bits
    let cheaper = set.options.indices.filter { set.options[$0].bits < bits && costs[$0] < costs[current] }
    guard let width = cheaper.map({ set.options[$0].bits }).max() else { return nil }
    return cheaper.filter { set.options[$0].bits == width }.min { a, b in
        (set.options[a].relativeError, costs[a], a) < (set.options[b].relativeError, costs[b], b)
    }
}

/// The portable real-accuracy search (libnumber's loop with the user's own evaluation):
/// evaluate the start plan (the proxy optimum), then repeatedly try the width reduction with
/// the smallest sensitivity — increase in relative MSE per unit of objective saved — across
/// all tensors; keep it when the score stays at or above `minimumScore`, otherwise undo it
/// and stop reducing that tensor. At most `maxEvaluations` evaluations, the start included.
///
/// - Parameter evaluate: scores a selection (one option index per tensor); higher is better.
/// - Throws: `TuningError` when an evaluation fails (naming the evaluation and the failure)
///   or the start plan already scores below the minimum.
public func searchWithEvaluations(
    _ sets: [TensorOptionSet], start: [Int], objective: TuningObjective, minimumScore: Double, maxEvaluations: Int,
    progress: (EvaluationStep) -> Void = { _ in },
    evaluate: ([Int]) -> Result<Double, EvaluationFailure>
) throws(TuningError) -> EvaluationSearchResult {
    guard maxEvaluations >= 1 else { throw TuningError("--max-evaluations must be at least 1, not \(maxEvaluations)") }
    var costs: [[Double]] = []
    for set in sets {
        var row: [Double] = []
        for option in set.options { row.append(try objective.cost(of: option)) }
        costs.append(row)
    }
    var steps: [EvaluationStep] = []
    func run(_ choices: [Int], change: String) throws(TuningError) -> Double {
        switch evaluate(choices) {
        case .success(let score): return score
        case .failure(let failure):
            throw TuningError("evaluation \(steps.count + 1) (\(change)): the evaluation command \(failure.description)")
        }
    }
    let startScore = try run(start, change: "start")
    steps.append(EvaluationStep(number: 1, change: "start", score: startScore, accepted: startScore >= minimumScore))
    progress(steps[0])
    guard startScore >= minimumScore else {
        throw TuningError("the start plan (the proxy optimum) scores \(shortNumber(startScore)), below --min-score \(shortNumber(minimumScore)); tighten the proxy constraint or allow wider formats")
    }
    var current = start
    var score = startScore
    var frozen = Set<Int>()
    var stopReason = "no tensor can be narrowed further"
    while true {
        let moves = sets.indices.compactMap { t -> (sensitivity: Double, tensor: Int, option: Int)? in
            guard !frozen.contains(t), let next = nextReduction(of: sets[t], from: current[t], costs: costs[t]) else { return nil }
            let added = sets[t].options[next].relativeError - sets[t].options[current[t]].relativeError
            return (added / (costs[t][current[t]] - costs[t][next]), t, next)
        }
        guard let move = moves.min(by: { ($0.sensitivity, $0.tensor) < ($1.sensitivity, $1.tensor) }) else { break }
        guard steps.count < maxEvaluations else {
            stopReason = "evaluation limit (\(maxEvaluations)) reached"
            break
        }
        var trial = current
        trial[move.tensor] = move.option
        let change = "\(sets[move.tensor].name): \(sets[move.tensor].options[current[move.tensor]].format) -> \(sets[move.tensor].options[move.option].format)"
        let trialScore = try run(trial, change: change)
        let accepted = trialScore >= minimumScore
        steps.append(EvaluationStep(number: steps.count + 1, change: change, score: trialScore, accepted: accepted))
        progress(steps[steps.count - 1])
        if accepted {
            current = trial
            score = trialScore
        } else {
            frozen.insert(move.tensor)
        }
    }
    return EvaluationSearchResult(choices: current, steps: steps, finalScore: score, stopReason: stopReason)
}
