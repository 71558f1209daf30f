import AntgenArrays
import AntgenModel
import AntgenPerf
import AntgenSynth
import Foundation
import Testing

/// `antgen compare`'s library on a tiny generated BERT (TinyBert.swift, shared with
/// AntgenModelTests): FP32 once, a few array entries, the table, JSON, charts and headlines.
@Suite struct ModelComparisonTests {
    static let corpus = ["the cat sat on the mat .", "hello world !", "a dog ran .", "the dog sat on a cat ?", "unaffable cafe"]

    static func compare(_ names: String) throws -> ModelComparisonResult {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let model = try BertModel.load(folder: tiny.folder)
        return try ModelComparison.run(model: model, corpus: corpus, entries: try ComparisonEntry.select(names),
                                       settings: ComparisonSettings(rows: 4, cols: 4, batch: 2))
    }

    @Test func entriesRunAndTheFiguresAgree() throws {
        let result = try Self.compare("ant-a8w8,int-a8w8,int-a4w4")
        #expect(result.entries.map(\.entry.name) == ["fp32", "ant-a8w8", "int-a4w4", "int-a8w8"])
        let fp32 = try #require(result.entries.first)
        #expect(fp32.fidelity?.meanCosine ?? 0 > 0.999999 && fp32.fidelity?.top1Agreement == 1)
        #expect(fp32.cycles == nil)
        // linear weights of the tiny model: 2 layers × (4·8·8 + 2·8·16) = 1024, at 32 bits
        #expect(fp32.weightBits == 32 * 1024)
        for row in result.entries.dropFirst() {
            #expect(row.error == nil, "\(row.entry.name): \(row.error ?? "")")
            #expect((row.cycles ?? 0) > 0 && (row.energyPJ ?? 0) > 0 && row.areaNand2 == nil && row.pesPriced == false)
            #expect((row.fidelity?.meanCosine ?? 0) > 0.5 && (row.fidelity?.meanCosine ?? 2) <= 1.000001)
        }
        let bits = Dictionary(uniqueKeysWithValues: result.entries.map { ($0.entry.name, $0.weightBits ?? 0) })
        #expect(bits["int-a4w4"] == 4 * 1024 && bits["int-a8w8"] == 8 * 1024)
        // int8 runs closer to FP32 than int4
        let cos = Dictionary(uniqueKeysWithValues: result.entries.map { ($0.entry.name, $0.fidelity?.meanCosine ?? 0) })
        #expect(cos["int-a8w8"]! > cos["int-a4w4"]!)
    }

    @Test func outputsAreConsistentWithTheRows() throws {
        let result = try Self.compare("ant-a8w8,int-a8w8")
        let json = try JSONSerialization.jsonObject(with: try result.jsonData()) as? [String: Any]
        let rows = try #require((json?["comparison"] as? [String: Any])?["entries"] as? [[String: Any]])
        #expect(rows.count == 3)
        func cycles(_ name: String) -> Double? { rows.first { ($0["entry"] as? [String: Any])?["name"] as? String == name }?["cycles"] as? Double }
        let headlines = try #require(json?["headlines"] as? [[String: Any]])
        // the ANT-vs-int ratio at the lowest floor both meet, recomputed from the JSON rows
        let floors = headlines.filter { $0["topic"] as? String == "ant vs int-only mixed precision" && $0["cyclesRatio"] != nil }
        #expect(!floors.isEmpty)
        for h in floors {
            let expected = try #require(cycles(h["baseline"] as! String)) / (try #require(cycles(h["candidate"] as! String)))
            #expect(abs((h["cyclesRatio"] as! Double) - expected) < 1e-12)
        }
        #expect(headlines.contains { ($0["text"] as? String)?.hasPrefix("SDP vs DRQ: not expressible") == true })
        let md = result.markdown
        #expect(md.contains("| fp32 |") && md.contains("| ant-a8w8 |") && md.contains("--no-synth"))
        let charts = result.charts
        #expect(charts.map(\.name) == ["energy", "cycles"])  // no area chart without synthesis
        for chart in charts {
            #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(chart.svg.contains("<title>ant-a8w8</title>") && chart.svg.contains("<title>int-a8w8</title>"))
            #expect(!chart.svg.contains("<title>fp32</title>"))
        }
        #expect(try Self.compare("ant-a8w8,int-a8w8").charts.map(\.svg) == charts.map(\.svg))
    }

    /// Area with synthesis on a 2×2 array: equal to the NAND2 equivalent of the same array
    /// synthesized independently through the synth API; priced at 2×2 for a 4×4 array, the
    /// per-PE scaling makes it exactly 4× that (every cell count × 4).
    @Test func areaIsTheSynthesizedArrays() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("compare-area-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let model = try BertModel.load(folder: tiny.folder)
        let cells: @Sendable (any ArrayVariant) throws -> ArrayCells = { try $0.perfCells(synthesizer: Synthesizer(), cacheRoot: cache) }
        let entries = try ComparisonEntry.select("int-a8w8,int-tuned-0.95")
        let small = try ModelComparison.run(model: model, corpus: Self.corpus, entries: entries,
                                            settings: ComparisonSettings(rows: 2, cols: 2, batch: 2, cells: cells))
        var options = SynthesisOptions()
        options.ice40 = false
        let variant = try ArraySelection.parse(["--array", "ant", "--types", "int", "--rows", "2", "--cols", "2"]).variant()
        let report = try Synthesizer().synthesize(try variant.elaborateForSynthesis(), parameters: variant.synthesisFields, options: options)
        let expected = report.design.nand2Equivalent
        #expect(expected > 0)
        for row in small.entries.dropFirst() {
            #expect(row.error == nil, "\(row.entry.name): \(row.error ?? "")")
            #expect(abs((row.areaNand2 ?? 0) - expected) <= 1e-9 * expected, "\(row.entry.name): \(row.areaNand2 ?? 0) vs \(expected)")
            #expect(row.pesPriced == true)
        }
        #expect(small.markdown.contains("| area (NAND2-eq) |") && small.charts.map(\.name) == ["energy", "cycles", "area"])
        var settings = ComparisonSettings(rows: 4, cols: 4, batch: 2, cells: cells)
        settings.synthesisSize = (2, 2)
        let scaled = try ModelComparison.run(model: model, corpus: Self.corpus, entries: try ComparisonEntry.select("int-a8w8"), settings: settings)
        let row = try #require(scaled.entries.last)
        #expect(abs((row.areaNand2 ?? 0) - 4 * expected) <= 1e-9 * expected && (row.energyPJ ?? 0) > 0)
        #expect(scaled.synthesizedAt == "2x2" && scaled.markdown.contains("synth 2x2, per-PE scaled"))
    }

    @Test func unknownEntryIsOneLine() {
        #expect(throws: VariantError.self) { try ComparisonEntry.select("ant-a2w2") }
    }
}
