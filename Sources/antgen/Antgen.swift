import AntgenSupport
import ArgumentParser

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
            PerfCommand.self, ArraysCommand.self,
        ])

    /// Installs the Ctrl-C/SIGTERM clean-up (children's process groups killed, temporary
    /// folders removed, exit 128 + signal), then runs the command.
    static func main() {
        InterruptCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
