import Foundation

/// A corpus file: UTF-8 text, one sentence per line (LF or CRLF line ends, a final line end
/// optional).
public enum SentenceCorpus {
    /// The sentences of `path`, in order.
    ///
    /// - Throws: ``ModelError`` when the file is missing or unreadable, not UTF-8, empty, or
    ///   has an empty (or whitespace-only) line, naming the line.
    public static func read(path: String) throws(ModelError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError("\(path): no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelError("\(path): cannot be read") }
        return try parse(data, path: path)
    }

    /// The sentences of `data` (the rules of ``read(path:)``; `path` names it in errors).
    ///
    /// - Throws: ``ModelError``.
    public static func parse(_ data: Data, path: String) throws(ModelError) -> [String] {
        guard let text = String(data: data, encoding: .utf8) else {
            let bytes = [UInt8](data)
            let offset = firstInvalidUTF8(bytes)
            let line = bytes[..<offset].filter { $0 == 0x0A }.count + 1
            throw ModelError("\(path): not UTF-8 text (first bad byte at offset \(offset), line \(line))")
        }
        // "\r\n" is one Character in Swift, so both line ends are named.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw ModelError("\(path): the corpus is empty (one sentence per line expected)") }
        for index in lines.indices {
            if lines[index].allSatisfy(\.isWhitespace) {
                throw ModelError("\(path): line \(index + 1) is empty (one sentence per line, no blank lines)")
            }
        }
        return lines
    }

    /// The offset of the first byte that does not continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count else { return i }
            for j in 1 ..< length where bytes[i + j] >> 6 != 0b10 { return i }
            if length > 1, String(bytes: bytes[i ..< i + length], encoding: .utf8) == nil { return i }
            i += length
        }
        return bytes.count
    }
}
