import AntgenHarness
import AntgenModel
import AntgenNumerics
import AntgenPerf
import Foundation

/// `antgen tune --model`: a width (the array's 4-bit code or int8) per operand of every
/// linear layer of a model on an ANT array, the cheapest under a model-level fidelity floor
/// (docs/tuning.md "Tuning on model fidelity").
///
/// Every evaluation is a whole forward pass over the corpus on the array's golden integer
/// path (multi-core), scored against FP32 with the built-in metrics; quantized weights are
/// kept across passes (one ``WeightMemoStore``). The search: start from all 8-bit; measure
/// each single narrowing's local sensitivity (its layer's output error growth on the first
/// batch; shared by every floor); order the narrowings by error growth per unit of objective
/// saved; take the longest prefix of that order meeting the floor (bisection); then try up to
/// ``tailLimit`` of the remaining narrowings one at a time; finally re-run the plan end to end.
/// The 4-bit type of each operand is fixed beforehand from the adaptive choice of an all-4-bit
/// pass (weights: their own choice; activations: the most frequent choice over batches).
public final class ModelTuner: @unchecked Sendable {
    /// The model, the corpus and its FP32 embeddings.
    public let model: BertModel, corpus: [String], reference: SentenceEmbeddings
    /// The ANT array searched on (its types are the 4-bit candidates).
    public let variant: AntVariant
    /// What is minimised.
    public let objective: ModelTuningObjective
    /// Most single-narrowing tries after the bisected prefix.
    public var tailLimit = 12
    /// The `file` the plan's tensors name (the model folder).
    public var source = "model"
    let options: ForwardOptions
    let cells: ArrayCells?
    let log: @Sendable (String) -> Void
    let memos = WeightMemoStore()
    let names: [String]
    var kinds: [String: (activation: String, weight: String)] = [:]
    var shapes: [(name: String, m: Int, k: Int, n: Int)] = []
    var start: FidelityReport?
    var singles: [(demotion: Demotion, errorGrowth: Double, saving: Double)] = []
    var history: [TuningEvaluation] = []

    /// A tuner; nothing runs until ``prepare()`` or ``tune(_:)``.
    /// - Parameters:
    ///   - reference: the FP32 embeddings of `corpus` (nil: computed here).
    ///   - cells: the array's synthesized cells (prices PE energy; nil: PEs unpriced).
    /// - Throws: ``VariantError`` for an array other than ANT or one without int8.
    public init(model: BertModel, corpus: [String], variant: any ArrayVariant, objective: ModelTuningObjective, batch: Int = 16,
                cells: ArrayCells? = nil, reference: SentenceEmbeddings? = nil, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        guard let ant = variant as? AntVariant else {
            throw VariantError("tune --model searches ANT arrays (--array ant; --types int for int-only), not \(type(of: variant).name)")
        }
        guard ant.parameters.int8 else { throw VariantError("tune --model starts from int8 everywhere: the ANT build needs int8 (--int8)") }
        self.model = model
        self.corpus = corpus
        self.variant = ant
        self.objective = objective
        self.cells = cells
        self.log = log
        options = ForwardOptions(batchSize: batch)
        names = LinearLayerName.all(layers: model.configuration.layers).map(\.description)
        self.reference = try reference ?? model.embed(corpus, executor: Float32Linear(), options: options)
    }

    /// The precision of `layer` at `widths` (8: int8; else the layer's fixed 4-bit type).
    func precision(_ widths: LayerWidths, layer: String) -> LayerPrecision {
        let kind = kinds[layer] ?? ("int", "int")
        let code = variant.parameters.codeWidth
        return LayerPrecision(activation: widths.activation == 8 ? .format(kind: "int", bits: 8) : .format(kind: kind.activation, bits: code),
                              weight: widths.weight == 8 ? .format(kind: "int", bits: 8) : .format(kind: kind.weight, bits: code))
    }

