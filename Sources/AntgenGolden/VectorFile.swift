import Foundation

/// Why a vector file cannot be read or does not fit the build.
public struct VectorFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line naming the file and the problem.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// A golden vector file: a header with the configuration and dimensions, then the cases.
///
/// The text form (docs/verification.md) is one hexadecimal 64-bit word per line, with
/// `//` comments, so `$readmemh` loads it into `reg [63:0] mem[]` and C++ parses it with
/// `strtoull`. Layout (word offsets):
///
///     header: 0 magic 0x414E5447 ("ANTG"), 1 version, 2 header words (16), 3 rows, 4 cols,
///             5 code width, 6 W, 7 int8, 8 activation type mask, 9 weight type mask,
///             10 case count, 11 total words, 12 seed, 13 source id, 14–15 zero
///     case:   0 id, 1 K, 2 activation mode, 3 weight mode,
///             then K beats of rows activation codes followed by cols weight codes,
///             then rows × cols expected results (row-major, masked to W bits)
///
/// A mode word is type | signed << 4 | int8 << 8 (type: 0 int, 1 flint, 2 pot, 3 float).
public struct VectorFile: Sendable, Equatable {
    /// `ANTG`.
    public static let magic: UInt64 = 0x414E_5447
    /// The format version this code writes and reads.
    public static let version: UInt64 = 1
    /// Header length in words.
    public static let headerWords = 16

    /// The build the vectors are for.
    public let configuration: ArrayConfiguration
    /// The seed the cases were generated from.
    public let seed: UInt64
    /// Which generator produced them (index in ``CaseSource/allCases``; 255 for mixed).
    public let sourceID: UInt64
    /// The cases, ids 0, 1, … in order.
    public let cases: [GoldenCase]

    /// Creates a file's contents.
    public init(configuration: ArrayConfiguration, seed: UInt64, source: CaseSource?, cases: [GoldenCase]) {
        self.configuration = configuration
        self.seed = seed
        self.sourceID = source.map { UInt64(CaseSource.allCases.firstIndex(of: $0)!) } ?? 255
        self.cases = cases
    }

    /// Words of one case.
    static func caseWords(_ c: GoldenCase, rows: Int, cols: Int) -> Int { 4 + c.reduction * (rows + cols) + rows * cols }

    /// Data words in the file (header and cases; header word 11).
    public var wordCount: Int {
        Self.headerWords + cases.reduce(0) { $0 + Self.caseWords($1, rows: configuration.rows, cols: configuration.cols) }
    }

    /// The whole file as text.
    public func text() -> String { String(decoding: bytes(), as: UTF8.self) }

    /// The whole file as UTF-8 bytes (built directly: formatting is a large part of
    /// generating big files).
    public func bytes() -> [UInt8] {
        let c = configuration
        let total = wordCount
        var out: [UInt8] = []
        out.reserveCapacity(total * 9 + 4096)
        func line(_ text: String) { out.append(contentsOf: text.utf8); out.append(10) }
        line("// antgen golden vectors, format v\(Self.version): one 64-bit hex word per line (docs/verification.md)")
        line("// configuration: \(c)\n// seed \(seed), \(cases.count) cases, \(total) words")
        let header: [(UInt64, String)] = [
            (Self.magic, "magic ANTG"), (Self.version, "version"), (UInt64(Self.headerWords), "header words"),
            (UInt64(c.rows), "rows"), (UInt64(c.cols), "cols"), (UInt64(c.codeWidth), "code width"),
            (UInt64(c.accumulatorWidth), "accumulator width W"), (c.int8 ? 1 : 0, "int8"),
            (ArrayConfiguration.typeMask(c.activationTypes), "activation types (bit = cfg code)"),
            (ArrayConfiguration.typeMask(c.weightTypes), "weight types"),
            (UInt64(cases.count), "cases"), (UInt64(total), "total words"), (seed, "seed"), (sourceID, "source"),
            (0, "reserved"), (0, "reserved"),
        ]
        for (word, note) in header { line("\(hex(word)) // \(note) = \(word)") }
        for g in cases {
            var comment = "// case \(g.id) \(g.source): K=\(g.reduction) act \(g.activation.tag(codeWidth: c.codeWidth)) weight \(g.weight.tag(codeWidth: c.codeWidth))"
            if let e = g.floatError { comment += " float-error \(e)" }
            line(comment)
            for word in [UInt64(g.id), UInt64(g.reduction), g.activation.packed, g.weight.packed] { Self.appendHexLine(word, to: &out) }
            for k in 0..<g.reduction {
                for word in g.a[k] { Self.appendHexLine(word, to: &out) }
                for word in g.w[k] { Self.appendHexLine(word, to: &out) }
            }
            line("// expected C[i][j], row-major")
            for row in g.expected { for word in row { Self.appendHexLine(word, to: &out) } }
        }
        return out
    }

