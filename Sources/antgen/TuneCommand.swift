import AntgenHardware
import AntgenNumerics
import AntgenTuner
import ArgumentParser
import Foundation

/// `antgen tune`: chooses a format (kind, width, signedness) and scale (α or power-of-two
/// bias) per tensor that minimises the stored bits (or a cost-weighted sum) under an SQNR
/// floor, a budget on the sum of relative MSEs, or the user's own evaluation script.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Choose a number format and scale per tensor under an accuracy constraint and write the plan.",
        discussion: """
        FILE is a .npy or .safetensors file. Every tensor is tried in every candidate kind and \
        width (invalid formats are skipped).

        Constraints: --constraint sqnr>=DB (every tensor); --budget B (sum over tensors of \
        MSE / mean x² at most B, solved exactly as a multiple-choice knapsack); --evaluate CMD \
        --min-score X (CMD gets the plan's path, as its last argument or in place of {plan}, and \
        prints one number; higher is better). With --evaluate, a proxy constraint gives the start \
        plan; without one the start is every tensor's most accurate format.
        """
    )

    @Argument(help: "Tensor files (.npy or .safetensors); none with --model.")
    var files: [String] = []

    @OptionGroup(title: "Tuning a whole model on an array (docs/tuning.md \"Tuning on model fidelity\")")
    var modelOptions: ModelTuneOptions

    @Option(help: "Per-tensor proxy constraint: sqnr>=DB; with --model a model-level floor: cosine>=X, min-cosine>=X, top1>=X, top5>=X or spearman>=X.")
    var constraint: String?

    @Option(help: "Budget on the sum over tensors of MSE / mean x².")
    var budget: Double?

    @Option(help: "Evaluation command: receives the plan JSON path and prints one number (higher is better).")
    var evaluate: String?

    @Option(help: "The lowest acceptable score printed by the --evaluate command.")
    var minScore: Double?

    @Option(help: "Most runs of the --evaluate command, the start plan included.")
    var maxEvaluations: Int = 20

    @Option(name: [.customLong("tool-timeout"), .customLong("timeout")],
            help: "Seconds before one run of the --evaluate command is killed (with its process group).")
    var timeout: Double = 600

    @Option(help: "Candidate kinds (comma-separated: int, flint, pot, float, float1…float4, apot).")
    var kinds: String = "int,flint,pot,float"

    @Option(help: "Candidate widths: a range (2-8) or a list (2,4,8).")
    var widths: String = "2-8"

    @Option(help: "alpha (free α, ANT's clip search) or bias (power-of-two scale, search over the bias).")
    var scale: String = "alpha"

    @Option(help: "channel (one scale per output channel) or tensor (one per tensor).")
    var granularity: String = "channel"

    @Option(help: "weight (signed) or activation (signed only with negative values).")
    var role: String = "weight"

    @Option(help: "JSON cost per stored bit by kind/bits, e.g. {\"int/4\": 1.0, \"flint/4\": 1.2, \"default\": 1.5}; default objective: stored bits.")
    var costTable: String?

    @Flag(help: "Only formats the generated array can carry (so `antgen emit --plan` accepts the plan): kinds with a hardware decode, and a W of at most 256 bits for --max-k.")
    var hardware = false

    @Option(name: .customLong("max-k"), help: "With --hardware: the longest reduction K the array is sized for.")
    var maxK: Int = 4608

    @Option(help: "Only these tensors (comma-separated names).")
    var tensors: String?

    @Option(help: "Write the plan as JSON to this file.")
    var plan: String?

    @Flag(help: "Also offer b-bit PWLQ per tensor and width (b + 1 stored bits with the region bit; Gaussian closed-form breakpoints).")
    var pwlq = false

    @Option(name: .customLong("pwlq-variant"), help: "With --pwlq: paper, nonoverlap or overlap.")
    var pwlqVariant: String = "paper"

    func run() throws {
        try reportingErrors(execute)
    }

    private func execute() throws {
        if modelOptions.model != nil {
            guard files.isEmpty else { throw TuningError("--model tunes the model's own layers; give no tensor files") }
            guard let constraint else { throw TuningError("--model needs --constraint METRIC>=X (e.g. cosine>=0.99)") }
            let fileOnly: [(String, Bool)] = [("--budget", budget != nil), ("--evaluate", evaluate != nil), ("--min-score", minScore != nil),
                                              ("--cost-table", costTable != nil), ("--hardware", hardware), ("--tensors", tensors != nil), ("--pwlq", pwlq),
                                              ("--kinds", kinds != "int,flint,pot,float"), ("--widths", widths != "2-8"), ("--scale", scale != "alpha"),
                                              ("--granularity", granularity != "channel"), ("--role", role != "weight")]
            if let (name, _) = fileOnly.first(where: \.1) { throw TuningError("\(name) tunes tensor files; with --model the search is per layer on the array") }
            return try ModelTuneRun(options: modelOptions, constraint: constraint, plan: plan).run()
        }
        guard !files.isEmpty else { throw TuningError("give tensor files (.npy or .safetensors), or --model DIR --sentences FILE") }
        if let option = modelOptions.given.first { throw TuningError("\(option) goes with --model DIR (tuning a whole model)") }
        try executeFiles()
    }

    private func executeFiles() throws(TuningError) {
        try checkPwlqCombination()
        let space = try tuningSpace()
        let proxy = ProxyConstraint(minimumSQNR: try parsedConstraint(), relativeErrorBudget: budget)
        guard proxy.minimumSQNR != nil || budget != nil || evaluate != nil else {
            throw TuningError("give a constraint: --constraint sqnr>=DB, --budget B, or --evaluate CMD --min-score X")
        }
        guard (evaluate == nil) == (minScore == nil) else { throw TuningError("--evaluate and --min-score go together") }
        guard timeout > 0, timeout.isFinite else { throw TuningError("--tool-timeout must be a positive number of seconds, not \(timeout)") }
        guard maxEvaluations >= 1 else { throw TuningError("--max-evaluations must be at least 1, not \(maxEvaluations)") }
        let objective: TuningObjective = try costTable.map { path throws(TuningError) in .weightedBits(try Self.checkedCosts(path)) } ?? .storedBits
        if let plan, let problem = outputPathProblem(plan) { throw TuningError("--plan: " + problem) }
        let evaluation = evaluate.flatMap { command in
            minScore.map { TuningRun.Evaluation(command: command, minimumScore: $0, timeout: timeout, maxEvaluations: maxEvaluations) }
        }
        try TuningRun(files: files, tensors: tensors, space: space, objective: objective, proxy: proxy, evaluation: evaluation,
                      pwlq: pwlq ? PwlqVariant(rawValue: pwlqVariant) ?? .paper : nil, plan: plan).run()
    }

    private func tuningSpace() throws(TuningError) -> TuningSpace {
        var kindList: [TypeCandidate] = []
        for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let kind = TypeCandidate(name: name) else {
                throw TuningError("--kinds: unknown kind '\(name)' (known: \(TypeCandidate.all.map(\.name).joined(separator: ", ")))")
            }
            kindList.append(kind)
        }
        guard !kindList.isEmpty else { throw TuningError("--kinds: give at least one kind") }
        guard let scaleKind = ScaleKind(rawValue: scale) else { throw TuningError("--scale must be alpha or bias, not '\(scale)'") }
        guard let tensorRole = TensorRole(rawValue: role) else { throw TuningError("--role must be weight or activation, not '\(role)'") }
        guard granularity == "channel" || granularity == "tensor" else {
            throw TuningError("--granularity must be channel or tensor, not '\(granularity)'")
        }
        guard maxK >= 1 else { throw TuningError("--max-k must be at least 1, not \(maxK)") }
        var space = TuningSpace(kinds: kindList, widths: try parsedWidths(), scale: scaleKind, perChannel: granularity == "channel", role: tensorRole)
        if hardware {
            let reduction = maxK
            space.formatCheck = { kind, bits, _ in
                PlanHardwareMapping.hardwareProblem(kind: kind.name, bits: bits, maxReduction: reduction).map { "not carried by the array: " + $0 }
            }
        }
        return space
    }

    private func parsedWidths() throws(TuningError) -> [Int] {
        let problem = TuningError("--widths must be a range like 2-8 or a list like 2,4,8 of widths in 2…8, not '\(widths)'")
        let parts = widths.split(separator: "-", omittingEmptySubsequences: false)
        var list: [Int] = []
        if parts.count == 2 {
            // Bounds checked before the range is built: 2-9223372036854775807 must not
            // allocate (or overflow building) a list of 2^63 widths.
            guard let low = Int(parts[0]), let high = Int(parts[1]), low <= high, (2 ... 8).contains(low), (2 ... 8).contains(high) else {
                throw problem
            }
            list = Array(low ... high)
        } else {
            for item in widths.split(separator: ",") {
                guard let value = Int(item.trimmingCharacters(in: .whitespaces)) else { throw problem }
                list.append(value)
            }
        }
        guard !list.isEmpty, list.allSatisfy({ (2 ... 8).contains($0) }) else { throw problem }
        return list
    }

    private func parsedConstraint() throws(TuningError) -> Double? {
        guard let constraint else { return nil }
        let text = constraint.replacingOccurrences(of: " ", with: "").lowercased()
        guard text.hasPrefix("sqnr>="), let value = Double(text.dropFirst(6)), value.isFinite else {
            throw TuningError("--constraint must be sqnr>=DB (e.g. sqnr>=25), not '\(constraint)'")
        }
        return value
    }
}

extension TuneCommand {
    /// The relative cost weights `--cost-table` may hold: beyond them the cost-weighted sum
    /// overflows to ∞ or vanishes in float64 and the knapsack's choice means nothing.
    static let costRange = 1e-6 ... 1e6

    /// Reads `--cost-table` and refuses a weight outside ``costRange`` (one line naming the key).
    static func checkedCosts(_ path: String) throws(TuningError) -> CostTable {
        let table = try CostTable.read(atPath: path)
        let entries = table.costs.sorted { $0.key < $1.key } + (table.defaultCost.map { [("default", $0)] } ?? [])
        if let (key, cost) = entries.first(where: { !costRange.contains($0.1) }) {
            throw TuningError("\(path): cost of '\(key)' is \(cost); a cost per stored bit is a relative weight within 1e-6 … 1e6")
        }
        return table
    }
}
