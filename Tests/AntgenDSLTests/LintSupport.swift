import AntgenDSL
import AntgenVerilog
import Foundation

/// Emits `circuit` and runs every lint gate (Verilator, Icarus, Yosys).
func lintFindingsOf(_ circuit: some Circuit) throws -> [LintFinding] {
    let design = try elaborate(circuit)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-bundle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try VerilogBackend().write(design, to: dir)
    return try VerilogLinter().lint(directory: dir, top: design.top.name)
}
