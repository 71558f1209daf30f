import Foundation
import AntgenNumerics

/// The float32 tensors of a BERT encoder, checked against its configuration.
public struct BertWeights: Sendable {
    /// One linear layer as stored: weight `[out, in]` and bias `[out]`.
    public struct Linear: Sendable {
        /// N × K (`[out, in]`).
        public let weight: ModelMatrix
        /// N values.
        public let bias: [Float]
    }

    /// One LayerNorm: gain and shift.
    public struct Norm: Sendable {
        /// Gain (`.weight`).
        public let gain: [Float]
        /// Shift (`.bias`).
        public let shift: [Float]
    }

    /// One encoder layer.
    public struct Layer: Sendable {
        /// The six linear layers by role.
        public let linear: [LinearLayerName.Role: Linear]
        /// After attention (`attention.output.LayerNorm`).
        public let attentionNorm: Norm
        /// After the FFN (`output.LayerNorm`).
        public let outputNorm: Norm
    }

    /// Word embeddings, vocabulary × hidden.
    public let word: ModelMatrix
    /// Position embeddings, maxPositions × hidden.
    public let position: ModelMatrix
    /// Token-type embeddings, types × hidden (type 0 is used).
    public let tokenType: ModelMatrix
    /// The embedding LayerNorm.
    public let embeddingNorm: Norm
    /// The encoder layers in order.
    public let layers: [Layer]

    /// Reads every tensor the configuration needs from a .safetensors file; a `bert.` name
    /// prefix (BertFor… checkpoints) is accepted. Other tensors (pooler, heads) are ignored.
    ///
    /// - Throws: ``ModelError`` for an unreadable file, a missing tensor or a wrong shape.
    public static func load(path: String, configuration c: BertConfiguration) throws(ModelError) -> BertWeights {
        let file: SafetensorsFile.OpenedFile
        do { file = try SafetensorsFile.OpenedFile(atPath: path) } catch { throw ModelError(error.description) }
        let prefix = file.names.contains("embeddings.word_embeddings.weight") || !file.names.contains("bert.embeddings.word_embeddings.weight") ? "" : "bert."
        func tensor(_ name: String, _ shape: [Int]) throws(ModelError) -> [Float] {
            let full = prefix + name
            guard file.names.contains(full) else { throw ModelError("\(path): missing tensor '\(full)' (not a BERT-layout checkpoint?)") }
            let loaded: NamedTensor
            do { loaded = try file.tensor(named: full) } catch { throw ModelError(error.description) }
            guard loaded.tensor.shape == shape else {
                throw ModelError("\(path): tensor '\(full)' has shape \(loaded.tensor.shapeDescription), expected \(shape) from config.json")
            }
            switch loaded.tensor.storage {
            case .float32(let values): return values
            case .float64(let values): return values.map(Float.init)
            }
        }
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws(ModelError) -> ModelMatrix {
            ModelMatrix(rows: rows, columns: columns, values: try tensor(name, [rows, columns]))
        }
        func norm(_ name: String) throws(ModelError) -> Norm {
            Norm(gain: try tensor(name + ".weight", [c.hidden]), shift: try tensor(name + ".bias", [c.hidden]))
        }
        var layers: [Layer] = []
        for index in 0 ..< c.layers {
            var linear: [LinearLayerName.Role: Linear] = [:]
            for role in LinearLayerName.Role.allCases {
                let name = LinearLayerName(layer: index, role: role).description
                let (out, inputs) = role == .intermediate ? (c.intermediate, c.hidden) : role == .output ? (c.hidden, c.intermediate) : (c.hidden, c.hidden)
                linear[role] = Linear(weight: try matrix(name + ".weight", out, inputs), bias: try tensor(name + ".bias", [out]))
            }
            let base = "encoder.layer.\(index)."
            layers.append(Layer(linear: linear, attentionNorm: try norm(base + "attention.output.LayerNorm"), outputNorm: try norm(base + "output.LayerNorm")))
        }
        if file.names.contains(prefix + "encoder.layer.\(c.layers).attention.self.query.weight") {
            throw ModelError("\(path): the checkpoint has more encoder layers than num_hidden_layers \(c.layers) in config.json")
        }
        return BertWeights(word: try matrix("embeddings.word_embeddings.weight", c.vocabularySize, c.hidden),
                           position: try matrix("embeddings.position_embeddings.weight", c.maxPositions, c.hidden),
                           tokenType: try matrix("embeddings.token_type_embeddings.weight", c.typeVocabularySize, c.hidden),
                           embeddingNorm: try norm("embeddings.LayerNorm"), layers: layers)
    }
}
