import AntgenModel
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
        truncated and counted in the report. --precision fp32 is the float reference. Outputs are \
        written all-or-nothing.
        """)

    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt).") var model: String
    @Option(help: "UTF-8 text file, one sentence per line (no blank lines).") var sentences: String
    @Option(help: "Arithmetic of every linear layer: fp32 (the float reference).") var precision: String = "fp32"
    @Option(help: "Write the embeddings here: float32 .npy, [sentences, hidden].") var out: String
    @Option(help: "Write the report as JSON here.") var json: String?
    @Option(help: "Sentences per batch through the linear layers (memory is one batch's activations).") var batch: Int = 16

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        let executor = try linearExecutor()
        guard batch > 0 else { throw CLIError("invalid batch: \(batch) (must be at least 1)") }
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        let corpus = try SentenceCorpus.read(path: sentences)
        let loadStart = Date()
        let bert = try BertModel.load(folder: URL(fileURLWithPath: model))
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let start = Date()
        let result = try bert.embed(corpus, executor: executor, options: ForwardOptions(batchSize: batch, progress: progressPrinter(start: start)))
        let seconds = Date().timeIntervalSince(start)
        let report = InferenceReport(model: bert, folder: model, precision: precision, corpus: sentences, result: result,
                                     embeddings: out, loadSeconds: loadSeconds, inferSeconds: seconds)
        var outputs = StagedOutputs()
        try outputs.stageNpy(result.values, shape: [result.count, result.width], target: out)
        if let json { try outputs.stage(try report.jsonData(), target: json) }
        try outputs.commit()
        print("infer: \(result.count) sentences (\(report.tokens.total) tokens, \(result.truncated) truncated) at \(precision) in "
            + String(format: "%.2f s", seconds) + " -> \(out) [\(result.count), \(result.width)]")
    }

    /// The executor for `--precision` (one case per supported arithmetic).
    func linearExecutor() throws -> any LinearExecutor {
        switch precision {
        case "fp32": return Float32Linear()
        default: throw CLIError("invalid precision: '\(precision)' (use fp32)")
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
