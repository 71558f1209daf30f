/// Every constant of the default energy table, each with its source (docs/performance-model.md
/// §4). `antgen perf --energy-table F` replaces all of them with a file of the same JSON shape.
///
/// Logic: the NanGate FreePDK45 Open Cell Library, typical corner (TypTyp, 1.10 V, 25 °C),
/// file NangateOpenCellLibrary_typical.lib (NGLibraryCharacterizer v2011.01, dated 10 Feb 2011;
/// the file OpenROAD-flow-scripts ships in flow/platforms/nangate45/lib/, read here from the
/// copy in github.com/Max-astro/dp-buffer-insertion at 9969ff5, as the stored ORFS copy was not
/// readable; not byte-compared with ORFS's). Liberty energy units:
/// capacitive_load_unit × voltage² = fF · V² = fJ. Each generic Yosys cell is priced by its X1
/// NanGate cell: the internal energy (`internal_power` of the output pin) at the table point
/// input slew 0.0171859 ns (index_1, third entry) and the load of index_2 nearest 3.7 fF,
/// averaged over every related input pin, `when` condition and rise/fall table, plus
/// ½ · C_load · V² for charging that same load. Internal energy tables describe one output
/// transition, so the sum is the energy of one output transition.
public enum StandardEnergyTable {
    /// Supply voltage of the typical corner (`nom_voltage : 1.10`).
    public static let volts = 1.10

    /// One generic Yosys cell and the liberty values it is priced by.
    public struct CellReading: Sendable, Equatable {
        /// The Yosys cell type (`$_NAND_`, …).
        public let yosysType: String
        /// The NanGate cell(s) it maps to.
        public let nangate: String
        /// The internal-energy values read (fJ), one per related pin, condition and edge.
        public let internalFemtojoules: [Double]
        /// The output load of the table column read (fF); summed over the cells of a pair.
        public let loadFemtofarads: Double
        /// What was read, for the printed table.
        public let reading: String

        /// Mean internal energy per output transition (fJ).
        public var meanInternalFemtojoules: Double {
            internalFemtojoules.reduce(0, +) / Double(internalFemtojoules.count)
        }
        /// Internal energy plus ½ · C_load · V² (fJ per output transition).
        public var transitionFemtojoules: Double {
            meanInternalFemtojoules + 0.5 * loadFemtofarads * volts * volts
        }
    }

    /// The readings, one per generic cell type `antgen synth` counts.
    public static let cells: [CellReading] = [
        CellReading(yosysType: "$_NOT_", nangate: "INV_X1", internalFemtojoules: [-0.000300, 1.897133], loadFemtofarads: 3.795620, reading: "A fall/rise, load 3.795620 fF"),
        CellReading(yosysType: "$_BUF_", nangate: "BUF_X1", internalFemtojoules: [2.912887, 1.792170], loadFemtofarads: 3.790860, reading: "A fall/rise, load 3.790860 fF"),
        CellReading(yosysType: "$_NAND_", nangate: "NAND2_X1", internalFemtojoules: [0.174115, 2.183357, 0.137653, 2.872034],
                    loadFemtofarads: 3.709790, reading: "A1, A2 fall/rise, load 3.709790 fF"),
        CellReading(yosysType: "$_NOR_", nangate: "NOR2_X1", internalFemtojoules: [-0.000519, 2.278708, 0.110211, 3.010954],
                    loadFemtofarads: 3.337860, reading: "A1, A2 fall/rise, load 3.337860 fF (fourth column)"),
        CellReading(yosysType: "$_AND_", nangate: "AND2_X1", internalFemtojoules: [3.047784, 1.955658, 3.396745, 1.937484],
                    loadFemtofarads: 3.786090, reading: "A1, A2 fall/rise, load 3.786090 fF"),
        CellReading(yosysType: "$_OR_", nangate: "OR2_X1", internalFemtojoules: [2.843807, 1.849021, 3.222355, 2.060141],
                    loadFemtofarads: 3.786090, reading: "A1, A2 fall/rise, load 3.786090 fF"),
        CellReading(yosysType: "$_XOR_", nangate: "XOR2_X1",
                    internalFemtojoules: [4.759273, 3.775574, 0.151188, 2.751546, 5.105974, 3.442931, -0.000914, 3.754890],
                    loadFemtofarads: 3.166200, reading: "A (when !B, B), B (when !A, A) fall/rise, load 3.166200 fF (fourth column)"),
        CellReading(yosysType: "$_XNOR_", nangate: "XNOR2_X1",
                    internalFemtojoules: [-0.001895, 2.964104, 4.738108, 3.644980, 0.288307, 3.651960, 5.031412, 3.000219],
                    loadFemtofarads: 3.252020, reading: "A (when !B, B), B (when !A, A) fall/rise, load 3.252020 fF (fourth column)"),
        CellReading(yosysType: "$_MUX_", nangate: "MUX2_X1",
                    internalFemtojoules: [3.488888, 2.541754, 3.489407, 2.541709, 3.765049, 2.202946, 3.764116, 2.203535,
                                          4.793953, 2.261927, 3.062514, 5.057192],
                    loadFemtofarads: 3.781320, reading: "A (when !B&!S, B&!S), B (!A&S, A&S), S (!A&B, A&!B) fall/rise, load 3.781320 fF"),
        // A clock edge that changes Q; the CK-pin energy of a clocked DFF whose Q holds is not
        // counted (the model's ideal clock gating: nothing switches on idle steps).
        CellReading(yosysType: "$_DFF_P_", nangate: "DFF_X1", internalFemtojoules: [4.093420, 4.302735], loadFemtofarads: 3.795620, reading: "Q pin (related CK) fall/rise, load 3.795620 fF"),
        // No NanGate cell computes A & ~B or A | ~B: A & ~B = NOR2(~A, B) and A | ~B = NAND2(~A, B),
        // priced as both cells switching (the inverter's own load is one gate input, so this errs high).
        CellReading(yosysType: "$_ANDNOT_", nangate: "INV_X1 + NOR2_X1",
                    internalFemtojoules: [-0.000300 + -0.000519, 1.897133 + 2.278708, -0.000300 + 0.110211, 1.897133 + 3.010954],
                    loadFemtofarads: 3.795620 + 3.337860, reading: "INV_X1 and NOR2_X1 readings summed"),
        CellReading(yosysType: "$_ORNOT_", nangate: "INV_X1 + NAND2_X1",
                    internalFemtojoules: [-0.000300 + 0.174115, 1.897133 + 2.183357, -0.000300 + 0.137653, 1.897133 + 2.872034],
                    loadFemtofarads: 3.795620 + 3.709790, reading: "INV_X1 and NAND2_X1 readings summed"),
    ]

