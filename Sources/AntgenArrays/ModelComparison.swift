import AntgenHarness
import AntgenModel
import AntgenPerf
import AntgenSynth
import Foundation

/// One comparison entry of `antgen compare`: an array variant (its selector, without
/// `--rows/--cols`) and one uniform precision, or the FP32 reference.
public struct ComparisonEntry: Sendable, Equatable, Codable {
    /// The entry's name (`ant-a4w4`, `int-a8w8`, `sdp-g8t6-a8w4`, `mx-fp4`, `fp32`).
    public let name: String
    /// What the headlines group by: fp32, ant, int, pwlq, sdp or mx.
    public let family: String
    /// The array selector (`--array ant --types int`); empty for fp32.
    public let selector: [String]
    /// `a4w4` … `a8w8`, `standard`, `fp32`, or `tuned` for a tuned entry.
    public let precision: String
    /// For a tuned entry: the model-level floor (`cosine>=0.95`) `antgen tune --model` meets
    /// with per-layer int8 or 4-bit choices (objective: cycles). Nil: one uniform precision.
    public let tuned: String?

    /// Creates an entry.
    public init(name: String, family: String, selector: [String], precision: String, tuned: String? = nil) {
        self.name = name
        self.family = family
        self.selector = selector
        self.precision = precision
        self.tuned = tuned
    }

    /// The mean-cosine floors of the standard set's tuned entries (0.93: the ≤ 7 % loss of the
    /// size headline).
    public static let tunedFloors = [0.98, 0.95, 0.93]

    /// The standard set: FP32; ANT (adaptive types int,flint,pot) and int-only (`--types int`,
    /// the BitFusion-style baseline; its a4w4 is also "uniform int4") at a4w4, a8w4, a8w8;
    /// PWLQ a4w4; SDP a8w4 at (G, T) = (8, 8) and (8, 6); MX fp4 and fp8e4m3.
    public static let standardSet: [ComparisonEntry] = {
        var set = [ComparisonEntry(name: "fp32", family: "fp32", selector: [], precision: "fp32")]
        for p in ["a4w4", "a8w4", "a8w8"] {
            set.append(ComparisonEntry(name: "ant-\(p)", family: "ant", selector: ["--array", "ant"], precision: p))
        }
        for p in ["a4w4", "a8w4", "a8w8"] {
            set.append(ComparisonEntry(name: "int-\(p)", family: "int", selector: ["--array", "ant", "--types", "int"], precision: p))
        }
        for floor in tunedFloors {
            let text = String(format: "%.2f", floor)
            set.append(ComparisonEntry(name: "ant-tuned-\(text)", family: "ant", selector: ["--array", "ant"], precision: "tuned", tuned: "cosine>=\(text)"))
            set.append(ComparisonEntry(name: "int-tuned-\(text)", family: "int", selector: ["--array", "ant", "--types", "int"], precision: "tuned",
                                       tuned: "cosine>=\(text)"))
        }
        set.append(ComparisonEntry(name: "pwlq-a4w4", family: "pwlq", selector: ["--array", "pwlq"], precision: "a4w4"))
        for (g, t) in [(8, 8), (8, 6)] {
            set.append(ComparisonEntry(name: "sdp-g\(g)t\(t)-a8w4", family: "sdp",
                                       selector: ["--array", "sdp", "--group", "\(g)", "--terms", "\(t)"], precision: "a8w4"))
        }
        for f in ["fp4", "fp8e4m3"] {
            set.append(ComparisonEntry(name: "mx-\(f)", family: "mx", selector: ["--array", "mx", "--mx-formats", f], precision: "standard"))
        }
        return set
    }()

    /// The entries named in `names` (comma-separated), in the standard set's order; `fp32`
    /// is always included (every fidelity is measured against it).
    /// - Throws: ``VariantError`` naming an unknown entry.
    public static func select(_ names: String?) throws -> [ComparisonEntry] {
        guard let names else { return standardSet }
        let wanted = Set(names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        for name in wanted where !standardSet.contains(where: { $0.name == name }) {
            throw VariantError("unknown compare entry '\(name)' (use \(standardSet.map(\.name).joined(separator: ", ")))")
        }
        return standardSet.filter { $0.name == "fp32" || wanted.contains($0.name) }
    }
}

/// One entry's measured result. Cost fields are nil for FP32 (and for an entry that failed).
public struct ComparisonRow: Sendable, Equatable, Codable {
    /// The entry.
    public var entry: ComparisonEntry
    /// The full array selector used (with rows and cols).
    public var arraySelector: String?
    /// Fidelity against FP32 (nil when the entry failed).
    public var fidelity: FidelityReport?
    /// Σ cycles of every linear product, as the RTL counts them (the perf model).
    public var cycles: Int?
    /// Σ energy in picojoules; `pesPriced` false when the PEs were left unpriced (`--no-synth`).
    public var energyPJ: Double?, pesPriced: Bool?
    /// The array's NAND2-equivalent area from Yosys (nil with `--no-synth`).
    public var areaNand2: Double?
    /// Total model weight storage of the linear layers: Σ k·n·(weight element bits); scales not counted.
    public var weightBits: Int?
    /// Share of MACs with an 8-bit operand.
    public var eightBitMACShare: Double?
    /// For a tuned entry: how many of the linear layers run 4-bit weights and 4-bit activations.
    public var narrowed: String?
    /// The one-line reason the entry could not run.
    public var error: String?