    /// Appends `v` in lower-case hexadecimal without leading zeros, then a newline.
    static func appendHexLine(_ v: UInt64, to out: inout [UInt8]) {
        let digits = max(1, (64 - v.leadingZeroBitCount + 3) / 4)
        for d in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = UInt8((v >> UInt64(4 * d)) & 0xF)
            out.append(nibble < 10 ? 48 + nibble : 87 + nibble)
        }
        out.append(10)
    }

    private func hex(_ v: UInt64) -> String { String(v, radix: 16) }

    /// Writes the file through a temporary file and rename(2): never half-written.
    public func write(to url: URL) throws {
        try Data(bytes()).write(to: url, options: .atomic)
    }

    /// Reads and fully validates a vector file (header, sizes, codes, modes, results).
    /// - Throws: ``VectorFileError`` naming the file and the first problem.
    public static func read(from url: URL) throws -> VectorFile {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VectorFileError("cannot read vector file \(url.path)")
        }
        var words: [UInt64] = []
        // Lines end in LF or CRLF; `//` (or any `/`) starts a comment; blanks around a word are
        // ignored. Bytes, not Characters: "\r\n" is one Character and would hide the LF.
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        for (lineNumber, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let body = line.prefix { $0 != UInt8(ascii: "/") }
            guard let first = body.firstIndex(where: { !blank($0) }), let last = body.lastIndex(where: { !blank($0) }) else { continue }
            let token = body[first...last]
            guard let word = hexWord(token) else {
                throw VectorFileError("\(url.lastPathComponent):\(lineNumber + 1): '\(shown(token))' is not a 64-bit hex word")
            }
            words.append(word)
        }
        do {
            return try parse(words)
        } catch let error as VectorFileError {
            throw VectorFileError("\(url.lastPathComponent): \(error.message)")
        }
    }

    /// The value of 1 or more hex digits, nil for any other byte or a value above 64 bits.
    static func hexWord(_ token: Data.SubSequence) -> UInt64? {
        var value: UInt64 = 0
        for byte in token {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            guard value >> 60 == 0 else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return token.isEmpty ? nil : value
    }

    /// A token as it may appear in a one-line message: printable ASCII, at most 24 characters.
    static func shown(_ token: Data.SubSequence) -> String {
        let text = String(token.prefix(24).map { (0x20 ..< 0x7F).contains($0) ? Character(UnicodeScalar($0)) : "?" })
        return token.count > 24 ? text + "…" : text
    }

    /// Parses the words of a file.
    static func parse(_ words: [UInt64]) throws -> VectorFile {
        guard words.count >= headerWords, words[0] == magic else { throw VectorFileError("not an antgen vector file (bad magic or short header)") }
        guard words[1] == version else { throw VectorFileError("format version \(words[1]) is not supported (this antgen reads v\(version))") }
        guard words[2] == UInt64(headerWords) else { throw VectorFileError("header length \(words[2]) is not \(headerWords)") }
        guard words[11] == UInt64(words.count) else { throw VectorFileError("header says \(words[11]) words but the file has \(words.count)") }
        func small(_ i: Int) -> Int { words[i] < 1 << 20 ? Int(words[i]) : -1 }
        let configuration: ArrayConfiguration
        do {
            configuration = try ArrayConfiguration(
                rows: small(3), cols: small(4), codeWidth: small(5), accumulatorWidth: small(6),
                activationTypes: ArrayConfiguration.types(fromMask: words[8]), weightTypes: ArrayConfiguration.types(fromMask: words[9]),
                int8: words[7] == 1)
        } catch {
            throw VectorFileError("inconsistent header: \(error)")
        }
        let rows = configuration.rows, cols = configuration.cols
        let portLimit: UInt64 = 1 << UInt64(configuration.codePortWidth)
        let resultMask: UInt64 = configuration.accumulatorWidth == 64 ? .max : (1 << UInt64(configuration.accumulatorWidth)) - 1
        var cases: [GoldenCase] = []
        var p = headerWords
        for index in 0..<Int(min(words[10], 1 << 30)) {
            guard p + 4 <= words.count else { throw VectorFileError("case \(index) is truncated") }
            guard words[p] == UInt64(index) else { throw VectorFileError("case \(index) carries id \(words[p])") }
            let k = words[p + 1]
            guard k >= 1, k <= 1 << 24 else { throw VectorFileError("case \(index) has K = \(k)") }
            guard let act = OperandMode(packed: words[p + 2]), let weight = OperandMode(packed: words[p + 3]),
                  configuration.activationModes.contains(act), configuration.weightModes.contains(weight) else {
                throw VectorFileError("case \(index) has a mode the header's build does not support (act 0x\(String(words[p + 2], radix: 16)), weight 0x\(String(words[p + 3], radix: 16)))")
            }
            let size = 4 + Int(k) * (rows + cols) + rows * cols
            guard p + size <= words.count else { throw VectorFileError("case \(index) is truncated") }
            var a: [[UInt64]] = [], w: [[UInt64]] = []
            var q = p + 4
            for _ in 0..<Int(k) {
                a.append(Array(words[q..<(q + rows)])); q += rows
                w.append(Array(words[q..<(q + cols)])); q += cols
            }
            guard (a + w).allSatisfy({ $0.allSatisfy { $0 < portLimit } }) else {
                throw VectorFileError("case \(index) has a code wider than the \(configuration.codePortWidth)-bit ports")
            }
            var expected: [[UInt64]] = []
            for _ in 0..<rows { expected.append(Array(words[q..<(q + cols)])); q += cols }
            guard expected.allSatisfy({ $0.allSatisfy { $0 & ~resultMask == 0 } }) else {
                throw VectorFileError("case \(index) has an expected value wider than W = \(configuration.accumulatorWidth)")
            }
            cases.append(GoldenCase(id: index, source: "file", activation: act, weight: weight, a: a, w: w, expected: expected))
            p += size
        }
        guard p == words.count else { throw VectorFileError("\(words.count - p) words after the last case") }
        return VectorFile(configuration: configuration, seed: words[12], sourceID: words[13], cases: cases)
    }

    private init(configuration: ArrayConfiguration, seed: UInt64, sourceID: UInt64, cases: [GoldenCase]) {
        self.configuration = configuration
        self.seed = seed
        self.sourceID = sourceID
        self.cases = cases
    }
}
