import Foundation

/// The terminal table of an ``FpgaReport``: per reported module its own resources (one
/// copy, submodules excluded) and its total (one copy with everything below it), the whole
/// design, its cells by type and the fit verdict.
public struct FpgaReportTable: Sendable {
    /// The report shown.
    public let report: FpgaReport
    /// Also list each module's own cells by type.
    public let cellsPerModule: Bool

    /// Creates the table.
    public init(report: FpgaReport, cellsPerModule: Bool = false) {
        self.report = report
        self.cellsPerModule = cellsPerModule
    }

    /// Column headings.
    static let headings = ["module", "copies", "own LUT", "own FF", "LUT", "FF", "carry", "DSP", "BRAM"]

    /// `12.5` for a half block RAM, `3` for whole ones.
    static func blockRams(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }

    /// One row's cells.
    static func cells(_ name: String, copies: String, own: FpgaResources?, total r: FpgaResources) -> [String] {
        [name, copies, own.map { "\($0.luts)" } ?? "", own.map { "\($0.flipFlops)" } ?? "",
         "\(r.luts)", "\(r.flipFlops)", "\(r.carries)", "\(r.dsps)", blockRams(r.blockRams)]
    }

    /// `type count, …` sorted by type.
    static func list(_ counts: CellCounts) -> String {
        counts.byType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// The aligned text, ending in a newline.
    public var text: String {
        var rows = [Self.headings]
        for module in report.modules {
            rows.append(Self.cells("\(module.generator) (\(module.name))", copies: "\(module.instancesInDesign)",
                                   own: module.own, total: module.total))
        }
        rows.append(Self.cells("whole design", copies: "", own: nil, total: report.design))
        let widths = Self.headings.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var lines = ["antgen synth --fpga \(report.family.rawValue): \(report.family.synthesisCommand(top: "…"))",
                     line(rows[0]), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        lines += rows.dropFirst().map(line)
        if cellsPerModule {
            for module in report.modules { lines.append("\(module.name) own cells: " + Self.list(module.ownCells)) }
        }
        lines.append("whole design cells: " + Self.list(report.designCells))
        if report.design.otherCells > 0 {
            lines.append("\(report.design.otherCells) cells of no resource class (not in the verdict)")
        }
        lines.append("\(report.yosysVersion); pre-place-and-route estimate; BRAM in \(report.family.blockRamUnit)")
        for verdict in report.verdicts { lines.append("\(verdict.device): \(verdict.text)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
