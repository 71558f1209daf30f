import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The JUnit files `antgen junit-merge` accepts: what `antgen verify --junit` writes.
///
/// A file is accepted when it is well-formed XML whose root is `<testsuites>` holding only
/// `<testsuite>` elements. The merged document is checked by the same rule before it is
/// returned, so a malformed merge is never written. Every rejection is one line naming the
/// file (docs/reliability.md, "The readers' rules").
public enum JUnitInput {
    /// Checks one JUnit document.
    ///
    /// - Throws: ``HarnessError`` naming `name` and the first structural problem.
    public static func check(_ data: Data, name: String) throws(HarnessError) {
        guard !data.isEmpty else { throw HarnessError("\(name): not a JUnit file of antgen verify (the file is empty)") }
        // FoundationXML's parser traps on some invalid UTF-8 (an attribute name with a stray
        // byte), and antgen writes UTF-8: anything else is refused before parsing.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw HarnessError("\(name): not a JUnit file of antgen verify (not UTF-8 text)")
        }
        let parser = XMLParser(data: data)
        let checker = JUnitStructure()
        parser.delegate = checker
        // No DTDs or external entities: a hostile file cannot expand or fetch anything.
        parser.shouldResolveExternalEntities = false
        let wellFormed = parser.parse()
        guard wellFormed, checker.problem == nil, checker.sawRoot else {
            let why = checker.problem ?? (checker.sawRoot ? "not well-formed XML" : "no <testsuites> root")
            throw HarnessError("\(name): not a JUnit file of antgen verify (\(why))")
        }
    }

    /// Checks every document, merges them with ``JUnitReport/merge(_:)`` and checks the result.
    ///
    /// - Parameter documents: (name for messages, file contents), in merge order.
    /// - Returns: the merged document's text.
    /// - Throws: ``HarnessError`` naming the first bad file, or the merged document.
    public static func merge(_ documents: [(name: String, data: Data)]) throws(HarnessError) -> String {
        var texts: [(name: String, text: String)] = []
        for (name, data) in documents {
            try check(data, name: name)
            texts.append((name, String(decoding: data, as: UTF8.self)))
        }
        let merged: String
        do {
            merged = try JUnitReport.merge(texts)
        } catch let error as HarnessError {
            throw error
        } catch {
            throw HarnessError("cannot merge the JUnit files: \(error)")
        }
        // The merge concatenates text; checking its result keeps a malformed merge from
        // ever being written.
        try check(Data(merged.utf8), name: "the merged document")
        return merged
    }

    /// Reads the files at `paths` and merges them (see ``merge(_:)``).
    ///
    /// - Throws: ``HarnessError`` for an unreadable or malformed file.
    public static func merge(paths: [String]) throws(HarnessError) -> String {
        var documents: [(name: String, data: Data)] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read \(path)") }
            documents.append((path, data))
        }
        return try merge(documents)
    }
}

/// Follows the element nesting of a JUnit document and records the first structural problem.
private final class JUnitStructure: NSObject, XMLParserDelegate {
    var open: [String] = []
    var sawRoot = false
    var problem: String?
    var depth: Int { open.count }

    /// An element name as it may appear in a one-line message (printable, at most 40 characters).
    static func shown(_ name: String) -> String {
        let printable = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return printable.count > 40 ? String(printable.prefix(40)) + "…" : printable
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if depth == 0, sawRoot { problem = problem ?? "a second root element <\(Self.shown(name))>" }
        if depth == 0, name != "testsuites" { problem = problem ?? "the root is <\(Self.shown(name))>, not <testsuites>" }
        if depth == 0 { sawRoot = true }
        if depth == 1, name != "testsuite" { problem = problem ?? "<\(Self.shown(name))> inside <testsuites>" }
        open.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if open.last != name { problem = problem ?? "</\(Self.shown(name))> closes <\(Self.shown(open.last ?? "nothing"))>" }
        if !open.isEmpty { open.removeLast() }
    }

    func parserDidEndDocument(_ parser: XMLParser) {
        if let last = open.last { problem = problem ?? "<\(Self.shown(last))> is never closed" }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        problem = problem ?? "not well-formed XML"
    }
}
