import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenPerf
import AntgenSynth
import Foundation
import Testing

/// The FP-on-INT cost comparison (issue 27 part 4): its arithmetic on hand-made blocks (every
/// expected number worked by hand), and the pricing of a synthesized block against a hand count
/// of a tiny module's cells.
@Suite("FP-on-INT cost comparison")
struct FpIntCostTests {
    static let assumptions = CostAssumptions(lanes: 4, clockGigahertz: 1, nand2SquareMicrons: 1, activityFactor: 0.5, opsPerMac: 2,
                                             secondWindowRate: 0)

    static func block(_ nand2: Double, _ femtojoules: Double) -> CostedBlock {
        CostedBlock(label: "b", nand2: nand2, femtojoulesAllCells: femtojoules, flipFlops: 0, logicDepth: 1)
    }

    static let lane = BaselineLaneBlocks(lane: block(1320, 5240), int4: block(100, 400), int8: block(200, 800),
                                         float: block(1000, 4000), glue: block(20, 40))
    static let fpint = FpIntCostSide(design: "fpint", block: block(2000, 6000), lanes: 4, passes: FpIntCostSide.nominalPasses(secondWindowRate: 0))

    func row(_ c: FpIntCostComparison, _ design: String, _ p: BaselinePrecision) throws -> CostRow {
        try #require(c.rows.first { $0.design == design && $0.precision == p })
    }

    func ratio(_ c: FpIntCostComparison, _ baseline: String, _ p: BaselinePrecision) throws -> CostRatio {
        try #require(c.ratios.first { $0.baseline == baseline && $0.precision == p && $0.fpint == "fpint" })
    }

    @Test("baseline rows: N lanes of the whole lane in area, the active unit and lane logic in energy")
    func baselineRows() throws {
        let c = try FpIntCostComparison(assumptions: Self.assumptions, baselineLane: Self.lane, fpint: [])
        #expect(c.rows.count == 4 && c.ratios.isEmpty)
        let int4 = try row(c, "baseline", .int4)
        #expect(int4.macsPerCycle == 4 && int4.nand2 == 5280)
        // 0.5 · (400 + 40) fJ = 0.22 pJ; 2 ops · 4 MACs · 1 GHz / 5280 µm² = 1.51515… TOPS/mm².
        #expect(abs(int4.picojoulesPerMac - 0.22) < 1e-12)
        #expect(abs(int4.topsPerSquareMillimetre - 8.0 / 5.28) < 1e-9)
        #expect(abs(int4.topsPerWatt - 2 / 0.22) < 1e-9)
        #expect(abs(try row(c, "baseline", .fp16).picojoulesPerMac - 2.02) < 1e-12)
        #expect(try row(c, "baseline", .bf16) == (try row(c, "baseline", .fp16)).with(precision: .bf16))
    }

    @Test("fpint rows and the ratios, worked by hand")
    func fpintRatios() throws {
        let c = try FpIntCostComparison(assumptions: Self.assumptions, baselineLane: Self.lane, fpint: [Self.fpint])
        #expect(c.rows.count == 12 && c.ratios.count == 8)
        let fp16 = try row(c, "fpint", .fp16)
        // 4 lanes / 9 passes; 0.5 · 6000 fJ · 9 / 4 = 6.75 pJ per MAC.
        #expect(abs(fp16.macsPerCycle - 4.0 / 9) < 1e-12)
        #expect(abs(fp16.picojoulesPerMac - 6.75) < 1e-12)
        // INT4: area 2000 against 5280 → +164 %; energy 0.75 pJ against 0.22 → 0.22/0.75 − 1.
        let int4 = try ratio(c, "baseline", .int4)
        #expect(abs(int4.areaEfficiencyGain - 1.64) < 1e-9)
        #expect(abs(int4.energyEfficiencyGain - (0.22 / 0.75 - 1)) < 1e-9)
        #expect(int4.paperAreaGain == 0.46 && int4.paperEnergyGain == 0.63)
        // FP16: (4/9)/2000 against 4/5280 → 5280/18000 − 1; energy 2.02/6.75 − 1.
        let f = try ratio(c, "baseline", .fp16)
        #expect(abs(f.areaEfficiencyGain - (5280.0 / 18000 - 1)) < 1e-9)
        #expect(abs(f.energyEfficiencyGain - (2.02 / 6.75 - 1)) < 1e-9)
        #expect(f.paperAreaGain == 0.25 && f.paperEnergyGain == 0.40)
        // Iso-throughput baseline: 4 · (100 + 20) + 4/4 · 200 + 4/min(9, 4) · 1000 = 1680 at fpint's rates.
        #expect(try row(c, "baseline-iso", .int8).nand2 == 1680)
        for p in BaselinePrecision.allCases {
            #expect(abs(try ratio(c, "baseline-iso", p).areaEfficiencyGain - (1680.0 / 2000 - 1)) < 1e-9)
        }
    }

