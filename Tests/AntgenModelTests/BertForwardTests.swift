import Foundation
import Testing
@testable import AntgenModel

@Suite("BERT forward pass")
struct BertForwardTests {
    @Test("embeddings of a generated tiny BERT match an independent float64 forward pass, batched or not")
    func tinyBertMatchesReference() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        #expect(model.configuration.hidden == 8 && model.configuration.heads == 2 && model.configuration.layers == 2)
        let sentences = ["The cat sat on the mat.", "hello, world!", "a dog ran", "unaffable cafe?"]
        for batch in [1, 3] {
            let result = try model.embed(sentences, options: ForwardOptions(batchSize: batch))
            #expect(result.count == 4 && result.width == 8 && result.truncated == 0)
            for (index, sentence) in sentences.enumerated() {
                let expected = tiny.referenceEmbedding(model.tokenizer.encode(sentence).ids)
                for (got, want) in zip(result.row(index), expected) {
                    #expect(abs(Double(got) - want) < 2e-5, "sentence \(index), batch \(batch): \(got) vs \(want)")
                }
            }
        }
    }

    @Test("token counts: [CLS] + pieces + [SEP]; a sentence past the sequence length is cut and counted")
    func truncationIsCounted() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        // max_position_embeddings 12 and no tokenizer files: sequences of at most 12 tokens.
        let long = Array(repeating: "the cat", count: 10).joined(separator: " ")
        let result = try model.embed(["the cat", long])
        #expect(result.tokens == [4, 12])
        #expect(result.truncated == 1)
        let cut = tiny.referenceEmbedding([2] + Array(repeating: [4, 5], count: 5).flatMap { $0 } + [3])
        for (got, want) in zip(result.row(1), cut) { #expect(abs(Double(got) - want) < 2e-5) }
    }

    /// Records every call and answers in float, to check what the seam is given.
    final class RecordingExecutor: LinearExecutor, @unchecked Sendable {
        var linearCalls: [(LinearLayerName, Int, Int, Int)] = []
        var attentionCalls: [AttentionProduct] = []
        func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix {
            linearCalls.append((layer, input.rows, input.columns, weight.rows))
            return try FloatGemm.multiply(input, transposed: weight, bias: bias)
        }
        func attention(_ left: ModelMatrix, _ right: ModelMatrix, product: AttentionProduct) throws -> ModelMatrix {
            attentionCalls.append(product)
            return try FloatGemm.multiply(left, transposed: right)
        }
    }

    @Test("every linear layer and attention product goes through the executor, in layer order, with [out, in] weights")
    func seamSeesEveryProduct() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        let recorder = RecordingExecutor()
        let viaRecorder = try model.embed(["the cat", "a dog ran"], executor: recorder, options: ForwardOptions(batchSize: 2))
        #expect(viaRecorder == (try model.embed(["the cat", "a dog ran"], options: ForwardOptions(batchSize: 2))))
        #expect(recorder.linearCalls.map(\.0) == LinearLayerName.all(layers: 2))
        // 4 + 5 token rows packed; intermediate is 8 → 16, output 16 → 8.
        #expect(recorder.linearCalls.allSatisfy { $0.1 == 9 })
        #expect(recorder.linearCalls[4].2 == 8 && recorder.linearCalls[4].3 == 16)
        #expect(recorder.linearCalls[5].2 == 16 && recorder.linearCalls[5].3 == 8)
        // 2 sentences × 2 heads × (QKᵀ, PV) per layer.
        #expect(recorder.attentionCalls.count == 2 * 2 * 2 * 2)
        #expect(recorder.attentionCalls.first == AttentionProduct(layer: 0, head: 0, kind: .scores))
        #expect(LinearLayerName(layer: 3, role: .intermediate).description == "encoder.layer.3.intermediate.dense")
    }
}
