import Foundation

/// Human units for the report.
public enum Units {
    /// `12.3 KiB`-style bytes of `bits`.
    public static func bytes(bits: Int) -> String {
        let b = Double(bits) / 8
        if b < 1024 { return String(format: "%.0f B", b) }
        if b < 1024 * 1024 { return String(format: "%.1f KiB", b / 1024) }
        return String(format: "%.2f MiB", b / (1024 * 1024))
    }
    /// `12.3 µJ`-style energy of `picojoules`.
    public static func energyText(_ pj: Double) -> String { energy(picojoules: pj) }
    static func energy(picojoules pj: Double) -> String {
        if pj < 1e3 { return String(format: "%.1f pJ", pj) }
        if pj < 1e6 { return String(format: "%.2f nJ", pj / 1e3) }
        if pj < 1e9 { return String(format: "%.2f µJ", pj / 1e6) }
        return String(format: "%.3f mJ", pj / 1e9)
    }
}

extension PerformanceReport {
    /// The terminal table: one row per layer, then the total and the energy breakdown.
    public var table: String {
        let header = ["layer", "m x k x n", "prec", "tiles", "cycles", "util", "time us", "operands", "psums", "DRAM", "energy"]
        func row(_ r: LayerResult) -> [String] {
            [r.layer.name, "\(r.layer.m)x\(r.layer.k)x\(r.layer.n)", r.layer.precisionLabel, "\(r.tiles)", "\(r.cycles)",
             String(format: "%.1f%%", 100 * r.utilization), String(format: "%.2f", r.microseconds),
             Units.bytes(bits: r.traffic.operandBits), Units.bytes(bits: r.traffic.partialSumBits),
             Units.bytes(bits: r.traffic.dramBits), Units.energy(picojoules: r.energy.total)]
        }
        let total = ["total (\(layers.count) layers)", "", "", "\(layers.reduce(0) { $0 + $1.tiles })", "\(cycles)",
                     String(format: "%.1f%%", 100 * utilization), String(format: "%.2f", microseconds),
                     Units.bytes(bits: traffic.operandBits), Units.bytes(bits: traffic.partialSumBits),
                     Units.bytes(bits: traffic.dramBits), Units.energy(picojoules: energy.total)]
        let rows = [header] + layers.map(row) + [total]
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 || c == 2 ? text + pad : pad + text
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = array.description + "\n"
        out += rows.dropLast().map(line).joined(separator: "\n") + "\n" + line(total) + "\n"
        let e = energy
        out += "energy: PEs \(Units.energy(picojoules: e.processingElements)), array logic \(Units.energy(picojoules: e.arrayLogic)), buffers \(Units.energy(picojoules: e.buffers)), DRAM \(Units.energy(picojoules: e.dram))\n"
        out += "energy table: \(energySource)\n"
        return out
    }

    /// The JSON report: the array, every layer's result and the totals.
    public func jsonText() -> String {
        struct Totals: Encodable {
            let cycles: Int, macs: Int, microseconds: Double, utilization: Double, traffic: LayerTraffic, energy: LayerEnergy
            let energyPicojoules: Double
        }
        struct Document: Encodable {
            let format = "antgen-perf"
            let version = 1
            let array: PerfArray
            let energySource: String
            let layers: [LayerResult]
            let total: Totals
        }
        let doc = Document(array: array, energySource: energySource, layers: layers,
                           total: Totals(cycles: cycles, macs: macs, microseconds: microseconds, utilization: utilization,
                                         traffic: traffic, energy: energy, energyPicojoules: energy.total))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(doc)) ?? Data(), as: UTF8.self) + "\n"
    }
}