    /// An executor running every layer at `config`'s widths.
    func executor(_ config: [String: LayerWidths]) -> VariantLinearExecutor {
        let precisions = Dictionary(uniqueKeysWithValues: names.map { ($0, precision(config[$0] ?? LayerWidths(activation: 8, weight: 8), layer: $0)) })
        return VariantLinearExecutor(variant: variant, memos: memos) { precisions[$0] ?? .standard }
    }

    /// One forward pass at `config`, scored against FP32.
    func evaluate(_ config: [String: LayerWidths], what: String, constraint: FidelityConstraint?) throws -> (FidelityReport, VariantLinearExecutor) {
        let began = Date()
        let run = executor(config)
        let report = try FidelityReport.compare(try model.embed(corpus, executor: run, options: options), reference: reference)
        let value = constraint?.value(report) ?? report.meanCosine
        let met = constraint?.isMet(by: report) ?? true
        history.append(TuningEvaluation(what: what, value: value, met: met))
        log(String(format: "tune: evaluation %d (%@): %@ %.5f%@ (%.1f s)", history.count, what, constraint?.metric.rawValue ?? "cosine", value,
                   constraint == nil ? "" : (met ? ", meets the floor" : ", below the floor"), Date().timeIntervalSince(began)))
        return (report, run)
    }

    /// Every layer at 8 bits.
    var allEight: [String: LayerWidths] { Dictionary(uniqueKeysWithValues: names.map { ($0, LayerWidths(activation: 8, weight: 8)) }) }

    /// `config` with `demotions` applied.
    func applying(_ demotions: some Sequence<Demotion>, to config: [String: LayerWidths]) -> [String: LayerWidths] {
        var out = config
        for d in demotions {
            if d.weight { out[d.layer]?.weight = 4 } else { out[d.layer]?.activation = 4 }
        }
        return out
    }

    /// The 4-bit types, the all-8-bit start and the single-narrowing sensitivities (once per
    /// tuner; every floor reuses them). A narrowing's sensitivity is local: the growth of its
    /// layer's relative output error (against the float product) on the start pass's first
    /// batch, so the whole sensitivity phase costs about one pass, not one pass per narrowing.
    public func prepare() throws {
        guard start == nil else { return }
        try calibrateKinds()
        let recorder = FirstInputRecorder(inner: executor(allEight))
        let began = Date()
        let report = try FidelityReport.compare(try model.embed(corpus, executor: recorder, options: options), reference: reference)
        history.append(TuningEvaluation(what: "start: all int8", value: report.meanCosine, met: true))
        log(String(format: "tune: evaluation 1 (start: all int8): cosine %.5f (%.1f s)", report.meanCosine, Date().timeIntervalSince(began)))
        start = report
        shapes = recorder.inner.layers.map { ($0.name, $0.computation.m, $0.computation.k, $0.computation.n) }
        let base = try cost(allEight)
        let inputs = recorder.inputs
        for name in names {
            guard let (input, weight) = inputs[name] else { continue }
            let layer = try floatLayer(input, weight)
            let exact = try FloatGemm.multiply(input, transposed: weight).values.map(Double.init)
            let startError = try relativeError(layer, exact, precision(LayerWidths(activation: 8, weight: 8), layer: name), name)
            for weight in [true, false] where weight || objective != .bits {
                let d = Demotion(layer: name, weight: weight)
                let config = applying([d], to: allEight)
                let error = try relativeError(layer, exact, precision(config[name]!, layer: name), name)
                singles.append((d, error - startError, base - (try cost(config))))
            }
        }
        log(String(format: "tune: local sensitivities of %d narrowings in %.1f s", singles.count, Date().timeIntervalSince(began)))
    }

    /// Σ(y − exact)² / Σ exact² of `layer` on the array at `precision`.
    func relativeError(_ layer: FloatLayer, _ exact: [Double], _ precision: LayerPrecision, _ name: String) throws -> Double {
        let out = try variant.computeLayer(layer, precision: precision, weights: memos.memo(for: name)).output
        var error = 0.0, norm = 0.0
        for i in exact.indices {
            error += (out[i] - exact[i]) * (out[i] - exact[i])
            norm += exact[i] * exact[i]
        }
        return norm > 0 ? error / norm : error
    }

