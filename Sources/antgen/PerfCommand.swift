import AntgenArrays
import AntgenHardware
import AntgenPerf
import AntgenSupport
import AntgenSynth
import ArgumentParser
import Foundation

/// `antgen perf`: the cycle, traffic and energy model of a generated array for a list of
/// GEMM layers (docs/performance-model.md).
struct PerfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Model cycles (exact, as the RTL counts them), utilization, traffic and energy of GEMM layers on an antgen array.",
        discussion: """
        Layers come from one of: --layers F (.json: [{"name","m","k","n","act_bits","weight_bits"}], \
        or .csv with a name,m,k,n[,act_bits,weight_bits] header), --model M.safetensors --tokens T \
        (every 2-D *.weight tensor, stored [out, in]), or --layer-plan P from `antgen tune` (weight widths; \
        activation widths from tensors named <layer>.input). 1…4-bit operands run as 4-bit codes, \
        5…8-bit ones as int8. Arrays: --array ant (--dataflow os or ws), pwlq, sdp \
        or mx, with the options `antgen emit` takes (`antgen arrays`). PE and array-logic energy come from Yosys cell counts of the array \
        (synthesized once and cached in .antgen-cache/perf-cells, or --synth-report from `antgen \
        synth --json`) priced by the energy table (--energy-table F; --print-energy-table shows the default).
        """)

    @Option(help: "Layer list: .json (array of {name, m, k, n[, act_bits, weight_bits]}) or .csv.")
    var layers: String?
    @Option(help: "A safetensors model: its linear layers (2-D *.weight tensors, [out, in]).")
    var model: String?
    @Option(name: .customLong("layer-plan"), help: "A plan from `antgen tune --plan`: its weight tensors with their widths (repeat for a weight plan and an activation plan).")
    var plan: [String] = []
    @Option(help: "Tokens (m) for --model, or for a --layer-plan without activation tensors.")
    var tokens: Int?
    @Option(help: "Run every layer at this precision: a4w4, a8w4, a4w8 or a8w8 (activation first).")
    var precision: String?

    @OptionGroup var selection: ArraySelection
    @Option(help: "Clock in MHz.")
    var clock: Double = 500
    @Option(help: "Activation buffer in KiB.")
    var actBuffer: Int = 256
    @Option(help: "Weight buffer in KiB.")
    var weightBuffer: Int = 256
    @Option(help: "Output (partial-sum) buffer in KiB.")
    var outBuffer: Int = 128

    @Option(help: "Energy constants (JSON, the shape --print-energy-table prints) replacing the default 45 nm table.")
    var energyTable: String?
    @Flag(help: "Print the default energy table as JSON and exit.")
    var printEnergyTable = false
    @Option(help: "Cell counts from `antgen synth --json` of the same array (skips synthesis).")
    var synthReport: String?
    @Flag(help: "Do not synthesize: price only buffers and DRAM (PE and array-logic energy 0).")
    var noSynth = false
    @Option(help: "Seconds a Yosys run may take before it is killed.")
    var toolTimeout: Double?

    @Flag(help: "Also run the layers with int8 everywhere and with 4-bit everywhere (the ANT paper's comparison).")
    var baselines = false
    @Option(help: "Array sizes to sweep (comma-separated, square arrays), e.g. 8,16,32,64,128.")
    var sweep: String?
    @Option(help: "Write the report as JSON to this file.")
    var json: String?
    @Option(help: "Write an SVG chart to this file.")
    var svg: String?
    @Option(help: "The SVG chart's title (default: the array and the run).")
    var title: String?

    func validate() throws { try selection.refuseOptions(notTakenBy: "perf") }

    func run() throws {
        try reportingErrors {
            if printEnergyTable { print(EnergyTable.standard.jsonText(), terminator: ""); return }
            for (path, what) in [(json, "--json"), (svg, "--svg")] { if let path { try checkWritable(path, what: what) } }
            let job = PerfJob(layers: try readLayers(), table: try energyTable.map { try EnergyTable.read(atPath: $0) } ?? .standard,
                              clockMHz: clock, activationKiB: actBuffer, weightKiB: weightBuffer, outputKiB: outBuffer,
                              cells: cells(for:), json: json, svg: svg, title: title)
            if let sweep {
                let sizes = try parseSizes(sweep)
                if synthReport != nil { throw CLIError("--synth-report describes one array; --sweep synthesizes each size (or use --no-synth)") }
                try job.sweep(sizes: sizes) { n in try selection.variant(rows: n, cols: n) }
                return
            }
            try job.run(try selection.variant(), baselines: baselines)
        }
    }

    /// The layers from the one input option given, at `--precision` when set.
    private func readLayers() throws -> [GemmLayer] {
        let given = [layers, model, plan.isEmpty ? nil : plan.joined(separator: ",")].compactMap { $0 }
        guard given.count == 1 else {
            throw CLIError(given.isEmpty ? "no layers: give --layers F, --model M --tokens T or --layer-plan P"
                                         : "give only one of --layers, --model and --layer-plan")
        }
        var list: [GemmLayer]
        if let layers {
            list = layers.lowercased().hasSuffix(".csv") ? try LayerSources.readCSV(atPath: layers) : try LayerSources.readJSON(atPath: layers)
            if tokens != nil { throw CLIError("--tokens applies to --model and --layer-plan, not --layers") }
        } else if let model {
            guard let tokens else { throw CLIError("--model needs --tokens T (the m of every linear layer)") }
            list = try LayerSources.readModel(atPath: model, tokens: tokens)
        } else {
            list = try LayerSources.readPlans(atPaths: plan, tokens: tokens)
        }
        if let precision {
            // Arrays that fix an operand's width would override part of --precision: refuse, never ignore.
            switch selection.array.name {
            case MxVariant.name:
                throw CLIError("--precision: --array mx runs every layer in its own MX formats (--mx-formats)")
            case PwlqVariant.name where !precision.lowercased().hasSuffix("w4"):
                throw CLIError("--precision \(precision): --array pwlq issues its PWLQ weights (--code-width b) in one step; use a4w4 or a8w4")
            case SdpVariant.name where !precision.lowercased().hasPrefix("a8"):
                throw CLIError("--precision \(precision): --array sdp takes int8 activations; use a8w4 or a8w8")
            default: break
            }
            let pairs: [String: (LayerBits, LayerBits)] = ["a4w4": (.four, .four), "a8w4": (.eight, .four), "a4w8": (.four, .eight), "a8w8": (.eight, .eight)]
            guard let (a, w) = pairs[precision.lowercased()] else {
                throw CLIError("invalid precision: '\(precision)'; expected a4w4, a8w4, a4w8 or a8w8")
            }
            list = list.map { $0.with(activationBits: a, weightBits: w) }
        }
        return list
    }

    /// The array's cells: from --synth-report, the cache, or a Yosys run of the variant's
    /// synthesis target (cached); nil with --no-synth.
    private func cells(for variant: any ArrayVariant) throws -> ArrayCells? {
        if noSynth { return nil }
        if let synthReport {
            guard let data = FileManager.default.contents(atPath: synthReport) else { throw CLIError("\(synthReport): cannot read the synthesis report") }
            let report: SynthesisReport
            do { report = try JSONDecoder().decode(SynthesisReport.self, from: data) } catch {
                throw CLIError("\(synthReport): not an `antgen synth --json` report")
            }
            return try ArrayCells(report: report, processingElement: try variant.perfShape.processingElementGenerator)
        }
        let synthesizer = Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout)))
        return try variant.perfCells(synthesizer: synthesizer) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    }

    private func parseSizes(_ text: String) throws -> [Int] {
        let sizes = try text.split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), (1...256).contains(n) else {
                throw CLIError("invalid sweep: '\(part)' is not an array size in 1…256")
            }
            return n
        }
        guard !sizes.isEmpty else { throw CLIError("invalid sweep: no sizes") }
        return sizes
    }
}
