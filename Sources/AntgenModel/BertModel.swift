import Foundation

/// A BERT-layout sentence encoder as the sentence-transformers pipeline runs it: WordPiece
/// tokens → embeddings → encoder layers → mean pooling over the sentence's tokens → L2
/// normalisation. Every matrix product goes through a ``LinearExecutor``.
public struct BertModel: Sendable {
    /// The shape and pipeline settings.
    public let configuration: BertConfiguration
    /// The tensors.
    public let weights: BertWeights
    /// The tokenizer (vocab.txt, `maxSequenceLength`).
    public let tokenizer: WordPieceTokenizer

    /// Assembles a model from parts already checked against each other.
    ///
    /// - Throws: ``ModelError`` when the vocabulary size differs from the embedding rows.
    public init(configuration: BertConfiguration, weights: BertWeights, tokenizer: WordPieceTokenizer) throws(ModelError) {
        let entries = (tokenizer.vocabulary.values.max() ?? -1) + 1
        guard entries == weights.word.rows else {
            throw ModelError("vocab.txt has \(entries) tokens but the word embedding table has \(weights.word.rows) rows: the vocabulary does not belong to this model")
        }
        self.configuration = configuration
        self.weights = weights
        self.tokenizer = tokenizer
    }

    /// Loads a model folder as the model package ships it: config.json, model.safetensors and
    /// vocab.txt, plus tokenizer_config.json and sentence_bert_config.json when present.
    ///
    /// - Throws: ``ModelError`` (one line) for missing files, an unknown architecture,
    ///   missing config keys or tensors, wrong shapes, or a vocabulary that does not match
    ///   the embedding table.
    public static func load(folder: URL) throws(ModelError) -> BertModel {
        let configuration = try BertConfiguration.load(folder: folder)
        let vocabURL = folder.appendingPathComponent("vocab.txt")
        guard let data = FileManager.default.contents(atPath: vocabURL.path) else {
            throw ModelError("\(vocabURL.path): no such file or not readable (a model folder holds config.json, model.safetensors and vocab.txt)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ModelError("\(vocabURL.path): not UTF-8 text") }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        lines = lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        guard lines.count == configuration.vocabularySize else {
            throw ModelError("\(vocabURL.path) has \(lines.count) tokens but config.json's vocab_size is \(configuration.vocabularySize): the vocabulary does not match the embedding table")
        }
        let tokenizer = try WordPieceTokenizer(vocabularyLines: lines, lowercase: configuration.lowercase,
                                               stripAccents: configuration.stripAccents, maxLength: configuration.maxSequenceLength)
        let modelPath = folder.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw ModelError("\(modelPath): no such file (a model folder holds config.json, model.safetensors and vocab.txt)")
        }
        let weights = try BertWeights.load(path: modelPath, configuration: configuration)
        return try BertModel(configuration: configuration, weights: weights, tokenizer: tokenizer)
    }
}

/// How ``BertModel/embed(_:executor:options:)`` batches and reports.
public struct ForwardOptions: Sendable {
    /// Sentences packed into one run of the linear layers (their token rows one after another,
    /// no padding). Memory is bounded by one batch's activations.
    public var batchSize: Int
    /// Called after each batch with (sentences done, total), from the calling thread.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// Creates the options.
    public init(batchSize: Int = 16, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.batchSize = max(1, batchSize)
        self.progress = progress
    }
}

/// Sentence embeddings of a corpus and what it took.
public struct SentenceEmbeddings: Sendable, Equatable {
    /// Sentences (rows).
    public let count: Int
    /// Embedding width (columns).
    public let width: Int
    /// `count × width` values, row-major; each row has unit L2 norm.
    public let values: [Float]
    /// Tokens of each sentence after truncation, `[CLS]` and `[SEP]` included.
    public let tokens: [Int]
    /// How many sentences were truncated to the model's maximum sequence length.
    public let truncated: Int

    /// Creates the result.
    public init(count: Int, width: Int, values: [Float], tokens: [Int], truncated: Int) {
        precondition(values.count == count * width && tokens.count == count, "SentenceEmbeddings: inconsistent sizes")
        (self.count, self.width, self.values, self.tokens, self.truncated) = (count, width, values, tokens, truncated)
    }

    /// Row `index`.
    public func row(_ index: Int) -> ArraySlice<Float> { values[index * width ..< (index + 1) * width] }
}

extension BertModel {
    /// Embeds every sentence: tokenized, run in batches of `options.batchSize` sentences,
    /// mean-pooled over the sentence's own tokens and L2-normalised.
    ///
    /// - Throws: what the executor throws.
    public func embed(_ sentences: [String], executor: any LinearExecutor = Float32Linear(),
                      options: ForwardOptions = ForwardOptions()) throws -> SentenceEmbeddings {
        var values: [Float] = []
        values.reserveCapacity(sentences.count * configuration.hidden)
        var tokens: [Int] = [], truncated = 0
        var start = 0
        while start < sentences.count {
            let end = min(sentences.count, start + options.batchSize)
            let encodings = sentences[start ..< end].map { tokenizer.encode($0) }
            truncated += encodings.filter(\.truncated).count
            tokens += encodings.map(\.ids.count)
            values += try embedBatch(encodings.map(\.ids), executor: executor)
            start = end
            options.progress?(end, sentences.count)
        }
        return SentenceEmbeddings(count: sentences.count, width: configuration.hidden, values: values, tokens: tokens, truncated: truncated)
    }

    /// The pooled, normalised embeddings of a batch of token-id sequences, row after row.
    ///
    /// - Throws: what the executor throws.
    public func embedBatch(_ batch: [[Int]], executor: any LinearExecutor) throws -> [Float] {
        let hidden = try encode(batch, executor: executor)
        var out: [Float] = []
        out.reserveCapacity(batch.count * configuration.hidden)
        var row = 0
        for ids in batch {
            var sum = [Double](repeating: 0, count: configuration.hidden)
            for r in row ..< row + ids.count {
                for c in 0 ..< configuration.hidden { sum[c] += Double(hidden[r, c]) }
            }
            row += ids.count
            let mean = sum.map { $0 / Double(ids.count) }
            let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            out += mean.map { Float($0 / norm) }
        }
        return out
    }
}
