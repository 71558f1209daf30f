import Testing
@testable import AntgenModel

@Suite("WordPiece tokenizer")
struct TokenizerTests {
    static let lines = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "!", ",", "un", "##aff", "##able",
                        "a", "##b", "中", "cafe", "naive", "the", "Hello", "'", "s", "-"]
    static func tokenizer(lowercase: Bool = true, maxLength: Int = 32) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabularyLines: lines, lowercase: lowercase, maxLength: maxLength)
    }

    @Test("lowercasing, accents stripped, punctuation split off")
    func basic() throws {
        let t = try Self.tokenizer()
        #expect(t.basicTokens("Héllo, Wörld!") == ["hello", ",", "world", "!"])
        #expect(t.encode("Héllo, Wörld!").ids == [2, 4, 7, 5, 6, 3])
        #expect(t.wordPieces("Café naïve") == ["cafe", "naive"])
        // Apostrophe and hyphen are punctuation: "the cafe's" → the cafe ' s.
        #expect(t.wordPieces("the cafe's a-b") == ["the", "cafe", "'", "s", "a", "-", "[UNK]"])
    }

    @Test("greedy longest-match WordPiece with ## continuations; [UNK] for the whole word when a piece is missing")
    func wordPiece() throws {
        let t = try Self.tokenizer()
        #expect(t.wordPieces("unaffable") == ["un", "##aff", "##able"])
        #expect(t.wordPieces("ab") == ["a", "##b"])
        #expect(t.wordPieces("abc") == ["[UNK]"])
        #expect(t.wordPieces("unaffablex hello") == ["[UNK]", "hello"])
    }

    @Test("CJK ideographs split one by one; control characters dropped; tabs and newlines separate words")
    func cjkAndControl() throws {
        let t = try Self.tokenizer()
        #expect(t.basicTokens("hello中world") == ["hello", "中", "world"])
        #expect(t.basicTokens("hel\u{0007}lo\tworld\u{00A0}!\u{200B}") == ["hello", "world", "!"])
        #expect(t.wordPieces("中文") == ["中", "[UNK]"])
    }

    @Test("a word over 100 characters is [UNK]; 100 characters still segment")
    func longWord() throws {
        let t = try Self.tokenizer()
        #expect(t.wordPieces("a" + String(repeating: "b", count: 99)) == ["a"] + Array(repeating: "##b", count: 99))
        #expect(t.wordPieces("a" + String(repeating: "b", count: 100)) == ["[UNK]"])
    }

    @Test("truncation keeps [CLS], the first maxLength − 2 pieces and [SEP], and says so")
    func truncation() throws {
        let t = try Self.tokenizer(maxLength: 4)
        #expect(t.encode("hello world") == WordPieceTokenizer.Encoding(ids: [2, 4, 5, 3], truncated: false))
        #expect(t.encode("hello world hello") == WordPieceTokenizer.Encoding(ids: [2, 4, 5, 3], truncated: true))
        #expect(t.encode("").ids == [2, 3])
    }

    @Test("a cased tokenizer keeps case and accents")
    func cased() throws {
        let t = try Self.tokenizer(lowercase: false)
        #expect(t.wordPieces("Hello hello") == ["Hello", "hello"])
        #expect(t.basicTokens("Café") == ["Café"])
    }

    @Test("a vocabulary without the special tokens is refused")
    func missingSpecials() {
        #expect(throws: ModelError.self) { try WordPieceTokenizer(vocabularyLines: ["a", "b"], maxLength: 8) }
    }
}
