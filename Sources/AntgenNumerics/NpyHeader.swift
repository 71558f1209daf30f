/// The dictionary of an .npy header, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NpyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// A parse failure, with what was expected where.
    struct ParseError: Error {
        let message: String
    }

    /// Parses the Python-literal dictionary numpy writes. Only the literal forms numpy
    /// produces are accepted: quoted strings, True/False, integers and tuples of integers.
    static func parse(_ text: String) throws(ParseError) -> NpyHeader {
        var parser = LiteralParser(Array(text.unicodeScalars))
        let dictionary = try parser.parseDictionary()
        parser.skipWhitespace()
        guard parser.atEnd else { throw ParseError(message: "unexpected text after the header dictionary") }
        guard case .string(let descr)? = dictionary["descr"] else { throw ParseError(message: "missing or non-string 'descr'") }
        guard case .bool(let fortranOrder)? = dictionary["fortran_order"] else { throw ParseError(message: "missing or non-boolean 'fortran_order'") }
        guard case .tuple(let shape)? = dictionary["shape"] else { throw ParseError(message: "missing or non-tuple 'shape'") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw ParseError(message: "negative dimension in 'shape'") }
        return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// The header text numpy would write (without padding).
    var literal: String {
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dimensions), }"
    }
}

/// A value of the header dictionary.
enum HeaderLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case integer(Int)
    case tuple([Int])
}

/// A recursive-descent reader of the header's Python literals.
struct LiteralParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { position >= scalars.count }

    mutating func skipWhitespace() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(NpyHeader.ParseError) {
        skipWhitespace()
        guard position < scalars.count, scalars[position] == character else {
            throw NpyHeader.ParseError(message: "expected '\(character)' at character \(position)")
        }
        position += 1
    }

    private mutating func peek() -> Unicode.Scalar? {
        skipWhitespace()
        return position < scalars.count ? scalars[position] : nil
    }

    mutating func parseDictionary() throws(NpyHeader.ParseError) -> [String: HeaderLiteral] {
        try expect("{")
        var result: [String: HeaderLiteral] = [:]
        while peek() != "}" {
            guard case .string(let key) = try parseValue() else {
                throw NpyHeader.ParseError(message: "dictionary keys must be strings")
            }
            try expect(":")
            guard result[key] == nil else { throw NpyHeader.ParseError(message: "duplicate key '\(key)'") }
            result[key] = try parseValue()
            if peek() == "," { position += 1 } else { break }
        }
        try expect("}")
        return result
    }

    private mutating func parseValue() throws(NpyHeader.ParseError) -> HeaderLiteral {
        guard let first = peek() else { throw NpyHeader.ParseError(message: "unexpected end of header") }
        switch first {
        case "'", "\"": return .string(try parseString())
        case "(": return .tuple(try parseTuple())
        case "T", "F": return .bool(try parseBool())
        default: return .integer(try parseInteger())
        }
    }

    private mutating func parseString() throws(NpyHeader.ParseError) -> String {
        let quote = scalars[position]
        position += 1
        var text = String.UnicodeScalarView()
        while position < scalars.count, scalars[position] != quote {
            text.append(scalars[position])
            position += 1
        }
        guard position < scalars.count else { throw NpyHeader.ParseError(message: "unterminated string") }
        position += 1
        return String(text)
    }

    private mutating func parseBool() throws(NpyHeader.ParseError) -> Bool {
        for (word, value) in [("True", true), ("False", false)] {
            let wordScalars = Array(word.unicodeScalars)
            if position + wordScalars.count <= scalars.count, Array(scalars[position ..< position + wordScalars.count]) == wordScalars {
                position += wordScalars.count
                return value
            }
        }
        throw NpyHeader.ParseError(message: "expected True or False at character \(position)")
    }

    private mutating func parseInteger() throws(NpyHeader.ParseError) -> Int {
        skipWhitespace()
        let start = position
        if position < scalars.count, scalars[position] == "-" { position += 1 }
        while position < scalars.count, ("0" ... "9").contains(scalars[position]) { position += 1 }
        var digits = String.UnicodeScalarView()
        digits.append(contentsOf: scalars[start ..< position])
        // numpy may write Python 2 long literals such as 3L.
        if position < scalars.count, scalars[position] == "L" { position += 1 }
        guard let value = Int(String(digits)) else {
            throw NpyHeader.ParseError(message: "expected an integer at character \(start)")
        }
        return value
    }

    private mutating func parseTuple() throws(NpyHeader.ParseError) -> [Int] {
        try expect("(")
        var items: [Int] = []
        while peek() != ")" {
            items.append(try parseInteger())
            if peek() == "," { position += 1 } else { break }
        }
        try expect(")")
        return items
    }
}
