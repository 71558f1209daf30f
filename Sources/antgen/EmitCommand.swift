import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen emit`: generates the ANT systolic array (Verilog, file list, manifest).
struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Generate the ANT systolic array: one Verilog file per module, a file list and manifest.json.")

    @OptionGroup var array: ArrayOptions

    @Option(name: [.short, .customLong("output")], help: "Output directory.")
    var output: String = "rtl-out/ant_32x32"

    func run() throws {
        try reportingErrors(emit)
    }

    private func emit() throws {
        let planMapping = try array.planMapping()
        let parameters = try array.parameters(plan: planMapping)
        let design = try elaborate(AntArray(parameters))
        let directory = URL(fileURLWithPath: output)
        let backend = VerilogBackend()
        let written = try backend.write(design, to: directory)
        let manifest = ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name),
                                     version: antgenVersion, plan: planMapping.map { $0.summary(for: parameters) })
        try manifest.write(to: directory)
        let timing = ArrayTiming(rows: parameters.rows, cols: parameters.cols)
        print("antgen emit: \(parameters.rows)x\(parameters.cols) array, top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(written.count - 1) Verilog files + \(design.top.name).f + manifest.json)")
        print("  ports:   \(manifest.ports.count) top-level")
        print("  latency: \(timing.firstRowLatency(termsPerBeat: 1)) cycles to the first output row, \(timing.lastRowLatency(termsPerBeat: 1)) to the last (4x4; \(ArrayTiming.firstRowFormula))")
        print("  W:       \(parameters.accumulatorWidth) bits (minimum \(parameters.minimumAccumulatorWidth) for K = \(parameters.maxReduction))")
        if let warning = parameters.accumulatorWarning {
            FileHandle.standardError.write(Data("antgen: warning: \(warning)\n".utf8))
        }
        print("wrote \(directory.path)")
    }
}
