/// The synthesized cost of one module (its own logic, or the module with everything
/// below it): generic gates, flip-flops, NAND2 equivalents, logic depth and iCE40 cells.
public struct ModuleCost: Sendable, Equatable, Codable {
    /// Generic-flow cells by type (gates of ``GateLibrary``, `$_NOT_`, `$_DFF_P_`).
    public let genericCells: CellCounts
    /// Combinational gates (generic cells that are not flip-flops).
    public let gates: Int
    /// Flip-flops (register bits).
    public let flipFlops: Int
    /// Estimated area in 2-input NAND gates (``GateLibrary/nand2Weights``).
    public let nand2Equivalent: Double
    /// Generic cells without a NAND2 weight (0 with the fixed flow).
    public let unweightedCells: Int
    /// Longest combinational path in generic cells, cut at flip-flops and ports.
    public let logicDepth: Int
    /// `synth_ice40` cells by type.
    public let ice40Cells: CellCounts
    /// iCE40 4-input LUTs (`SB_LUT4`).
    public let lut4: Int
    /// iCE40 carry cells (`SB_CARRY`).
    public let carry: Int
    /// iCE40 flip-flops (`SB_DFF*`).
    public let ice40FlipFlops: Int

    /// Derives the summary numbers from the two flows' cell counts.
    public init(genericCells: CellCounts, ice40Cells: CellCounts, logicDepth: Int) {
        self.genericCells = genericCells
        flipFlops = genericCells.count(where: GateLibrary.isFlipFlop)
        gates = genericCells.total - flipFlops
        let area = GateLibrary.nand2Equivalent(genericCells)
        nand2Equivalent = area.area
        unweightedCells = area.unweighted
        self.logicDepth = logicDepth
        self.ice40Cells = ice40Cells
        lut4 = ice40Cells["SB_LUT4"]
        carry = ice40Cells["SB_CARRY"]
        ice40FlipFlops = ice40Cells.count(where: GateLibrary.isICE40FlipFlop)
    }

    /// No cells at all.
    public static let empty = ModuleCost(genericCells: CellCounts(), ice40Cells: CellCounts(), logicDepth: 0)

    /// This cost plus `times` instances of `other`; the depth is the larger of the two
    /// (module boundaries here are register-bounded, see ``YosysScript/generic``).
    public func adding(_ other: ModuleCost, times: Int) -> ModuleCost {
        ModuleCost(genericCells: genericCells.adding(other.genericCells, times: times),
                   ice40Cells: ice40Cells.adding(other.ice40Cells, times: times),
                   logicDepth: times > 0 ? max(logicDepth, other.logicDepth) : logicDepth)
    }
}
