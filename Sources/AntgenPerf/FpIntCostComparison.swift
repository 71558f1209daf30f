import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSynth

/// The TOPS/mm² and TOPS/W comparison of issue 27 part 4 (docs/fp-on-int.md, "Cost"): the
/// FP-on-INT unit against the "typical mixed-precision" baseline lane, for INT4, INT8, FP16 and
/// BF16, from Yosys cell counts (NAND2 equivalents) and the energy table's cell energies.
///
/// - `baseline`: N ``MixedPrecisionBaselineLane``s, every precision at 1 MAC per lane per cycle on
///   its own unit; all units are paid in area, only the active unit (and the lane's own cells)
///   switches.
/// - `baseline-iso`: the same units, only as many as match fpint's nominal per-precision
///   throughput (N INT4 MACs, N/passes(INT8) INT8 MACs, N/min(passes(FP16), passes(BF16)) FP
///   units; fractional counts), derived from the unit costs, not generated.
/// - `fpint`: the caller's unit, every cell paid in area and switching on every pass; N/passes
///   MACs per cycle.
public struct FpIntCostComparison: Sendable, Equatable, Codable {
    /// The assumptions.
    public let assumptions: CostAssumptions
    /// The baseline lane's blocks.
    public let baselineLane: BaselineLaneBlocks
    /// The fpint units the caller gave (none: only the baseline is priced).
    public let fpint: [FpIntCostSide]
    /// Every design × precision.
    public let rows: [CostRow]
    /// fpint against each baseline (empty without fpint).
    public let ratios: [CostRatio]

    /// The paper's claims (Abdel-Aziz et al., MLSys 2021 abstract): integer and float.
    public static let paperIntegerGains = (area: 0.46, energy: 0.63)
    /// +25 % TFLOPS/mm², +40 % TFLOPS/W.
    public static let paperFloatGains = (area: 0.25, energy: 0.40)

    /// Computes the rows and ratios.
    /// - Throws: ``PerfError`` when an fpint side's lanes differ from the assumptions' or a pass count is missing.
    public init(assumptions a: CostAssumptions, baselineLane lane: BaselineLaneBlocks, fpint: [FpIntCostSide]) throws(PerfError) {
        assumptions = a
        baselineLane = lane
        self.fpint = fpint
        let n = Double(a.lanes)
        var rows: [CostRow] = []
        for p in BaselinePrecision.allCases {
            let unit = lane.unit(p)
            let picojoules = a.activityFactor * (unit.femtojoulesAllCells + lane.glue.femtojoulesAllCells) / 1000
            rows.append(CostRow(design: "baseline", precision: p, macsPerCycle: n, nand2: n * lane.lane.nand2,
                                picojoulesPerMac: picojoules, logicDepth: max(unit.logicDepth, lane.glue.logicDepth), assumptions: a))
        }
        var ratios: [CostRatio] = []
        if let first = fpint.first {
            let isoRows = try Self.isoRows(rows, lane: lane, passes: try Self.passes(first, assumptions: a), assumptions: a)
            var fpintRows: [CostRow] = []
            for side in fpint {
                let passes = try Self.passes(side, assumptions: a)
                let sideRows = zip(BaselinePrecision.allCases, passes).map { p, count in
                    CostRow(design: side.design, precision: p, macsPerCycle: n / count, nand2: side.block.nand2,
                            picojoulesPerMac: a.activityFactor * side.block.femtojoulesAllCells * count / n / 1000,
                            logicDepth: side.block.logicDepth, assumptions: a)
                }
                for (f, baselines) in zip(sideRows, zip(rows, isoRows)) {
                    let claim = f.precision.isFloat ? Self.paperFloatGains : Self.paperIntegerGains
                    for base in [baselines.0, baselines.1] {
                        ratios.append(CostRatio(precision: f.precision, fpint: side.design, baseline: base.design,
                                                areaEfficiencyGain: f.topsPerSquareMillimetre / base.topsPerSquareMillimetre - 1,
                                                energyEfficiencyGain: f.topsPerWatt / base.topsPerWatt - 1,
                                                paperAreaGain: claim.area, paperEnergyGain: claim.energy))
                    }
                }
                fpintRows += sideRows
            }
            rows += isoRows + fpintRows
        }
        self.rows = rows
        self.ratios = ratios
    }
}

