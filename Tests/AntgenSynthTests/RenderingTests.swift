import AntgenHardware
import AntgenSynth
import Foundation
import Testing

/// Roll-up arithmetic, the manifest round trip, and the report document and chart.
@Suite struct RenderingTests {
    static func cost(nand: Int, flipFlops: Int, luts: Int) -> ModuleCost {
        ModuleCost(genericCells: CellCounts(["$_NAND_": nand, "$_DFF_P_": flipFlops]),
                   ice40Cells: CellCounts(["SB_LUT4": luts, "SB_DFF": flipFlops]), logicDepth: nand / 10)
    }

    @Test func rollupMultipliesCopiesDownTheHierarchy() {
        let rollup = HierarchyRollup(
            own: ["leaf": Self.cost(nand: 10, flipFlops: 2, luts: 3), "mid": Self.cost(nand: 5, flipFlops: 0, luts: 1),
                  "top": Self.cost(nand: 1, flipFlops: 1, luts: 1)],
            submodules: ["mid": ["leaf": 3], "top": ["mid": 2, "leaf": 1]], order: ["leaf", "mid", "top"])
        let totals = rollup.totals()
        #expect(totals["mid"]!.gates == 5 + 3 * 10)
        #expect(totals["top"]!.gates == 1 + 2 * 35 + 10)
        #expect(totals["top"]!.flipFlops == 1 + 2 * 6 + 2)
        #expect(totals["top"]!.nand2Equivalent == Double(81) + 5.67 * 15)
        #expect(totals["top"]!.logicDepth == 1)
        #expect(rollup.instancesInDesign == ["top": 1, "mid": 2, "leaf": 7])
        let swapped = rollup.totals(substituting: ["leaf": Self.cost(nand: 1, flipFlops: 0, luts: 1)])
        #expect(swapped["top"]!.gates == 1 + 2 * (5 + 3) + 1)
    }

    @Test func manifestRoundTripsTheParameters() throws {
        let parameters = try ArrayParameters(rows: 3, cols: 5, codeWidth: 4, activationTypes: [.int, .pot], weightTypes: [.flint],
                                             accumulatorWidth: 24, int8: true, maxReduction: 100)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-synth-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let design = try elaborateForSynthesis(AntArray(parameters))
        let url = try ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: "test")
            .write(to: folder)
        #expect(try ArrayParameters(manifestAt: url) == parameters)
        #expect(throws: ParameterError.self) { try ArrayParameters(manifestAt: folder.appendingPathComponent("missing.json")) }
    }

    static func result() -> CostComparisonResult {
        let int4 = MeasuredBlock(label: CostComparison.int4PELabel, module: "Int4", cost: cost(nand: 100, flipFlops: 10, luts: 40))
        let antPE = MeasuredBlock(label: CostComparison.antPELabel, module: "Ant", cost: cost(nand: 200, flipFlops: 12, luts: 90))
        let decoder = MeasuredBlock(label: "flint decoder", module: "Flint", cost: cost(nand: 20, flipFlops: 0, luts: 5))
        func array(_ size: Int, _ pe: ModuleCost, decoders: Double) -> ArrayMeasurement {
            let total = ModuleCost.empty.adding(pe, times: size * size)
            return ArrayMeasurement(cost: total, decoderNand2: decoders, decoderCount: 2 * size,
                                    peNand2: total.nand2Equivalent - decoders)
        }
        let arrays = [4, 8].map { size in
            ArrayPair(size: size, intOnly: array(size, int4.cost, decoders: 10), ant: array(size, antPE.cost, decoders: 400 / Double(size)),
                      intOnlyWithInt4PE: ModuleCost.empty.adding(int4.cost, times: size * size))
        }
        return CostComparisonResult(yosysVersion: "Yosys 0.23 (git sha1 7ce5011c24b)", accumulatorWidth: 32,
                                    processingElements: [int4, int4, int4, int4, antPE], decoders: [decoder],
                                    arrays: arrays, frequencies: [])
    }

    @Test func documentStatesRatiosCommandAndVersion() {
        let text = CostReportDocument(result: Self.result(), command: "antgen synth --compare", chartFile: "hardware-cost.svg").markdown
        #expect(text.contains("`antgen synth --compare`"))
        #expect(text.contains("Yosys 0.23 (git sha1 7ce5011c24b)"))
        // 200 NAND + 12 FF against 100 NAND + 10 FF; 90 against 40 LUTs.
        let ratio = String(format: "%.2f×", (200 + 12 * 5.67) / (100 + 10 * 5.67))
        #expect(text.contains("ANT PE / int4 PE = \(ratio) in NAND2 equivalents"))
        #expect(text.contains("2.25× in iCE40 LUT4s"))
        #expect(text.contains("**The ANT PE is more than 1.5× the int4 PE in"))
        #expect(text.contains("falls from"))
        #expect(text.contains("](hardware-cost.svg)"))
    }

    @Test func theFpgaSectionSurvivesRegeneration() throws {
        let kept = CostReportDocument.keptSectionMarker + "\n## FPGA fit\n\n| 8×8 | fits |\n"
        let old = "# Hardware cost\n\nold tables\n\n" + kept
        #expect(CostReportDocument.keptSection(of: old) == kept)
        #expect(CostReportDocument.keptSection(of: "# Hardware cost\n\nno section\n") == nil)
        let text = CostReportDocument(result: Self.result(), command: "antgen synth --compare", chartFile: "hardware-cost.svg",
                                      keptSection: CostReportDocument.keptSection(of: old)).markdown
        #expect(text.hasSuffix("\n" + kept))
        #expect(!text.contains("old tables"))
    }

    @Test func chartIsDeterministicSVGWithOneBarPerBlock() {
        let chart = Self.result().chart
        let svg = chart.svg
        #expect(svg == Self.result().chart.svg)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        // PEs deduplicated by module (2), one decoder, 2 sizes × 2 arrays.
        #expect(chart.sections.map(\.bars.count) == [2, 1, 4])
        #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + 2 + 1 + 4 * 2 + 2)
        #expect(CostBarChart.init(title: "a<b", sections: [], legend: []).svg.contains("a&lt;b"))
    }
}
