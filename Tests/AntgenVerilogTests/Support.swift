import AntgenDSL
import AntgenVerilog
import Foundation

/// A circuit whose body is a closure, for tests.
struct TestCircuit: Circuit {
    let name: String
    let body: (ModuleBuilder) -> Void
    init(_ name: String, _ body: @escaping (ModuleBuilder) -> Void) {
        self.name = name
        self.body = body
    }
    func build(_ m: ModuleBuilder, _ io: IO<NoPorts>) { body(m) }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("antgen-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Emits `circuit` into a temporary directory and runs every lint gate.
func lintFindings(_ circuit: some Circuit) throws -> [LintFinding] {
    let design = try elaborate(circuit)
    let dir = try temporaryDirectory("lint")
    defer { try? FileManager.default.removeItem(at: dir) }
    try VerilogBackend().write(design, to: dir)
    return try VerilogLinter().lint(directory: dir, top: design.top.name)
}
