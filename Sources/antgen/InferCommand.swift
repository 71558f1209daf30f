import AntgenArrays
import AntgenHarness
import AntgenPerf
import AntgenModel
import AntgenSynth
import ArgumentParser
import Foundation

/// `antgen infer`: sentence embeddings of a corpus from a BERT-layout model folder
/// (docs/model.md), written as one float32 .npy [sentences, hidden] plus a JSON report.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Embed a corpus (one sentence per line) with a BERT-layout sentence encoder such as all-MiniLM-L6-v2.",
        discussion: """
        DIR holds config.json, model.safetensors and vocab.txt as the model package ships them \
        (tokenizer_config.json and sentence_bert_config.json are read when present). The pipeline is \
        sentence-transformers': uncased WordPiece, the BERT encoder, mean pooling over the sentence's \
        tokens, L2 normalisation; sentences longer than the model's maximum sequence length are \
        truncated and counted in the report. --precision fp32 is the float reference. --precision \
        a4w4|a8w4|a4w8|a8w8 (activation first, as `antgen perf` spells them), standard (the array's \
        own formats, as `antgen run` quantizes) or --plan P (ant: the \
        per-layer choices of `antgen tune --plan`, the build sized for them) runs every linear layer \
        on the --array's golden integer path; --rtl also sends every layer through the generated RTL \
        and checks every output against that path. The report then gives fidelity against FP32 \
        (computed in the same run) and the array's cycles, energy and bits moved for the whole run. \
        Activation scales are per batch: --batch 1 gives every sentence its own. Outputs are \
        written all-or-nothing.
        """)

    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt).") var model: String
    @Option(help: "UTF-8 text file, one sentence per line (no blank lines).") var sentences: String
    @Option(help: "Arithmetic of every linear layer: fp32 (the float reference, the default without --plan), or a4w4, a8w4, a4w8, a8w8 or standard (the array's own formats, as antgen run; MX's only choice) on --array.")
    var precision: String?
    @OptionGroup var selection: ArraySelection
    @Flag(help: "Also run every linear layer through the array's RTL (Verilator, one cached build), checking every output against the golden path.")
    var rtl = false
    @Flag(help: "Also put the attention products (Q·Kᵀ, P·V) on the array (default: float).") var attentionOnArray = false
    @Option(help: "Verilator build cache for --rtl.") var cacheDir: String = ".antgen-cache"
    @Flag(help: "Do not synthesize the array for its PE energy (PEs and array logic priced 0).") var noSynth = false
    @Option(help: "Write the embeddings here: float32 .npy, [sentences, hidden].") var out: String
    @Option(help: "Write the report as JSON here.") var json: String?
    @Option(help: "Sentences per batch through the linear layers (memory is one batch's activations).") var batch: Int = 16
    @Option(help: "Run only the batches j (0-based, --batch sentences each) with j mod N = i - 1 and write a shard file (--json) for `antgen merge`.")
    var shard: String?

    func validate() throws { try selection.refuseOptions(notTakenBy: "infer") }

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        let shardValue = try shard.map { try Shard(parsing: $0) }
        if shardValue != nil, json == nil { throw CLIError("--shard writes a shard file: give --json (join the shards with `antgen merge`)") }
        let arrayRun = try arrayExecutor()
        let executor = try arrayRun?.executor ?? linearExecutor()
        guard batch > 0 else { throw CLIError("invalid batch: \(batch) (must be at least 1)") }
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        let corpus = try SentenceCorpus.read(path: sentences)
        let loadStart = Date()
        let bert = try BertModel.load(folder: URL(fileURLWithPath: model))
        let loadSeconds = Date().timeIntervalSince(loadStart)
        try arrayRun?.executor.preflight(LinearLayerName.all(layers: bert.configuration.layers).map(\.description))
        let start = Date()
        let run = InferShardRun(model: bert, corpus: corpus, batch: batch, shard: shardValue ?? .all)
        let outcome = try run.run(executor: executor, array: arrayRun?.executor, progress: progressPrinter(start: start))
        let seconds = Date().timeIntervalSince(start)
        let priced = try outcome.priced(array: arrayRun?.executor, cells: try arrayRun?.cells(noSynth: noSynth))
        let document = try shardDocument(arrayRun: arrayRun, bert: bert, corpus: corpus, run: run, batches: priced.batches,
                                         energySource: priced.energySource, loadSeconds: loadSeconds, seconds: seconds)
        var outputs = StagedOutputs()
        if let shardValue, let json {
            let values = priced.batches.flatMap(\.embeddings.values)
            try outputs.stageNpy(values, shape: [document.report.sentences, bert.configuration.hidden], target: out)
            try outputs.stage(try document.jsonData(), target: json)
            try outputs.commit()
            print("infer: shard \(shardValue): \(document.report.sentences) of \(corpus.count) sentences (\(priced.batches.count) of \(run.batchCount) batches) at "
                + "\(document.report.precision) in " + String(format: "%.2f s", seconds) + " -> \(json) (join the shards with `antgen merge`)")
            return
        }
        let assembly = try InferAssembly.assemble([document], embeddingsPath: out, loadSeconds: loadSeconds, inferSeconds: seconds)
        try outputs.stageNpy(assembly.embeddings, shape: [assembly.report.sentences, bert.configuration.hidden], target: out)
        if let json { try outputs.stage(try assembly.jsonData(), target: json) }
        try outputs.commit()
        Self.printSummary(assembly)
    }

    /// The run as a shard document (the whole run is shard 1/1).
    func shardDocument(arrayRun: InferArrayRun?, bert: BertModel, corpus: [String], run: InferShardRun, batches: [InferBatch],
                       energySource: String?, loadSeconds: Double, seconds: Double) throws -> InferShardDocument {
        let label = arrayRun?.label ?? "fp32"
        let selector = arrayRun?.executor.variant.selectorArguments.joined(separator: " ")
        let mine = SentenceEmbeddings(count: batches.reduce(0) { $0 + $1.tokens.count }, width: bert.configuration.hidden,
                                      values: batches.flatMap(\.embeddings.values), tokens: batches.flatMap(\.tokens),
                                      truncated: batches.reduce(0) { $0 + $1.truncated })
        let report = InferenceReport(model: bert, folder: model, precision: label, corpus: sentences, result: mine, embeddings: out,
                                     loadSeconds: loadSeconds, inferSeconds: seconds)
        let settings = "precision \(label), array \(selector ?? "none"), batch \(batch), attention-on-array \(attentionOnArray), rtl \(rtl), synth \(!noSynth)"
        let sharded = shard != nil
        let info = ModelShardInfo(kind: "infer", shard: run.shard, unit: "batch", units: run.batchCount,
                                  model: sharded ? ModelDigest.model(folder: URL(fileURLWithPath: model)) : "",
                                  corpus: sharded ? ModelDigest.corpus(corpus) : "", settings: settings)
        let header = selector.map { InferArrayHeader(selector: $0, precision: label, energySource: energySource ?? "") }
        return InferShardDocument(shard: info, report: report, array: header, batches: batches)
    }

    /// The terminal summary of a whole run (unsharded, or `antgen merge`).
    static func printSummary(_ assembly: InferAssembly) {
        let report = assembly.report
        print("infer: \(report.sentences) sentences (\(report.tokens.total) tokens, \(report.truncated) truncated) at \(report.precision) in "
            + String(format: "%.2f s", report.timing.inferSeconds) + " -> \(report.embeddings) [\(report.sentences), \(report.model.hidden)]")
        if let f = report.fidelity {
            print(String(format: "fidelity vs fp32: cosine mean %.6f min %.6f (sentence %d), top-1 %.3f, top-5 overlap %.3f, Spearman %@",
                         f.meanCosine, f.minCosine, f.worstSentence, f.top1Agreement, f.top5Overlap, f.spearman.map { String(format: "%.4f", $0) } ?? "n/a"))
        }
        for line in assembly.array?.lines ?? [] { print(line) }
    }

    /// The variant run `--precision aXwY` or `--plan` asks for (nil: fp32).
    func arrayExecutor() throws -> InferArrayRun? {
        let plan = selection.ant.plan
        if precision == "fp32" && plan != nil { throw CLIError("--plan runs on the array; --precision fp32 is the float reference") }
        if plan == nil && (precision == nil || precision == "fp32") {
            if rtl || attentionOnArray {
                throw CLIError("\(rtl ? "--rtl" : "--attention-on-array") runs layers on the array: give --precision a4w4|a8w4|a4w8|a8w8|standard or --plan")
            }
            return nil
        }
        let uniform = try precision.map { try LayerPrecision(parsing: $0) }
        let variant = try selection.variant()
        let request = rtl ? LayerRunRequest(cacheDirectory: URL(fileURLWithPath: cacheDir)) : nil
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("infer --rtl: \($0)\n".utf8)) }
        if let plan {
            let executor = VariantLinearExecutor(variant: variant, plan: try PlanPrecisions.read(atPath: plan), fallback: uniform ?? .standard, rtl: request,
                                                    attentionOnArray: attentionOnArray, log: log)
            return InferArrayRun(executor: executor, label: "plan \(plan)" + (uniform.map { " (else \($0))" } ?? ""))
        }
        guard let uniform else { return nil }
        return InferArrayRun(executor: VariantLinearExecutor(variant: variant, precision: uniform, rtl: request, attentionOnArray: attentionOnArray, log: log), label: uniform.description)
    }

    /// The executor for `--precision` (one case per supported arithmetic).
    func linearExecutor() throws -> any LinearExecutor {
        switch precision {
        case nil, "fp32": return Float32Linear()
        default: throw CLIError("invalid precision: '\(precision ?? "")' (use fp32, a4w4, a8w4, a4w8, a8w8 or standard)")
        }
    }

    /// Progress on standard error, at most every two seconds and at the end of long runs.
    func progressPrinter(start: Date) -> @Sendable (Int, Int) -> Void {
        let last = LockedTime()
        return { done, total in
            let now = Date()
            guard now.timeIntervalSince(last.swap(now, ifOlderThan: 2)) >= 2 || (done == total && now.timeIntervalSince(start) > 2) else { return }
            let line = "infer: \(done)/\(total) sentences, " + String(format: "%.1f s", now.timeIntervalSince(start)) + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

/// The time of the last progress line (the callback is @Sendable).
private final class LockedTime: @unchecked Sendable {
    private var time = Date()
    private let lock = NSLock()

    /// Returns the stored time, replacing it with `now` when it is older than `seconds`.
    func swap(_ now: Date, ifOlderThan seconds: Double) -> Date {
        lock.lock()
        defer { lock.unlock() }
        let old = time
        if now.timeIntervalSince(old) >= seconds { time = now }
        return old
    }
}

/// The array half of an `antgen infer` run: the executor and how to price it.
struct InferArrayRun {
    /// The executor every linear layer goes through.
    let executor: VariantLinearExecutor
    /// `a8w4` or `plan FILE`.
    let label: String

    /// The array's Yosys cells for pricing its PEs (nil with `noSynth`).
    func cells(noSynth: Bool) throws -> ArrayCells? {
        noSynth ? nil : try executor.variant.perfCells(synthesizer: Synthesizer()) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    }
}
