import AntgenArrays
import AntgenHarness
import AntgenModel
import AntgenPerf
import AntgenSupport
import AntgenSynth
import ArgumentParser
import Foundation

/// `antgen compare`: one model and corpus through a set of array variants and precisions
/// (docs/model.md "compare"), as a markdown table, JSON and two SVG Pareto charts.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run a model and corpus through several arrays and precisions: fidelity, cycles, energy, area, weight bits.",
        discussion: """
        The FP32 pass runs once; every entry's fidelity is against it. Entries (--entries, comma-separated; \
        default all): \(ComparisonEntry.standardSet.map(\.name).joined(separator: ", ")). Each entry runs every \
        linear layer on its array's golden integer path (bit-identical to the RTL); cycles are the performance \
        model's (the RTL's count), energy and area come from the array synthesized with Yosys (cached per \
        configuration; --no-synth leaves PEs unpriced and gives no area; --synth-rows/--synth-cols synthesize a smaller \
        array and scale its cells per PE). Outputs are written all-or-nothing.
        """)

    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt).") var model: String
    @Option(help: "UTF-8 text file, one sentence per line (no blank lines).") var sentences: String
    @Option(help: "Use only the first N sentences.") var limit: Int?
    @Option(help: "Entries to run, comma-separated (fp32 is always run).") var entries: String?
    @Option(help: "PE rows of every array.") var rows: Int = 32
    @Option(help: "PE columns of every array.") var cols: Int = 32
    @Option(help: "Sentences per batch through the linear layers.") var batch: Int = 16
    @Flag(help: "Do not synthesize the arrays (no area; PEs and array logic priced 0).") var noSynth = false
    @Option(help: "Cache folder for the synthesized cells.") var cacheDir: String = ".antgen-cache"
    @Option(help: "Synthesize the arrays at this many PE rows (with --synth-cols) and scale their cells per PE to --rows x --cols (faster; approximate area and energy).")
    var synthRows: Int?
    @Option(help: "PE columns of the smaller synthesized arrays (with --synth-rows).") var synthCols: Int?
    @Option(help: "Write the markdown table here.") var md: String?
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Write PREFIX-energy.svg, PREFIX-cycles.svg and, with synthesis, PREFIX-area.svg (Pareto charts).") var svgPrefix: String?
    @Option(help: "Run only the entries j (0-based, fp32 included) with j mod N = i - 1 and write a shard file (--json) for `antgen merge`.")
    var shard: String?

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        let selected = try ComparisonEntry.select(entries)
        let shardValue = try shard.map { try Shard(parsing: $0) }
        if shardValue != nil {
            guard json != nil else { throw CLIError("--shard writes a shard file: give --json (join the shards with `antgen merge`)") }
            guard md == nil, svgPrefix == nil else { throw CLIError("--md and --svg-prefix come from `antgen merge` of the shard files, not from one shard") }
        }
        guard rows > 0, cols > 0, batch > 0 else { throw CLIError("--rows, --cols and --batch must be at least 1") }
        guard (synthRows == nil) == (synthCols == nil) else { throw CLIError("--synth-rows and --synth-cols go together") }
        if let synthRows, let synthCols {
            guard !noSynth else { throw CLIError("--synth-rows/--synth-cols price synthesized cells: not with --no-synth") }
            guard synthRows > 0, synthCols > 0, synthRows <= rows, synthCols <= cols else {
                throw CLIError("--synth-rows/--synth-cols must be between 1 and --rows/--cols")
            }
        }
        let outputs = ComparisonOutputs(markdown: md, json: json, svgPrefix: svgPrefix)
        try outputs.checkTargets(withArea: !noSynth)
        var corpus = try SentenceCorpus.read(path: sentences)
        if let limit {
            guard limit > 0 else { throw CLIError("--limit must be at least 1") }
            corpus = Array(corpus.prefix(limit))
        }
        let bert = try BertModel.load(folder: URL(fileURLWithPath: model))
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let root = URL(fileURLWithPath: cacheDir)
        var cells: (@Sendable (any ArrayVariant) throws -> ArrayCells)?
        if !noSynth {
            cells = { (variant: any ArrayVariant) throws -> ArrayCells in
                try variant.perfCells(synthesizer: Synthesizer(), cacheRoot: root, announce: { log($0) })
            }
        }
        var settings = ComparisonSettings(rows: rows, cols: cols, batch: batch, cells: cells, log: log)
        if let synthRows, let synthCols, (synthRows, synthCols) != (rows, cols) { settings.synthesisSize = (synthRows, synthCols) }
        if let shardValue, let json {
            return try runShard(shardValue, json: json, bert: bert, corpus: corpus, entries: selected, settings: settings)
        }
        let result = try ModelComparison.run(model: bert, corpus: corpus, entries: selected, settings: settings)
        try outputs.write(result)
    }

    /// One shard: its entries only, written as a shard file for `antgen merge`.
    func runShard(_ shard: Shard, json: String, bert: BertModel, corpus: [String], entries: [ComparisonEntry], settings: ComparisonSettings) throws {
        let info = ModelShardInfo(kind: "compare", shard: shard, unit: "entry", units: entries.count,
                                  model: ModelDigest.model(folder: URL(fileURLWithPath: model)), corpus: ModelDigest.corpus(corpus),
                                  settings: ComparisonShardDocument.settings(entries: entries, rows: rows, cols: cols, batch: batch, synthesized: !noSynth))
        let result = try ModelComparison.run(model: bert, corpus: corpus, entries: entries, settings: settings, shard: shard)
        let staged = StagedFiles()
        try staged.write(try ComparisonShardDocument(shard: info, comparison: result).jsonData(), to: json)
        try staged.commit()
        print("compare: shard \(shard) of \(entries.count) entries: \(result.entries.map(\.entry.name).joined(separator: ", ")) -> \(json)")
    }
}
