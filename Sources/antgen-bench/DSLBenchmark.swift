import AntgenDSL
import AntgenExamples
import AntgenSupport
import AntgenVerilog
import Foundation

/// Elaborates and emits a large adder tree (≥ 100,000 IR nodes) and reports time
/// and peak memory. Target (docs/performance.md): under 1 s and under 500 MB.
func runDSLBenchmark() throws {
    let inputs = 25_001
    let start = Date()
    let design = try elaborate(AdderTree(inputs: inputs, width: 16))
    let elaborated = Date()
    let files = VerilogBackend().files(for: design)
    let emitted = Date()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-bench-dsl-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let fileList = ("\(design.top.name).f", VerilogBackend().fileList(for: design))
    _ = try writeAtomically(files.map { ($0.name, $0.contents) } + [fileList], to: dir)
    let written = Date()
    let bytes = files.reduce(0) { $0 + $1.contents.utf8.count }
    print("dsl: AdderTree(inputs: \(inputs), width: 16): \(design.irNodeCount) IR nodes, \(bytes / 1024) KiB of Verilog")
    print(String(format: "dsl: elaborate %.3f s, emit %.3f s, write %.3f s, total %.3f s",
                 elaborated.timeIntervalSince(start), emitted.timeIntervalSince(elaborated),
                 written.timeIntervalSince(emitted), written.timeIntervalSince(start)))
    print(String(format: "dsl: peak RSS %.0f MiB", peakResidentMiB()))
}
