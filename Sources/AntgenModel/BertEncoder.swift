import Dispatch
import Foundation

extension BertModel {
    /// The last encoder layer's hidden states of a batch: one row per token, the sentences'
    /// rows one after another (no padding), `hidden` columns.
    ///
    /// - Throws: ``ModelError`` for a token id or a sentence length the model cannot embed;
    ///   otherwise what the executor throws.
    public func encode(_ batch: [[Int]], executor: any LinearExecutor) throws -> ModelMatrix {
        var x = try embeddings(batch)
        let lengths = batch.map(\.count)
        for (index, layer) in weights.layers.enumerated() {
            func linear(_ role: LinearLayerName.Role, _ input: ModelMatrix) throws -> ModelMatrix {
                let parameters = layer.linear[role]!
                let result = try executor.linear(input, layer: LinearLayerName(layer: index, role: role), weight: parameters.weight, bias: parameters.bias)
                guard result.rows == input.rows, result.columns == parameters.weight.rows else {
                    throw ModelError("executor returned \(result.rows) × \(result.columns) for \(LinearLayerName(layer: index, role: role)), expected \(input.rows) × \(parameters.weight.rows)")
                }
                return result
            }
            let context = try attention(query: linear(.query, x), key: linear(.key, x), value: linear(.value, x),
                                        lengths: lengths, layer: index, executor: executor)
            var attended = try linear(.attentionOutput, context)
            add(&attended, x)
            x = layerNorm(attended, layer.attentionNorm)
            var inner = try linear(.intermediate, x)
            Self.gelu(&inner.values)
            var out = try linear(.output, inner)
            add(&out, x)
            x = layerNorm(out, layer.outputNorm)
        }
        return x
    }

    /// Word + position (from 0 in each sentence) + token type 0, then LayerNorm.
    func embeddings(_ batch: [[Int]]) throws(ModelError) -> ModelMatrix {
        let h = configuration.hidden
        var x = ModelMatrix(zeros: batch.reduce(0) { $0 + $1.count }, h)
        var row = 0
        for ids in batch {
            guard ids.count <= configuration.maxPositions else {
                throw ModelError("a sentence of \(ids.count) tokens exceeds max_position_embeddings \(configuration.maxPositions)")
            }
            for (position, id) in ids.enumerated() {
                guard id >= 0, id < weights.word.rows else { throw ModelError("token id \(id) outside the vocabulary of \(weights.word.rows)") }
                for c in 0 ..< h {
                    x.values[row * h + c] = weights.word.values[id * h + c] + weights.position.values[position * h + c] + weights.tokenType.values[c]
                }
                row += 1
            }
        }
        return layerNorm(x, weights.embeddingNorm)
    }

    /// Multi-head self-attention of each sentence over its own tokens (equivalent to a padded
    /// batch with the padding mask: padded keys get probability exactly 0): per head,
    /// scores = Q·Kᵀ / √d, row softmax, context = P·V; heads concatenated.
    func attention(query: ModelMatrix, key: ModelMatrix, value: ModelMatrix, lengths: [Int], layer: Int,
                   executor: any LinearExecutor) throws -> ModelMatrix {
        let (h, d) = (configuration.hidden, configuration.headWidth)
        let scale = 1 / Float(d).squareRoot()
        var context = ModelMatrix(zeros: query.rows, h)
        var start = 0
        for length in lengths {
            for head in 0 ..< configuration.heads {
                func slice(_ m: ModelMatrix) -> ModelMatrix {
                    var v = [Float](repeating: 0, count: length * d)
                    for t in 0 ..< length {
                        for j in 0 ..< d { v[t * d + j] = m.values[(start + t) * h + head * d + j] }
                    }
                    return ModelMatrix(rows: length, columns: d, values: v)
                }
                var scores = try executor.attention(slice(query), slice(key), product: AttentionProduct(layer: layer, head: head, kind: .scores))
                Self.softmaxRows(&scores, scale: scale)
                let v = slice(value)
                var vt = [Float](repeating: 0, count: d * length)
                for t in 0 ..< length {
                    for j in 0 ..< d { vt[j * length + t] = v.values[t * d + j] }
                }
                let out = try executor.attention(scores, ModelMatrix(rows: d, columns: length, values: vt),
                                                 product: AttentionProduct(layer: layer, head: head, kind: .context))
                guard out.rows == length, out.columns == d else {
                    throw ModelError("executor returned \(out.rows) × \(out.columns) for attention layer \(layer) head \(head), expected \(length) × \(d)")
                }
                for t in 0 ..< length {
                    for j in 0 ..< d { context.values[(start + t) * h + head * d + j] = out.values[t * d + j] }
                }
            }
            start += length
        }
        return context
    }

    /// Row-wise softmax of `scale · scores` (max subtracted first).
    static func softmaxRows(_ m: inout ModelMatrix, scale: Float) {
        for r in 0 ..< m.rows {
            let base = r * m.columns
            var top = -Float.infinity
            for c in 0 ..< m.columns { top = max(top, m.values[base + c] * scale) }
            var total: Float = 0
            for c in 0 ..< m.columns {
                let e = Foundation.exp(m.values[base + c] * scale - top)
                m.values[base + c] = e
                total += e
            }
            for c in 0 ..< m.columns { m.values[base + c] /= total }
        }
    }

    /// `a += b`, element by element.
    func add(_ a: inout ModelMatrix, _ b: ModelMatrix) {
        for i in a.values.indices { a.values[i] += b.values[i] }
    }

    /// LayerNorm of each row (mean and variance in float64): (x − μ)/√(σ² + ε) · gain + shift.
    func layerNorm(_ x: ModelMatrix, _ norm: BertWeights.Norm) -> ModelMatrix {
        var out = x
        let n = x.columns
        for r in 0 ..< x.rows {
            let base = r * n
            var mean = 0.0
            for c in 0 ..< n { mean += Double(x.values[base + c]) }
            mean /= Double(n)
            var variance = 0.0
            for c in 0 ..< n {
                let d = Double(x.values[base + c]) - mean
                variance += d * d
            }
            variance /= Double(n)
            let inverse = 1 / (variance + Double(configuration.layerNormEpsilon)).squareRoot()
            for c in 0 ..< n {
                out.values[base + c] = Float((Double(x.values[base + c]) - mean) * inverse) * norm.gain[c] + norm.shift[c]
            }
        }
        return out
    }

    /// Exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)), in place, over all cores for large inputs.
    static func gelu(_ values: inout [Float]) {
        let count = values.count
        let chunk = 1 << 14
        let chunks = (count + chunk - 1) / chunk
        values.withUnsafeMutableBufferPointer { buffer in
            let pointer = SendablePointer(base: buffer.baseAddress!)
            let run: @Sendable (Int) -> Void = { index in
                for i in index * chunk ..< min(count, (index + 1) * chunk) {
                    let v = Double(pointer.base[i])
                    pointer.base[i] = Float(0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot())))
                }
            }
            if chunks <= 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: run) }
        }
    }
}

/// A buffer written at disjoint indices by concurrent tasks.
private struct SendablePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}