extension FpIntCostComparison {
    /// The side's pass counts in ``BaselinePrecision`` order.
    static func passes(_ side: FpIntCostSide, assumptions a: CostAssumptions) throws(PerfError) -> [Double] {
        guard side.lanes == a.lanes else { throw PerfError("the fpint unit has \(side.lanes) lanes, the comparison \(a.lanes)") }
        return try BaselinePrecision.allCases.map { p throws(PerfError) -> Double in
            guard let count = side.passes[p], count >= 1 else { throw PerfError("the fpint unit gives no pass count for \(p.label)") }
            return count
        }
    }

    /// The iso-throughput baseline: N INT4 MACs (and lane logic), N/passes(INT8) INT8 MACs,
    /// N/min(passes(FP16), passes(BF16)) FP units, at fpint's MACs per cycle.
    static func isoRows(_ baseline: [CostRow], lane: BaselineLaneBlocks, passes: [Double], assumptions a: CostAssumptions) throws(PerfError) -> [CostRow] {
        let n = Double(a.lanes)
        let area = n * (lane.int4.nand2 + lane.glue.nand2) + n / passes[1] * lane.int8.nand2 + n / min(passes[2], passes[3]) * lane.float.nand2
        return zip(baseline, passes).map { base, count in
            CostRow(design: "baseline-iso", precision: base.precision, macsPerCycle: n / count, nand2: area,
                    picojoulesPerMac: base.picojoulesPerMac, logicDepth: base.logicDepth, assumptions: a)
        }
    }
}

/// Synthesizes the baseline lane and prices its blocks.
public enum BaselineLaneMeasurement {
    /// Synthesizes ``MixedPrecisionBaselineLane`` once (units kept as modules) and prices the
    /// lane, each unit and the lane's own cells with `table`.
    /// - Throws: ``SynthesisError`` (elaboration, missing tool, tool failure) or ``PerfError``
    ///   (a cell type the table does not price, a unit missing from the report).
    public static func measure(intAccumulatorWidth: Int, synthesizer: Synthesizer, table: EnergyTable) throws -> (BaselineLaneBlocks, SynthesisReport) {
        let lane = MixedPrecisionBaselineLane(intAccumulatorWidth: intAccumulatorWidth)
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try synthesizer.synthesize(try elaborateForSynthesis(lane), parameters: ["acc": "\(intAccumulatorWidth)"], options: options)
        func module(_ circuit: some Circuit, _ label: String) throws -> CostedBlock {
            let name = try elaborateForSynthesis(circuit).top.name
            guard let found = report.modules.first(where: { $0.name == name }) else {
                throw PerfError("the synthesis report of \(report.top) has no module \(name)")
            }
            return try CostedBlock(label: label, cost: found.total, table: table)
        }
        let int4 = try module(BaselineIntMac(bits: 4, accumulatorWidth: intAccumulatorWidth), "INT4 MAC (4x4, \(intAccumulatorWidth)-bit acc)")
        let int8 = try module(BaselineIntMac(bits: 8, accumulatorWidth: intAccumulatorWidth), "INT8 MAC (8x8, \(intAccumulatorWidth)-bit acc)")
        let float = try module(BaselineFloatMac(), "FP16/BF16 unit (11x11, FP32 round + FP32 adder, FP32 acc)")
        guard let top = report.modules.first(where: { $0.name == report.top }) else {
            throw PerfError("the synthesis report of \(report.top) has no top module")
        }
        let whole = try CostedBlock(label: "baseline lane", cost: top.total, table: table)
        let glue = try CostedBlock(label: "lane logic (mode decode, operand isolation)", cost: top.own, table: table)
        return (BaselineLaneBlocks(lane: whole, int4: int4, int8: int8, float: float, glue: glue), report)
    }
}
