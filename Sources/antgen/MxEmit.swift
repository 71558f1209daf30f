import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// `antgen emit --mx`: writes the MX array (one Verilog file per module, the file list and
/// its manifest.json) the same way as the ANT array.
func emitMxArray(_ p: MxArrayParameters, output: String?, force: Bool) throws {
    let design = try elaborate(MxArray(p))
    let backend = VerilogBackend()
    let manifest = MxManifest(parameters: p, top: design.top.name, modules: design.modules.map(\.name), version: antgenVersion)
    var files = backend.files(for: design).map { OutputFile(name: $0.name, contents: Data($0.contents.utf8)) }
    files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
    files.append(OutputFile(name: DesignListing.manifestName, contents: Data(try manifest.jsonText().utf8)))
    let folder = output ?? "rtl-out/\(p.tag)"
    try OutputFolder(path: folder, force: force).replaceDesign(with: files)
    print("antgen emit: \(p.rows)x\(p.cols) MX array (\(p.formats.map(\.modeName).joined(separator: ", "))), top \(design.top.name)")
    print("  modules: \(design.modules.count); decoded M \(p.mantissaWidth) b, E \(p.shiftWidth) b; exact block sum \(p.blockSumWidth) b")
    switch p.accumulation {
    case .float32: print("  accumulator: FP32 (Fp32Adder, RNE), k = \(p.blockSize)")
    case .window(let s): print("  accumulator: fixed point, window \(s) b, \(p.windowAccumulatorWidth) b wide, k = \(p.blockSize)")
    }
    print("wrote \(folder)")
}
