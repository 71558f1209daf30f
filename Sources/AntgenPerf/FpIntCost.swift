import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSynth

/// One synthesized block priced for the FP-on-INT comparison (issue 27 part 4).
public struct CostedBlock: Sendable, Equatable, Codable {
    /// What it is.
    public let label: String
    /// Area in NAND2 equivalents (``GateLibrary/nand2Weights``).
    public let nand2: Double
    /// Femtojoules when every cell switches once (``EnergyTable/cellTransitionFemtojoules``).
    public let femtojoulesAllCells: Double
    /// Register bits.
    public let flipFlops: Int
    /// Longest combinational path in generic cells (a timing proxy).
    public let logicDepth: Int

    /// Prices `cost`'s generic cells with `table`.
    /// - Throws: ``PerfError`` for a cell type the table does not price.
    public init(label: String, cost: ModuleCost, table: EnergyTable) throws(PerfError) {
        self.init(label: label, nand2: cost.nand2Equivalent,
                  femtojoulesAllCells: try ArrayCells.transitionEnergy(cost.genericCells.byType, table: table),
                  flipFlops: cost.flipFlops, logicDepth: cost.logicDepth)
    }

    /// Creates a block from its numbers.
    public init(label: String, nand2: Double, femtojoulesAllCells: Double, flipFlops: Int, logicDepth: Int) {
        self.label = label
        self.nand2 = nand2
        self.femtojoulesAllCells = femtojoulesAllCells
        self.flipFlops = flipFlops
        self.logicDepth = logicDepth
    }
}

/// The baseline lane's blocks: the whole lane, its three dedicated units, and the lane's own
/// cells (mode decode and operand isolation).
public struct BaselineLaneBlocks: Sendable, Equatable, Codable {
    /// The whole lane.
    public let lane: CostedBlock
    /// The INT4 MAC, the INT8 MAC and the FP16/BF16 unit, each with its accumulator.
    public let int4: CostedBlock, int8: CostedBlock, float: CostedBlock
    /// The lane minus its units.
    public let glue: CostedBlock

    /// Creates the blocks.
    public init(lane: CostedBlock, int4: CostedBlock, int8: CostedBlock, float: CostedBlock, glue: CostedBlock) {
        self.lane = lane
        self.int4 = int4
        self.int8 = int8
        self.float = float
        self.glue = glue
    }

    /// The unit that runs `precision`.
    public func unit(_ precision: BaselinePrecision) -> CostedBlock {
        switch precision { case .int4: int4; case .int8: int8; case .fp16, .bf16: float }
    }
}

/// The FP-on-INT unit as the caller measured it: its synthesized block and its pass schedule.
public struct FpIntCostSide: Sendable, Equatable, Codable {
    /// Its name in the table (`fpint`, `fpint-pe`).
    public let design: String
    /// The unit (all N lanes, adder tree, shifters, accumulators; what else, its label says).
    public let block: CostedBlock
    /// Lanes N (products per pass).
    public let lanes: Int
    /// Passes per group (N products) for each precision, window-2 passes included as an
    /// average when the caller charges them.
    public let passes: [BaselinePrecision: Double]

    /// Creates the side.
    public init(design: String, block: CostedBlock, lanes: Int, passes: [BaselinePrecision: Double]) {
        self.design = design
        self.block = block
        self.lanes = lanes
        self.passes = passes
    }

    /// The hardware's schedule (``FpIntPrecision/passesPerWindow``: INT4 1, INT8 4, FP16 9,
    /// BF16 4), each float pass count times (1 + `secondWindowRate`), the fraction of groups
    /// that need window 2.
    public static func nominalPasses(secondWindowRate: Double) -> [BaselinePrecision: Double] {
        var passes: [BaselinePrecision: Double] = [:]
        for p in BaselinePrecision.allCases {
            let perWindow = Double(FpIntPrecision(rawValue: p.label)!.passesPerWindow)
            passes[p] = p.isFloat ? perWindow * (1 + secondWindowRate) : perWindow
        }
        return passes
    }
}

