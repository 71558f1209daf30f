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
    @Option(help: "Format of activation codes (codes input), e.g. flint4u, int8s.") var actFormat: String?
    @Option(help: "Format of weight codes (codes input), e.g. int4s.") var weightFormat: String?
    @OptionGroup var array: ArrayOptions
    @Option(help: "Quantizer mode for both operands (default: ant-<the stream's types>).") var mode: String?
    @Option(help: "Activation code width: the array's code width, or 8 (int8 nibble terms).") var actBits: Int?
    @Option(help: "Weight code width: the array's code width, or 8 (int8 nibble terms).") var weightBits: Int?
    @Option(help: "Dataflow: os (output-stationary, the default) or ws (weight-stationary, docs/architecture.md §12).") var dataflow: String = "os"
    @Option(help: "Write the dequantised output C (M × N, float32) here (.npy).") var out: String
    @Option(help: "Write the report as JSON here.") var json: String?
    @Option(help: "Simulator: verilator (one long-lived process) or icarus (a cross-check for small layers).") var sim: String = "verilator"
    @Flag(help: "Run even when K is too long for W (the results then wrap modulo 2^W, as the reference does).") var allowWrap = false
    @Option(help: "Build cache folder.") var cacheDir: String = ".antgen-cache"
    @Option(help: "Inject a named hardware defect (to see the check fail): \(NamedMutant.allCases.map(\.description).joined(separator: ", ")).") var mutation: String = "none"
    @Option(help: "Seconds any one tool run, or one wait for the simulator's next answer, may take.") var toolTimeout: Double?

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        guard ["kn", "nk"].contains(weightLayout) else { throw CLIError("invalid weight-layout: '\(weightLayout)' (use kn or nk)") }
        let simulator: SimulatorKind
        switch sim {
        case "verilator": simulator = .verilator
        case "icarus": simulator = .icarus
        default: throw CLIError("invalid sim: '\(sim)' (use verilator or icarus)")
        }
        guard let flow = ArrayDataflow(rawValue: dataflow) else { throw CLIError("invalid dataflow: '\(dataflow)' (use os or ws)") }
        guard !array.partialSums else { throw CLIError("--psum-preload/--psum-codec: antgen run drives arrays without the partial-sum stage; verify that stage with antgen verify --psum-preload") }
        let defect: NamedMutant? = mutation == "none" ? nil : try NamedMutant(rawValue: mutation).orThrow(
            CLIError("invalid mutation: '\(mutation)' (use none, \(NamedMutant.allCases.map(\.description).joined(separator: ", ")))"))
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        if let problem = folderProblem(cacheDir) { throw CLIError("--cache-dir: " + problem) }
        let timeout = try checkedToolTimeout(toolTimeout)
        let plan = try array.planMapping()
        let parameters = try array.parameters(plan: plan)
        let operands = try RunOperands.prepare(self, parameters: parameters, plan: plan)
        try operands.checkAccumulator(parameters, allowWrap: allowWrap)

        var tools = SimulatorTools.standard.withTimeout(timeout)
        if let timeout { tools.simulationTimeout = timeout }
        let runner = GemmRunner(parameters: parameters, cacheDirectory: URL(fileURLWithPath: cacheDir), tools: tools,
                                mutant: defect.map(Mutant.named), dataflow: flow)
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
        line += String(format: ": expected 0x%llx, RTL 0x%llx); reproduce: antgen verify --rows \(p.rows) --cols \(p.cols) --code-width \(p.codeWidth) --act-types \(p.activation.typeList) --weight-types \(p.weight.typeList) --acc-width \(p.accumulatorWidth) \(p.int8 ? "--int8" : "--no-int8") --vectors \(file.path)", first.expected, first.got)
        if mutation != "none" { line += " --mutation \(mutation)" }
        if runner.dataflow == .ws { line += " --dataflow ws" }
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
