import AntgenHarness
import AntgenSupport
import ArgumentParser
import Foundation

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
            let documents = try files.map { path -> (name: String, text: String) in
                guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read \(path)") }
                return (path, String(decoding: data, as: UTF8.self))
            }
            let url = URL(fileURLWithPath: output)
            try writeAtomically(try JUnitReport.merge(documents), to: url)
            print("merged \(files.count) files into \(output)")
        }
    }
}
