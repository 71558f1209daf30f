import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
import Foundation

/// A failed `antgen run`: one line (bad inputs, a shape mismatch, or outputs that differ
/// from the golden model, with the reproduce line).
public struct LayerRunError: Error, Sendable, CustomStringConvertible {
    /// The line shown to the user.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// The operands of `antgen run` as given on the command line: the two tensor files, their
/// layout, and the ANT array's options for codes inputs and its quantizer (docs/run.md).
public struct LayerRunInputs: Sendable {
    /// Activations A (M × K): .npy, .safetensors, or NAME.codes.npy; the tensor in a .safetensors file.
    public var activations: String, actTensor: String?
    /// Weights W: .npy, .safetensors, or NAME.codes.npy; the tensor in a .safetensors file.
    public var weights: String, weightTensor: String?
    /// `kn` (W is K × N) or `nk` (N × K, PyTorch's nn.Linear).
    public var weightLayout: String
    /// ant: the formats of codes inputs (e.g. `flint4u`, `int8s`).
    public var actFormat: String?, weightFormat: String?
    /// ant: the quantizer mode of both operands, and the code widths.
    public var mode: String?, actBits: Int?, weightBits: Int?

    /// Creates the inputs; the ANT options default to nil.
    public init(activations: String, actTensor: String?, weights: String, weightTensor: String?, weightLayout: String,
                actFormat: String? = nil, weightFormat: String? = nil, mode: String? = nil, actBits: Int? = nil, weightBits: Int? = nil) {
        self.activations = activations
        self.actTensor = actTensor
        self.weights = weights
        self.weightTensor = weightTensor
        self.weightLayout = weightLayout
        self.actFormat = actFormat
        self.weightFormat = weightFormat
        self.mode = mode
        self.actBits = actBits
        self.weightBits = weightBits
    }

    /// The ANT-only operand options given (codes formats, mode, widths).
    public var antOptions: [String] {
        [("--act-format", actFormat != nil), ("--weight-format", weightFormat != nil), ("--mode", mode != nil), ("--act-bits", actBits != nil),
         ("--weight-bits", weightBits != nil)].filter(\.1).map(\.0)
    }
}

/// One `antgen run`: a whole GEMM layer through one simulator build of `variant`, every
/// output checked against the golden model; prints the report, writes the output `.npy`
/// and the JSON report. The ANT array takes codes inputs, plans and modes
/// (``GemmRunner``); every other array quantizes float tensors in its own formats
/// (``ArrayVariant/run(_:_:defect:)``).
public struct LayerRunJob {
    /// The operands.
    public var inputs: LayerRunInputs
    /// The array.
    public var variant: any ArrayVariant
    /// ant: the plan of `antgen tune --plan` that picked the build's formats.
    public var plan: String?
    /// ant: run when K is too long for W (the results wrap modulo 2^W).
    public var allowWrap: Bool
    /// The dequantised output C (M × N, float32 .npy) and the JSON report.
    public var out: String, json: String?
    /// The simulator, its tools and the build cache.
    public var simulator: SimulatorKind, tools: SimulatorTools, cacheDirectory: String
    /// The named defect to inject (`none`: the real hardware).
    public var mutation: String
    /// Layers whose memory estimate exceeds this are refused before any build.
    public var maxMemory = MemoryLimit.standard
    /// `--shell axi`: the TDATA width of a second run through the AXI shell (nil: none).
    public var shellWidth: Int?
    /// With ``shellWidth``: the shell's block-RAM result buffer in KiB (`--buffer-kib`).
    public var shellBufferKiB: Int?
    /// With ``shellWidth``: random TVALID gaps and TREADY back-pressure, in quarters (0…3).
    public var shellGaps = 0, shellStalls = 0

    /// Creates the job.
    public init(inputs: LayerRunInputs, variant: any ArrayVariant, plan: String?, allowWrap: Bool, out: String, json: String?,
                simulator: SimulatorKind, tools: SimulatorTools, cacheDirectory: String, mutation: String) {
        self.inputs = inputs
        self.variant = variant
        self.plan = plan
        self.allowWrap = allowWrap
        self.out = out
        self.json = json
        self.simulator = simulator
        self.tools = tools
        self.cacheDirectory = cacheDirectory
        self.mutation = mutation
    }

    /// Runs the layer.
    /// - Throws: ``LayerRunError`` (one line; for outputs that differ, after the report is
    ///   printed, with the reproduce line), or the harness's error.
    public func run() throws {
        let shell = try shellWidth.map { width -> ShellLayerRun in
            var run = try ShellLayerRun(variant: variant, dataWidth: width, bufferKiB: shellBufferKiB, simulator: simulator, tools: tools)
            run.gap = shellGaps
            run.stall = shellStalls
            return run
        }
        if let ant = variant as? AntVariant { return try runAnt(ant, shell: shell) }
        if let option = inputs.antOptions.first ?? (allowWrap ? "--allow-wrap" : nil) {
            throw LayerRunError("\(option) is an option of --array ant's operand loader; --array \(type(of: variant).name) quantizes float tensors in its own formats")
        }
        try runVariant(shell: shell)
    }

