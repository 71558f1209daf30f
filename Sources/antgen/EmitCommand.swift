import AntgenArrays
import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen emit`: generates any registered array (Verilog, file list, manifest).
struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Generate an array's Verilog: one file per module, a file list, a FuseSoC core and manifest.json.",
        discussion: """
        --array picks a registered array (`antgen arrays` lists every one with its options). \
        Without -o the folder is named from the configuration, every parameter that changes the RTL \
        in the name, for example rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8][_preload|_psum12] \
        (ws_… for --dataflow ws), rtl-out/pwlq_<rows>x<cols>_<b>b_w<W>…, \
        rtl-out/sdp_<rows>x<cols>_g<G>_t<T>_<weight types>_w<W>…, rtl-out/mx_<rows>x<cols>_<formats>_k<k>_<acc>. \
        The defaults give rtl-out/ant_32x32_int-flint-pot_4b_w32. Beside <top>.f goes <top>.core, a \
        FuseSoC (CAPI2) core antgen:arrays:<top>:<version> with targets lint (Verilator), sim (Icarus) \
        and sim_verilator (docs/integration.md).

        A folder that holds an earlier antgen design (the files its manifest.json lists) gets the \
        new design in its place atomically: it holds the old design or the new one, whole, at every \
        instant, even if antgen is killed. A folder holding other files is refused unless --force, \
        which writes beside them file by file (manifest last) and keeps them. Two emits into one \
        folder run one after the other.
        """)

    @OptionGroup var selection: ArraySelection

    @Option(name: [.short, .customLong("output")], help: "Output folder (default: named from the configuration, see below).")
    var output: String?

    @Flag(help: "Write into a folder that also holds files no antgen manifest lists (they are kept).")
    var force = false

    @OptionGroup var shellOptions: ShellOptions

    func validate() throws { try selection.refuseOptions(notTakenBy: "emit") }

    func run() throws {
        try reportingErrors(emit)
    }

    private func emit() throws {
        let shell = try shellOptions.checked()
        let variant = try selection.variant()
        let package = try shell.map { try shellPackage(variant, dataWidth: $0.dataWidth, bufferKiB: $0.bufferKiB) } ?? {
            let plain = try DesignPackage(variant)
            return (plain.files, plain.design)
        }()
        let folder = output ?? variant.defaultFolder + (shell.map { "_axi\($0.dataWidth)" + ($0.bufferKiB.map { "_buf\($0)k" } ?? "") } ?? "")
        let design = package.design
        // The FuseSoC core goes before the manifest, which stays the last file written.
        let flow = type(of: variant).dataflows.count > 1 ? " \(variant.dataflow.longName)" : ""
        let core = FuseSocCore(design: design, version: antgenVersion, buildParameters: variant.synthesisFields,
                               summary: "antgen \(variant.configurationSummary)\(flow) array")
        var files = package.files
        files.insert(OutputFile(name: core.fileName, text: core.text), at: files.count - 1)
        try OutputFolder(path: folder, force: force).replaceDesign(with: files)
        print("antgen emit: \(variant.configurationSummary)\(flow) array, top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(design.modules.count) Verilog files + \(design.top.name).f + \(core.fileName) + manifest.json)")
        print("  ports:   \(design.top.ports.count) top-level")
        for line in variant.summaryLines(for: design) { print("  \(line)") }
        for warning in variant.warnings {
            FileHandle.standardError.write(Data("antgen: warning: \(warning)\n".utf8))
        }
        print("wrote \(folder)")
    }

    /// The `--shell` design's files: the shell top (with the array inside), file list, manifest.
    private func shellPackage(_ variant: any ArrayVariant, dataWidth: Int, bufferKiB: Int?) throws -> (files: [OutputFile], design: Design) {
        let design = try variant.axiShell(dataWidth: dataWidth, bufferKiB: bufferKiB)
        let manifest = OutputFile(name: DesignPackage.manifestName, text: try variant.manifestJSON(for: design))
        return (VerilogBackend().designFiles(for: design) + [manifest], design)
    }
}
