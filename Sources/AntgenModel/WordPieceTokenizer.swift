import Foundation

/// BERT's tokenizer: basic tokenization (text clean-up, optional lowercasing and accent
/// stripping, punctuation and CJK characters split off, whitespace split) followed by greedy
/// longest-match-first WordPiece with `##` continuations, `[UNK]` for words with no
/// segmentation or longer than 100 code points, and `[CLS] … [SEP]` around each sentence.
/// Long sentences are truncated to `maxLength` tokens (special tokens included), as the
/// Hugging Face tokenizer does for one sentence.
public struct WordPieceTokenizer: Sendable {
    /// A tokenized sentence.
    public struct Encoding: Sendable, Equatable {
        /// Token ids, `[CLS]` first and `[SEP]` last.
        public let ids: [Int]
        /// True when word pieces were dropped to fit `maxLength`.
        public let truncated: Bool
    }

    /// Token text → id (the line number in vocab.txt, from 0).
    public let vocabulary: [String: Int]
    /// Lowercase before splitting (`do_lower_case`).
    public let lowercase: Bool
    /// Strip accents (NFD, drop combining marks); BERT's default follows `lowercase`.
    public let stripAccents: Bool
    /// The most tokens of one encoded sentence, `[CLS]` and `[SEP]` included.
    public let maxLength: Int
    /// Words longer than this many code points become `[UNK]`.
    public let maxWordLength = 100
    let cls: Int, sep: Int, unk: Int

    /// Creates the tokenizer from the lines of vocab.txt (one token per line, id = line number).
    ///
    /// - Throws: ``ModelError`` when `[CLS]`, `[SEP]` or `[UNK]` is missing or `maxLength < 2`.
    public init(vocabularyLines: [String], lowercase: Bool = true, stripAccents: Bool? = nil, maxLength: Int) throws(ModelError) {
        var vocabulary: [String: Int] = [:]
        for (index, token) in vocabularyLines.enumerated() where vocabulary[token] == nil { vocabulary[token] = index }
        guard let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"], let unk = vocabulary["[UNK]"] else {
            throw ModelError("vocab.txt lacks one of [CLS], [SEP], [UNK]: not a BERT WordPiece vocabulary")
        }
        guard maxLength >= 2 else { throw ModelError("a maximum sequence length of \(maxLength) leaves no room for [CLS] and [SEP]") }
        self.vocabulary = vocabulary
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
        self.maxLength = maxLength
        (self.cls, self.sep, self.unk) = (cls, sep, unk)
    }

    /// Encodes one sentence: `[CLS]`, its word pieces (at most `maxLength − 2`), `[SEP]`.
    public func encode(_ text: String) -> Encoding {
        var pieces: [Int] = []
        for word in basicTokens(text) { pieces += wordPieceIds(word) }
        let room = maxLength - 2
        let truncated = pieces.count > room
        if truncated { pieces.removeLast(pieces.count - room) }
        return Encoding(ids: [cls] + pieces + [sep], truncated: truncated)
    }

    /// The word-piece strings of `text` (no special tokens, no truncation), for inspection.
    public func wordPieces(_ text: String) -> [String] {
        let tokens = Dictionary(vocabulary.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return basicTokens(text).flatMap { wordPieceIds($0) }.map { tokens[$0] ?? "?" }
    }

    /// BERT's basic tokenization: the words and punctuation marks of `text`, each as a string.
    public func basicTokens(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for chunk in cleaned(text).split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(chunk)
            if lowercase { word = word.lowercased() }
            if stripAccents { word = Self.withoutAccents(word) }
            for scalar in word.unicodeScalars {
                if Self.isPunctuation(scalar) {
                    flush()
                    words.append(String(scalar))
                } else {
                    current.append(scalar)
                }
            }
            flush()
        }
        return words
    }

    /// Clean-up before splitting: NUL, U+FFFD and control characters dropped, every kind of
    /// whitespace turned into a space, spaces put around CJK ideographs.
    func cleaned(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD { continue }
            if Self.isWhitespace(scalar) {
                out.append(" ")
            } else if Self.isControl(scalar) {
                continue
            } else if Self.isCJK(scalar) {
                out.append(" "); out.append(scalar); out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Greedy longest-match-first WordPiece of one word; `[UNK]` alone when any part fails.
    func wordPieceIds(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maxWordLength { return [unk] }
        var ids: [Int] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int?
            while end > start {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: scalars[start ..< end])
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unk] }
            ids.append(id)
            start = end
        }
        return ids
    }

    /// NFD, then combining marks (general category Mn) dropped.
    static func withoutAccents(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            out.append(scalar)
        }
        return String(out)
    }

    /// Space, tab, newline, carriage return and category Zs.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.generalCategory == .spaceSeparator
    }

    /// Categories Cc and Cf (tab, newline and carriage return count as whitespace instead).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let category = s.properties.generalCategory
        return category == .control || category == .format
    }

    /// ASCII symbols (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`) and every P* category.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33 ... 47).contains(v) || (58 ... 64).contains(v) || (91 ... 96).contains(v) || (123 ... 126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT splits character by character.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        let ranges: [ClosedRange<UInt32>] = [0x4E00 ... 0x9FFF, 0x3400 ... 0x4DBF, 0x20000 ... 0x2A6DF, 0x2A700 ... 0x2B73F,
                                             0x2B740 ... 0x2B81F, 0x2B820 ... 0x2CEAF, 0xF900 ... 0xFAFF, 0x2F800 ... 0x2FA1F]
        return ranges.contains { $0.contains(s.value) }
    }
}