    /// 1 − mean cosine (the fidelity loss the size headlines use).
    public var loss: Double? { fidelity.map { 1 - $0.meanCosine } }
}

/// What one `antgen compare` run needs besides the entries.
public struct ComparisonSettings: Sendable {
    /// PE rows and columns of every array.
    public var rows: Int, cols: Int
    /// Sentences per batch.
    public var batch: Int
    /// The Yosys cells of an array (nil: `--no-synth`, PEs unpriced and no area).
    public var cells: (@Sendable (any ArrayVariant) throws -> ArrayCells)?
    /// When set, the arrays are synthesized at this smaller size (rows, cols) and their cells
    /// scaled per PE to `rows`×`cols` (``scaledCells(_:rows:cols:)``): faster, approximate area.
    public var synthesisSize: (rows: Int, cols: Int)?
    /// Status lines (progress).
    public var log: @Sendable (String) -> Void

    /// Creates the settings.
    public init(rows: Int = 32, cols: Int = 32, batch: Int = 16, cells: (@Sendable (any ArrayVariant) throws -> ArrayCells)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.rows = rows
        self.cols = cols
        self.batch = batch
        self.cells = cells
        self.log = log
    }
}

/// `antgen compare`: one model and corpus through every entry, FP32 computed once.
public enum ModelComparison {
    /// Runs `entries` on `model` over `corpus`.
    /// - Throws: the FP32 pass's error; an entry's own failure is recorded in its row.
    /// With `shard` i/N, only the entries j (0-based, fp32 included) with j mod N = i − 1 run;
    /// the FP32 reference runs in every shard.
    public static func run(model: BertModel, corpus: [String], entries: [ComparisonEntry], settings: ComparisonSettings,
                           shard: Shard = .all) throws -> ModelComparisonResult {
        let options = ForwardOptions(batchSize: settings.batch)
        settings.log("compare: fp32 reference over \(corpus.count) sentences")
        let reference = try model.embed(corpus, executor: Float32Linear(), options: options)
        let names = LinearLayerName.all(layers: model.configuration.layers).map(\.description)
        var rows: [ComparisonRow] = []
        var tuners: [String: ModelTuner] = [:]
        for (j, entry) in entries.enumerated() where shard.contains(j) {
            if entry.family == "fp32" {
                let params = fp32WeightCount(model)
                rows.append(ComparisonRow(entry: entry, fidelity: try FidelityReport.compare(reference, reference: reference), weightBits: 32 * params))
                continue
            }
            let start = Date()
            do {
                if let floor = entry.tuned {
                    rows.append(try tunedEntry(entry, floor: floor, model: model, corpus: corpus, reference: reference, tuners: &tuners, settings: settings))
                } else {
                    rows.append(try runEntry(entry, model: model, corpus: corpus, reference: reference, names: names, settings: settings))
                }
            } catch {
                rows.append(ComparisonRow(entry: entry, error: "\(error)"))
            }
            settings.log("compare: \(entry.name) " + (rows.last?.error.map { "failed: \($0)" } ?? String(format: "done in %.1f s", Date().timeIntervalSince(start))))
        }
        let pricedAt = settings.cells == nil ? nil : settings.synthesisSize.map { "\($0.rows)x\($0.cols)" }
        return ModelComparisonResult(sentences: corpus.count, rows: settings.rows, cols: settings.cols, synthesized: settings.cells != nil,
                                     entries: rows, synthesizedAt: pricedAt)
    }