    @Test("the JSON names precisions by label and reads back equal")
    func jsonRoundTrip() throws {
        let c = try FpIntCostComparison(assumptions: Self.assumptions, baselineLane: Self.lane, fpint: [Self.fpint])
        let text = try c.jsonText()
        #expect(text.contains("\"fp16\" : 9") && text.contains("\"precision\" : \"bf16\""))
        let back = try JSONDecoder().decode(FpIntCostComparison.self, from: Data(text.utf8))
        #expect(back == c)
    }

    @Test("a missing pass count or a lane mismatch is one line")
    func badFpintSide() {
        let noBf16 = FpIntCostSide(design: "fpint", block: Self.block(1, 1), lanes: 4, passes: [.int4: 1, .int8: 4, .fp16: 9])
        #expect(throws: PerfError("the fpint unit gives no pass count for bf16")) {
            try FpIntCostComparison(assumptions: Self.assumptions, baselineLane: Self.lane, fpint: [noBf16])
        }
        let eight = FpIntCostSide(design: "fpint", block: Self.block(1, 1), lanes: 8, passes: FpIntCostSide.nominalPasses(secondWindowRate: 0))
        #expect(throws: PerfError("the fpint unit has 8 lanes, the comparison 4")) {
            try FpIntCostComparison(assumptions: Self.assumptions, baselineLane: Self.lane, fpint: [eight])
        }
    }

    /// q ← a XOR b, 4 bits: by hand 4 XOR2 and 4 D flip-flops.
    struct XorRegister: Circuit {
        var name: String { "XorRegister" }
        var parameters: [Parameter] { [] }
        struct Ports: PortSpec {
            let a = Port.input(.uint(4))
            let b = Port.input(.uint(4))
            let q = Port.output(.uint(4))
        }
        var ports: Ports { Ports() }
        func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
            io.q.assign(m.register("q_r", next: io.a ^ io.b))
        }
    }

    @Test("a synthesized tiny module is priced from its hand-counted cells")
    func tinyModule() throws {
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try Synthesizer().synthesize(try elaborateForSynthesis(XorRegister()), options: options)
        #expect(report.design.genericCells.byType == ["$_XOR_": 4, "$_DFF_P_": 4])
        let table = EnergyTable.standard
        let priced = try CostedBlock(label: "x", cost: report.design, table: table)
        #expect(abs(priced.nand2 - (4 * 2.0 + 4 * 5.67)) < 1e-9)
        let want = 4 * table.cellTransitionFemtojoules["$_XOR_"]! + 4 * table.cellTransitionFemtojoules["$_DFF_P_"]!
        #expect(abs(priced.femtojoulesAllCells - want) < 1e-9)
        #expect(priced.flipFlops == 4)
    }
}

extension CostRow {
    /// The same row under another precision label (for comparing the shared FP unit's rows).
    func with(precision: BaselinePrecision) -> CostRow {
        CostRow(design: design, precision: precision, macsPerCycle: macsPerCycle, nand2: nand2, picojoulesPerMac: picojoulesPerMac,
                logicDepth: logicDepth, assumptions: FpIntCostTests.assumptions)
    }
}
