import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

extension EmitCommand {
    /// `--dataflow ws`: emits the weight-stationary ``WsArray`` (true); false for `os`, the
    /// default path. The folder default is `rtl-out/ws_…`, named like the OS one.
    func emitOtherDataflow(_ parameters: ArrayParameters) throws -> Bool {
        switch dataflow {
        case "os": return false
        case "ws": break
        default: throw CLIError("invalid dataflow: '\(dataflow)' (use os or ws)")
        }
        guard array.plan == nil else { throw CLIError("--plan is for the os dataflow only") }
        let design = try elaborate(WsArray(parameters))
        let backend = VerilogBackend()
        let manifest = ArrayManifest(wsParameters: parameters, top: design.top, modules: design.modules.map(\.name), version: antgenVersion)
        var files = backend.files(for: design).map { OutputFile(name: $0.name, contents: Data($0.contents.utf8)) }
        files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
        files.append(OutputFile(name: DesignListing.manifestName, contents: Data(try manifest.jsonText().utf8)))
        let folder = output ?? Self.defaultFolder(for: parameters).replacingOccurrences(of: "rtl-out/ant_", with: "rtl-out/ws_")
        try OutputFolder(path: folder, force: force).replaceDesign(with: files)
        let timing = WsTiming(rows: parameters.rows, cols: parameters.cols)
        print("antgen emit: \(parameters.rows)x\(parameters.cols) weight-stationary array, top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(design.modules.count) Verilog files + \(design.top.name).f + manifest.json)")
        print("  ports:   \(manifest.ports.count) top-level")
        print("  latency: \(timing.outputLatency(termsPerBeat: 1)) cycles from a compute beat to its output row (4x4; T + rows + cols + 1); \(timing.loadBeats) load beats per weight tile")
        print("  W:       \(parameters.accumulatorWidth) bits (minimum \(parameters.minimumAccumulatorWidth) for K = \(parameters.maxReduction))")
        if let warning = parameters.accumulatorWarning {
            FileHandle.standardError.write(Data("antgen: warning: \(warning)\n".utf8))
        }
        print("wrote \(folder)")
        return true
    }
}