    /// Memory, from M. Horowitz, "Computing's energy problem (and what we can do about it)",
    /// ISSCC 2014, doi:10.1109/ISSCC.2014.6757323 (45 nm, 0.9 V): a 64-bit SRAM read costs
    /// 10 pJ at 8 KB, 20 pJ at 32 KB and 100 pJ at 1 MB.
    public static let sramReads = [EnergyTable.SramPoint(bytes: 8 << 10, picojoulesPer64Bits: 10),
                                   EnergyTable.SramPoint(bytes: 32 << 10, picojoulesPer64Bits: 20),
                                   EnergyTable.SramPoint(bytes: 1 << 20, picojoulesPer64Bits: 100)]
    /// SRAM writes priced as reads (the paper gives one number per access).
    public static let sramWriteFactor = 1.0
    /// Horowitz's 64-bit DRAM access, 1.3–2.6 nJ: the midpoint.
    public static let dramPicojoulesPer64Bits = 1950.0
    /// Fraction of a PE's cells that switch per reduction step: an assumption, not a
    /// measurement (replace it with a simulation's toggle rate).
    public static let activityFactor = 0.25

    /// The table built from these constants.
    public static let table = EnergyTable(
        source: "logic: NanGate FreePDK45 Open Cell Library, NangateOpenCellLibrary_typical.lib (typical, 1.10 V, 25 C), X1 cells' internal power at 17.19 ps slew and ~3.7 fF load + 1/2 C V^2; memory: Horowitz, ISSCC 2014, doi:10.1109/ISSCC.2014.6757323 (45 nm)",
        logicTechnology: "45 nm (NanGate FreePDK45, typical, 1.10 V)",
        cellTransitionFemtojoules: Dictionary(uniqueKeysWithValues: cells.map { ($0.yosysType, ($0.transitionFemtojoules * 1000).rounded() / 1000) }),
        activityFactor: activityFactor,
        memoryTechnology: "45 nm (Horowitz, ISSCC 2014)",
        sramReads: sramReads, sramWriteFactor: sramWriteFactor, dramPicojoulesPer64Bits: dramPicojoulesPer64Bits,
        cellSources: Dictionary(uniqueKeysWithValues: cells.map { c in
            (c.yosysType, "\(c.nangate): internal \(String(format: "%.3f", c.meanInternalFemtojoules)) fJ (mean of \(c.reading), slew 17.19 ps) + 1/2 C V^2 \(String(format: "%.3f", 0.5 * c.loadFemtofarads * volts * volts)) fJ")
        }))
}
