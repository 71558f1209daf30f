import AntgenNumerics
import AntgenTuner
import Foundation
import Testing

/// Writes an executable script into `directory` and returns its path.
private func script(_ name: String, _ body: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(body.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    return url.path
}

/// Runs the real-accuracy search with `command` as the evaluator, as `antgen tune` does.
private func search(
    _ sets: [TensorOptionSet], start: [Int], command: String, minimumScore: Double, maxEvaluations: Int = 40,
    timeout: Double = 20, directory: URL
) throws -> EvaluationSearchResult {
    let space = TuningSpace(kinds: candidates(.int, .flint), widths: Array(2 ... 8), threadCount: 2)
    let planPath = directory.appendingPathComponent("candidate.json").path
    let evaluator = EvaluationCommand(command: command, timeout: timeout)
    return try searchWithEvaluations(sets, start: start, objective: .storedBits, minimumScore: minimumScore, maxEvaluations: maxEvaluations) { choices in
        do {
            try QuantizationPlan(sets: sets, choices: choices, objective: .storedBits, constraint: "test", method: "test", space: space).write(toPath: planPath)
        } catch {
            return .failure(.cannotStart("\(error)"))
        }
        return evaluator.score(planPath: planPath)
    }
}

@Suite(.serialized) struct EvaluationTests {
    let space = TuningSpace(kinds: candidates(.int, .flint), widths: Array(2 ... 8), threadCount: 2)

    /// The score is the plan's smallest tensor SQNR, computed by a python3 script from the
    /// plan JSON: the search must end with every tensor at or above the minimum and no
    /// single further reduction of a tensor that is still reducible acceptable.
    @Test func greedyReductionsStopAtTheMinimumScore() throws {
        let directory = try scratchDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let scorer = try script("score.py", """
        #!/usr/bin/env python3
        import json, sys
        plan = json.load(open(sys.argv[1]))
        print(min(t.get("sqnrDB", 1000.0) for t in plan["tensors"]))
        """, in: directory)
        let sets = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: space) }
        let start = try solveProxy(sets, objective: .storedBits, constraint: ProxyConstraint()).choices
        let result = try search(sets, start: start, command: scorer, minimumScore: 20, directory: directory)
        #expect(result.steps.first?.change == "start")
        #expect(result.finalScore >= 20)
        let final = zip(sets, result.choices).map { $0.options[$1] }
        #expect(final.allSatisfy { $0.sqnr >= 20 })
        #expect(final.map(\.bits).reduce(0, +) < start.enumerated().map { sets[$0.offset].options[$0.element].bits }.reduce(0, +))
        #expect(result.stopReason == "no tensor can be narrowed further")
        // Each rejected step really fell below the minimum; each kept one did not.
        #expect(result.steps.allSatisfy { $0.accepted == ($0.score >= 20) })
        #expect(result.steps.count <= 40)
    }

    @Test func evaluationLimitBoundsTheSearch() throws {
        let directory = try scratchDirectory("limit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sets = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: space) }
        let start = try solveProxy(sets, objective: .storedBits, constraint: ProxyConstraint()).choices
        let result = try search(sets, start: start, command: "echo 1 #", minimumScore: 0, maxEvaluations: 3, directory: directory)
        #expect(result.steps.count == 3)
        #expect(result.stopReason == "evaluation limit (3) reached")
    }

    @Test func placeholderAndEnvironmentCarryThePlanPath() throws {
        let directory = try scratchDirectory("placeholder")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = directory.appendingPathComponent("it's a plan.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: plan))
        let viaPlaceholder = EvaluationCommand(command: "test -f {plan} && echo 0.5", timeout: 10).score(planPath: plan)
        #expect(viaPlaceholder == .success(0.5))
        let viaEnvironment = EvaluationCommand(command: "test \"$ANTGEN_PLAN\" = {plan} && echo 7", timeout: 10)
        #expect(viaEnvironment.script(planPath: plan).hasSuffix("/it'\\''s a plan.json' && echo 7"))
        #expect(viaEnvironment.score(planPath: plan) == .success(7))
        let appended = EvaluationCommand(command: "wc -c <", timeout: 10).score(planPath: plan)
        #expect(appended == .success(2))
    }

    @Test func failuresAreReportedClearly() throws {
        let directory = try scratchDirectory("failures")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = directory.appendingPathComponent("plan.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: plan))
        let failing = EvaluationCommand(command: "echo partial; echo boom >&2; exit 3", timeout: 10).score(planPath: plan)
        #expect(failing == .failure(.failed(status: 3, lastError: "boom")))
        let wordy = EvaluationCommand(command: "echo accuracy is high #", timeout: 10).score(planPath: plan)
        #expect(wordy == .failure(.notANumber(output: "accuracy is high")))
        let lastLine = EvaluationCommand(command: "echo loading; echo '  0.75  '; echo #", timeout: 10).score(planPath: plan)
        #expect(lastLine == .success(0.75))
        let silent = EvaluationCommand(command: "true", timeout: 10).score(planPath: plan)
        #expect(silent == .failure(.notANumber(output: "")))
        let infinite = EvaluationCommand(command: "echo inf #", timeout: 10).score(planPath: plan)
        #expect(infinite == .failure(.notANumber(output: "inf")))
        let started = Date()
        let slow = EvaluationCommand(command: "sleep 30 & sleep 30 #", timeout: 0.5).score(planPath: plan)
        #expect(slow == .failure(.timedOut(seconds: 0.5)))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(EvaluationFailure.timedOut(seconds: 0.5).description == "timed out after 0.5 s (killed)")
        #expect(EvaluationFailure.failed(status: 3, lastError: "boom").description == "exited with status 3: boom")
        #expect(!EvaluationFailure.notANumber(output: "x").description.contains("\n"))
    }

    @Test func searchStopsWithOneLineErrors() throws {
        let directory = try scratchDirectory("errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sets = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: space) }
        let start = try solveProxy(sets, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 20)).choices
        func message(_ command: String, minimum: Double, timeout: Double = 10) -> String {
            do {
                _ = try search(sets, start: start, command: command, minimumScore: minimum, timeout: timeout, directory: directory)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("exit 2 #", minimum: 0) == "evaluation 1 (start): the evaluation command exited with status 2")
        #expect(message("echo NaN #", minimum: 0).hasPrefix("evaluation 1 (start): the evaluation command printed 'NaN', not a number"))
        #expect(message("sleep 10 #", minimum: 0, timeout: 0.3) == "evaluation 1 (start): the evaluation command timed out after 0.3 s (killed)")
        #expect(message("echo 0.1 #", minimum: 0.5).hasPrefix("the start plan (the proxy optimum) scores 0.1, below --min-score 0.5"))
        // A command that fails on the second evaluation names that evaluation.
        let counter = directory.appendingPathComponent("count").path
        let secondFails = "n=$(cat '\(counter)' 2>/dev/null || echo 0); echo $((n+1)) > '\(counter)'; test $n -eq 0 && echo 1 || exit 4 #"
        let second = message(secondFails, minimum: 0)
        #expect(second.hasPrefix("evaluation 2 ("))
        #expect(second.hasSuffix("the evaluation command exited with status 4"))
    }
}
