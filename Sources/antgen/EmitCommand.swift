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
        abstract: "Generate the ANT systolic array: one Verilog file per module, a file list and manifest.json.",
        discussion: """
        Without -o the folder is named from the configuration: \
        rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8][_preload|_psum12]

        <types> is the enabled types joined by '-' in configuration-code order (int-flint-pot), \
        or act-<types>_wgt-<types> when the two streams differ; <bits> is --code-width, <W> the \
        accumulator width, _noint8 marks --no-int8, and _preload or _psum12 marks --psum-preload or \
        --psum-codec. The defaults give \
        rtl-out/ant_32x32_int-flint-pot_4b_w32. Builds that differ in hardware get different \
        folders; --max-k and --plan only change the manifest's notes.

        A folder that holds an earlier antgen design (the files its manifest.json lists) gets \
        the new design in its place atomically: it holds the old design or the new one, whole, \
        at every instant, even if antgen is killed. A folder holding other files is refused \
        unless --force, which writes beside them file by file (manifest last) and keeps them. \
        Two emits into one folder run one after the other.
        """)

    @OptionGroup var array: ArrayOptions

    @OptionGroup var sdpOptions: SdpOptions
    @OptionGroup(title: "OCP MX array") var mx: MxArrayOptions

    @Option(name: [.short, .customLong("output")], help: "Output folder (default: named from the configuration, see below).")
    var output: String?

    @Flag(help: "Write into a folder that also holds files no antgen manifest lists (they are kept).")
    var force = false

    @Option(help: "Dataflow: os (output-stationary, the default) or ws (weight-stationary, docs/architecture.md §12).")
    var dataflow: String = "os"
    @Option(name: .customLong("weight-format"), help: "ant (the ANT array) or pwlq (PWLQ weights of --code-width bits plus a region bit × int4/int8 activations; docs/architecture.md §13).")
    var weightFormat: String = "ant"

    func run() throws {
        try reportingErrors(emit)
    }

    /// The default folder for a build: `rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8][_preload|_psum12]`,
    /// every parameter that changes the RTL in the name (the rule `antgen emit --help` states).
    static func defaultFolder(for p: ArrayParameters) -> String {
        func joined(_ list: String) -> String { list.replacingOccurrences(of: ",", with: "-") }
        let act = joined(p.activation.typeList), weight = joined(p.weight.typeList)
        let types = act == weight ? act : "act-\(act)_wgt-\(weight)"
        let psum = p.codec ? "_psum12" : p.preload ? "_preload" : ""
        return "rtl-out/ant_\(p.rows)x\(p.cols)_\(types)_\(p.codeWidth)b_w\(p.accumulatorWidth)\(p.int8 ? "" : "_noint8")\(psum)"
    }

    private func emit() throws {
        if array.partialSums && (sdpOptions.sdp || dataflow != "os") {
            throw ParameterError(parameter: "psum-preload", message: "the partial-sum stage is built for the output-stationary ANT and PWLQ arrays, not with \(sdpOptions.sdp ? "--sdp" : "--dataflow \(dataflow)")")
        }
        if sdpOptions.sdp { return try emitSdp(array, sdpOptions, output: output, force: force) }
        if weightFormat == "pwlq" { return try emitPwlq() }
        guard weightFormat == "ant" else { throw ParameterError(parameter: "weight-format", message: "'\(weightFormat)' is not ant or pwlq") }
        if let mxParameters = try mx.parameters(rows: array.rows, cols: array.cols) {
            guard !array.partialSums else { throw ParameterError(parameter: "psum-preload", message: "the partial-sum stage is built for the ANT and PWLQ arrays, not the MX array") }
            return try emitMxArray(mxParameters, output: output, force: force)
        }
        let planMapping = try array.planMapping()
        let parameters = try array.withPartialSums(try array.parameters(plan: planMapping))
        if try emitOtherDataflow(parameters) { return }
        let design = try elaborate(AntArray(parameters))
        let backend = VerilogBackend()
        let manifest = ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name),
                                     version: antgenVersion, plan: planMapping.map { $0.summary(for: parameters) })
        var files = backend.files(for: design).map { OutputFile(name: $0.name, contents: Data($0.contents.utf8)) }
        files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
        files.append(OutputFile(name: DesignListing.manifestName, contents: Data(try manifest.jsonText().utf8)))
        let folder = output ?? Self.defaultFolder(for: parameters)
        try OutputFolder(path: folder, force: force).replaceDesign(with: files)
        let timing = ArrayTiming(rows: parameters.rows, cols: parameters.cols)
        print("antgen emit: \(parameters.rows)x\(parameters.cols) array, top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(design.modules.count) Verilog files + \(design.top.name).f + manifest.json)")
        print("  ports:   \(manifest.ports.count) top-level")
        print("  latency: \(timing.firstRowLatency(termsPerBeat: 1)) cycles to the first output row, \(timing.lastRowLatency(termsPerBeat: 1)) to the last (4x4; \(ArrayTiming.firstRowFormula))")
        print("  W:       \(parameters.accumulatorWidth) bits (minimum \(parameters.minimumAccumulatorWidth) for K = \(parameters.maxReduction))")
        if let stage = parameters.partialSumStage {
            print("  psum:    preload queue of \(stage.depth) rows\(parameters.codec ? ", 12-bit codes in (psum_in) and out (out_psum)" : ", W-bit rows") added as each row drains, 0 extra cycles")
        }
        if let warning = parameters.accumulatorWarning {
            FileHandle.standardError.write(Data("antgen: warning: \(warning)\n".utf8))
        }
        print("wrote \(folder)")
    }
}
