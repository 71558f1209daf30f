import AntgenArrays
import AntgenModel
import AntgenNumerics
import AntgenSynth
import ArgumentParser
import Foundation

/// The options of `antgen tune --model`: the model, the corpus and the ANT array searched on.
struct ModelTuneOptions: ParsableArguments {
    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt): tune every linear layer on --array.") var model: String?
    @Option(help: "With --model: UTF-8 text file, one sentence per line (the fidelity corpus).") var sentences: String?
    @Option(help: "With --model: use only the first N sentences.") var limit: Int?
    @Option(help: "With --model: cycles, energy (performance model on the array) or bits (stored weight bits).") var objective: String = "cycles"
    @Option(help: "With --model: the array (ant; --types int makes it the int-only, BitFusion-style baseline).") var array: String = "ant"
    @Option(help: "With --model: the ANT types whose 4-bit codes the search may use (int8 is always available).") var types: String = "int,flint,pot"
    @Option(help: "With --model: PE rows of the array.") var rows: Int = 32
    @Option(help: "With --model: PE columns of the array.") var cols: Int = 32
    @Option(help: "With --model: sentences per batch (activation scales are per batch).") var batch: Int = 16
    @Flag(help: "With --model: do not synthesize the array (PE energy unpriced).") var noSynth = false
    @Option(help: "With --model: cache folder for the synthesized cells.") var cacheDir: String = ".antgen-cache"

    /// The model-only options given (each must be refused without --model).
    var given: [String] {
        let flags: [(String, Bool)] = [("--sentences", sentences != nil), ("--limit", limit != nil), ("--objective", objective != "cycles"),
                                       ("--array", array != "ant"), ("--types", types != "int,flint,pot"), ("--rows", rows != 32), ("--cols", cols != 32),
                                       ("--batch", batch != 16), ("--no-synth", noSynth), ("--cache-dir", cacheDir != ".antgen-cache")]
        return flags.filter(\.1).map(\.0)
    }
}

/// One `antgen tune --model` run: load, tune, print, write the plan.
struct ModelTuneRun {
    let options: ModelTuneOptions
    let constraint: String
    let plan: String?

    func run() throws {
        guard let folder = options.model, let sentences = options.sentences else { throw TuningError("--model needs --sentences FILE") }
        let floor = try FidelityConstraint(parsing: constraint)
        guard let objective = ModelTuningObjective(rawValue: options.objective) else {
            throw TuningError("--objective must be cycles, energy or bits, not '\(options.objective)'")
        }
        guard options.array == "ant" else {
            throw TuningError("tune --model searches the ANT array (--array ant, --types int for int-only), not --array \(options.array)")
        }
        guard options.rows > 0, options.cols > 0, options.batch > 0 else { throw TuningError("--rows, --cols and --batch must be at least 1") }
        if let plan, let problem = outputPathProblem(plan) { throw TuningError("--plan: " + problem) }
        var corpus = try SentenceCorpus.read(path: sentences)
        if let limit = options.limit {
            guard limit > 0 else { throw TuningError("--limit must be at least 1") }
            corpus = Array(corpus.prefix(limit))
        }
        let bert = try BertModel.load(folder: URL(fileURLWithPath: folder))
        let variant = try ArraySelection.parse(["--array", "ant", "--types", options.types, "--rows", "\(options.rows)", "--cols", "\(options.cols)"]).variant()
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let cells = options.noSynth ? nil
            : try variant.perfCells(synthesizer: Synthesizer(), cacheRoot: URL(fileURLWithPath: options.cacheDir), announce: { log($0) })
        let tuner = try ModelTuner(model: bert, corpus: corpus, variant: variant, objective: objective, batch: options.batch, cells: cells, log: log)
        tuner.source = folder
        let result = try tuner.tune(floor)
        print(Self.summary(result, corpus: corpus.count, floor: floor, objective: objective, synthesized: cells != nil), terminator: "")
        if let plan {
            try result.plan.write(toPath: plan)
            print("wrote \(plan)")
        }
    }

    /// The per-layer table and the totals.
    static func summary(_ r: ModelTuningResult, corpus: Int, floor: FidelityConstraint, objective: ModelTuningObjective, synthesized: Bool) -> String {
        var text = "layer                                     activation  weight\n"
        for (layer, p) in r.choices {
            func show(_ c: OperandChoice) -> String { if case .format(let k, let b) = c { return b == 8 ? "int8" : "\(k)\(b)" }; return "\(c)" }
            text += layer.padding(toLength: 42, withPad: " ", startingAt: 0) + show(p.activation).padding(toLength: 12, withPad: " ", startingAt: 0)
                + show(p.weight) + "\n"
        }
        let f = r.fidelity
        text += String(format: "fidelity vs fp32 (%d sentences, from the plan): cosine mean %.5f min %.5f, top-1 %.3f, top-5 overlap %.3f, Spearman %@\n",
                       corpus, f.meanCosine, f.minCosine, f.top1Agreement, f.top5Overlap, f.spearman.map { String(format: "%.4f", $0) } ?? "n/a")
        text += String(format: "cost: %d cycles, %.2f µJ%@, %d weight bits (%.2fx smaller than fp32), %.0f %% of MACs with an 8-bit operand\n",
                       r.cycles, r.energyPJ / 1e6, synthesized ? "" : " (PEs unpriced: --no-synth)", r.weightBits,
                       Double(32 * r.plan.totals.elements) / Double(max(1, r.weightBits)), 100 * r.eightBitMACShare)
        text += "objective: \(objective.rawValue)   constraint: \(floor)   forward passes: \(r.evaluations.count) for this floor\n"
        return text
    }
}
