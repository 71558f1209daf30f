import AntgenArrays
import AntgenModel
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen merge`: the shard files of a sharded `antgen infer` or `antgen compare` run joined
/// into the outputs one unsharded run writes (docs/model.md "Sharding").
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shard files of `antgen infer --shard i/N` or `antgen compare --shard i/N` into the unsharded run's outputs.",
        discussion: """
        Give all N shard files (any order). They must come from one run: the same command, N, model, corpus and \
        settings, each shard once. infer shards give --out EMB.npy and --json R.json, the same bytes as one \
        unsharded run (timing aside: the merged timing is the shards' sums); compare shards give --json, --md and \
        --svg-prefix as compare does. Outputs are written all-or-nothing.
        """)

    @Argument(help: "The shard files (the --json of each shard).") var files: [String]
    @Option(help: "Write the merged JSON report here.") var json: String?
    @Option(help: "infer: write the merged embeddings here (float32 .npy, [sentences, hidden]).") var out: String?
    @Option(help: "compare: write the markdown table here.") var md: String?
    @Option(help: "compare: write PREFIX-energy.svg and PREFIX-cycles.svg.") var svgPrefix: String?

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        let read = try files.map { try ModelShardInfo.read($0) }
        try ModelShardInfo.checkComplete(read.map(\.info), files: files)
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ file: String) throws -> T {
            do { return try decoder.decode(type, from: data) } catch { throw CLIError("merge: \(file) is not a complete shard file (\(error))") }
        }
        switch read[0].info.kind {
        case "infer":
            let documents = try zip(read, files).map { try decode(InferShardDocument.self, $0.data, $1) }
            try mergeInfer(documents)
        case "compare":
            let documents = try zip(read, files).map { try decode(ComparisonShardDocument.self, $0.data, $1) }
            try mergeCompare(documents)
        default:
            throw CLIError("merge: \(files[0]) is a shard of '\(read[0].info.kind)', which antgen merge does not know")
        }
    }

    func mergeInfer(_ documents: [InferShardDocument]) throws {
        guard let out else { throw CLIError("merge: infer shards need --out EMB.npy (the merged embeddings)") }
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        guard md == nil, svgPrefix == nil else { throw CLIError("merge: --md and --svg-prefix are for compare shards") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        let assembly = try InferAssembly.assemble(documents, embeddingsPath: out,
                                                  loadSeconds: documents.reduce(0) { $0 + $1.report.timing.loadSeconds },
                                                  inferSeconds: documents.reduce(0) { $0 + $1.report.timing.inferSeconds })
        var outputs = StagedOutputs()
        try outputs.stageNpy(assembly.embeddings, shape: [assembly.report.sentences, assembly.report.model.hidden], target: out)
        if let json { try outputs.stage(try assembly.jsonData(), target: json) }
        try outputs.commit()
        print("merge: \(documents.count) infer shards")
        InferCommand.printSummary(assembly)
    }

    func mergeCompare(_ documents: [ComparisonShardDocument]) throws {
        guard out == nil else { throw CLIError("merge: --out is for infer shards (compare writes --json, --md, --svg-prefix)") }
        let outputs = ComparisonOutputs(markdown: md, json: json, svgPrefix: svgPrefix)
        try outputs.checkTargets(withArea: true)
        try outputs.write(try ComparisonShardDocument.merge(documents, files: files))
    }
}
