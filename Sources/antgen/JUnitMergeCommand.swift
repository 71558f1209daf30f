import AntgenHarness
import AntgenNumerics
import AntgenVerilog
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `antgen junit-merge`: one JUnit file from the files of a sharded `antgen verify` run.
struct JUnitMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junit-merge",
        abstract: "Merge the JUnit files of a sharded `antgen verify --shard i/N --junit F` run into one.")

    @Argument(help: "JUnit files written by `antgen verify --junit`.")
    var files: [String]

    @Option(name: [.short, .customLong("output")], help: "The merged file.")
    var output: String

    func run() throws {
        try reportingErrors {
            try checkWritable(output, what: "the merged JUnit file")
            let documents = try files.map { path -> (name: String, text: String) in
                guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read \(path)") }
                try Self.checkJUnit(data, name: path)
                return (path, String(decoding: data, as: UTF8.self))
            }
            let merged = try JUnitReport.merge(documents)
            // The merge concatenates text; checking its result keeps a malformed merge from
            // ever being written.
            try Self.checkJUnit(Data(merged.utf8), name: "the merged document")
            let url = URL(fileURLWithPath: output)
            do {
                _ = try writeAtomically([(url.lastPathComponent, merged)], to: url.deletingLastPathComponent())
            } catch {
                throw CLIError(describeFileError(error, path: output, action: "write"))
            }
            print("merged \(files.count) files into \(output)")
        }
    }

    /// Accepts well-formed XML whose root is `<testsuites>` holding only `<testsuite>`
    /// elements: what `antgen verify --junit` writes.
    ///
    /// - Throws: `HarnessError` naming the file and the first problem.
    static func checkJUnit(_ data: Data, name: String) throws {
        guard !data.isEmpty else { throw HarnessError("\(name): not a JUnit file of antgen verify (the file is empty)") }
        let parser = XMLParser(data: data)
        let checker = JUnitStructure()
        parser.delegate = checker
        guard parser.parse(), checker.problem == nil, checker.sawRoot else {
            let why = checker.problem ?? (checker.sawRoot ? "not well-formed XML" : "no <testsuites> root")
            throw HarnessError("\(name): not a JUnit file of antgen verify (\(why))")
        }
    }
}

/// Follows the element nesting of a JUnit document and records the first structural problem.
private final class JUnitStructure: NSObject, XMLParserDelegate {
    var open: [String] = []
    var sawRoot = false
    var problem: String?
    var depth: Int { open.count }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if depth == 0, name != "testsuites" { problem = problem ?? "the root is <\(name)>, not <testsuites>" }
        if depth == 0 { sawRoot = true }
        if depth == 1, name != "testsuite" { problem = problem ?? "<\(name)> inside <testsuites>" }
        open.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if open.last != name { problem = problem ?? "</\(name)> closes <\(open.last ?? "nothing")>" }
        if !open.isEmpty { open.removeLast() }
    }

    func parserDidEndDocument(_ parser: XMLParser) {
        if let last = open.last { problem = problem ?? "<\(last)> is never closed" }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        problem = problem ?? "not well-formed XML"
    }
}
