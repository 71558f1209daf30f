import AntgenSupport
import ArgumentParser
import Foundation

/// The `antgen` command: ANT number formats to verified hardware.
@main
struct Antgen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "antgen",
        abstract: "ANT number formats to verified hardware: quantize, generate Verilog, verify.",
        version: antgenVersion,
        subcommands: [
            QuantizeCommand.self, TuneCommand.self, EmitCommand.self, EmitExamplesCommand.self,
            LintCommand.self, VerifyCommand.self, JUnitMergeCommand.self, SynthCommand.self, RunCommand.self, MxReportCommand.self, PwlqReportCommand.self,
            PerfCommand.self, ArraysCommand.self, InferCommand.self, CompareCommand.self, MergeCommand.self,
            FpIntStudyCommand.self,
        ])

    /// Installs the Ctrl-C/SIGTERM clean-up (children's process groups killed, temporary
    /// folders removed, exit 128 + signal), then runs the command.
    static func main() {
        InterruptCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // A usage mistake (an unknown or misplaced option, a value an option refuses, an
            // option of another --array) is one line and exit status 64, like every other error
            // (see `antgen <command> --help` for the options); help and version print as usual.
            let code = exitCode(for: error)
            if code == .validationFailure, !(error is CleanExit) {
                let message = Antgen.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Data("antgen: error: \(message)\n".utf8))
                exit(withError: ExitCode.validationFailure)
            }
            exit(withError: error)
        }
    }
}
