import AntgenArrays
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
        configuration; --no-synth leaves PEs unpriced and gives no area). Outputs are written all-or-nothing.
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
    @Option(help: "Write the markdown table here.") var md: String?
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Write PREFIX-energy.svg and PREFIX-cycles.svg (Pareto charts).") var svgPrefix: String?

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        let selected = try ComparisonEntry.select(entries)
        guard rows > 0, cols > 0, batch > 0 else { throw CLIError("--rows, --cols and --batch must be at least 1") }
        let svgTargets = svgPrefix.map { p in ["energy", "cycles"].map { "\(p)-\($0).svg" } } ?? []
        for path in [md, json].compactMap({ $0 }) + svgTargets { try checkWritable(path, what: "output") }
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
        let settings = ComparisonSettings(rows: rows, cols: cols, batch: batch, cells: cells, log: log)
        let result = try ModelComparison.run(model: bert, corpus: corpus, entries: selected, settings: settings)
        let staged = StagedFiles()
        if let md { try staged.write(Data(result.markdown.utf8), to: md) }
        if let json { try staged.write(try result.jsonData(), to: json) }
        if let svgPrefix {
            for chart in result.charts { try staged.write(Data(chart.svg.utf8), to: "\(svgPrefix)-\(chart.name).svg") }
        }
        try staged.commit()
        print(result.markdown, terminator: "")
    }
}
