import AntgenSynth

/// The synthesized cells of one array build that the energy model prices: one PE's cells
/// (paid per PE per reduction step) and the rest of the array (boundary decoders, input
/// stage, skew and deskew registers, output counter; paid per busy cycle), by Yosys cell type.
public struct ArrayCells: Sendable, Equatable, Codable {
    /// PE rows and columns of the synthesized build.
    public let rows: Int, cols: Int
    /// One PE's cells.
    public let processingElement: [String: Int]
    /// Every other cell of the array.
    public let rest: [String: Int]

    /// Creates the counts.
    public init(rows: Int, cols: Int, processingElement: [String: Int], rest: [String: Int]) {
        self.rows = rows
        self.cols = cols
        self.processingElement = processingElement
        self.rest = rest
    }

    /// The PE generators of the arrays: `AntArray`'s, `WsArray`'s, `SdpArray`'s, `PwlqArray`'s and `MxArray`'s.
    public static let processingElementGenerators = ["ProcessingElement", "WsProcessingElement", "SdpProcessingElement", "PwlqProcessingElement",
                                                     "MxProcessingElement"]

    /// The counts of an `antgen synth` report of an `AntArray`, `WsArray`, `SdpArray`, `PwlqArray` or `MxArray` build
    /// (its `--json` file, or the synthesizer's result): the PE module (one of
    /// ``processingElementGenerators``) and the design minus its rows × cols copies.
    /// - Throws: ``PerfError`` when the report has no PE or does not say its size.
    public init(report: SynthesisReport) throws(PerfError) {
        guard let pe = report.modules.first(where: { Self.processingElementGenerators.contains($0.generator) }) else {
            throw PerfError("the synthesis report of \(report.top) has no ProcessingElement module (is it an antgen array?)")
        }
        guard let rows = report.parameters["rows"].flatMap({ Int($0) }), let cols = report.parameters["cols"].flatMap({ Int($0) }) else {
            throw PerfError("the synthesis report of \(report.top) does not give the array's rows and cols")
        }
        let peCells = pe.total.genericCells.byType
        var rest = report.design.genericCells.byType
        for (type, count) in peCells { rest[type, default: 0] -= count * rows * cols }
        guard rest.values.allSatisfy({ $0 >= 0 }) else {
            throw PerfError("the synthesis report of \(report.top) holds fewer cells than its \(rows)x\(cols) PEs")
        }
        self.init(rows: rows, cols: cols, processingElement: peCells, rest: rest.filter { $0.value > 0 })
    }

    /// Femtojoules when every cell of `cells` switches once, by `table`.
    /// - Throws: ``PerfError`` naming a cell type the table does not price.
    static func transitionEnergy(_ cells: [String: Int], table: EnergyTable) throws(PerfError) -> Double {
        var sum = 0.0
        for (type, count) in cells.sorted(by: { $0.key < $1.key }) {
            guard let e = table.cellTransitionFemtojoules[type] else {
                throw PerfError("the energy table has no energy for Yosys cell type \(type) (\(count) in the design)")
            }
            sum += e * Double(count)
        }
        return sum
    }
}
