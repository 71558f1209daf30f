import AntgenArrays
import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenSynth
import AntgenVerilog
import AntgenNumerics
import ArgumentParser
import Foundation

/// `antgen synth`: Yosys synthesis reports for a generated array, or the ANT-versus-int4
/// cost comparison (`--compare`) written to docs/hardware-cost.md and .svg.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize the generated array with Yosys: gates, NAND2 equivalents, flip-flops, logic depth and iCE40 cells per module.",
        discussion: "Takes the same array selector and options as `antgen emit` (or --manifest of an ANT build). --compare runs the int4-versus-ANT comparison and writes docs/hardware-cost.md and docs/hardware-cost.svg. --fpga FAMILY maps the array with Yosys' synth_xilinx/synth_ice40/synth_ecp5 instead and reports LUTs, flip-flops, carries, DSPs and block RAMs per module and in total (pre-place-and-route); --device PART adds the verdict 'fits' or 'does not fit: limiting resource X at N %' for a known part.")

    @OptionGroup var selection: ArraySelection

    @Option(help: "Take the parameters from a manifest.json written by `antgen emit --array ant` (replaces the array options).")
    var manifest: String?

    @Option(help: "Also write the report as JSON to this file.")
    var json: String?

    @Flag(help: "List the cell counts by type of every module, not only of the whole design.")
    var cells: Bool = false

    @Flag(help: "Flatten the whole design and report only the top (slow for large arrays).")
    var flatten: Bool = false

    @Flag(help: "Place and route with nextpnr-ice40 (hx8k, ct256) for a max-frequency estimate; small arrays only.")
    var fmax: Bool = false

    @Flag(help: "Run the int4-versus-ANT comparison and write hardware-cost.md and hardware-cost.svg.")
    var compare: Bool = false

    @Option(help: "Array sizes of the comparison (comma-separated, square arrays).")
    var compareSizes: String = CostComparison.defaultArraySizes.map(String.init).joined(separator: ",")

    @Option(help: "Folder for the comparison's document and chart.")
    var docsDir: String = "docs"

    @Option(help: ArgumentHelp("Map to an FPGA family with its Yosys flow and report LUT/FF/carry/DSP/BRAM per module and in total.",
                               valueName: FpgaFamily.names))
    var fpga: String?

    @Option(help: ArgumentHelp("Check the FPGA estimate against parts of one family (comma-separated): \(FpgaDevice.names); implies their --fpga family.",
                               valueName: "parts"))
    var device: String?

    @OptionGroup var shellOptions: ShellOptions

    @Option(help: "Seconds any one Yosys or nextpnr run may take before it is killed (default 1800).")
    var toolTimeout: Double?

    func validate() throws { try selection.refuseOptions(notTakenBy: "synth") }

    func run() throws {
        try reportingErrors {
            if try shellOptions.checked() != nil && fpga == nil && device == nil {
                throw ParameterError(parameter: "shell", message: "--shell goes with --fpga/--device (the FPGA estimate of the shell)")
            }
            if fpga != nil || device != nil { try runFPGA() } else if compare { try runComparison() } else { try runSingle() }
        }
    }

    /// The variant to synthesize: from an ANT manifest, or from the selector.
    private func variant() throws -> any ArrayVariant {
        guard let manifest else { return try selection.variant() }
        if let option = selection.shared.given.first ?? selection.foreignOptions.first ?? (selection.array.name != AntVariant.name ? "--array" : nil) {
            throw CLIError("--manifest takes the whole configuration from an ANT build's manifest.json; drop \(option)")
        }
        let manifestURL = URL(fileURLWithPath: manifest)
        let recorded = try? JSONDecoder().decode(ArrayManifest.self, from: Data(contentsOf: manifestURL))
        let flow: ArrayDataflow = recorded?.parameters["dataflow"] == "ws" ? .ws : .os
        return try AntVariant(try ArrayParameters(manifestAt: manifestURL), dataflow: flow)
    }

    private func runSingle() throws {
        if let json { try checkWritable(json, what: "--json") }
        let variant = try variant()
        let design = try variant.elaborateForSynthesis()
        let synthesizer = Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout)))
        let report = try synthesizer.synthesize(design, parameters: variant.synthesisFields,
                                                options: SynthesisOptions(flatten: flatten, estimateFrequency: fmax))
        print(SynthesisTable(report: report, cellsPerModule: cells).text, terminator: "")
        if let json { try write(report.jsonText(), to: json) }
    }

    /// The family and parts of `--fpga`/`--device`, checked against each other.
    private func fpgaTarget() throws -> (FpgaFamily, [FpgaDevice]) {
        let parts = try (device ?? "").split(separator: ",").map { text -> FpgaDevice in
            let name = text.trimmingCharacters(in: .whitespaces)
            guard let part = FpgaDevice.named(name) else {
                throw ParameterError(parameter: "device", message: "unknown part '\(name)'; known: \(FpgaDevice.names)")
            }
            return part
        }
        var family = parts.first?.family
        if let fpga {
            guard let named = FpgaFamily(rawValue: fpga) else {
                throw ParameterError(parameter: "fpga", message: "unknown family '\(fpga)'; one of \(FpgaFamily.names)")
            }
            family = named
        }
        guard let family else { throw ParameterError(parameter: "device", message: "give at least one part") }
        if let other = parts.first(where: { $0.family != family }) {
            let fix = fpga == nil ? "check one family at a time" : "use --fpga \(other.family.rawValue) or drop --fpga"
            throw ParameterError(parameter: "device", message: "\(other.name) belongs to \(other.family.rawValue), not \(family.rawValue); \(fix)")
        }
        return (family, parts)
    }

    private func runFPGA() throws {
        let refused = [("--compare", compare), ("--flatten", flatten), ("--fmax", fmax)].filter(\.1).map(\.0)
        guard refused.isEmpty else {
            throw ParameterError(parameter: "fpga", message: "\(refused.joined(separator: ", ")) belongs to the gate-level report, not to --fpga/--device")
        }
        let (family, parts) = try fpgaTarget()
        if let json { try checkWritable(json, what: "--json") }
        let variant = try variant()
        let synthesizer = Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout)))
        let design = try shellOptions.checked().map { try variant.axiShell(dataWidth: $0.dataWidth, bufferKiB: $0.bufferKiB) }
            ?? variant.elaborateForSynthesis()
        let report = try synthesizer.synthesizeFPGA(design, family: family, devices: parts,
                                                    parameters: variant.synthesisFields)
        print(FpgaReportTable(report: report, cellsPerModule: cells).text, terminator: "")
        if let json { try write(report.jsonText(), to: json) }
    }

    private func runComparison() throws {
        if let json { try checkWritable(json, what: "--json") }
        // The comparison fixes its own blocks; only W, the sizes and --fmax apply.
        let others = selection.shared.given.filter { $0 != "--acc-width" } + selection.ant.given + selection.sdp.given + selection.mx.given
        let ignored = [("--manifest", manifest != nil), ("--flatten", flatten), ("--cells", cells),
                       ("--array", selection.array.name != AntVariant.name), ("--dataflow", selection.dataflow != nil)]
            .filter(\.1).map(\.0) + others
        guard ignored.isEmpty else {
            throw ParameterError(parameter: "compare", message: "--compare measures fixed blocks; \(ignored.joined(separator: ", ")) would be ignored (only --acc-width, --compare-sizes, --fmax, --json and --docs-dir apply)")
        }
        let range = ArrayParameters.dimensionRange
        let sizes = try compareSizes.split(separator: ",").map { text -> Int in
            guard let size = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(size) else {
                throw ParameterError(parameter: "compare-sizes", message: "'\(text)' is not an array size in \(range.lowerBound)…\(range.upperBound)")
            }
            return size
        }
        let accWidth = selection.shared.accWidth ?? CostComparison.defaultAccumulatorWidth
        let synthesizer = Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout)))
        try CostComparison(arraySizes: sizes, accumulatorWidth: accWidth, estimateFrequency: fmax)
            .runAndDocument(with: synthesizer, docsFolder: docsDir, json: json)
    }

    /// Writes `text` to `path` through a temporary file and rename(2).
    func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try writeAtomically(text, to: url)
        print("wrote \(url.path)")
    }
}
