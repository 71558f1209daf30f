import AntgenModel
import AntgenNumerics
import Foundation
import Testing

/// Issue 24 part 7 for the model readers: config.json, vocab.txt and sentence files, 10,000
/// seeded mutations each. Every input gives a sane value or one ``ModelError`` line, never a
/// crash (totals in docs/reliability.md).
@Suite struct ModelReaderFuzzTests {
    /// Seeded mutations of valid text: bit flips, truncations, random byte runs, a token
    /// replaced by an extreme or wrongly typed value, inserted junk, and random bytes.
    struct Mutator {
        var random: SplitMix64
        static let replacements = ["9223372036854775807", "-1", "0", "1e308", "1e-320", "2.5", "\"x\"", "null", "true", "[]", "{}",
                                   "\u{FEFF}", "NaN", "\r\n", "\n\n", " ", "\u{0}", "[CLS]", "##", "\u{FFFD}"]
        mutating func next() -> UInt64 { random.next() }
        mutating func pick(_ count: Int) -> Int { Int(next() % UInt64(max(count, 1))) }
        mutating func mutate(_ valid: [UInt8]) -> [UInt8] {
            var bytes = valid
            switch next() % 6 {
            case 0: for _ in 0 ... pick(4) where !bytes.isEmpty { bytes[pick(bytes.count)] ^= UInt8(1 << (next() % 8)) }
            case 1: bytes = Array(bytes.prefix(pick(bytes.count + 1)))
            case 2, 3:
                let at = pick(bytes.count + 1), length = min(pick(6), bytes.count - at)
                bytes.replaceSubrange(at ..< at + length, with: Array(Self.replacements[pick(Self.replacements.count)].utf8))
            case 4: bytes.insert(contentsOf: (0 ..< pick(9)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: pick(bytes.count + 1))
            default: bytes = (0 ..< pick(120)).map { _ in UInt8(truncatingIfNeeded: next()) }
            }
            return bytes
        }
    }

    static let config = #"{"model_type": "bert", "hidden_act": "gelu", "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 2, "intermediate_size": 16, "max_position_embeddings": 12, "vocab_size": 24, "type_vocab_size": 2, "layer_norm_eps": 1e-12}"#
    static let vocabulary = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\nsat\non\n##s\nmat\n.\n,\nhello\nworld\n中\ncafe\n"
    static let sentences = "The cat sat on the mat.\nHello, world!\r\nCafé 中文 text\n"

    @Test func configFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-model-fuzz-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var mutator = Mutator(random: SplitMix64(seed: 1))
        var parsed = 0
        for _ in 0 ..< 10_000 {
            try Data(mutator.mutate(Array(Self.config.utf8))).write(to: folder.appendingPathComponent("config.json"))
            do {
                let c = try BertConfiguration.load(folder: folder)
                #expect(c.hidden > 0 && c.heads > 0 && c.hidden % c.heads == 0 && c.layers > 0 && c.intermediate > 0)
                #expect(c.maxPositions > 0 && c.vocabularySize > 0 && c.layerNormEpsilon.isNormal && c.maxSequenceLength >= 2)
                parsed += 1
            } catch {
                #expect(!error.description.contains("\n") && error.description.contains("config.json"), "\(error.description)")
            }
        }
        #expect(parsed > 100 && parsed < 10_000, "\(parsed) of 10,000 parsed")
    }

    @Test func vocabularies() throws {
        var mutator = Mutator(random: SplitMix64(seed: 2))
        var parsed = 0
        for _ in 0 ..< 10_000 {
            guard let text = String(bytes: mutator.mutate(Array(Self.vocabulary.utf8)), encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            do {
                let tokenizer = try WordPieceTokenizer(vocabularyLines: lines, maxLength: 8)
                let encoding = tokenizer.encode("The cats sat on the mat, hello 中 café!")
                #expect(encoding.ids.count >= 2 && encoding.ids.count <= 8)
                #expect(encoding.ids.allSatisfy { $0 >= 0 && $0 < lines.count })
                parsed += 1
            } catch {
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(parsed > 100, "\(parsed) of 10,000 parsed")
    }

    @Test func sentenceFiles() throws {
        var mutator = Mutator(random: SplitMix64(seed: 3))
        var parsed = 0
        for _ in 0 ..< 10_000 {
            let bytes = mutator.mutate(Array(Self.sentences.utf8))
            do {
                let lines = try SentenceCorpus.parse(Data(bytes), path: "s.txt")
                #expect(!lines.isEmpty && lines.allSatisfy { !$0.allSatisfy(\.isWhitespace) && !$0.contains("\n") })
                parsed += 1
            } catch {
                #expect(!error.description.contains("\n") && error.description.hasPrefix("s.txt: "), "\(error.description)")
            }
        }
        #expect(parsed > 100 && parsed < 10_000, "\(parsed) of 10,000 parsed")
    }
}
