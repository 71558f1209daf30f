import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// `antgen emit --weight-format pwlq`: the PWLQ array (docs/architecture.md §13).
extension EmitCommand {
    /// The PWLQ parameters from the shared array options (--code-width is the weight's b).
    static func pwlqParameters(_ array: ArrayOptions) throws -> PwlqArrayParameters {
        if array.plan != nil { throw ParameterError(parameter: "plan", message: "--plan maps ANT formats; it does not apply to --weight-format pwlq") }
        return try PwlqArrayParameters(rows: array.rows, cols: array.cols, weightBits: array.codeWidth,
                                       accumulatorWidth: array.accWidth, int8: array.int8, maxReduction: array.maxK,
                                       preload: array.psumPreload, codec: array.psumCodec)
    }

    func emitPwlq() throws {
        let parameters = try Self.pwlqParameters(array)
        let design = try elaborate(PwlqArray(parameters))
        let backend = VerilogBackend()
        let manifest = PwlqManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: antgenVersion)
        var files = backend.files(for: design).map { OutputFile(name: $0.name, contents: Data($0.contents.utf8)) }
        files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
        files.append(OutputFile(name: DesignListing.manifestName, contents: Data(try manifest.jsonText().utf8)))
        let psum = parameters.codec ? "_psum12" : parameters.preload ? "_preload" : ""
        let folder = output ?? "rtl-out/pwlq_\(parameters.rows)x\(parameters.cols)_\(parameters.weightBits)b_w\(parameters.accumulatorWidth)\(parameters.int8 ? "" : "_noint8")\(psum)"
        try OutputFolder(path: folder, force: force).replaceDesign(with: files)
        print("antgen emit: \(parameters.rows)x\(parameters.cols) PWLQ array (\(parameters.weightBits)-bit weights + region bit), top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(design.modules.count) Verilog files + \(design.top.name).f + manifest.json)")
        print("  drain:   three sums per column per row (out_centre/out_tail/out_offset), 0 extra cycles")
        if parameters.preload {
            print("  psum:    preload queue of \(2 * parameters.rows) rows\(parameters.codec ? ", 12-bit codes in (psum_in) and out (out_psum)" : ", W-bit rows")) added as each row drains")
        }
        print("  latency: \(parameters.firstRowLatency(int8Activations: false)) cycles to the first output row (int4; a + T + R + C)")
        print("  W:       \(parameters.accumulatorWidth) bits per accumulator (minimum \(parameters.minimumAccumulatorWidth) for K = \(parameters.maxReduction))")
        print("wrote \(folder)")
    }
}
