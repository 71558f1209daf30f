import Foundation

/// The JSON report of `antgen infer`.
public struct InferenceReport: Codable, Sendable {
    /// The model as loaded.
    public struct Model: Codable, Sendable {
        /// The model folder.
        public var folder: String
        /// Width, heads, layers, FFN width, vocabulary, maximum positions, the truncation
        /// length used and the LayerNorm epsilon.
        public var hidden: Int, heads: Int, layers: Int, intermediate: Int, vocabulary: Int, maxPositions: Int, maxSequenceLength: Int
        public var layerNormEpsilon: Double
        /// Linear layers per sentence (6 per encoder layer).
        public var linearLayers: Int
    }

    /// Token counts (after truncation, `[CLS]` and `[SEP]` included).
    public struct Tokens: Codable, Sendable {
        /// Sum over the corpus, the longest and the mean sentence.
        public var total: Int, longest: Int
        public var mean: Double
    }

    /// Wall-clock seconds.
    public struct Timing: Codable, Sendable {
        /// Loading the model, running the corpus, and sentences per second of the run.
        public var loadSeconds: Double, inferSeconds: Double, sentencesPerSecond: Double
    }

    /// The model.
    public var model: Model
    /// `fp32`, or the variant's precision.
    public var precision: String
    /// The corpus file.
    public var corpus: String
    /// Sentences embedded.
    public var sentences: Int
    /// Token counts.
    public var tokens: Tokens
    /// Sentences cut to `maxSequenceLength` tokens, as the model's own pipeline cuts them.
    public var truncated: Int
    /// The embeddings file (float32, [sentences, hidden]).
    public var embeddings: String
    /// Timing.
    public var timing: Timing
    /// Fidelity against FP32 (absent for the FP32 run itself).
    public var fidelity: FidelityReport?

    /// Assembles the report of one run.
    public init(model: BertModel, folder: String, precision: String, corpus: String, result: SentenceEmbeddings,
                embeddings: String, loadSeconds: Double, inferSeconds: Double, fidelity: FidelityReport? = nil) {
        let c = model.configuration
        let shape = Model(folder: folder, hidden: c.hidden, heads: c.heads, layers: c.layers, intermediate: c.intermediate,
                          vocabulary: c.vocabularySize, maxPositions: c.maxPositions, maxSequenceLength: c.maxSequenceLength,
                          layerNormEpsilon: Double("\(c.layerNormEpsilon)") ?? Double(c.layerNormEpsilon), linearLayers: 6 * c.layers)
        self.init(model: shape, precision: precision, corpus: corpus, result: result, embeddings: embeddings,
                  loadSeconds: loadSeconds, inferSeconds: inferSeconds, fidelity: fidelity)
    }

    /// Assembles a report from a model description already in a report (`antgen merge`).
    public init(model: Model, precision: String, corpus: String, result: SentenceEmbeddings,
                embeddings: String, loadSeconds: Double, inferSeconds: Double, fidelity: FidelityReport? = nil) {
        self.model = model
        self.precision = precision
        self.corpus = corpus
        sentences = result.count
        let total = result.tokens.reduce(0, +)
        tokens = Tokens(total: total, longest: result.tokens.max() ?? 0, mean: result.count == 0 ? 0 : Double(total) / Double(result.count))
        truncated = result.truncated
        self.embeddings = embeddings
        timing = Timing(loadSeconds: loadSeconds, inferSeconds: inferSeconds,
                        sentencesPerSecond: inferSeconds > 0 ? Double(result.count) / inferSeconds : 0)
        self.fidelity = fidelity
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
