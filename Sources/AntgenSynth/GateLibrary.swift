/// The fixed generic gate library of the `abc -g` mapping and the NAND2-equivalent
/// weights used to turn its cell counts into one area estimate.
///
/// Every flip-flop is first legalised to a plain positive-edge D flip-flop
/// (`dfflegalize -cell $_DFF_P_ x`), so enables and synchronous resets appear as gates
/// and the netlist holds only the gates below, `$_NOT_` (ABC always allows inverters)
/// and `$_DFF_P_`.
///
/// The weights are cell areas relative to a 2-input NAND, rounded from the X1 cells of
/// the open NanGate 45 nm library (INV 0.532 µm², NAND2/NOR2 0.798, AND2/OR2 1.064,
/// XOR2/XNOR2 1.596, MUX2 1.862, DFF 4.522): an estimate for comparing designs with
/// one another, not a sign-off area.
public enum GateLibrary {
    /// The gate types passed to `abc -g`.
    public static let abcGates = ["AND", "NAND", "OR", "NOR", "XOR", "XNOR", "MUX"]

    /// The positive-edge D flip-flop every register is legalised to.
    public static let flipFlopCell = "$_DFF_P_"

    /// NAND2-equivalent area of each generic cell type.
    public static let nand2Weights: [String: Double] = [
        "$_NOT_": 0.67, "$_BUF_": 0.67,
        "$_NAND_": 1.0, "$_NOR_": 1.0,
        "$_AND_": 1.33, "$_OR_": 1.33, "$_ANDNOT_": 1.33, "$_ORNOT_": 1.33,
        "$_XOR_": 2.0, "$_XNOR_": 2.0,
        "$_MUX_": 2.33,
        "$_DFF_P_": 5.67,
    ]

    /// True for Yosys's generic flip-flop and latch cells (`$_DFF_P_`, `$_SDFFE_PP0P_`, …).
    public static func isFlipFlop(_ type: String) -> Bool {
        ["$_DFF", "$_SDFF", "$_ALDFF", "$_DLATCH", "$_SR_"].contains { type.hasPrefix($0) }
    }

    /// NAND2-equivalent area of `cells`, and how many cells had no weight (0 for the
    /// fixed flow; a different Yosys could introduce other types, which are then
    /// counted here instead of being guessed).
    public static func nand2Equivalent(_ cells: CellCounts) -> (area: Double, unweighted: Int) {
        var area = 0.0
        var unweighted = 0
        // Sorted, so the floating-point sum is the same in every run.
        for (type, count) in cells.byType.sorted(by: { $0.key < $1.key }) {
            if let weight = nand2Weights[type] {
                area += weight * Double(count)
            } else {
                unweighted += count
            }
        }
        return (area, unweighted)
    }

    /// True for the ice40 flip-flop primitives (`SB_DFF`, `SB_DFFESR`, …).
    public static func isICE40FlipFlop(_ type: String) -> Bool { type.hasPrefix("SB_DFF") }
}
