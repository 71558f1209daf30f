import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import ArgumentParser
import Foundation

/// `--sdp --group G --terms T`: the SDP array options `antgen emit`, `verify` and `synth` share.
struct SdpOptions: ParsableArguments {
    @Flag(help: "Build the SDP (structured dynamic precision) array instead of the ANT array: int8 activations, T of 2G nibble parts per group (docs/architecture.md §10).")
    var sdp = false

    @Option(help: "With --sdp: values per group G (2, 4, 8 or 16).")
    var group: Int = 8

    @Option(help: "With --sdp: kept parts per group T (1…2G; default G, 4 bits on average).")
    var terms: Int?

    @Option(help: "With antgen verify --sdp: every tile has exactly this many groups (K = groups·G) and the run prints its cycles per tile.")
    var tileGroups: Int?

    /// The SDP parameters from these options and the shared array options (weights: the
    /// weight types or --types, int8 weights with --int8, W from --acc-width).
    func parameters(rows: Int, cols: Int, weightTypes: [AntType], int8: Bool, accWidth: Int) throws -> SdpArrayParameters {
        try SdpArrayParameters(rows: rows, cols: cols, group: group, terms: terms ?? group, weightTypes: weightTypes,
                               weightInt8: int8, accumulatorWidth: accWidth)
    }

    /// `rtl-out/sdp_<rows>x<cols>_g<G>_t<T>_<weight types>_w<W>[_noint8]`.
    static func defaultFolder(for p: SdpArrayParameters) -> String {
        "rtl-out/sdp_\(p.rows)x\(p.cols)_g\(p.group)_t\(p.terms)_\(p.weight.typeList.replacingOccurrences(of: ",", with: "-"))_w\(p.accumulatorWidth)\(p.weight.int8 ? "" : "_noint8")"
    }
}

/// The files of one SDP build: Verilog per module, the file list and the manifest.
func sdpDesignFiles(_ p: SdpArrayParameters) throws -> (top: String, modules: Int, files: [OutputFile], manifest: SdpManifest) {
    let design = try elaborate(SdpArray(p))
    let backend = VerilogBackend()
    let manifest = SdpManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: antgenVersion)
    var files = backend.files(for: design).map { OutputFile(name: $0.name, contents: Data($0.contents.utf8)) }
    files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
    files.append(OutputFile(name: DesignListing.manifestName, contents: Data(try manifest.jsonText().utf8)))
    return (design.top.name, design.modules.count, files, manifest)
}

/// `antgen emit --sdp`.
func emitSdp(_ array: ArrayOptions, _ options: SdpOptions, output: String?, force: Bool) throws {
    let weightTypes = try ArrayOptions.parseTypes(array.weightTypes ?? array.types, option: array.weightTypes == nil ? "types" : "weight-types")
    let p = try options.parameters(rows: array.rows, cols: array.cols, weightTypes: weightTypes, int8: array.int8, accWidth: array.accWidth)
    let built = try sdpDesignFiles(p)
    let folder = output ?? SdpOptions.defaultFolder(for: p)
    try OutputFolder(path: folder, force: force).replaceDesign(with: built.files)
    print("antgen emit: \(p.rows)x\(p.cols) SDP array, G = \(p.group), T = \(p.terms) (\(String(format: "%.2f", 4.0 * Double(p.terms) / Double(p.group))) activation bits on average), top \(built.top)")
    print("  modules: \(built.modules) (\(built.modules) Verilog files + \(built.top).f + manifest.json)")
    print("  weights: \(p.weight.typeList)\(p.weight.int8 ? ", int8 (nibble terms, 2T steps per group)" : "")")
    print("  cycles:  \(p.terms) per group of \(p.group) values; latency \(p.firstRowLatency(weightInt8: false)) cycles to the first output row, \(p.lastRowLatency(weightInt8: false)) to the last")
    print("wrote \(folder)")
}
