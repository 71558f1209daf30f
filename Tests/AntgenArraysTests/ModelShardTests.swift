import AntgenArrays
import AntgenHarness
import AntgenModel
import Foundation
import Testing

/// Sharded `infer` and `compare` on a tiny generated BERT: the shards' files merge into the
/// same report, byte for byte, as one unsharded run; incomplete or mixed shard sets are refused.
@Suite struct ModelShardTests {
    static let corpus = ["the cat sat on the mat .", "hello world !", "a dog ran .", "the dog sat on a cat ?", "unaffable cafe",
                         "the mat sat .", "hello cat"]

    static func variant() throws -> any ArrayVariant {
        try ArraySelection.parse(["--array", "ant", "--rows", "4", "--cols", "4"]).variant()
    }

    /// One shard of an a8w8 run with batches of 2 sentences, as `antgen infer --shard` builds it (timing 0).
    static func inferShard(_ model: BertModel, folder: URL, shard: Shard, corpus: [String] = corpus) throws -> InferShardDocument {
        let executor = VariantLinearExecutor(variant: try variant(), precision: .uniform(activationBits: 8, weightBits: 8))
        let run = InferShardRun(model: model, corpus: corpus, batch: 2, shard: shard)
        let priced = try run.run(executor: executor, array: executor).priced(array: executor, cells: nil)
        let mine = SentenceEmbeddings(count: priced.batches.reduce(0) { $0 + $1.tokens.count }, width: model.configuration.hidden,
                                      values: priced.batches.flatMap(\.embeddings.values), tokens: priced.batches.flatMap(\.tokens), truncated: 0)
        let report = InferenceReport(model: model, folder: "tiny", precision: "a8w8", corpus: "s.txt", result: mine, embeddings: "e.npy",
                                     loadSeconds: 0, inferSeconds: 0)
        let info = ModelShardInfo(kind: "infer", shard: shard, unit: "batch", units: run.batchCount, model: ModelDigest.model(folder: folder),
                                  corpus: ModelDigest.corpus(corpus), settings: "a8w8")
        let header = InferArrayHeader(selector: executor.variant.selectorArguments.joined(separator: " "), precision: "a8w8",
                                      energySource: priced.energySource ?? "")
        return InferShardDocument(shard: info, report: report, array: header, batches: priced.batches)
    }

    /// Round-trips through JSON, as the shard files do.
    static func reread(_ document: InferShardDocument) throws -> InferShardDocument {
        try JSONDecoder().decode(InferShardDocument.self, from: try document.jsonData())
    }

    @Test func inferShardsMergeToTheUnshardedReportByteForByte() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        let whole = try InferAssembly.assemble([try Self.inferShard(model, folder: tiny.folder, shard: .all)], embeddingsPath: "e.npy",
                                               loadSeconds: 0, inferSeconds: 0)
        // the unsharded assembly is the plain forward pass: same embeddings, same priced products
        let direct = VariantLinearExecutor(variant: try Self.variant(), precision: .uniform(activationBits: 8, weightBits: 8))
        let embedded = try model.embed(Self.corpus, executor: direct, options: ForwardOptions(batchSize: 2))
        #expect(whole.embeddings == embedded.values)
        #expect(whole.array == ModelArrayReport(executor: direct, precision: "a8w8", performance: try direct.performance()))
        #expect(whole.array?.products == 4 * 12) // 4 batches × 2 layers × 6 linear layers
        let reference = try model.embed(Self.corpus, options: ForwardOptions(batchSize: 2))
        #expect(whole.report.fidelity == (try FidelityReport.compare(embedded, reference: reference)))

        for n in [2, 3, 4] {
            let shards = try (1 ... n).reversed().map { try Self.reread(Self.inferShard(model, folder: tiny.folder, shard: Shard(parsing: "\($0)/\(n)"))) }
            try ModelShardInfo.checkComplete(shards.map(\.shard), files: shards.map { "s\($0.shard.index).json" })
            let merged = try InferAssembly.assemble(shards, embeddingsPath: "e.npy", loadSeconds: 0, inferSeconds: 0)
            #expect(try merged.jsonData() == (try whole.jsonData()), "\(n) shards")
            #expect(merged.embeddings.map(\.bitPattern) == whole.embeddings.map(\.bitPattern))
        }
    }

    @Test func incompleteOrMixedShardSetsAreOneLine() throws {
        let tiny = try TinyBert(), other = try TinyBert(seed: 8)
        defer { tiny.remove(); other.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        func info(_ s: String, folder: URL? = nil, corpus: [String] = Self.corpus) throws -> ModelShardInfo {
            ModelShardInfo(kind: "infer", shard: try Shard(parsing: s), unit: "batch", units: 4, model: ModelDigest.model(folder: folder ?? tiny.folder),
                           corpus: ModelDigest.corpus(corpus), settings: "a8w8")
        }
        func message(_ infos: [ModelShardInfo]) -> String {
            do { try ModelShardInfo.checkComplete(infos, files: infos.indices.map { "f\($0).json" }); return "" } catch { return "\(error)" }
        }
        #expect(message([try info("1/3"), try info("3/3")]).contains("missing shard 2/3"))
        #expect(message([try info("1/2"), try info("2/2"), try info("2/2")]).contains("both shard 2/2: shards overlap"))
        #expect(message([try info("1/2"), try info("2/2", folder: other.folder)]).contains("different model"))
        #expect(message([try info("1/2"), try info("2/2", corpus: ["x"])]).contains("different corpus"))
        #expect(message([try info("1/2"), try info("2/3")]).contains("different shard count"))
        for m in [message([try info("1/3"), try info("3/3")]), message([try info("1/2"), try info("2/2", folder: other.folder)])] {
            #expect(!m.contains("\n"))
        }
        // a batch missing from otherwise complete files is refused by the assembly too
        var shard = try Self.inferShard(model, folder: tiny.folder, shard: .all)
        shard.batches.remove(at: 1)
        #expect(throws: VariantError.self) { try InferAssembly.assemble([shard], embeddingsPath: "e.npy", loadSeconds: 0, inferSeconds: 0) }
    }

    @Test func compareShardsMergeToTheUnshardedJsonByteForByte() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        let entries = try ComparisonEntry.select("ant-a8w8,int-a4w4,int-a8w8,pwlq-a4w4")
        let settings = ComparisonSettings(rows: 4, cols: 4, batch: 2)
        let whole = try ModelComparison.run(model: model, corpus: Self.corpus, entries: entries, settings: settings)
        for n in [2, 3, 5, 7] {
            let documents = try (1 ... n).map { i -> ComparisonShardDocument in
                let shard = try Shard(parsing: "\(i)/\(n)")
                let info = ModelShardInfo(kind: "compare", shard: shard, unit: "entry", units: entries.count, model: ModelDigest.model(folder: tiny.folder),
                                          corpus: ModelDigest.corpus(Self.corpus), settings: "s")
                let part = try ModelComparison.run(model: model, corpus: Self.corpus, entries: entries, settings: settings, shard: shard)
                return try JSONDecoder().decode(ComparisonShardDocument.self, from: try ComparisonShardDocument(shard: info, comparison: part).jsonData())
            }
            #expect(documents.map(\.comparison.entries.count).reduce(0, +) == entries.count)
            let merged = try ComparisonShardDocument.merge(Array(documents.reversed()), files: (1 ... n).map { "c\($0).json" })
            #expect(try merged.jsonData() == (try whole.jsonData()), "\(n) shards")
            #expect(merged.markdown == whole.markdown && merged.charts.map(\.svg) == whole.charts.map(\.svg))
        }
    }
}
