import AntgenNumerics
import Foundation
import Testing
@testable import AntgenHarness
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The JUnit writer and `junit-merge`'s reader go through FoundationXML: names and messages
/// full of XML's special characters come back exactly, and the schema is the one CI reads.
@Suite struct JUnitReportTests {
    static let hostile = "<&\"'>"

    static func result(_ file: String, failed: [Int] = [], problems: [String] = [], error: String? = nil,
                       reproduce: String? = nil) -> JobResult {
        JobResult(specName: "spec \(hostile)", job: VerificationJob(specIndex: 0, fileName: file, fileIndex: 0, simulator: .verilator, xSeed: nil),
                  cases: 4, failedCases: failed, problems: problems, seconds: 0.25, cycles: 10, macs: 8, latencyChecks: 1,
                  error: error, reproduce: reproduce, waveform: nil, pendingTrace: nil)
    }

    /// A report of one passing, one failing and one erroring job, every text hostile.
    static func report() -> VerificationReport {
        var report = VerificationReport()
        report.results = [
            result("pass \(hostile)"),
            result("fail \(hostile)", failed: [2], problems: ["case 2: got \(hostile) ]]> expected 0x1f"],
                   reproduce: "antgen verify --seed '\(hostile)'"),
            result("error \(hostile)", error: "crashed on \(hostile)"),
        ]
        return report
    }

    /// Attribute `name` of `element`.
    static func attribute(_ element: XMLElement?, _ name: String) -> String? {
        element?.attribute(forName: name)?.stringValue
    }

    /// Reads `text` with XMLDocument (not the reader under test) and checks the schema and
    /// every value of ``report()`` written as shard `shard`, `copies` times.
    static func expectReport(_ text: String, copies: Int, shard: String) throws {
        let document = try XMLDocument(data: Data(text.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites" && attribute(root, "name") == "antgen verify")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == copies && root.children?.count == copies)
        for suite in suites {
            #expect(attribute(suite, "name") == "spec \(hostile)")
            #expect(attribute(suite, "tests") == "3" && attribute(suite, "failures") == "1" && attribute(suite, "errors") == "1")
            #expect(attribute(suite, "time") == "0.750")
            let property = suite.elements(forName: "properties").first?.elements(forName: "property").first
            #expect(attribute(property, "name") == "shard" && attribute(property, "value") == shard)
            let cases = suite.elements(forName: "testcase")
            #expect(cases.map { attribute($0, "name") } == ["pass \(hostile)@verilator", "fail \(hostile)@verilator", "error \(hostile)@verilator"])
            #expect(cases.allSatisfy { attribute($0, "classname") == "spec \(hostile)" && attribute($0, "time") == "0.250" })
            #expect(cases[0].children?.isEmpty ?? true)
            let failure = cases[1].elements(forName: "failure").first
            #expect(attribute(failure, "message") == "1 of 4 cases failed")
            #expect(failure?.stringValue == "case 2: got \(hostile) ]]> expected 0x1f\nreproduce: antgen verify --seed '\(hostile)'")
            #expect(attribute(cases[2].elements(forName: "error").first, "message") == "crashed on \(hostile)")
        }
    }

    @Test func hostileNamesRoundTripThroughTheWriter() throws {
        let text = JUnitReport.xml(Self.report(), shard: try Shard(parsing: "2/3"))
        #expect(text.hasPrefix("<?xml version=\"1.0\"") && text.hasSuffix("</testsuites>\n"))
        try JUnitInput.check(Data(text.utf8), name: "report.xml")
        try Self.expectReport(text, copies: 1, shard: "2/3")
    }

    @Test func hostileNamesRoundTripThroughTheMerge() throws {
        let first = JUnitReport.xml(Self.report(), shard: try Shard(parsing: "1/2"))
        let second = JUnitReport.xml(Self.report(), shard: try Shard(parsing: "1/2"))
        let merged = try JUnitInput.merge([("a.xml", Data(first.utf8)), ("b.xml", Data(second.utf8))])
        try Self.expectReport(merged, copies: 2, shard: "1/2")
        // Merging a merge changes nothing.
        #expect(try JUnitInput.merge([("m.xml", Data(merged.utf8))]) == merged)
    }

    /// Characters XML 1.0 cannot hold (a simulator's stray control byte) become U+FFFD, so
    /// the file stays readable.
    @Test func controlCharactersDoNotBreakTheDocument() throws {
        var report = VerificationReport()
        report.results = [Self.result("bell\u{7}", failed: [0], problems: ["nul \u{0} esc \u{1B}"])]
        let text = JUnitReport.xml(report, shard: try Shard(parsing: "1/1"))
        try JUnitInput.check(Data(text.utf8), name: "report.xml")
        let document = try XMLDocument(data: Data(text.utf8), options: [])
        let testcase = document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase").first
        #expect(Self.attribute(testcase, "name") == "bell\u{FFFD}@verilator")
        #expect(testcase?.elements(forName: "failure").first?.stringValue == "nul \u{FFFD} esc \u{FFFD}")
    }

    /// The merge keeps other writers' text (entities, CDATA) and drops comments.
    @Test func mergeKeepsTextAndCDATA() throws {
        let input = """
        <?xml version="1.0"?><testsuites><!-- c --><testsuite name="a &amp; b"><testcase name="x"><failure message="m">one &lt; two <![CDATA[<raw> & ]]></failure></testcase></testsuite></testsuites>
        """
        let merged = try JUnitInput.merge([("in.xml", Data(input.utf8))])
        let document = try XMLDocument(data: Data(merged.utf8), options: [])
        let suite = document.rootElement()?.elements(forName: "testsuite").first
        #expect(Self.attribute(suite, "name") == "a & b")
        #expect(suite?.elements(forName: "testcase").first?.elements(forName: "failure").first?.stringValue == "one < two <raw> & ")
        #expect(!merged.contains("<!--"))
    }
}
