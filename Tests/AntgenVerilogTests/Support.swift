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

/// The C++ optimisation arguments of a test's own Verilator build: `-CFLAGS -O1` by default;
/// `ANTGEN_VERILATOR_OPT=-O0` (set by `make test`) compiles everything at -O0 instead,
/// Verilator's run-time library included (its make variables default to -Os), for these
/// short runs the cheaper build.
func verilatorOptimization(extraCFlags: [String] = []) -> [String] {
    if ProcessInfo.processInfo.environment["ANTGEN_VERILATOR_OPT"] == "-O0" {
        return ["-CFLAGS", (["-O0"] + extraCFlags).joined(separator: " "), "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"]
    }
    return ["-CFLAGS", (["-O1"] + extraCFlags).joined(separator: " ")]
}

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
