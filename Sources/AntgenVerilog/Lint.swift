import AntgenSupport
import Foundation

/// The three lint gates every generated design must pass.
public enum LintGate: String, CaseIterable, Sendable {
    /// `verilator --lint-only -Wall`: zero warnings.
    case verilator
    /// `iverilog -Wall -g2005`: compiles with no warnings.
    case iverilog
    /// Yosys `hierarchy -check; proc; check -assert`: no latches, loops, multiple drivers.
    case yosys
}

/// The outcome of one gate on one design.
public struct LintFinding: Sendable, CustomStringConvertible {
    /// Which gate.
    public let gate: LintGate
    /// True when the gate passed with no warnings.
    public let clean: Bool
    /// The tool's output (empty when clean for Verilator and Icarus).
    public let output: String

    /// `verilator: clean` or the gate and its first lines of output.
    public var description: String {
        clean ? "\(gate.rawValue): clean" : "\(gate.rawValue): FAILED\n\(output)"
    }
}

/// Runs the lint gates on emitted Verilog.
public struct VerilogLinter: Sendable {
    /// Verilator, Icarus and Yosys, with their timeouts.
    public let verilator: ExternalTool, iverilog: ExternalTool, yosys: ExternalTool

    /// Creates a linter; `timeout` (seconds) replaces every tool's default timeout.
    public init(timeout: Double? = nil) {
        verilator = ExternalTool.verilator.withTimeout(timeout)
        iverilog = ExternalTool.iverilog.withTimeout(timeout)
        yosys = ExternalTool.yosys.withTimeout(timeout)
    }

    /// Lints the design whose file list is `directory/<top>.f`.
    public func lint(directory: URL, top: String, gates: [LintGate] = LintGate.allCases) throws -> [LintFinding] {
        let list = try String(contentsOf: directory.appendingPathComponent("\(top).f"), encoding: .utf8)
        let files = list.split(separator: "\n").map(String.init)
        return try gates.map { gate in
            switch gate {
            case .verilator:
                let r = try verilator.run(["--lint-only", "-Wall", "--top-module", top] + files, in: directory)
                return LintFinding(gate: gate, clean: r.status == 0 && !r.output.contains("%Warning"), output: r.output)
            case .iverilog:
                let r = try iverilog.run(["-Wall", "-g2005", "-o", "/dev/null", "-s", top] + files, in: directory)
                return LintFinding(gate: gate, clean: r.status == 0 && r.output.isEmpty, output: r.output)
            case .yosys:
                let script = "read_verilog \(files.joined(separator: " ")); hierarchy -check -top \(top); proc; check -assert"
                let r = try yosys.run(["-q", "-p", script], in: directory)
                return LintFinding(gate: gate, clean: r.status == 0, output: r.output)
            }
        }
    }
}
