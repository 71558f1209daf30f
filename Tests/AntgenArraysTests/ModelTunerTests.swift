import AntgenArrays
import AntgenModel
import AntgenNumerics
import Foundation
import Testing

/// `antgen tune --model`'s library on a tiny generated BERT (TinyBert.swift): the floor is
/// met, the plan it writes reproduces the reported fidelity through `infer --plan`'s path,
/// and the cost lies between all-int4 and all-int8.
@Suite struct ModelTunerTests {
    static let corpus = ModelComparisonTests.corpus

    /// The tiny model, an int-only 4×4 ANT array, and its all-int8 / all-int4 results on the
    /// array's golden path (the uniform executor, not the tuner).
    static func setup(types: String = "int") throws -> (TinyBert, BertModel, any ArrayVariant, SentenceEmbeddings) {
        let tiny = try TinyBert()
        let model = try BertModel.load(folder: tiny.folder)
        let variant = try ArraySelection.parse(["--array", "ant", "--types", types, "--rows", "4", "--cols", "4"]).variant()
        let reference = try model.embed(corpus, executor: Float32Linear(), options: ForwardOptions(batchSize: 2))
        return (tiny, model, variant, reference)
    }

    static func uniform(_ model: BertModel, _ variant: any ArrayVariant, _ reference: SentenceEmbeddings, bits: Int) throws -> (FidelityReport, Int) {
        let run = VariantLinearExecutor(variant: variant, precision: .uniform(activationBits: bits, weightBits: bits))
        let report = try FidelityReport.compare(try model.embed(corpus, executor: run, options: ForwardOptions(batchSize: 2)), reference: reference)
        return (report, try run.performance().cycles)
    }

    @Test func constraintsParse() throws {
        #expect(try FidelityConstraint(parsing: "cosine>=0.99") == FidelityConstraint(metric: .cosine, floor: 0.99))
        #expect(try FidelityConstraint(parsing: " Min-Cosine >= 0.9 ") == FidelityConstraint(metric: .minCosine, floor: 0.9))
        #expect(try FidelityConstraint(parsing: "top1>=0.8").metric == .top1)
        #expect(try FidelityConstraint(parsing: "top5>=0.8").metric == .top5)
        #expect(try FidelityConstraint(parsing: "spearman>=0.95").metric == .spearman)
        for bad in ["sqnr>=20", "cosine>0.9", "cosine>=", "cosine>=nan", "cosine"] {
            #expect(throws: VariantError.self) { try FidelityConstraint(parsing: bad) }
        }
    }

    @Test func tunedPlanMeetsTheFloorAndReproducesThroughThePlanReader() throws {
        let (tiny, model, variant, reference) = try Self.setup()
        defer { tiny.remove() }
        let (eight, eightCycles) = try Self.uniform(model, variant, reference, bits: 8)
        let (four, fourCycles) = try Self.uniform(model, variant, reference, bits: 4)
        #expect(eight.meanCosine > four.meanCosine)
        let floor = FidelityConstraint(metric: .cosine, floor: (eight.meanCosine + four.meanCosine) / 2)
        let tuner = try ModelTuner(model: model, corpus: Self.corpus, variant: variant, objective: .cycles, batch: 2, reference: reference)
        let result = try tuner.tune(floor)
        #expect(result.fidelity.meanCosine >= floor.floor)
        #expect(result.cycles <= eightCycles && result.cycles >= fourCycles)
        #expect(result.choices.count == 12)
        // 2 layers × 6 linear layers, a weight and an input tensor each, all int at 4 or 8 bits
        #expect(result.plan.tensors.count == 24)
        #expect(result.plan.tensors.allSatisfy { $0.kind == "int" && [4, 8].contains($0.bits) })
        let query = try #require(result.plan.tensors.first { $0.name == "encoder.layer.0.attention.self.query.weight" })
        #expect(query.alphas.count == 8 && query.shape == [8, 8])
        // the plan, written and read back as `antgen infer --plan` reads it, gives the same embeddings' fidelity
        let path = tiny.folder.appendingPathComponent("plan.json").path
        try result.plan.write(toPath: path)
        let run = VariantLinearExecutor(variant: variant, plan: try PlanPrecisions.read(atPath: path))
        let replay = try FidelityReport.compare(try model.embed(Self.corpus, executor: run, options: ForwardOptions(batchSize: 2)), reference: reference)
        #expect(replay == result.fidelity)
        #expect(try run.performance().cycles == result.cycles)
    }

    @Test func bitsObjectiveNarrowsOnlyWeights() throws {
        let (tiny, model, variant, reference) = try Self.setup(types: "int,flint,pot")
        defer { tiny.remove() }
        let tuner = try ModelTuner(model: model, corpus: Self.corpus, variant: variant, objective: .bits, batch: 2, reference: reference)
        let result = try tuner.tune(FidelityConstraint(metric: .cosine, floor: 0))
        // floor 0: every weight narrows (each saving bits), no activation (saves none)
        for (layer, p) in result.choices {
            #expect(p.activation == .format(kind: "int", bits: 8), "\(layer)")
            if case .format(_, let bits) = p.weight { #expect(bits == 4, "\(layer)") } else { Issue.record("\(layer): \(p.weight)") }
        }
        // linear weights of the tiny model: 1024 at 4 bits
        #expect(result.weightBits == 4 * 1024)
    }

    @Test func unreachableFloorIsOneLine() throws {
        let (tiny, model, variant, reference) = try Self.setup()
        defer { tiny.remove() }
        let tuner = try ModelTuner(model: model, corpus: Self.corpus, variant: variant, objective: .energy, batch: 2, reference: reference)
        let error = try #require(throws: VariantError.self) { try tuner.tune(FidelityConstraint(metric: .top1, floor: 1.5)) }
        #expect("\(error)".contains("out of reach") && !"\(error)".contains("\n"))
        let pwlq = try ArraySelection.parse(["--array", "pwlq", "--rows", "4", "--cols", "4"]).variant()
        #expect(throws: VariantError.self) { try ModelTuner(model: model, corpus: Self.corpus, variant: pwlq, objective: .cycles, reference: reference) }
    }

    @Test func compareRunsTunedEntriesWithTheirHeadline() throws {
        let result = try ModelComparisonTests.compare("ant-tuned-0.93,int-tuned-0.93")
        #expect(result.entries.map(\.entry.name) == ["fp32", "ant-tuned-0.93", "int-tuned-0.93"])
        for row in result.entries.dropFirst() {
            #expect(row.error == nil, "\(row.entry.name): \(row.error ?? "")")
            #expect((row.fidelity?.meanCosine ?? 0) >= 0.93 && row.narrowed != nil)
        }
        let headline = try #require(result.headlines.first { $0.topic == "ant tuned vs int-only tuned" })
        let cycles = Dictionary(uniqueKeysWithValues: result.entries.map { ($0.entry.name, $0.cycles ?? 0) })
        #expect(headline.cyclesRatio == Double(cycles["int-tuned-0.93"]!) / Double(cycles["ant-tuned-0.93"]!))
        #expect(headline.text.contains("2.8×"))
    }
}
