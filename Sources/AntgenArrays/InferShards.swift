import AntgenHarness
import AntgenModel
import AntgenPerf
import Foundation

/// One product (one linear layer of one batch, or one attention product) as the performance
/// model priced it, and the RTL's cycles when it went through the RTL.
public struct ProductCost: Codable, Sendable, Equatable {
    /// The performance model's result for the product.
    public var result: LayerResult
    /// The RTL's count (nil: golden path only).
    public var rtlCycles: Int?

    /// Creates the cost.
    public init(result: LayerResult, rtlCycles: Int?) {
        self.result = result
        self.rtlCycles = rtlCycles
    }
}

/// Float32 values stored bit-exactly in JSON: base64 of their little-endian bytes.
public struct FloatBlock: Codable, Sendable, Equatable {
    /// The values.
    public var values: [Float]

    /// Wraps `values`.
    public init(_ values: [Float]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64 float32 data"))
        }
        values = stride(from: 0, to: data.count, by: 4).map { i in
            Float(bitPattern: (0 ..< 4).reduce(UInt32(0)) { $0 | UInt32(data[data.startIndex + i + $1]) << UInt32(8 * $1) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var data = Data(capacity: 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        var container = encoder.singleValueContainer()
        try container.encode(data.base64EncodedString())
    }
}

/// One batch of `--batch` sentences of an infer run: what the merge needs to rebuild the
/// whole run's report (embeddings bit-exact, token counts, every product's cost).
public struct InferBatch: Codable, Sendable, Equatable {
    /// The batch number (0-based) and its first sentence's line index.
    public var index: Int, firstSentence: Int
    /// Tokens of each sentence after truncation, and how many were truncated.
    public var tokens: [Int]
    public var truncated: Int
    /// The variant's embeddings, and FP32's when the run is on an array.
    public var embeddings: FloatBlock, reference: FloatBlock?
    /// Every product of the batch, in call order.
    public var products: [ProductCost]
}

/// The array half of a shard file: what prices the products.
public struct InferArrayHeader: Codable, Sendable, Equatable {
    /// The array's full selector, the precision label, and the energy constants' source.
    public var selector: String, precision: String, energySource: String

    /// Creates the header.
    public init(selector: String, precision: String, energySource: String) {
        (self.selector, self.precision, self.energySource) = (selector, precision, energySource)
    }
}

/// The JSON an `antgen infer --shard i/N` run writes, and what one unsharded run assembles
/// from: the report of this shard's sentences (no fidelity), the array header, the batches.
public struct InferShardDocument: Codable, Sendable {
    /// Which shard, of what.
    public var shard: ModelShardInfo
    /// The report of this shard's sentences alone (fidelity absent).
    public var report: InferenceReport
    /// The array (absent for fp32).
    public var array: InferArrayHeader?
    /// This shard's batches, ascending.
    public var batches: [InferBatch]

    /// Creates the document.
    public init(shard: ModelShardInfo, report: InferenceReport, array: InferArrayHeader?, batches: [InferBatch]) {
        (self.shard, self.report, self.array, self.batches) = (shard, report, array, batches)
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

/// Runs the batches of one shard of a corpus (all of them for shard 1/1): each batch of
/// `batch` sentences through `executor` (and FP32 first when `array` is set), exactly as an
/// unsharded ``BertModel/embed(_:executor:options:)`` batches them.
public struct InferShardRun {
    /// The model and its corpus.
    public let model: BertModel, corpus: [String]
    /// Sentences per batch, and the shard to run.
    public let batch: Int, shard: Shard

    /// Creates the run.
    public init(model: BertModel, corpus: [String], batch: Int, shard: Shard) {
        (self.model, self.corpus, self.batch, self.shard) = (model, corpus, max(1, batch), shard)
    }

    /// Batches in the whole corpus.
    public var batchCount: Int { (corpus.count + batch - 1) / batch }

    /// Sentences this shard holds.
    public var sentenceCount: Int { (0 ..< batchCount).filter { shard.contains($0) }.reduce(0) { $0 + min(batch, corpus.count - $1 * batch) } }

    /// Runs this shard's batches (FP32 too when `array` is set). `progress` gets (sentences
    /// done, sentences of this shard).
    /// - Throws: the executor's error (an RTL mismatch stops the run).
    public func run(executor: any LinearExecutor, array: VariantLinearExecutor?,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> InferShardOutcome {
        var outcome = InferShardOutcome()
        let total = sentenceCount
        var done = 0
        let options = ForwardOptions(batchSize: batch)
        for j in 0 ..< batchCount where shard.contains(j) {
            let slice = Array(corpus[j * batch ..< min(corpus.count, (j + 1) * batch)])
            let reference = try array.map { _ in try model.embed(slice, executor: Float32Linear(), options: options) }
            let before = array?.layers.count ?? 0
            let result = try model.embed(slice, executor: executor, options: options)
            outcome.ranges.append(before ..< (array?.layers.count ?? 0))
            outcome.batches.append(InferBatch(index: j, firstSentence: j * batch, tokens: result.tokens, truncated: result.truncated,
                                              embeddings: FloatBlock(result.values), reference: reference.map { FloatBlock($0.values) }, products: []))
            done += slice.count
            progress?(done, total)
        }
        return outcome
    }
}

/// The batches one ``InferShardRun`` computed, before their products are priced.
public struct InferShardOutcome: Sendable {
    /// The batches (products empty until ``priced(array:cells:)``).
    public var batches: [InferBatch] = []
    /// Each batch's records in the executor.
    var ranges: [Range<Int>] = []

    /// The batches with every product priced by the performance model on `array` (`cells`:
    /// its Yosys cells, nil for PEs unpriced), and the energy constants' source.
    /// - Throws: the performance model's one-line error.
    public func priced(array: VariantLinearExecutor?, cells: ArrayCells?) throws -> (batches: [InferBatch], energySource: String?) {
        guard let array else { return (batches, nil) }
        let performance = try array.performance(cells: cells)
        let records = array.layers
        var out = batches
        for (b, range) in ranges.enumerated() {
            out[b].products = range.map { ProductCost(result: performance.layers[$0], rtlCycles: records[$0].rtlCycles) }
        }
        return (out, performance.energySource)
    }
}

/// The whole run's outputs rebuilt from shard files (or from the one document of an
/// unsharded run): embeddings in corpus order, the report with fidelity against FP32, and the
/// array's cost summed over every product in unsharded order, so the result is the same,
/// byte for byte, as one unsharded run's (timing aside).
public struct InferAssembly: Sendable {
    /// The report (its `embeddings` names the merged .npy).
    public var report: InferenceReport
    /// The array's cost (nil for fp32).
    public var array: ModelArrayReport?
    /// All embeddings, [sentences, hidden] row-major.
    public var embeddings: [Float]

    /// Joins `documents` (already checked to be one complete run: ``ModelShardInfo/checkComplete(_:files:)``).
    /// - Throws: ``VariantError`` when the batches do not cover the corpus exactly once.
    public static func assemble(_ documents: [InferShardDocument], embeddingsPath: String, loadSeconds: Double,
                                inferSeconds: Double) throws -> InferAssembly {
        guard let first = documents.first else { throw VariantError("merge: no shard files given") }
        let batches = documents.flatMap(\.batches).sorted { $0.index < $1.index }
        var nextSentence = 0
        for (expected, b) in batches.enumerated() {
            guard b.index == expected, b.firstSentence == nextSentence else {
                throw VariantError("merge: batch \(expected) (sentence \(nextSentence)) is missing or repeated in the shard files")
            }
            nextSentence += b.tokens.count
        }
        guard batches.count == first.shard.units else { throw VariantError("merge: \(batches.count) of \(first.shard.units) batches present") }
        let width = first.report.model.hidden
        let result = SentenceEmbeddings(count: nextSentence, width: width, values: batches.flatMap(\.embeddings.values),
                                        tokens: batches.flatMap(\.tokens), truncated: batches.reduce(0) { $0 + $1.truncated })
        var fidelity: FidelityReport?
        var array: ModelArrayReport?
        if let header = first.array {
            let values = try batches.flatMap { b -> [Float] in
                guard let r = b.reference else { throw VariantError("merge: batch \(b.index) has no FP32 reference embeddings") }
                return r.values
            }
            let reference = SentenceEmbeddings(count: result.count, width: width, values: values, tokens: result.tokens, truncated: result.truncated)
            fidelity = try FidelityReport.compare(result, reference: reference)
            array = ModelArrayReport(selector: header.selector, precision: header.precision, energySource: header.energySource,
                                     products: batches.flatMap(\.products))
        }
        let report = InferenceReport(model: first.report.model, precision: first.report.precision, corpus: first.report.corpus, result: result,
                                     embeddings: embeddingsPath, loadSeconds: loadSeconds, inferSeconds: inferSeconds, fidelity: fidelity)
        return InferAssembly(report: report, array: array, embeddings: result.values)
    }

    /// The report's JSON, with the array's cost under `array` (absent for fp32).
    public func jsonData() throws -> Data {
        guard let array else { return try report.jsonData() }
        guard var object = try JSONSerialization.jsonObject(with: try report.jsonData()) as? [String: Any] else { return try report.jsonData() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        object["array"] = try JSONSerialization.jsonObject(with: try encoder.encode(array))
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) + Data("\n".utf8)
    }
}
