import AntgenDSL
import AntgenHardware
import Foundation
import Testing

/// The harness writes no top's port name as a string: the testbench glue reads every name
/// from the elaborated tops' typed ports (issue 23, item 4). The names are taken from the
/// tops themselves, every optional port present, so a port added later is covered too.
@Suite struct PortNameLiteralTests {
    static let harnessSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/AntgenHarness")

    /// Every port of every top (all options on): its signal names and, for vectors, the base
    /// name (written before an interpolated index, `a_code_\(i)`).
    static func topPortNames() throws -> (names: Set<String>, vectorBases: Set<String>) {
        let ant = try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 20, int8: true,
                                      preload: true, codec: true)
        let tops: [HardwareModule] = [
            try elaborate(AntArray(ant)).top,
            try elaborate(WsArray(try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int],
                                                      accumulatorWidth: 20, int8: true))).top,
            try elaborate(PwlqArray(try PwlqArrayParameters(rows: 2, cols: 2, int8: true, preload: true, codec: true))).top,
            try elaborate(SdpArray(try SdpArrayParameters(rows: 2, cols: 2, group: 4, terms: 5, weightTypes: [.int], weightInt8: true,
                                                          accumulatorWidth: 32))).top,
            try elaborate(MxArray(MxArrayParameters(rows: 2, cols: 2))).top,
        ]
        var names = Set<String>(), bases = Set<String>()
        for top in tops {
            names.formUnion(top.ports.map(\.name))
            let declared = [top.declaredPorts(AntArray.Ports.self)?.all, top.declaredPorts(WsArray.Ports.self)?.all,
                            top.declaredPorts(PwlqArray.Ports.self)?.all, top.declaredPorts(SdpArray.Ports.self)?.all,
                            top.declaredPorts(MxArray.Ports.self)?.all].compactMap { $0 }
            #expect(declared.count == 1, "\(top.name) is read through exactly one typed spec")
            for port in declared.joined() where port.count != nil { bases.insert(port.name) }
        }
        return (names, bases)
    }

    /// The text of every string literal in Swift source (`"…"`, `"""…"""`, raw `#"…"#`, also
    /// those inside interpolations), comments skipped, each interpolation `\(…)` replaced by a
    /// NUL so that the text around it stays apart.
    static func stringLiterals(_ source: String) -> [(line: Int, text: String)] {
        var lexer = LiteralLexer(source)
        lexer.code(insideInterpolation: false)
        return lexer.found
    }

    /// The port names a literal spells: identifier words that are a port's name, or a vector's
    /// base name with a trailing `_` (before an interpolated index).
    static func portNames(in text: String, names: Set<String>, vectorBases: Set<String>) -> [String] {
        let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        return words.filter { names.contains($0) || vectorBases.contains($0) || ($0.hasSuffix("_") && vectorBases.contains(String($0.dropLast()))) }
    }

    @Test func theScannerSeesPortNamesInLiterals() throws {
        let (names, bases) = try Self.topPortNames()
        #expect(names.contains("a_code_0") && names.contains("psum_in") && names.contains("cfg_a_format") && bases.contains("out_data"))
        let source = ##"""
        let a = "a_code_\(i)"  // "in_valid" in a comment is fine
        let b = [".in_valid(in_valid)", "out_row_wide", "hold_a_0"]
        let c = """
          if (out_valid) $display("%h", x);
          """
        let d = #"psum_in = \#(x)"#
        let e = "\(f(valid: "in_ready", "(")) out_row"
        """##
        let hits = Self.stringLiterals(source).flatMap { Self.portNames(in: $0.text, names: names, vectorBases: bases) }
        #expect(hits == ["a_code_", "in_valid", "in_valid", "out_valid", "psum_in", "in_ready", "out_row"])
    }

    @Test func noHarnessSourceSpellsATopPortName() throws {
        let (names, bases) = try Self.topPortNames()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.harnessSources.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 20, "found the harness sources at \(Self.harnessSources.path)")
        var offenders: [String] = []
        for file in files {
            let source = try String(contentsOf: Self.harnessSources.appendingPathComponent(file), encoding: .utf8)
            for literal in Self.stringLiterals(source) {
                let hits = Self.portNames(in: literal.text, names: names, vectorBases: bases)
                if !hits.isEmpty { offenders.append("\(file):\(literal.line): \(hits.joined(separator: ", "))") }
            }
        }
        #expect(offenders.isEmpty, "port names written as strings (read them from the top's typed ports):\n\(offenders.joined(separator: "\n"))")
    }
}

/// A small Swift lexer that finds string literals (enough for the scan: comments, plain,
/// multi-line and raw strings, nested interpolations; no regex literals).
private struct LiteralLexer {
    let c: [Unicode.Scalar]
    var i = 0, line = 1
    var found: [(line: Int, text: String)] = []

    init(_ source: String) { c = Array(source.unicodeScalars) }

    func at(_ k: Int, _ s: String) -> Bool {
        let u = Array(s.unicodeScalars)
        return k + u.count <= c.count && Array(c[k ..< k + u.count]) == u
    }

    mutating func advance() {
        if c[i] == "\n" { line += 1 }
        i += 1
    }

    /// Scans code up to the end, or past the `)` that closes an interpolation.
    mutating func code(insideInterpolation: Bool) {
        var depth = 0
        while i < c.count {
            if at(i, "//") { while i < c.count && c[i] != "\n" { i += 1 }; continue }
            if at(i, "/*") { while i < c.count && !at(i, "*/") { advance() }; i += 2; continue }
            var hashes = 0
            while i + hashes < c.count && c[i + hashes] == "#" { hashes += 1 }
            if i + hashes < c.count && c[i + hashes] == "\"" { literal(hashes: hashes); continue }
            if c[i] == "(" { depth += 1 } else if c[i] == ")" {
                if insideInterpolation && depth == 0 { i += 1; return }
                depth -= 1
            }
            advance()
        }
    }

    /// Scans one literal that starts at `i` with `hashes` `#`s; records its text.
    mutating func literal(hashes: Int) {
        let start = line
        let triple = at(i + hashes, "\"\"\"")
        let close = (triple ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
        let escape = "\\" + String(repeating: "#", count: hashes)
        let escapeLength = escape.unicodeScalars.count
        i += hashes + (triple ? 3 : 1)
        var text = ""
        while i < c.count && !at(i, close) {
            if at(i, escape + "(") {
                i += escapeLength + 1
                code(insideInterpolation: true)
                text += "\u{0}"
            } else if at(i, escape), i + escapeLength < c.count {
                text.unicodeScalars.append(c[i + escapeLength])
                i += escapeLength + 1
            } else {
                text.unicodeScalars.append(c[i])
                advance()
            }
        }
        i += close.unicodeScalars.count
        found.append((start, text))
    }
}
