import AntgenHarness
import AntgenNumerics
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
            try checkWritable(output, what: "the merged JUnit file")
            let merged = try JUnitInput.merge(paths: files)
            let url = URL(fileURLWithPath: output)
            do {
                _ = try writeAtomically([(url.lastPathComponent, merged)], to: url.deletingLastPathComponent())
            } catch {
                throw CLIError(describeFileError(error, path: output, action: "write"))
            }
            print("merged \(files.count) files into \(output)")
        }
    }
}
