import AntgenArrays
import AntgenHarness
import Foundation
import Testing

/// The counts, report lines and JUnit of a variant verification.
@Suite struct VerifyOutcomeTests {
    static let outcome = VerifyOutcome(runs: [
        VerifyRun(name: "sdp-2x2-g2-t1 <&\"'>", simulator: .verilator, cases: 10, failedCases: 0, problems: []),
        VerifyRun(name: "sdp-2x2-g2-t1 <&\"'>", simulator: .icarus, cases: 10, failedCases: 3, problems: ["MISMATCH case 4 <x & y>"]),
        VerifyRun(name: "mx-1x1", simulator: .verilator, cases: 5, failedCases: 0, problems: ["ERROR: out_row 3 after the last tile"]),
    ])

    @Test func countsTreatAProtocolErrorAsOneFailedCase() {
        #expect(Self.outcome.passedCases == 10 + 7 + 4)
        #expect(Self.outcome.failedCases == 3 + 1)
        #expect(!Self.outcome.passed)
    }

    @Test func failuresCarryTheirReproduceLine() {
        let lines = Self.outcome.reportLines(reproduce: "antgen verify --array sdp --cases 10")
        #expect(lines.contains("  reproduce: antgen verify --array sdp --cases 10 --sim icarus"))
        #expect(lines.filter { $0.hasPrefix("FAIL") }.count == 2 && lines.filter { $0.hasPrefix("PASS") }.count == 1)
    }

    @Test func junitIsOneSuitePerConfigurationAndMerges() throws {
        let xml = Self.outcome.junitXML(shard: try Shard(parsing: "2/3"))
        let merged = try JUnitReport.merge([("a.xml", xml), ("b.xml", xml)])
        #expect(merged.components(separatedBy: "<testsuite ").count - 1 == 4)
        #expect(xml.contains("name=\"sdp-2x2-g2-t1 &lt;&amp;&quot;'&gt;\"") || xml.contains("name=\"sdp-2x2-g2-t1 &lt;&amp;&quot;&apos;&gt;\""))
        #expect(xml.contains("failures=\"1\"") && xml.contains("3 of 10 cases failed") && xml.contains("value=\"2/3\""))
    }
}
