import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen lint DIR`: runs Verilator, Icarus and Yosys on every design in a folder.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint every design (each <top>.f file list) in a folder with verilator -Wall, iverilog -Wall and yosys check -assert.")

    @Argument(help: "A folder written by antgen (holding <top>.f file lists).")
    var directory: String

    @Option(help: "Seconds any one lint tool run may take before it is killed (default: 1800 for Verilator and Yosys, 600 for Icarus).")
    var toolTimeout: Double?

    func run() throws {
        let timeout = try checkedToolTimeout(toolTimeout)
        let dir = URL(fileURLWithPath: directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw CLIError("cannot read folder \(directory)")
        }
        let tops = names.filter { $0.hasSuffix(".f") }.map { String($0.dropLast(2)) }.sorted()
        guard !tops.isEmpty else {
            throw CLIError("no <top>.f file list in \(directory); emit a design there first")
        }
        var failures = 0
        for top in tops {
            let findings = try VerilogLinter(timeout: timeout).lint(directory: dir, top: top)
            for finding in findings {
                print("\(top): \(finding)")
                if !finding.clean { failures += 1 }
            }
        }
        print("\(tops.count * LintGate.allCases.count - failures) passed, \(failures) failed")
        if failures > 0 { throw ExitCode(1) }
    }
}