    /// `input · weightᵀ` as the array layer (W transposed to K × N).
    func floatLayer(_ input: ModelMatrix, _ weight: ModelMatrix) throws -> FloatLayer {
        let (m, k, n) = (input.rows, input.columns, weight.rows)
        var w = [Double](repeating: 0, count: k * n)
        for j in 0 ..< n { for kk in 0 ..< k { w[kk * n + j] = Double(weight.values[j * k + kk]) } }
        return try FloatLayer(m: m, k: k, n: n, a: input.values.map(Double.init), w: w)
    }

    /// Fixes each layer's 4-bit types from the array's adaptive choice on an all-4-bit pass.
    func calibrateKinds() throws {
        let p = variant.parameters
        let fixedA = p.activation.types.count == 1 ? p.activation.types[0].description : nil
        let fixedW = p.weight.types.count == 1 ? p.weight.types[0].description : nil
        if let fixedA, let fixedW {
            for name in names { kinds[name] = (fixedA, fixedW) }
            return
        }
        let run = VariantLinearExecutor(variant: variant, memos: memos) { _ in .uniform(activationBits: 4, weightBits: 4) }
        _ = try model.embed(corpus, executor: run, options: options)
        var votes: [String: [String: Int]] = [:], weights: [String: String] = [:]
        for record in run.layers {
            let parts = record.computation.formats.components(separatedBy: ", ")
            guard parts.count == 2 else { continue }
            let kind = { (s: String) in String(s.dropFirst(2).prefix { $0.isLetter }) }
            votes[record.name, default: [:]][kind(parts[0]), default: 0] += 1
            weights[record.name] = weights[record.name] ?? kind(parts[1])
        }
        for name in names {
            let a = votes[name]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            kinds[name] = (fixedA ?? a ?? "int", fixedW ?? weights[name] ?? "int")
        }
        log("tune: 4-bit types fixed from an all-4-bit pass: " + names.map { "\($0) a \(kinds[$0]!.activation) w \(kinds[$0]!.weight)" }.joined(separator: "; "))
    }

    /// The objective of `config` over the start pass's products (exact: widths change no shape).
    func cost(_ config: [String: LayerWidths]) throws -> Double {
        if objective == .bits {
            var seen = Set<String>()
            return Double(shapes.filter { seen.insert($0.name).inserted }.reduce(0) { $0 + $1.k * $1.n * (config[$1.name]?.weight ?? 8) })
        }
        let report = try performance(config)
        return objective == .cycles ? Double(report.cycles) : report.energy.total
    }

    /// The performance model's report of every product at `config`'s widths.
    func performance(_ config: [String: LayerWidths]) throws -> PerformanceReport {
        let array = try variant.perfArray(clockMHz: 500, buffers: .standard)
        let layers = try shapes.map { s in
            let w = config[s.name] ?? LayerWidths(activation: 8, weight: 8)
            return try GemmLayer(name: s.name, m: s.m, k: s.k, n: s.n, activationBits: try LayerBits(carrying: w.activation, what: s.name),
                                 weightBits: try LayerBits(carrying: w.weight, what: s.name))
        }
        return try PerformanceModel(array: array, table: .standard, cells: cells).evaluate(layers)
    }
}

/// Passes every call to `inner`, keeping each linear layer's first input and weight.
final class FirstInputRecorder: LinearExecutor, @unchecked Sendable {
    let inner: VariantLinearExecutor
    private let lock = NSLock()
    private var recorded: [String: (ModelMatrix, ModelMatrix)] = [:]

    init(inner: VariantLinearExecutor) { self.inner = inner }

    /// Input and weight of each layer's first call, by layer name.
    var inputs: [String: (ModelMatrix, ModelMatrix)] { lock.withLock { recorded } }

    func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix {
        lock.withLock { if recorded[layer.description] == nil { recorded[layer.description] = (input, weight) } }
        return try inner.linear(input, layer: layer, weight: weight, bias: bias)
    }

    func attention(_ left: ModelMatrix, _ right: ModelMatrix, product: AttentionProduct) throws -> ModelMatrix {
        try inner.attention(left, right, product: product)
    }
}
