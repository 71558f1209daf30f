import AntgenNumerics

/// A tensor to tune and the file it came from.
public struct TuningInput: Sendable {
    /// The file (recorded in the plan).
    public let file: String
    /// The tensor.
    public let tensor: NamedTensor

    /// Creates an input.
    public init(file: String, tensor: NamedTensor) {
        self.file = file
        self.tensor = tensor
    }
}

/// The proxy tuner end to end: enumerate every tensor's options, solve the allocation under
/// the proxy constraint and build the plan. With an SQNR floor alone, each tensor's widths
/// are fitted in ascending order only until the answer is settled
/// (`enumerateOptions(for:file:in:untilSQNR:objective:)`).
///
/// - Throws: `TuningError` from enumeration, pricing or an infeasible constraint.
public func tuneWithProxy(
    _ inputs: [TuningInput], space: TuningSpace, objective: TuningObjective, constraint: ProxyConstraint
) throws(TuningError) -> (sets: [TensorOptionSet], selection: ProxySelection, plan: QuantizationPlan) {
    let sets = try enumerateOptions(for: inputs, space: space, objective: objective, constraint: constraint)
    let selection = try solveProxy(sets, objective: objective, constraint: constraint)
    let plan = try QuantizationPlan(sets: sets, choices: selection.choices, objective: objective,
                                    constraint: constraint.description, method: selection.method, space: space)
    return (sets, selection, plan)
}

/// Every tensor's options for `constraint`. With an SQNR floor alone each tensor's widths are
/// fitted in ascending order only until its answer is settled; otherwise every (kind, width)
/// is fitted (a budget couples the tensors, so each needs all its options).
///
/// - Parameter progress: called after each tensor with (tensors done, total).
/// - Throws: `TuningError` for no tensors, or from enumeration and pricing.
public func enumerateOptions(
    for inputs: [TuningInput], space: TuningSpace, objective: TuningObjective, constraint: ProxyConstraint,
    progress: (Int, Int) -> Void = { _, _ in }
) throws(TuningError) -> [TensorOptionSet] {
    guard !inputs.isEmpty else { throw TuningError("no tensors to tune") }
    var sets: [TensorOptionSet] = []
    for input in inputs {
        // An SQNR floor alone settles each tensor on its own; a budget couples them.
        let floor = constraint.relativeErrorBudget == nil ? constraint.minimumSQNR : nil
        sets.append(try enumerateOptions(for: input.tensor, file: input.file, in: space, untilSQNR: floor, objective: objective))
        progress(sets.count, inputs.count)
    }
    return sets
}
