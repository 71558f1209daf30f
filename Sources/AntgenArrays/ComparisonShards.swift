import AntgenHarness
import Foundation

/// The JSON an `antgen compare --shard i/N` run writes: the rows of this shard's entries
/// (entry j, fp32 included, runs in shard j mod N + 1) and what they were run on.
public struct ComparisonShardDocument: Codable, Sendable {
    /// Which shard, of what.
    public var shard: ModelShardInfo
    /// This shard's rows, in entry order (headlines are drawn only after the merge).
    public var comparison: ModelComparisonResult

    /// Creates the document.
    public init(shard: ModelShardInfo, comparison: ModelComparisonResult) {
        self.shard = shard
        self.comparison = comparison
    }

    /// The settings line shards must share: array size, batch, synthesis and the entry list.
    public static func settings(entries: [ComparisonEntry], rows: Int, cols: Int, batch: Int, synthesized: Bool) -> String {
        "rows \(rows), cols \(cols), batch \(batch), synth \(synthesized), entries \(entries.map(\.name).joined(separator: ","))"
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The whole comparison from the N shards of one run (checked with
    /// ``ModelShardInfo/checkComplete(_:files:)`` first): rows back in entry order, the same
    /// result an unsharded run gives.
    /// - Throws: ``VariantError`` when a shard's rows do not match the entries it holds.
    public static func merge(_ documents: [ComparisonShardDocument], files: [String]) throws -> ModelComparisonResult {
        try ModelShardInfo.checkComplete(documents.map(\.shard), files: files)
        var rows: [Int: ComparisonRow] = [:]
        for (document, file) in zip(documents, files) {
            guard document.shard.held.count == document.comparison.entries.count else {
                throw VariantError("merge: \(file) holds \(document.comparison.entries.count) rows for \(document.shard.held.count) entries")
            }
            for (j, row) in zip(document.shard.held, document.comparison.entries) { rows[j] = row }
        }
        let first = documents[0].comparison
        return ModelComparisonResult(sentences: first.sentences, rows: first.rows, cols: first.cols, synthesized: first.synthesized,
                                     entries: (0 ..< documents[0].shard.units).compactMap { rows[$0] }, synthesizedAt: first.synthesizedAt)
    }
}