    /// Any array other than ANT: float operands quantized in the array's own formats, the
    /// layer through the RTL, every output checked against the array's golden model.
    func runVariant(shell: ShellLayerRun?) throws {
        let aSource = RunInputs.Source(option: "--activations", path: inputs.activations, tensor: inputs.actTensor, format: nil)
        let wSource = RunInputs.Source(option: "--weights", path: inputs.weights, tensor: inputs.weightTensor, format: nil)
        guard !aSource.isCodes, !wSource.isCodes else { throw LayerRunError("codes inputs (.codes.npy) are ANT formats; --array \(type(of: variant).name) takes float tensors") }
        let a = try RunInputs.loadFloat(aSource), wLoaded = try RunInputs.loadFloat(wSource)
        let nk = inputs.weightLayout == "nk"
        let wk = nk ? wLoaded.cols : wLoaded.rows, n = nk ? wLoaded.rows : wLoaded.cols
        guard wk == a.cols else {
            throw LayerRunError("shape mismatch: activations are \(a.rows) × \(a.cols) (K = \(a.cols)) but the weights (\(inputs.weightLayout) layout) are \(wLoaded.rows) × \(wLoaded.cols) (K = \(wk)); check --weight-layout")
        }
        try checkMemory(m: a.rows, k: a.cols, n: n)
        let wKN = nk ? RunInputs.transpose(wLoaded.values, rows: n, cols: wk) : wLoaded.values
        let layer = try FloatLayer(m: a.rows, k: a.cols, n: n, a: a.values.map(Double.init), w: wKN.map(Double.init))
        FileHandle.standardError.write(Data("run: \(layer.m)×\(layer.k) · \(layer.k)×\(layer.n) on \(variant.configurationSummary) (\(simulator))\n".utf8))
        let lastReport = LockedDate()
        let request = LayerRunRequest(cacheDirectory: URL(fileURLWithPath: cacheDirectory), simulator: simulator, tools: tools) { done, total in
            guard done == total || lastReport.elapsed() >= 2 else { return }
            lastReport.reset()
            FileHandle.standardError.write(Data("run: \(done)/\(total) tiles\n".utf8))
        }
        let outcome = try variant.run(layer, request, defectNamed: mutation)
        let report = LayerRunReport(variant: variant, layer: layer, outcome: outcome, simulator: simulator)
        guard outcome.bitExact else {
            print(report.text)
            let reproduce = (["antgen", "verify"] + variant.selectorArguments + (mutation == "none" ? [] : ["--mutation", mutation])).joined(separator: " ")
            throw LayerRunError("\(outcome.mismatchCount) of \(outcome.comparedElements) output elements differ from the Swift reference (first: \(outcome.firstMismatch ?? outcome.protocolErrors.first ?? "?")); reproduce: \(reproduce)")
        }
        let shellSummary = try shell.map { s -> ShellRunSummary in
            // ShellLayerRun's init has checked that the shell wraps the variant.
            guard let wrapped = variant as? any AxiShellVariant else { throw VariantError("--shell axi does not wrap \(variant.configurationSummary)") }
            return try s.run(try wrapped.shellTiles(layer, precision: .standard, format: s.format), bareCycles: outcome.cycles)
        }
        let jsonText = try json.map { _ in try shellSummary.map { try $0.merged(into: report.jsonText()) } ?? report.jsonText() }
        try writeOutputs(outcome.output.map(Float.init), m: layer.m, n: layer.n, jsonText: jsonText)
        print(report.text)
        for line in shellSummary?.lines ?? [] { print(line) }
    }
}

extension LayerRunJob {
    /// Writes C (`--out`) and the JSON report (`--json`) together: both are staged beside
    /// their targets and renamed into place only once both are written, so a failure on
    /// either leaves neither (docs/reliability.md).
    /// - Throws: ``LayerRunError`` naming the option and the target path.
    func writeOutputs(_ c: [Float], m: Int, n: Int, jsonText: String?) throws {
        let staged = StagedFiles()
        let temporary = staged.path(for: out)
        do {
            try NpyFile.write(.float32(c), shape: [m, n], toPath: temporary)
        } catch {
            staged.discard()
            throw LayerRunError("--out: \(error.description.replacingOccurrences(of: temporary, with: out))")
        }
        do {
            if let json, let jsonText { try staged.write(Data(jsonText.utf8), to: json) }
            try staged.commit()
        } catch {
            staged.discard()
            throw LayerRunError("\(error)")
        }
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
