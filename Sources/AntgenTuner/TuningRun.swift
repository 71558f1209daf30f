import AntgenNumerics
import Foundation

/// One `antgen tune` run: every tensor of the files fitted in every format of the space,
/// the cheapest choice under the proxy constraint solved, then (with an evaluation command)
/// greedy width reductions checked by the user's script; prints the plan table and writes
/// the plan.
public struct TuningRun {
    /// An `--evaluate` search: the command, the lowest acceptable score, the seconds before
    /// one run is killed and the most runs.
    public struct Evaluation: Sendable {
        public var command: String, minimumScore: Double, timeout: Double, maxEvaluations: Int
        /// Creates the search.
        public init(command: String, minimumScore: Double, timeout: Double, maxEvaluations: Int) {
            self.command = command
            self.minimumScore = minimumScore
            self.timeout = timeout
            self.maxEvaluations = maxEvaluations
        }
    }

    /// Tensor files (.npy or .safetensors) and the comma-separated tensors to tune (nil: all).
    public var files: [String], tensors: String?
    /// The candidate formats, the objective and the proxy constraint.
    public var space: TuningSpace, objective: TuningObjective, proxy: ProxyConstraint
    /// The evaluation search, if any.
    public var evaluation: Evaluation?
    /// Also offer b-bit PWLQ of this variant per tensor and width.
    public var pwlq: PwlqVariant?
    /// Where the plan is written (nil: printed only).
    public var plan: String?

    /// Creates the run (every option checked by the caller).
    public init(files: [String], tensors: String?, space: TuningSpace, objective: TuningObjective, proxy: ProxyConstraint,
                evaluation: Evaluation?, pwlq: PwlqVariant?, plan: String?) {
        self.files = files
        self.tensors = tensors
        self.space = space
        self.objective = objective
        self.proxy = proxy
        self.evaluation = evaluation
        self.pwlq = pwlq
        self.plan = plan
    }

    /// Tunes, prints the plan (lines to `print`, progress lines to `progress`) and writes it.
    /// - Throws: ``TuningError``, one line.
    public func run(print: (String) -> Void = { Swift.print($0) },
                    progress: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) throws(TuningError) {
        let inputs = try loadInputs()
        let start = Date()
        var lastProgress = 0.0
        var sets = try enumerateOptions(for: inputs, space: space, objective: objective, constraint: proxy) { done, total in
            let elapsed = Date().timeIntervalSince(start)
            // At most one progress line a second.
            if total > 1, elapsed > 1, elapsed - lastProgress >= 1 || done == total {
                lastProgress = elapsed
                progress(String(format: "antgen: fitted %d/%d tensors in %.1f s\n", done, total, Date().timeIntervalSince(start)))
            }
        }
        if let pwlq { sets = try addingPwlq(pwlq, to: sets, inputs: inputs, widths: space.widths) }
        reportSkipped(sets, print: print)
        let selection = try solveProxy(sets, objective: objective, constraint: proxy)
        var choices = selection.choices
        var constraintText = proxy.description
        var method = selection.method
        if let evaluation {
            let evaluate = evaluation.command, minScore = evaluation.minimumScore
            let result = try runEvaluations(sets, start: choices, command: evaluate, minimumScore: minScore, method: method, print: print)
            choices = result.choices
            constraintText = "score>=\(minScore) (evaluate: \(evaluate)); start: \(proxy.description)"
            method += "; then \(result.steps.count) evaluations, greedy width reductions by sensitivity (\(result.stopReason)); final score \(result.finalScore)"
        }
        let finalPlan = try QuantizationPlan(sets: sets, choices: choices, objective: objective, constraint: constraintText,
                                             method: method, space: space)
        print(finalPlan.table)
        print("method: \(method)")
        if let plan {
            try finalPlan.write(toPath: plan)
            print("wrote \(plan)")
        }
    }

    /// Every set plus its PWLQ options of `variant` at the space's widths.
    func addingPwlq(_ variant: PwlqVariant, to sets: [TensorOptionSet], inputs: [TuningInput], widths: [Int]) throws(TuningError) -> [TensorOptionSet] {
        // The overlap variant has no fitted closed form; it uses the Gaussian bisection.
        let rule: PwlqBreakpointRule = variant == .overlap ? .bisection(.gaussian) : .closedForm(.gaussian)
        var result: [TensorOptionSet] = []
        for (set, input) in zip(sets, inputs) {
            result.append(try set.addingPwlqOptions(input.tensor, widths: widths, variant: variant, breakpoint: rule))
        }
        return result
    }

    func runEvaluations(
        _ sets: [TensorOptionSet], start: [Int], command: String, minimumScore: Double, method: String, print: (String) -> Void
    ) throws(TuningError) -> EvaluationSearchResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-tune-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TuningError("cannot create \(directory.path) for the candidate plans")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let candidatePath = directory.appendingPathComponent("candidate-plan.json").path
        let evaluator = EvaluationCommand(command: command, timeout: evaluation?.timeout ?? 600)
        return try searchWithEvaluations(
            sets, start: start, objective: objective, minimumScore: minimumScore, maxEvaluations: evaluation?.maxEvaluations ?? 20,
            progress: { print($0.line) },
            evaluate: { choices in
                do throws(TuningError) {
                    let candidate = try QuantizationPlan(sets: sets, choices: choices, objective: objective,
                                                         constraint: "candidate for score>=\(minimumScore)", method: method, space: space)
                    try candidate.write(toPath: candidatePath)
                } catch {
                    return .failure(.cannotStart(error.message))
                }
                return evaluator.score(planPath: candidatePath)
            })
    }

    func loadInputs() throws(TuningError) -> [TuningInput] {
        let wanted = tensors.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        var inputs: [TuningInput] = []
        for file in files {
            do throws(TensorFileError) {
                // readTensorFile rejects any other extension with the file named.
                let names = file.lowercased().hasSuffix(".safetensors") ? try SafetensorsFile.tensorNames(atPath: file).filter { wanted?.contains($0) ?? true } : nil
                if names?.isEmpty == true { continue }
                for tensor in try readTensorFile(atPath: file, names: names) where wanted?.contains(tensor.name) ?? true {
                    inputs.append(TuningInput(file: file, tensor: tensor))
                }
            } catch {
                throw TuningError(error.description)
            }
        }
        if let wanted, let missing = wanted.sorted().first(where: { name in !inputs.contains { $0.tensor.name == name } }) {
            throw TuningError("no tensor named '\(missing)' in \(files.joined(separator: ", "))")
        }
        guard !inputs.isEmpty else { throw TuningError("no tensors to tune") }
        return inputs
    }

    func reportSkipped(_ sets: [TensorOptionSet], print: (String) -> Void) {
        var seen = Set<String>()
        var lines: [String] = []
        for set in sets {
            for skipped in set.skipped where seen.insert("\(skipped.kind.name)/\(skipped.bits)/\(set.isSigned)").inserted {
                lines.append("  \(skipped.kind.name) \(skipped.bits)-bit: \(skipped.reason)")
            }
        }
        if !lines.isEmpty { print("skipped formats:\n" + lines.joined(separator: "\n")) }
    }
}
