import AntgenArrays
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen run`: a whole GEMM layer (M × K activations by K × N weights, any sizes) through
/// one simulator build of the array, checked bit for bit against the Swift reference
/// (docs/run.md).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a real GEMM layer through the generated array (one simulator build, one process) and check every output.",
        discussion: """
        Activations A (M × K) and weights W (K × N with --weight-layout kn, N × K as PyTorch stores
        linear layers with nk) come from .npy or .safetensors files (--act-tensor / --weight-tensor
        name the tensor). Float tensors are quantized by antgen (activations per tensor, weights
        per output channel; --mode or --plan picks the types); NAME.codes.npy files written by
        `antgen quantize --out` are taken as they are (with NAME.alpha.npy and --act-format /
        --weight-format). The GEMM is cut into tiles of R × C outputs (K streamed, code-0
        padding), streamed through ONE long-lived simulator process, and every output element is
        compared with the Swift reference. Cycles: first input beat to last output row.
        """)

    @Option(help: "Activations A (M × K): .npy, .safetensors, or NAME.codes.npy.") var activations: String
    @Option(help: "Tensor name of A in a .safetensors file.") var actTensor: String?
    @Option(help: "Weights W: .npy, .safetensors, or NAME.codes.npy.") var weights: String
    @Option(help: "Tensor name of W in a .safetensors file.") var weightTensor: String?
    @Option(help: "kn (W is K × N) or nk (W is N × K, PyTorch's nn.Linear layout).") var weightLayout: String = "kn"
    @Option(help: "ant: format of activation codes (codes input), e.g. flint4u, int8s.") var actFormat: String?
    @Option(help: "ant: format of weight codes (codes input), e.g. int4s.") var weightFormat: String?
    @OptionGroup var selection: ArraySelection
    @Option(help: "ant: quantizer mode for both operands (default: ant-<the stream's types>).") var mode: String?
    @Option(help: "ant: activation code width: the array's code width, or 8 (int8 nibble terms).") var actBits: Int?
    @Option(help: "ant: weight code width: the array's code width, or 8 (int8 nibble terms).") var weightBits: Int?
    @Option(help: "Write the dequantised output C (M × N, float32) here (.npy).") var out: String
    @Option(help: "Write the report as JSON here.") var json: String?
    @Option(help: "Simulator: verilator (one long-lived process) or icarus (a cross-check for small layers).") var sim: String = "verilator"
    @Flag(help: "ant: run even when K is too long for W (the results then wrap modulo 2^W, as the reference does).") var allowWrap = false
    @Option(help: "Build cache folder.") var cacheDir: String = ".antgen-cache"
    @Option(help: "Inject a named hardware defect (to see the check fail; `antgen arrays` lists each array's).") var mutation: String = "none"
    @Option(help: "Seconds any one tool run, or one wait for the simulator's next answer, may take.") var toolTimeout: Double?

    func run() throws {
        try reportingErrors(execute)
    }

    /// The ANT-only operand options given (codes inputs, modes, widths, --allow-wrap).
    var antOperandOptions: [String] {
        [("--act-format", actFormat != nil), ("--weight-format", weightFormat != nil), ("--mode", mode != nil), ("--act-bits", actBits != nil),
         ("--weight-bits", weightBits != nil), ("--allow-wrap", allowWrap)].filter(\.1).map(\.0)
    }

    func execute() throws {
        guard ["kn", "nk"].contains(weightLayout) else { throw CLIError("invalid weight-layout: '\(weightLayout)' (use kn or nk)") }
        let simulator: SimulatorKind
        switch sim {
        case "verilator": simulator = .verilator
        case "icarus": simulator = .icarus
        default: throw CLIError("invalid sim: '\(sim)' (use verilator or icarus)")
        }
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        if let problem = folderProblem(cacheDir) { throw CLIError("--cache-dir: " + problem) }
        let timeout = try checkedToolTimeout(toolTimeout)
        let variant = try selection.variant()
        var tools = SimulatorTools.standard.withTimeout(timeout)
        if let timeout { tools.simulationTimeout = timeout }
        if let ant = variant as? AntVariant { return try runAnt(ant, simulator: simulator, tools: tools) }
        if let option = antOperandOptions.first { throw CLIError("\(option) is an option of --array ant's operand loader; --array \(type(of: variant).name) quantizes float tensors in its own formats") }
        try runVariant(variant, simulator: simulator, tools: tools)
    }

    /// Any array other than ANT: float operands quantized in the array's own formats, the
    /// layer through the RTL, every output checked against the array's golden model.
    func runVariant(_ variant: any ArrayVariant, simulator: SimulatorKind, tools: SimulatorTools) throws {
        let aSource = RunInputs.Source(option: "--activations", path: activations, tensor: actTensor, format: nil)
        let wSource = RunInputs.Source(option: "--weights", path: weights, tensor: weightTensor, format: nil)
        guard !aSource.isCodes, !wSource.isCodes else { throw CLIError("codes inputs (.codes.npy) are ANT formats; --array \(type(of: variant).name) takes float tensors") }
        let a = try RunInputs.loadFloat(aSource), wLoaded = try RunInputs.loadFloat(wSource)
        let nk = weightLayout == "nk"
        let wk = nk ? wLoaded.cols : wLoaded.rows, n = nk ? wLoaded.rows : wLoaded.cols
        guard wk == a.cols else {
            throw CLIError("shape mismatch: activations are \(a.rows) × \(a.cols) (K = \(a.cols)) but the weights (\(weightLayout) layout) are \(wLoaded.rows) × \(wLoaded.cols) (K = \(wk)); check --weight-layout")
        }
        let wKN = nk ? RunInputs.transpose(wLoaded.values, rows: n, cols: wk) : wLoaded.values
        let layer = try FloatLayer(m: a.rows, k: a.cols, n: n, a: a.values.map(Double.init), w: wKN.map(Double.init))
        FileHandle.standardError.write(Data("run: \(layer.m)×\(layer.k) · \(layer.k)×\(layer.n) on \(variant.configurationSummary) (\(simulator))\n".utf8))
        let lastReport = LockedDate()
        let request = LayerRunRequest(cacheDirectory: URL(fileURLWithPath: cacheDir), simulator: simulator, tools: tools) { done, total in
            guard done == total || lastReport.elapsed() >= 2 else { return }
            lastReport.reset()
            FileHandle.standardError.write(Data("run: \(done)/\(total) tiles\n".utf8))
        }
        let outcome = try variant.run(layer, request, defectNamed: mutation)
        let report = LayerRunReport(variant: variant, layer: layer, outcome: outcome, simulator: simulator)
        guard outcome.bitExact else {
            print(report.text)
            let reproduce = (["antgen", "verify"] + variant.selectorArguments + (mutation == "none" ? [] : ["--mutation", mutation])).joined(separator: " ")
            throw CLIError("\(outcome.mismatchCount) of \(outcome.comparedElements) output elements differ from the Swift reference (first: \(outcome.firstMismatch ?? outcome.protocolErrors.first ?? "?")); reproduce: \(reproduce)")
        }
        let jsonText = try json.map { _ in try report.jsonText() }
        do {
            try NpyFile.write(.float32(outcome.output.map(Float.init)), shape: [layer.m, layer.n], toPath: out)
        } catch {
            throw CLIError("--out: \(error)")
        }
        if let json, let jsonText { try writeAtomically(jsonText, to: URL(fileURLWithPath: json)) }
        print(report.text)
    }

    /// `--array ant`: codes or float inputs, plans and modes, through ``GemmRunner``.
    func runAnt(_ ant: AntVariant, simulator: SimulatorKind, tools: SimulatorTools) throws {
        let defect = try AntVariant.defect(named: mutation)
        guard ant.parameters.partialSumStage == nil else {
            throw CLIError("--psum-preload/--psum-codec: antgen run drives arrays without the partial-sum stage; verify that stage with antgen verify --psum-preload")
        }
        let parameters = ant.parameters
        let flow = ant.dataflow
        let plan = try selection.ant.plan.map { try PlanHardwareMapping.read(atPath: $0) }
        let operands = try RunOperands.prepare(self, parameters: parameters, plan: plan)
        try operands.checkAccumulator(parameters, allowWrap: allowWrap)
        let runner = GemmRunner(parameters: parameters, cacheDirectory: URL(fileURLWithPath: cacheDir), tools: tools,
                                mutant: try ant.arrayMutant(defect).map(Mutant.named), dataflow: flow)
        let tiling = GemmTiling(m: operands.a.rows, k: operands.a.cols, n: operands.w.cols, rows: parameters.rows, cols: parameters.cols)
        let tileCount = flow == .ws ? WsGemmTiling(m: tiling.m, k: tiling.k, n: tiling.n, rows: parameters.rows, cols: parameters.cols).tileCount
            : tiling.tileCount
        let shape = flow == .ws ? "weight tiles of \(parameters.rows) × \(parameters.cols), M = \(tiling.m) vectors each" : "tiles of K = \(tiling.k)"
        FileHandle.standardError.write(Data("run: \(tiling.m)×\(tiling.k) · \(tiling.k)×\(tiling.n) on \(parameters.rows)×\(parameters.cols) \(flow) (\(simulator)): \(tileCount) \(shape)\n".utf8))
        var lastReport = Date.distantPast
        let outcome = try runner.run(a: operands.a, w: operands.w, simulator: simulator) { done, total in
            guard done == total || Date().timeIntervalSince(lastReport) >= 2 else { return }
            lastReport = Date()
            FileHandle.standardError.write(Data("run: \(done)/\(total) tiles\n".utf8))
        }
        let report = try RunReport(command: self, parameters: parameters, tiling: tiling, tileCount: tileCount, operands: operands, outcome: outcome,
                                   model: try runner.goldenModel(), simulator: simulator)
        guard outcome.mismatches.isEmpty, outcome.protocolErrors.isEmpty else {
            print(report.text())
            throw CLIError(try failureLine(runner, operands, outcome, parameters))
        }
        do {
            try NpyFile.write(.float32(report.output.map(Float.init)), shape: [tiling.m, tiling.n], toPath: out)
        } catch {
            throw CLIError("--out: \(error)")
        }
        if let json { try writeAtomically(try report.jsonText(), to: URL(fileURLWithPath: json)) }
        print(report.text())
    }

    /// The one line of a failed check, with the reproducer: the first failing tile saved as
    /// a golden vector file for `antgen verify --vectors`.
    func failureLine(_ runner: GemmRunner, _ operands: RunOperands, _ outcome: GemmRunOutcome, _ p: ArrayParameters) throws -> String {
        guard let first = outcome.mismatches.first else {
            return "the simulator reported protocol errors: \(outcome.protocolErrors.first ?? "")"
        }
        let folder = URL(fileURLWithPath: cacheDir).appendingPathComponent("failures")
        try createFolder(folder)
        // The reproducer is the OS tile (M block × N block, whole K) holding the first bad
        // element; verify --dataflow ws runs that same GEMM through the WS array.
        let tiling = GemmTiling(m: operands.a.rows, k: operands.a.cols, n: operands.w.cols, rows: p.rows, cols: p.cols)
        let osTile = first.m.flatMap { m in first.n.map { n in (m / p.rows) * tiling.nBlocks + n / p.cols } } ?? (runner.dataflow == .os ? first.tile : 0)
        let file = folder.appendingPathComponent("run-\(runner.dataflow)-\(p.rows)x\(p.cols)-tile\(osTile).hex")
        try runner.reproducer(tile: osTile, a: operands.a, w: operands.w).write(to: file)
        var line = "\(outcome.mismatches.count) of \(outcome.comparedElements) output elements differ from the Swift reference (first: tile \(first.tile) row \(first.row) col \(first.col)"
        if let m = first.m, let n = first.n { line += ", C[\(m), \(n)]" }
        let selector = (try? AntVariant(p, dataflow: runner.dataflow).selectorArguments.joined(separator: " ")) ?? "--array ant"
        line += String(format: ": expected 0x%llx, RTL 0x%llx); reproduce: antgen verify \(selector) --vectors \(file.path)", first.expected, first.got)
        if mutation != "none" { line += " --mutation \(mutation)" }
        return line
    }
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow(_ error: some Error) throws -> Wrapped {
        guard let value = self else { throw error }
        return value
    }
}

/// A time stamp shared with a progress callback (rate-limits its lines).
final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date.distantPast

    /// Seconds since the last ``reset()``.
    func elapsed() -> Double { lock.withLock { Date().timeIntervalSince(date) } }
    /// Now becomes the reference.
    func reset() { lock.withLock { date = Date() } }
}
