import AntgenSupport
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen lint DIR`: runs Verilator, Icarus and Yosys on the design(s) in a folder.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint the design in a folder with verilator -Wall, iverilog -Wall and yosys check -assert.",
        discussion: """
        A folder written by `antgen emit` or `antgen emit-examples` is linted as its manifest.json \
        lists it (its top module(s) only; other files in the folder are ignored). A folder \
        without a manifest is linted by every <top>.f file list in it.
        """)

    @Argument(help: "A folder written by antgen (manifest.json, or <top>.f file lists).")
    var directory: String

    @Option(help: "Seconds any one lint tool run may take before it is killed (default: 1800 for Verilator and Yosys, 600 for Icarus).")
    var toolTimeout: Double?

    func run() throws {
        try reportingErrors { try lint(timeout: try checkedToolTimeout(toolTimeout)) }
    }

    private func lint(timeout: Double?) throws {
        let dir = URL(fileURLWithPath: directory)
        let tops = try DesignListing.tops(in: dir, shown: directory)
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
