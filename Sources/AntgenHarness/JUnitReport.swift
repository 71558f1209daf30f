import AntgenSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML for CI: one `<testsuite>` per spec, one `<testcase>` per job (vector file ×
/// simulator), built as an `XMLDocument` (FoundationXML) so every name and message is
/// escaped by the XML library. Shards write disjoint test cases, so their files merge by
/// collecting the `<testsuite>` elements under one `<testsuites>` (``merge(_:)``,
/// `antgen junit-merge`).
///
/// Schema: `<testsuites name="antgen verify">` holding `<testsuite name tests failures
/// errors time>` elements, each with `<properties><property name="shard" value="i/N"/>` and
/// its `<testcase classname name time>` elements; a failed case holds `<failure message>`
/// (the problems, the reproduce command and the waveform path as its text), a case that
/// could not run `<error message>`.
public enum JUnitReport {
    /// The XML text of `report`; `shard` is recorded as a property of every suite.
    public static func xml(_ report: VerificationReport, shard: Shard) -> String {
        var order: [String] = []
        var bySpec: [String: [JobResult]] = [:]
        for r in report.results {
            if bySpec[r.specName] == nil { order.append(r.specName) }
            bySpec[r.specName, default: []].append(r)
        }
        return document(order.map { suite($0, results: bySpec[$0] ?? [], shard: shard) })
    }

    /// The `<testsuite>` of one spec.
    static func suite(_ spec: String, results: [JobResult], shard: Shard) -> XMLElement {
        let failures = results.filter { !$0.passed && $0.error == nil }.count
        let errors = results.filter { $0.error != nil }.count
        let time = results.reduce(0) { $0 + $1.seconds }
        let suite = element("testsuite", [("name", spec), ("tests", "\(results.count)"), ("failures", "\(failures)"),
                                          ("errors", "\(errors)"), ("time", String(format: "%.3f", time))])
        let properties = element("properties", [])
        properties.addChild(element("property", [("name", "shard"), ("value", "\(shard)")]))
        suite.addChild(properties)
        for r in results {
            let testcase = element("testcase", [("classname", spec), ("name", r.job.name), ("time", String(format: "%.3f", r.seconds))])
            if let e = r.error {
                testcase.addChild(element("error", [("message", e)]))
            } else if !r.passed {
                var body = r.problems.prefix(50).joined(separator: "\n")
                if let cmd = r.reproduce { body += "\nreproduce: \(cmd)" }
                if let wave = r.waveform { body += "\nwaveform: \(wave.path)" }
                testcase.addChild(element("failure", [("message", "\(r.failedCases.count) of \(r.cases) cases failed")], text: body))
            }
            suite.addChild(testcase)
        }
        return suite
    }

    /// One test case of ``xml(suites:shard:)``: passed, or failed with a message and a body.
    public struct TestCase: Sendable {
        /// The suite's name, the case's name and its seconds.
        public let className: String, name: String, seconds: Double
        /// The failure's message and body (nil: passed).
        public let failure: (message: String, body: String)?

        /// Creates a case.
        public init(className: String, name: String, seconds: Double, failure: (message: String, body: String)?) {
            self.className = className
            self.name = name
            self.seconds = seconds
            self.failure = failure
        }
    }

    /// The XML text of named suites of cases (any array's verification), in the schema of
    /// ``xml(_:shard:)``, so `antgen junit-merge` merges both.
    public static func xml(suites: [(name: String, cases: [TestCase])], shard: Shard) -> String {
        document(suites.map { name, cases in
            let time = cases.reduce(0) { $0 + $1.seconds }
            let suite = element("testsuite", [("name", name), ("tests", "\(cases.count)"), ("failures", "\(cases.filter { $0.failure != nil }.count)"),
                                              ("errors", "0"), ("time", String(format: "%.3f", time))])
            let properties = element("properties", [])
            properties.addChild(element("property", [("name", "shard"), ("value", "\(shard)")]))
            suite.addChild(properties)
            for c in cases {
                let testcase = element("testcase", [("classname", c.className), ("name", c.name), ("time", String(format: "%.3f", c.seconds))])
                if let f = c.failure { testcase.addChild(element("failure", [("message", f.message)], text: f.body)) }
                suite.addChild(testcase)
            }
            return suite
        })
    }

    /// One document holding every `<testsuite>` element of `documents` (name, XML text), in
    /// order, under one `<testsuites>` root: the merge of a sharded run's files. Each document
    /// is read by ``JUnitInput``'s rules.
    /// - Throws: ``HarnessError`` naming the first document that is not a JUnit file of
    ///   antgen verify.
    public static func merge(_ documents: [(name: String, text: String)]) throws -> String {
        var suites: [XMLElement] = []
        for (name, text) in documents { suites += try JUnitInput.suites(Data(text.utf8), name: name) }
        return document(suites)
    }

    /// Writes the XML via a temporary file and rename.
    public static func write(_ report: VerificationReport, shard: Shard, to url: URL) throws {
        try writeAtomically(xml(report, shard: shard), to: url)
    }

    /// The text of `<testsuites name="antgen verify">` holding `suites` (XML 1.0, UTF-8,
    /// indented, ending in a newline).
    static func document(_ suites: [XMLElement]) -> String {
        let root = element("testsuites", [("name", "antgen verify")])
        for suite in suites {
            suite.detach()
            root.addChild(suite)
        }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        let text = document.xmlString(options: [.nodePrettyPrint])
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// An element with `attributes` in the given order and optional text content; every
    /// value is made XML-safe (``xmlSafe(_:)``) and escaped by the library.
    static func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) -> XMLElement {
        let element = XMLElement(name: name)
        for (key, value) in attributes {
            let attribute = XMLNode(kind: .attribute)
            attribute.name = key
            attribute.stringValue = xmlSafe(value)
            element.addAttribute(attribute)
        }
        if let text { append(text, to: element) }
        return element
    }

    /// Appends `text` (made XML-safe) to `element` as a text node.
    static func append(_ text: String, to element: XMLElement) {
        // FoundationXML types this factory's result as Any; it is always an XMLNode.
        if let node = XMLNode.text(withStringValue: xmlSafe(text)) as? XMLNode { element.addChild(node) }
    }

    /// `text` with every character XML 1.0 cannot carry (control characters other than tab,
    /// line feed and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD, so a simulator's
    /// stray byte never makes the report unreadable.
    static func xmlSafe(_ text: String) -> String {
        func allowed(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
            default: return false
            }
        }
        guard !text.unicodeScalars.allSatisfy(allowed) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { allowed($0) ? $0 : "\u{FFFD}" }))
    }
}
