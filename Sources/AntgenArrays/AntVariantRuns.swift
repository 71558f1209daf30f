import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
import Foundation

/// Verification, layer runs and the regression of the ANT array.
extension AntVariant {
    /// The harness spec of a plain (no partial-sum stage) verification: random tiles and a
    /// quarter as many quantized ones, in files of 256 cases.
    public func verificationSpec(_ request: VerifyRequest, defect: Defect?) throws -> VerificationSpec {
        var spec = VerificationSpec(parameters: parameters, mutant: try arrayMutant(defect).map(Mutant.named),
                                    sources: [(.random, request.cases), (.quantized, max(1, request.cases / 4))],
                                    seed: request.seed, chunk: 256, simulators: request.simulators, bubbleSeed: request.bubbles)
        spec.dataflow = dataflow
        return spec
    }

    /// The array's own mutant for `defect`, refusing one of the partial-sum stage (and the reverse).
    public func arrayMutant(_ defect: Defect?) throws -> NamedMutant? {
        guard let defect else { return nil }
        if parameters.partialSumStage != nil {
            guard defect.stageMutant != nil else {
                throw VariantError("invalid mutation: '\(defect)' is not a defect of the partial-sum build (use none, \(PartialSumMutant.allCases.map(\.description).joined(separator: ", ")))")
            }
            return nil
        }
        guard let mutant = defect.arrayMutant else {
            throw VariantError("invalid mutation: '\(defect)' needs the partial-sum stage (--psum-preload or --psum-codec)")
        }
        if mutant.weightStationaryOnly != (dataflow == .ws) && mutant.weightStationaryOnly {
            throw VariantError("invalid mutation: '\(defect)' is a defect of the weight-stationary array (--dataflow ws)")
        }
        return mutant
    }

    public func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome {
        if parameters.partialSumStage != nil {
            try request.refuseBubbles("the partial-sum replay testbench")
            let results = try PartialSumVerification(parameters: parameters, cases: max(request.cases, 1), seed: request.seed, mutant: defect)
                .run(on: request.simulators, in: FileManager.default.temporaryDirectory, tools: request.tools)
            return VerifyOutcome(runs: results.map { VerifyRun(replay: $0, name: name(defect)) })
        }
        var spec = try verificationSpec(request, defect: nil)
        if let defect {
            guard let mutant = defect as? Mutant else { throw VariantError("the ANT vector harness injects its own mutants, not \(defect)") }
            spec.mutant = mutant
        }
        return try runSpecs([spec], request)
    }

    /// Runs harness specs of this array and turns the report into runs.
    func runSpecs(_ specs: [VerificationSpec], _ request: VerifyRequest) throws -> VerifyOutcome {
        VerifyOutcome(runs: try Self.runSpecsApart(specs, request).flatMap(\.runs))
    }

    /// Runs harness specs in one ``Verifier`` (`request.jobs` simulations at a time across
    /// all of them) and returns each spec's runs apart, in spec order.
    static func runSpecsApart(_ specs: [VerificationSpec], _ request: VerifyRequest) throws -> [VerifyOutcome] {
        var verifier = Verifier(cacheDirectory: request.cacheDirectory)
        verifier.jobs = request.jobs
        verifier.tools = request.tools
        verifier.progress = request.progress
        let report = try verifier.run(specs)
        var outcomes = Array(repeating: VerifyOutcome(runs: []), count: specs.count)
        for r in report.results {
            outcomes[r.job.specIndex].runs.append(
                VerifyRun(name: r.specName + " " + r.job.fileName, simulator: r.job.simulator, cases: r.cases,
                          failedCases: r.error == nil ? r.failedCases.count : r.cases,
                          problems: (r.error.map { [$0] } ?? []) + r.problems, cycles: r.cycles, seconds: r.seconds))
        }
        return outcomes
    }

    /// `ant-8x8-os` (+ `-<defect>`).
    func name(_ defect: (any DesignDefect)?) -> String {
        "ant-\(parameters.rows)x\(parameters.cols)-\(dataflow)" + (parameters.codec ? "-psum12" : parameters.preload ? "-preload" : "")
            + (defect.map { "-\($0)" } ?? "")
    }

    public func verifyRegression(_ entry: RegressionEntry, _ request: VerifyRequest) throws -> VerifyOutcome {
        guard let spec = entry.detail as? VerificationSpec else {
            var r = request
            r.cases = entry.cases
            r.simulators = entry.simulators
            return try verify(r, defect: try Self.defect(named: entry.defect))
        }
        return try runSpecs([spec], request)
    }

