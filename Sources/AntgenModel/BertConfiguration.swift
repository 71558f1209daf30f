import Foundation

/// The shape of a BERT-layout encoder, from the checkpoint's config.json, plus the pipeline
/// settings of the folder's optional tokenizer and sentence-transformers files.
public struct BertConfiguration: Sendable, Equatable {
    /// Model width (`hidden_size`).
    public let hidden: Int
    /// Attention heads (`num_attention_heads`); `hidden` is a multiple of it.
    public let heads: Int
    /// Encoder layers (`num_hidden_layers`).
    public let layers: Int
    /// FFN width (`intermediate_size`).
    public let intermediate: Int
    /// Position-embedding rows (`max_position_embeddings`).
    public let maxPositions: Int
    /// Vocabulary rows (`vocab_size`).
    public let vocabularySize: Int
    /// Token-type rows (`type_vocab_size`, 2 when absent).
    public let typeVocabularySize: Int
    /// LayerNorm epsilon (`layer_norm_eps`).
    public let layerNormEpsilon: Float
    /// The longest encoded sentence, `[CLS]` and `[SEP]` included: sentence_bert_config.json's
    /// `max_seq_length`, else tokenizer_config.json's `model_max_length`, never more than
    /// `maxPositions`.
    public let maxSequenceLength: Int
    /// `do_lower_case` of tokenizer_config.json (true when absent: the uncased models).
    public let lowercase: Bool
    /// `strip_accents` of tokenizer_config.json (nil: follow `lowercase`).
    public let stripAccents: Bool?

    /// Head width, `hidden / heads`.
    public var headWidth: Int { hidden / heads }

    /// Creates a configuration directly (tests; callers normally use ``load(folder:)``).
    public init(hidden: Int, heads: Int, layers: Int, intermediate: Int, maxPositions: Int, vocabularySize: Int,
                typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12, maxSequenceLength: Int? = nil,
                lowercase: Bool = true, stripAccents: Bool? = nil) {
        (self.hidden, self.heads, self.layers, self.intermediate) = (hidden, heads, layers, intermediate)
        (self.maxPositions, self.vocabularySize, self.typeVocabularySize) = (maxPositions, vocabularySize, typeVocabularySize)
        self.layerNormEpsilon = layerNormEpsilon
        self.maxSequenceLength = min(maxSequenceLength ?? maxPositions, maxPositions)
        (self.lowercase, self.stripAccents) = (lowercase, stripAccents)
    }

    /// Reads `folder/config.json` (required) and, when present, `tokenizer_config.json` and
    /// `sentence_bert_config.json`.
    ///
    /// - Throws: ``ModelError`` for a missing or unreadable config.json, a model that is not
    ///   BERT-layout (model_type other than `bert`, an activation other than exact `gelu`,
    ///   relative position embeddings), a missing or non-positive key, or heads not dividing
    ///   the width.
    public static func load(folder: URL) throws(ModelError) -> BertConfiguration {
        let config = try jsonObject(folder.appendingPathComponent("config.json"), required: true) ?? [:]
        let path = folder.appendingPathComponent("config.json").path
        let modelType = config["model_type"] as? String
        guard modelType == "bert" else {
            let architectures = (config["architectures"] as? [String])?.joined(separator: ", ") ?? "none given"
            throw ModelError("\(path): unknown architecture (model_type \(modelType.map { "'\($0)'" } ?? "missing"), architectures \(architectures)); only BERT-layout encoders (model_type 'bert') are supported")
        }
        if let act = config["hidden_act"] as? String, act != "gelu" {
            throw ModelError("\(path): unknown architecture (hidden_act '\(act)'; only the exact-erf 'gelu' is supported)")
        }
        if let position = config["position_embedding_type"] as? String, position != "absolute" {
            throw ModelError("\(path): unknown architecture (position_embedding_type '\(position)'; only 'absolute' is supported)")
        }
        func integer(_ key: String, default value: Int? = nil) throws(ModelError) -> Int {
            guard let raw = config[key] else {
                if let value { return value }
                throw ModelError("\(path): missing config key '\(key)'")
            }
            guard let number = raw as? Int, number > 0 else { throw ModelError("\(path): config key '\(key)' is not a positive integer") }
            return number
        }
        let hidden = try integer("hidden_size"), heads = try integer("num_attention_heads")
        guard hidden % heads == 0 else { throw ModelError("\(path): hidden_size \(hidden) is not a multiple of num_attention_heads \(heads)") }
        guard let eps = config["layer_norm_eps"] as? Double, eps > 0 else {
            throw ModelError("\(path): missing config key 'layer_norm_eps' (or not a positive number)")
        }
        // The pass computes in Float: an epsilon that rounds to 0 or to infinity there would
        // give NaN or all-zero LayerNorm outputs.
        guard Float(eps).isNormal else {
            throw ModelError("\(path): layer_norm_eps \(eps) is outside Float's normal range (about 1.2e-38 to 3.4e38)")
        }
        let maxPositions = try integer("max_position_embeddings")
        let tokenizer = try jsonObject(folder.appendingPathComponent("tokenizer_config.json"), required: false) ?? [:]
        let sentence = try jsonObject(folder.appendingPathComponent("sentence_bert_config.json"), required: false) ?? [:]
        let sequence = (sentence["max_seq_length"] as? Int) ?? (tokenizer["model_max_length"] as? Int) ?? maxPositions
        return BertConfiguration(hidden: hidden, heads: heads, layers: try integer("num_hidden_layers"),
                                 intermediate: try integer("intermediate_size"), maxPositions: maxPositions,
                                 vocabularySize: try integer("vocab_size"), typeVocabularySize: try integer("type_vocab_size", default: 2),
                                 layerNormEpsilon: Float(eps), maxSequenceLength: max(2, sequence),
                                 lowercase: (tokenizer["do_lower_case"] as? Bool) ?? true, stripAccents: tokenizer["strip_accents"] as? Bool)
    }

    /// A JSON object file, nil when it is optional and absent.
    private static func jsonObject(_ url: URL, required: Bool) throws(ModelError) -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { throw ModelError("\(url.path): no such file (a model folder holds config.json, model.safetensors and vocab.txt)") }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ModelError("\(url.path): cannot be read") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw ModelError("\(url.path): not a JSON object")
        }
        return dictionary
    }
}
