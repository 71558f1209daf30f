import Foundation

/// The terminal table of a ``SynthesisReport``: one row per reported module (one copy,
/// everything below it included) and a row for the whole design.
public struct SynthesisTable: Sendable {
    /// The report shown.
    public let report: SynthesisReport

    /// Creates the table.
    public init(report: SynthesisReport) { self.report = report }

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
        lines.append("\(report.yosysVersion); gates: abc -g \(GateLibrary.abcGates.joined(separator: ",")); depth: ltp -noff (cells); per module: one copy with its submodules")
        if let fmax = report.fmax {
            lines.append("nextpnr-ice40 \(fmax.device)-\(fmax.package): max frequency " + String(format: "%.2f MHz", fmax.megahertz))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
