import Foundation

/// The terminal table of a ``SynthesisReport``: one row per reported module (one copy,
/// everything below it included) and a row for the whole design.
public struct SynthesisTable: Sendable {
    /// The report shown.
    public let report: SynthesisReport
    /// Also list the cell counts by type of every module (the whole design's are always listed).
    public let cellsPerModule: Bool

    /// Creates the table.
    public init(report: SynthesisReport, cellsPerModule: Bool = false) {
        self.report = report
        self.cellsPerModule = cellsPerModule
    }

    /// `label: $_AND_ 736, $_NAND_ 1199, …` for the generic gates and the iCE40 cells.
    static func cellLines(_ label: String, _ c: ModuleCost) -> [String] {
        func list(_ counts: CellCounts) -> String {
            counts.byType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        return ["\(label) generic cells: " + list(c.genericCells), "\(label) iCE40 cells:   " + list(c.ice40Cells)]
    }

    /// Column headings.
    static let headings = ["module", "copies", "gates", "FFs", "NAND2 eq", "depth", "LUT4", "carry", "iCE40 FFs"]

    /// One row's cells.
    static func cells(_ name: String, copies: String, _ c: ModuleCost) -> [String] {
        [name, copies, "\(c.gates)", "\(c.flipFlops)", String(format: "%.1f", c.nand2Equivalent), "\(c.logicDepth)",
         "\(c.lut4)", "\(c.carry)", "\(c.ice40FlipFlops)"]
    }

    /// The aligned text, ending in a newline.
    public var text: String {
        var rows = [Self.headings]
        for module in report.modules {
            rows.append(Self.cells("\(module.generator) (\(module.name))", copies: "\(module.instancesInDesign)", module.total))
        }
        rows.append(Self.cells("whole design", copies: "", report.design))
        let widths = Self.headings.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var lines = [line(rows[0]), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        lines += rows.dropFirst().map(line)
        if cellsPerModule {
            for module in report.modules { lines += Self.cellLines(module.name, module.total) }
        }
        lines += Self.cellLines("whole design", report.design)
        lines.append("\(report.yosysVersion); gates: abc -g \(GateLibrary.abcGates.joined(separator: ",")); depth: ltp -noff (cells); per module: one copy with its submodules")
        if let fmax = report.fmax {
            lines.append("nextpnr-ice40 \(fmax.device)-\(fmax.package): max frequency " + String(format: "%.2f MHz", fmax.megahertz))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
