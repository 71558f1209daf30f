import AntgenArrays
import AntgenHarness
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
        Activations A (M × K) and weights W (K × N with --weight-layout kn, N × K as PyTorch stores \
        linear layers with nk) come from .npy or .safetensors files (--act-tensor / --weight-tensor \
        name the tensor). Float tensors are quantized by antgen (activations per tensor, weights \
        per output channel; --mode or --plan picks the types); NAME.codes.npy files written by \
        `antgen quantize --out` are taken as they are (with NAME.alpha.npy and --act-format / \
        --weight-format). The GEMM is cut into tiles of R × C outputs (K streamed, code-0 \
        padding), streamed through ONE long-lived simulator process, and every output element is \
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
    @OptionGroup var shellOptions: ShellOptions
    @Option(name: .customLong("shell-gaps"), help: "With --shell axi: random TVALID gaps on the operand stream, in quarters of cycles (0-3, default 0).")
    var shellGaps: Int?
    @Option(name: .customLong("shell-stalls"), help: "With --shell axi: random TREADY back-pressure on the result stream, in quarters of cycles (0-3, default 0).")
    var shellStalls: Int?
    @Option(help: "Memory the run may plan for (e.g. 16G); a layer whose estimate exceeds it is refused before the build (default: half of the machine's memory or of the address-space limit).")
    var maxMemory: String?

    func validate() throws { try selection.refuseOptions(notTakenBy: "run") }

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
        guard out.lowercased().hasSuffix(".npy") else { throw CLIError("--out: \(out) must end in .npy") }
        try checkWritable(out, what: "--out")
        if let json { try checkWritable(json, what: "--json") }
        if let json, URL(fileURLWithPath: json).standardizedFileURL == URL(fileURLWithPath: out).standardizedFileURL {
            throw CLIError("--out and --json name the same file \(out)")
        }
        if let problem = folderProblem(cacheDir) { throw CLIError("--cache-dir: " + problem) }
        let timeout = try checkedToolTimeout(toolTimeout)
        let variant = try selection.variant()
        var tools = SimulatorTools.standard.withTimeout(timeout)
        if let timeout { tools.simulationTimeout = timeout }
        let inputs = LayerRunInputs(activations: activations, actTensor: actTensor, weights: weights, weightTensor: weightTensor,
                                    weightLayout: weightLayout, actFormat: actFormat, weightFormat: weightFormat, mode: mode,
                                    actBits: actBits, weightBits: weightBits)
        var job = LayerRunJob(inputs: inputs, variant: variant, plan: selection.ant.plan, allowWrap: allowWrap, out: out, json: json,
                              simulator: simulator, tools: tools, cacheDirectory: cacheDir, mutation: mutation)
        job.maxMemory = try maxMemory.map(MemoryLimit.parse) ?? .standard
        if let shell = try shellOptions.checked() {
            let gaps = shellGaps ?? 0, stalls = shellStalls ?? 0
            guard (0 ... 3).contains(gaps), (0 ... 3).contains(stalls) else {
                throw CLIError("--shell-gaps and --shell-stalls are quarters of cycles: 0 to 3")
            }
            job.shellWidth = shell.dataWidth
            job.shellBufferKiB = shell.bufferKiB
            job.shellGaps = gaps
            job.shellStalls = stalls
        } else if shellGaps != nil || shellStalls != nil {
            throw CLIError("--shell-gaps and --shell-stalls go with --shell axi")
        }
        try job.run()
    }
}