/// The stated assumptions of the comparison (docs/fp-on-int.md, "Cost").
public struct CostAssumptions: Sendable, Equatable, Codable {
    /// Lanes N of both designs: the same peak (INT4) throughput, N MACs per cycle.
    public let lanes: Int
    /// The clock of both designs (GHz); only the absolute TOPS/mm² depend on it.
    public let clockGigahertz: Double
    /// Area of one NAND2 equivalent (µm²): NanGate 45 nm NAND2_X1, no placement overhead.
    public let nand2SquareMicrons: Double
    /// Fraction of a block's cells that switch per cycle (the energy table's).
    public let activityFactor: Double
    /// Operations per multiply–accumulate.
    public let opsPerMac: Double
    /// Fraction of FP groups that need the FP-on-INT unit's second window.
    public let secondWindowRate: Double

    /// Creates the assumptions.
    public init(lanes: Int, clockGigahertz: Double, nand2SquareMicrons: Double, activityFactor: Double, opsPerMac: Double,
                secondWindowRate: Double) {
        self.lanes = lanes
        self.clockGigahertz = clockGigahertz
        self.nand2SquareMicrons = nand2SquareMicrons
        self.activityFactor = activityFactor
        self.opsPerMac = opsPerMac
        self.secondWindowRate = secondWindowRate
    }
}

/// One design at one precision.
public struct CostRow: Sendable, Equatable, Codable {
    /// `baseline`, `baseline-iso` or an fpint side's name.
    public let design: String
    /// The precision.
    public let precision: BaselinePrecision
    /// MACs per cycle (all lanes).
    public let macsPerCycle: Double
    /// Area (NAND2 equivalents).
    public let nand2: Double
    /// Energy per MAC (pJ): activity × switched cells' energy per cycle ÷ MACs per cycle.
    public let picojoulesPerMac: Double
    /// opsPerMac · MACs/cycle · clock ÷ area.
    public let topsPerSquareMillimetre: Double
    /// opsPerMac ÷ energy per MAC (1 op/pJ = 1 TOPS/W).
    public let topsPerWatt: Double
    /// Longest combinational path of the block that runs it (generic cells).
    public let logicDepth: Int

    /// Creates a row from MACs/cycle, area and energy per MAC under `assumptions`.
    public init(design: String, precision: BaselinePrecision, macsPerCycle: Double, nand2: Double, picojoulesPerMac: Double,
                logicDepth: Int, assumptions a: CostAssumptions) {
        self.design = design
        self.precision = precision
        self.macsPerCycle = macsPerCycle
        self.nand2 = nand2
        self.picojoulesPerMac = picojoulesPerMac
        // ops/s = opsPerMac · MACs · f · 1e9; mm² = nand2 · µm² · 1e-6; TOPS = ops/s · 1e-12.
        topsPerSquareMillimetre = a.opsPerMac * macsPerCycle * a.clockGigahertz * 1e-3 / (nand2 * a.nand2SquareMicrons * 1e-6)
        topsPerWatt = a.opsPerMac / picojoulesPerMac
        self.logicDepth = logicDepth
    }
}

/// fpint against a baseline at one precision: fpint ÷ baseline − 1, next to the paper's claim.
public struct CostRatio: Sendable, Equatable, Codable {
    /// The precision.
    public let precision: BaselinePrecision
    /// The fpint side (its design name).
    public let fpint: String
    /// The baseline compared against (`baseline` or `baseline-iso`).
    public let baseline: String
    /// TOPS/mm² gain of fpint (0.46 = +46 %).
    public let areaEfficiencyGain: Double
    /// TOPS/W gain of fpint.
    public let energyEfficiencyGain: Double
    /// The paper's "up to" gains for this precision class: +46 % / +63 % (integer), +25 % / +40 % (float).
    public let paperAreaGain: Double, paperEnergyGain: Double
}
