import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// Times `antgen emit`'s work (parameter validation, elaboration, Verilog text,
/// file list and manifest written to a temporary directory) for 32×32 … 256×256
/// arrays with the paper's default types, W = 32, int8 on, and the cost per PE (constant
/// when the generator is linear in PEs). Peak RSS is the process high-water mark after
/// each size, so it is monotone across sizes; `antgen-bench emit N` runs one size alone
/// for its own peak.
func runEmitBenchmark() throws {
    let requested = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    let sizes = requested.isEmpty ? [32, 64, 128, 256] : requested
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-emit-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    print("emit benchmark: types int,flint,pot; W = 32; int8 on")
    print("size      elaborate   write      total      files  peak RSS   µs/PE")
    for n in sizes {
        let start = Date()
        let parameters = try ArrayParameters(rows: n, cols: n, codeWidth: 4, activationTypes: [.int, .flint, .pot],
                                             weightTypes: [.int, .flint, .pot], accumulatorWidth: 32, int8: true)
        let design = try elaborate(AntArray(parameters))
        let elaborated = Date()
        let directory = root.appendingPathComponent("ant_\(n)x\(n)")
        let written = try VerilogBackend().write(design, to: directory)
        try ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name),
                          version: antgenVersion).write(to: directory)
        let done = Date()
        let rss = String(format: "%.0f MiB", peakResidentMiB())
        let label = "\(n)x\(n)".padding(toLength: 9, withPad: " ", startingAt: 0)
        print(label + String(format: " %7.3f s  %7.3f s  %7.3f s  %5d  ", elaborated.timeIntervalSince(start),
                             done.timeIntervalSince(elaborated), done.timeIntervalSince(start), written.count + 1) + rss
              + String(format: "  %6.1f", done.timeIntervalSince(start) * 1e6 / Double(n * n)))
    }
}