    /// One array entry: the forward pass on the variant's golden path, priced.
    static func runEntry(_ entry: ComparisonEntry, model: BertModel, corpus: [String], reference: SentenceEmbeddings, names: [String],
                         settings: ComparisonSettings) throws -> ComparisonRow {
        let selection = try ArraySelection.parse(entry.selector + ["--rows", "\(settings.rows)", "--cols", "\(settings.cols)"])
        let variant = try selection.variant()
        let executor = VariantLinearExecutor(variant: variant, precision: try LayerPrecision(parsing: entry.precision))
        try executor.preflight(names)
        let result = try model.embed(corpus, executor: executor, options: ForwardOptions(batchSize: settings.batch))
        let cells = try arrayCells(entry.selector, settings: settings)
        let report = ModelArrayReport(executor: executor, precision: entry.precision, performance: try executor.performance(cells: cells))
        var seen = Set<String>()
        var weightBits = 0
        for record in executor.layers where seen.insert(record.name).inserted {
            weightBits += record.computation.k * record.computation.n * record.computation.weightBits
        }
        return ComparisonRow(entry: entry, arraySelector: report.selector, fidelity: try FidelityReport.compare(result, reference: reference),
                             cycles: report.cycles, energyPJ: report.energy.total, pesPriced: cells != nil, areaNand2: cells.map(area),
                             weightBits: weightBits, eightBitMACShare: report.eightBitMACShare)
    }

    /// A tuned entry: `antgen tune --model` on the entry's array at `floor` (objective cycles),
    /// its plan verified end to end; one tuner per array, so the start and sensitivity passes
    /// are shared by every floor.
    static func tunedEntry(_ entry: ComparisonEntry, floor: String, model: BertModel, corpus: [String], reference: SentenceEmbeddings,
                           tuners: inout [String: ModelTuner], settings: ComparisonSettings) throws -> ComparisonRow {
        let arguments = entry.selector + ["--rows", "\(settings.rows)", "--cols", "\(settings.cols)"]
        let variant = try ArraySelection.parse(arguments).variant()
        let cells = try arrayCells(entry.selector, settings: settings)
        let key = arguments.joined(separator: " ")
        let tuner = try tuners[key] ?? ModelTuner(model: model, corpus: corpus, variant: variant, objective: .cycles, batch: settings.batch,
                                                  cells: cells, reference: reference, log: settings.log)
        tuners[key] = tuner
        let result = try tuner.tune(try FidelityConstraint(parsing: floor))
        let w4 = result.choices.filter { if case .format(_, let b) = $0.precision.weight { return b != 8 }; return false }.count
        let a4 = result.choices.filter { if case .format(_, let b) = $0.precision.activation { return b != 8 }; return false }.count
        return ComparisonRow(entry: entry, arraySelector: variant.selectorArguments.joined(separator: " "), fidelity: result.fidelity,
                             cycles: result.cycles, energyPJ: result.energyPJ, pesPriced: cells != nil, areaNand2: cells.map(area),
                             weightBits: result.weightBits, eightBitMACShare: result.eightBitMACShare,
                             narrowed: "\(w4)/\(result.choices.count) w4, \(a4)/\(result.choices.count) a4")
    }

    /// The synthesized cells of the array `selector` at the settings' size: synthesized there,
    /// or at ``ComparisonSettings/synthesisSize`` and scaled per PE. Nil with `--no-synth`.
    static func arrayCells(_ selector: [String], settings: ComparisonSettings) throws -> ArrayCells? {
        guard let synthesize = settings.cells else { return nil }
        let size = settings.synthesisSize ?? (settings.rows, settings.cols)
        let variant = try ArraySelection.parse(selector + ["--rows", "\(size.rows)", "--cols", "\(size.cols)"]).variant()
        let cells = try synthesize(variant)
        return size == (settings.rows, settings.cols) ? cells : scaledCells(cells, rows: settings.rows, cols: settings.cols)
    }

    /// `cells` of a smaller build priced as a `rows`×`cols` array: the PE's cells unchanged (same
    /// PE module), every other cell multiplied by the ratio of PE counts (rounded). The non-PE
    /// logic is partly linear in rows + cols (decoders, input stage), partly quadratic (skew
    /// registers), so this over-states it: ANT 8×8 scaled to 32×32 is 1.4–2.2 % above the 32×32
    /// synthesis (docs/model.md).
    public static func scaledCells(_ cells: ArrayCells, rows: Int, cols: Int) -> ArrayCells {
        let factor = Double(rows * cols) / Double(cells.rows * cells.cols)
        return ArrayCells(rows: rows, cols: cols, processingElement: cells.processingElement,
                          rest: cells.rest.mapValues { Int((Double($0) * factor).rounded()) })
    }

    /// Weights of the model's linear layers (what the array entries quantize).
    static func fp32WeightCount(_ model: BertModel) -> Int {
        let c = model.configuration
        return c.layers * (4 * c.hidden * c.hidden + 2 * c.hidden * c.intermediate)
    }

    /// NAND2-equivalent area of the whole array: rows × cols PEs plus the rest.
    public static func area(_ cells: ArrayCells) -> Double {
        func sum(_ counts: [String: Int]) -> Double {
            counts.sorted { $0.key < $1.key }.reduce(0) { $0 + (GateLibrary.nand2Weights[$1.key] ?? 0) * Double($1.value) }
        }
        return Double(cells.rows * cells.cols) * sum(cells.processingElement) + sum(cells.rest)
    }
}
