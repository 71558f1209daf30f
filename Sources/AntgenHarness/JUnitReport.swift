import AntgenSupport
import Foundation

/// JUnit XML for CI: one `<testsuite>` per spec, one `<testcase>` per job (vector file ×
/// simulator). Shards write disjoint test cases, so their files merge by concatenating
/// the `<testsuite>` elements under one `<testsuites>` (``merge(_:)``, `antgen junit-merge`).
public enum JUnitReport {
    /// The XML text of `report`; `shard` is recorded as a property.
    public static func xml(_ report: VerificationReport, shard: Shard) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"antgen verify\">\n"
        var order: [String] = []
        var bySpec: [String: [JobResult]] = [:]
        for r in report.results {
            if bySpec[r.specName] == nil { order.append(r.specName) }
            bySpec[r.specName, default: []].append(r)
        }
        for spec in order {
            let results = bySpec[spec]!
            let failures = results.filter { !$0.passed && $0.error == nil }.count
            let errors = results.filter { $0.error != nil }.count
            let time = results.reduce(0) { $0 + $1.seconds }
            out += "  <testsuite name=\"\(escape(spec))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(String(format: "%.3f", time))\">\n"
            out += "    <properties><property name=\"shard\" value=\"\(shard)\"/></properties>\n"
            for r in results {
                out += "    <testcase classname=\"\(escape(spec))\" name=\"\(escape(r.job.name))\" time=\"\(String(format: "%.3f", r.seconds))\">"
                if let e = r.error {
                    out += "\n      <error message=\"\(escape(e))\"/>\n    "
                } else if !r.passed {
                    let message = "\(r.failedCases.count) of \(r.cases) cases failed"
                    var body = r.problems.prefix(50).joined(separator: "\n")
                    if let cmd = r.reproduce { body += "\nreproduce: \(cmd)" }
                    if let wave = r.waveform { body += "\nwaveform: \(wave.path)" }
                    out += "\n      <failure message=\"\(escape(message))\">\(escape(body))</failure>\n    "
                }
                out += "</testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// One document holding every `<testsuite>` element of `documents` (name, XML text), in
    /// order, under one `<testsuites>` root: the merge of a sharded run's files.
    /// - Throws: ``HarnessError`` naming a document without a `<testsuites>` root.
    public static func merge(_ documents: [(name: String, text: String)]) throws -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"antgen verify\">\n"
        for (name, text) in documents {
            guard let open = text.range(of: "<testsuites"), let openEnd = text[open.upperBound...].firstIndex(of: ">"),
                  let close = text.range(of: "</testsuites>", options: .backwards), openEnd < close.lowerBound else {
                throw HarnessError("\(name): not a JUnit file of antgen verify (no <testsuites> root)")
            }
            let body = text[text.index(after: openEnd) ..< close.lowerBound]
            for line in body.split(separator: "\n", omittingEmptySubsequences: true) { out += line + "\n" }
        }
        return out + "</testsuites>\n"
    }

    /// Writes the XML via a temporary file and rename.
    public static func write(_ report: VerificationReport, shard: Shard, to url: URL) throws {
        try writeAtomically(xml(report, shard: shard), to: url)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
