import Foundation

/// A tiny generated BERT checkpoint in a temporary folder (random weights, a 24-token
/// vocabulary), and a straightforward float64 forward pass written here, independently of
/// the code under test, to check it against.
struct TinyBert {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "cat", "sat", "on", "mat", ".", ",", "!",
                             "un", "##aff", "##able", "a", "##b", "dog", "ran", "hello", "world", "中", "?", "cafe"]
    let hidden = 8, heads = 2, layers = 2, intermediate = 16, maxPositions = 12
    let folder: URL
    /// Every tensor by name: shape and row-major values.
    var tensors: [String: (shape: [Int], values: [Float])] = [:]

    /// Writes config.json, vocab.txt and model.safetensors (seeded values in [-0.5, 0.5),
    /// LayerNorm gains near 1) into a new temporary folder.
    init(seed: UInt64 = 7, config overrides: [String: Any] = [:], vocabulary: [String] = TinyBert.vocabulary, omit: Set<String> = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-tinybert-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var state = seed
        func random() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float((state >> 40) % 1000) / 1000 - 0.5
        }
        func add(_ name: String, _ shape: [Int], gain: Bool = false) {
            let count = shape.reduce(1, *)
            tensors[name] = (shape, (0 ..< count).map { _ in gain ? 1 + random() / 5 : random() })
        }
        add("embeddings.word_embeddings.weight", [Self.vocabulary.count, hidden])
        add("embeddings.position_embeddings.weight", [maxPositions, hidden])
        add("embeddings.token_type_embeddings.weight", [2, hidden])
        add("embeddings.LayerNorm.weight", [hidden], gain: true)
        add("embeddings.LayerNorm.bias", [hidden])
        for l in 0 ..< layers {
            let p = "encoder.layer.\(l)."
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                add(p + name + ".weight", [hidden, hidden]); add(p + name + ".bias", [hidden])
            }
            add(p + "intermediate.dense.weight", [intermediate, hidden]); add(p + "intermediate.dense.bias", [intermediate])
            add(p + "output.dense.weight", [hidden, intermediate]); add(p + "output.dense.bias", [hidden])
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                add(p + norm + ".weight", [hidden], gain: true); add(p + norm + ".bias", [hidden])
            }
        }
        var config: [String: Any] = ["model_type": "bert", "architectures": ["BertModel"], "hidden_act": "gelu",
                                     "hidden_size": hidden, "num_attention_heads": heads, "num_hidden_layers": layers,
                                     "intermediate_size": intermediate, "max_position_embeddings": maxPositions,
                                     "vocab_size": Self.vocabulary.count, "type_vocab_size": 2, "layer_norm_eps": 1e-12]
        for (key, value) in overrides { config[key] = value is NSNull ? nil : value }
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        try (vocabulary.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try Self.safetensors(tensors.filter { !omit.contains($0.key) }).write(to: folder.appendingPathComponent("model.safetensors"))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The .safetensors bytes of `tensors` (F32, names sorted).
    static func safetensors(_ tensors: [String: (shape: [Int], values: [Float])]) throws -> Data {
        var header: [String: Any] = [:]
        var body = Data()
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [body.count, body.count + 4 * t.values.count]]
            for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        return out + json + body
    }

    /// The sentence embedding of `ids` in float64: textbook BERT, one sentence, no batching.
    func referenceEmbedding(_ ids: [Int]) -> [Double] {
        func t(_ name: String) -> [Double] { tensors[name]!.values.map(Double.init) }
        func layerNorm(_ x: [[Double]], _ name: String) -> [[Double]] {
            let (g, b) = (t(name + ".weight"), t(name + ".bias"))
            return x.map { row in
                let mean = row.reduce(0, +) / Double(row.count)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.count)
                return row.indices.map { (row[$0] - mean) / (variance + 1e-12).squareRoot() * g[$0] + b[$0] }
            }
        }
        func dense(_ x: [[Double]], _ name: String) -> [[Double]] {
            let (w, b) = (t(name + ".weight"), t(name + ".bias"))
            let inputs = x[0].count, outputs = b.count
            var result: [[Double]] = []
            for row in x {
                var out = b
                for o in 0 ..< outputs {
                    for i in 0 ..< inputs { out[o] += row[i] * w[o * inputs + i] }
                }
                result.append(out)
            }
            return result
        }
        let (word, position, type) = (t("embeddings.word_embeddings.weight"), t("embeddings.position_embeddings.weight"), t("embeddings.token_type_embeddings.weight"))
        var x: [[Double]] = []
        for (p, id) in ids.enumerated() {
            var row = [Double](repeating: 0, count: hidden)
            for c in 0 ..< hidden { row[c] = word[id * hidden + c] + position[p * hidden + c] + type[c] }
            x.append(row)
        }
        x = layerNorm(x, "embeddings.LayerNorm")
        let d = hidden / heads, n = ids.count
        for l in 0 ..< layers {
            let p = "encoder.layer.\(l)."
            let q = dense(x, p + "attention.self.query"), k = dense(x, p + "attention.self.key"), v = dense(x, p + "attention.self.value")
            var context = [[Double]](repeating: [Double](repeating: 0, count: hidden), count: n)
            for h in 0 ..< heads {
                for i in 0 ..< n {
                    var scores = [Double](repeating: 0, count: n)
                    for j in 0 ..< n {
                        for c in 0 ..< d { scores[j] += q[i][h * d + c] * k[j][h * d + c] }
                        scores[j] /= Double(d).squareRoot()
                    }
                    let top = scores.max()!
                    let e = scores.map { Foundation.exp($0 - top) }
                    let total = e.reduce(0, +)
                    for c in 0 ..< d {
                        for j in 0 ..< n { context[i][h * d + c] += e[j] / total * v[j][h * d + c] }
                    }
                }
            }
            let attended = dense(context, p + "attention.output.dense")
            x = layerNorm(zip(attended, x).map { zip($0, $1).map(+) }, p + "attention.output.LayerNorm")
            let inner = dense(x, p + "intermediate.dense").map { $0.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) } }
            let out = dense(inner, p + "output.dense")
            x = layerNorm(zip(out, x).map { zip($0, $1).map(+) }, p + "output.LayerNorm")
        }
        let mean = (0 ..< hidden).map { c in x.reduce(0.0) { $0 + $1[c] } / Double(n) }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return mean.map { $0 / norm }
    }
}
