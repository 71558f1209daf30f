import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The JUnit files `antgen junit-merge` accepts: what `antgen verify --junit` writes, read
/// with FoundationXML's parser (no DTDs or external entities are fetched).
///
/// A file is accepted when it is well-formed UTF-8 XML whose root is `<testsuites>` holding
/// only `<testsuite>` elements. Merging rebuilds each file's `<testsuite>` elements (their
/// elements, attributes and text; comments and processing instructions are dropped) and
/// writes them under one root with ``JUnitReport``'s writer; the merged document is checked
/// by the same rule before it is returned, so a malformed merge is never written. Every
/// rejection is one line naming the file (docs/reliability.md, "The readers' rules").
public enum JUnitInput {
    /// Checks one JUnit document.
    ///
    /// - Throws: ``HarnessError`` naming `name` and the first structural problem.
    public static func check(_ data: Data, name: String) throws(HarnessError) {
        _ = try suites(data, name: name)
    }

    /// The `<testsuite>` elements of one JUnit document, rebuilt from its parse, in order.
    ///
    /// - Throws: ``HarnessError`` naming `name` and the first structural problem.
    static func suites(_ data: Data, name: String) throws(HarnessError) -> [XMLElement] {
        guard !data.isEmpty else { throw HarnessError("\(name): not a JUnit file of antgen verify (the file is empty)") }
        // FoundationXML's parser traps on some invalid UTF-8 (an attribute name with a stray
        // byte), and antgen writes UTF-8: anything else is refused before parsing.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw HarnessError("\(name): not a JUnit file of antgen verify (not UTF-8 text)")
        }
        let parser = XMLParser(data: data)
        let reader = JUnitReader()
        parser.delegate = reader
        // No DTDs or external entities: a hostile file cannot expand or fetch anything.
        parser.shouldResolveExternalEntities = false
        let wellFormed = parser.parse()
        guard wellFormed, reader.problem == nil, reader.sawRoot else {
            let why = reader.problem ?? (reader.sawRoot ? "not well-formed XML" : "no <testsuites> root")
            throw HarnessError("\(name): not a JUnit file of antgen verify (\(why))")
        }
        return reader.suites
    }

    /// Checks every document, merges their `<testsuite>` elements in order under one
    /// `<testsuites>` root and checks the result.
    ///
    /// - Parameter documents: (name for messages, file contents), in merge order.
    /// - Returns: the merged document's text.
    /// - Throws: ``HarnessError`` naming the first bad file, or the merged document.
    public static func merge(_ documents: [(name: String, data: Data)]) throws(HarnessError) -> String {
        var suites: [XMLElement] = []
        for (name, data) in documents { suites += try Self.suites(data, name: name) }
        let merged = JUnitReport.document(suites)
        // Checking the result keeps a malformed merge from ever being written.
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

/// Follows the element nesting of a JUnit document, records the first structural problem
/// and rebuilds every element below the root as an `XMLElement`.
private final class JUnitReader: NSObject, XMLParserDelegate {
    var open: [String] = []
    var sawRoot = false
    var problem: String?
    var depth: Int { open.count }
    /// The `<testsuite>` elements rebuilt so far.
    var suites: [XMLElement] = []
    /// The elements being rebuilt, innermost last, with their character data not yet added
    /// and whether they hold an element.
    private var building: [(element: XMLElement, text: String, hasElements: Bool)] = []

    /// Attributes written in this order (JUnit's usual one), then any others by name.
    static let attributeOrder = ["classname", "name", "tests", "failures", "errors", "skipped", "time", "timestamp", "message", "type", "value"]

    /// An element name as it may appear in a one-line message (printable, at most 40 characters).
    static func shown(_ name: String) -> String {
        let printable = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return printable.count > 40 ? String(printable.prefix(40)) + "…" : printable
    }

    /// `attributes` in ``attributeOrder``.
    static func ordered(_ attributes: [String: String]) -> [(String, String)] {
        attributes.sorted { a, b in
            let i = attributeOrder.firstIndex(of: a.key) ?? attributeOrder.count, j = attributeOrder.firstIndex(of: b.key) ?? attributeOrder.count
            return i != j ? i < j : a.key < b.key
        }.map { ($0.key, $0.value) }
    }

    /// Adds the innermost element's pending character data as a text node, unless it is only
    /// the layout whitespace next to child elements.
    private func flushText(closing: Bool) {
        guard let last = building.indices.last else { return }
        let text = building[last].text
        building[last].text = ""
        let layout = text.allSatisfy(\.isWhitespace) && (!closing || building[last].hasElements)
        guard !text.isEmpty, !layout else { return }
        JUnitReport.append(text, to: building[last].element)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if depth == 0, sawRoot { problem = problem ?? "a second root element <\(Self.shown(name))>" }
        if depth == 0, name != "testsuites" { problem = problem ?? "the root is <\(Self.shown(name))>, not <testsuites>" }
        if depth == 0 { sawRoot = true }
        if depth == 1, name != "testsuite" { problem = problem ?? "<\(Self.shown(name))> inside <testsuites>" }
        if depth >= 1, problem == nil {
            flushText(closing: false)
            let element = JUnitReport.element(name, Self.ordered(attributes))
            if let last = building.indices.last {
                building[last].element.addChild(element)
                building[last].hasElements = true
            }
            building.append((element, "", false))
        }
        open.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if open.last != name { problem = problem ?? "</\(Self.shown(name))> closes <\(Self.shown(open.last ?? "nothing"))>" }
        if depth >= 2, !building.isEmpty {
            flushText(closing: true)
            let finished = building.removeLast()
            if building.isEmpty { suites.append(finished.element) }
        }
        if !open.isEmpty { open.removeLast() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = building.indices.last { building[last].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if let last = building.indices.last { building[last].text += String(decoding: block, as: UTF8.self) }
    }

    func parserDidEndDocument(_ parser: XMLParser) {
        if let last = open.last { problem = problem ?? "<\(Self.shown(last))> is never closed" }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        problem = problem ?? "not well-formed XML"
    }
}
