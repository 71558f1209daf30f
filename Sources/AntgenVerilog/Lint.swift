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
///
/// Each distinct module is linted once, on its own, with the modules it instantiates
/// replaced by port-only stubs (black boxes): a 128 × 128 mesh is then one module with
/// 16,384 empty instances instead of 16,384 flattened PEs. Every module's own body is still
/// checked by every gate, and every instance's port widths and connections are checked
/// against the real port lists. A design held in a single file is linted whole.
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
        let modules = try files.map { try ModuleSource(file: $0, in: directory) }
        guard modules.count > 1, modules.allSatisfy({ $0.stub != nil }), Set(modules.map(\.name)).count == modules.count else {
            return try gates.map { try run($0, top: top, files: files, blackBoxes: [], in: directory) }
        }
        let stubs = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stubs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: stubs) }
        for module in modules {
            try Data(module.stub!.utf8).write(to: stubs.appendingPathComponent("\(module.name).v"))
        }
        return try gates.map { gate in
            let findings = try modules.map { module in
                let others = modules.filter { $0.name != module.name }.map { stubs.appendingPathComponent("\($0.name).v").path }
                return (module.name, try run(gate, top: module.name, files: [module.file], blackBoxes: others, in: directory))
            }
            let failed = findings.filter { !$0.1.clean }
            let output = failed.map { "\($0.0):\n\($0.1.output)" }.joined(separator: "\n")
            return LintFinding(gate: gate, clean: failed.isEmpty, output: output)
        }
    }

    /// One gate on `top` from `files`, with `blackBoxes` (stub files) for the modules it uses.
    private func run(_ gate: LintGate, top: String, files: [String], blackBoxes: [String], in directory: URL) throws -> LintFinding {
        switch gate {
        case .verilator:
            let r = try verilator.run(["--lint-only", "-Wall", "--top-module", top] + files + blackBoxes, in: directory)
            return LintFinding(gate: gate, clean: r.status == 0 && !r.output.contains("%Warning"), output: r.output)
        case .iverilog:
            let r = try iverilog.run(["-Wall", "-g2005", "-o", "/dev/null", "-s", top] + files + blackBoxes, in: directory)
            return LintFinding(gate: gate, clean: r.status == 0 && r.output.isEmpty, output: r.output)
        case .yosys:
            let library = blackBoxes.isEmpty ? "" : "read_verilog -lib \(blackBoxes.joined(separator: " ")); "
            let script = library + "read_verilog \(files.joined(separator: " ")); hierarchy -check -top \(top); proc; check -assert"
            let r = try yosys.run(["-q", "-p", script], in: directory)
            return LintFinding(gate: gate, clean: r.status == 0, output: r.output)
        }
    }
}

/// One emitted file holding one module: its name and a port-only stub of it.
private struct ModuleSource {
    let file: String
    let name: String
    /// The module header (up to its `);`) and `endmodule`, with the port-usage warnings an
    /// empty body would raise switched off; nil when the file does not hold exactly one
    /// ANSI-style module.
    let stub: String?

    init(file: String, in directory: URL) throws {
        self.file = file
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : directory.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let headers = lines.indices.filter { lines[$0].hasPrefix("module ") }
        guard headers.count == 1, let open = headers.first,
              let close = lines[open...].firstIndex(where: { $0 == ");" }) else {
            name = file
            stub = nil
            return
        }
        name = String(lines[open].dropFirst("module ".count).prefix { $0 != " " && $0 != "(" && $0 != ";" })
        let header = lines[open ... close].joined(separator: "\n")
        stub = "`default_nettype none\n/* verilator lint_off UNUSED */\n/* verilator lint_off UNDRIVEN */\n"
            + header + "\nendmodule\n/* verilator lint_on UNDRIVEN */\n/* verilator lint_on UNUSED */\n"
    }
}