    public static func regression(seed: UInt64) throws -> [RegressionEntry] {
        let specs = try RegressionSuite.nightly(seed: seed).map { spec in
            RegressionEntry(try AntVariant(spec.parameters, dataflow: spec.dataflow), cases: spec.sources.reduce(0) { $0 + $1.count },
                            simulators: spec.simulators, detail: spec)
        }
        let replay = try ReplayRegression.partialSumConfigurations().flatMap { (p, cases) -> [RegressionEntry] in
            let variant = try AntVariant(p)
            let mutants = PartialSumMutant.allCases.filter { m in (try? m.mutations(in: variant.elaborate()).isEmpty == false) ?? false }
            return [RegressionEntry(variant, cases: cases)]
                + mutants.map { RegressionEntry(variant, cases: cases, defect: $0.rawValue, simulators: [.verilator]) }
        }
        return specs + replay
    }

    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        try run(layer, precision: precision, request, defect: defect, weights: nil)
    }

    /// The run with the layer's quantized weights from `weights` (`antgen infer --rtl`: the
    /// golden path's memo, so each layer's weight type search runs once).
    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, weights: WeightMemo?) throws -> LayerRunOutcome {
        try run(layer, precision: precision, request, defect: nil, weights: weights)
    }

    func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?, weights memo: WeightMemo?) throws -> LayerRunOutcome {
        guard parameters.partialSumStage == nil else {
            throw VariantError("antgen run drives the ANT array without the partial-sum stage; verify that stage with antgen verify --psum-preload")
        }
        let (a, w) = try quantizedOperands(layer, precision: precision, weights: memo)
        let runner = GemmRunner(parameters: parameters, cacheDirectory: request.cacheDirectory, tools: request.tools,
                                mutant: try arrayMutant(defect).map(Mutant.named), dataflow: dataflow)
        let outcome = try runner.run(a: a, w: w, simulator: request.simulator) { done, total in request.progress?(done, total) }
        let model = try runner.goldenModel()
        let output = GemmReference.dequantized(model, results: outcome.results, a: a, w: w)
        let tiles = dataflow == .ws ? WsGemmTiling(m: layer.m, k: layer.k, n: layer.n, rows: parameters.rows, cols: parameters.cols).tileCount
            : GemmTiling(m: layer.m, k: layer.k, n: layer.n, rows: parameters.rows, cols: parameters.cols).tileCount
        let first = outcome.mismatches.first.map { m in
            String(format: "tile %d row %d col %d: expected 0x%llx, RTL 0x%llx", m.tile, m.row, m.col, m.expected, m.got)
        }
        let formats = try formatsLine(a, w)
        return LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: output, comparedElements: outcome.comparedElements,
                               mismatchCount: outcome.mismatches.count, firstMismatch: first, protocolErrors: outcome.protocolErrors,
                               cycles: outcome.cycles, tiles: tiles, buildSeconds: outcome.buildSeconds,
                               simulationSeconds: outcome.simulationSeconds, formats: formats,
                               activationBits: a.mode.int8 ? 8 : 4, weightBits: w.mode.int8 ? 8 : 4)
    }
}

extension VerifyRun {
    /// A replay-testbench result (PWLQ arrays, partial-sum builds) as a run.
    init(replay r: ReplayRunResult, name: String) {
        self.init(name: name, simulator: r.simulator, cases: r.cases, failedCases: r.passed ? 0 : max(1, r.failedCases),
                  problems: r.problems + (r.rows == r.expectedRows ? [] : ["\(r.rows) of \(r.expectedRows) output rows came"]),
                  cycles: r.cycles)
    }
}

/// Float operands to the ANT array's codes: activations per tensor and weights per output
/// channel, each in the adaptive type the stream decodes (the `antgen quantize` defaults), or
/// in the quantizer `mode` at `bits` given (e.g. `int` at 8 for int8).
public enum AntLayerQuantizer {
    /// A (M × K) as the array's activation stream sees it.
    public static func activations(_ layer: FloatLayer, parameters p: ArrayParameters, mode: String? = nil, bits: Int? = nil) throws -> QuantizedMatrix {
        let result = try quantize(layer.a, shape: [layer.m, layer.k], mode: mode ?? RunInputs.modeString(p.activation.types), bits: bits ?? p.codeWidth,
                                  role: .activation)
        let mode = try GemmReference.operandMode(of: result.chosenFormat, codeWidth: p.codeWidth)
        return try QuantizedMatrix(rows: layer.m, cols: layer.k, codes: result.codes, mode: mode,
                                   scales: [result.alphas[0] / result.chosenFormat.maxPositiveUnits])
    }

    /// W (K × N) as the weight stream sees it, one scale per output channel.
    public static func weights(_ layer: FloatLayer, parameters p: ArrayParameters, mode: String? = nil, bits: Int? = nil) throws -> QuantizedMatrix {
        var nk = [Double](repeating: 0, count: layer.k * layer.n)
        for kk in 0..<layer.k { for j in 0..<layer.n { nk[j * layer.k + kk] = layer.w[kk * layer.n + j] } }
        let result = try quantize(nk, shape: [layer.n, layer.k], mode: mode ?? RunInputs.modeString(p.weight.types), bits: bits ?? p.codeWidth,
                                  role: .weight)
        let operand = try GemmReference.operandMode(of: result.chosenFormat, codeWidth: p.codeWidth)
        var kn = [UInt8](repeating: 0, count: result.codes.count)
        for j in 0..<layer.n { for kk in 0..<layer.k { kn[kk * layer.n + j] = result.codes[j * layer.k + kk] } }
        return try QuantizedMatrix(rows: layer.k, cols: layer.n, codes: kn, mode: operand,
                                   scales: result.alphas.map { $0 / result.chosenFormat.maxPositiveUnits })
    }

    static func quantize(_ values: [Double], shape: [Int], mode: String, bits: Int, role: TensorRole) throws -> QuantizationResult {
        try AntQuantizer(options: QuantizerOptions(bits: bits, mode: mode, role: role)).quantize(try Tensor(shape: shape, float64: values))
    }
}
