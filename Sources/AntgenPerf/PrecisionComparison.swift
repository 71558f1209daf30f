import Foundation

/// The ANT paper's comparison on one array: the layers at their own (tuned) precision
/// against the same layers with int8 everywhere and with 4-bit everywhere.
public struct PrecisionComparison: Sendable {
    /// One configuration's label and report.
    public struct Entry: Sendable {
        /// `ANT (tuned)`, `int8 everywhere`, `int4 everywhere`.
        public let label: String
        /// The model's report.
        public let report: PerformanceReport
    }

    /// The configurations, the tuned one first, int8 (the reference) second.
    public let entries: [Entry]

    /// Evaluates `layers` as given, at a8w8 and at a4w4.
    /// - Throws: ``PerfError`` as ``PerformanceModel/evaluate(_:)``.
    public init(layers: [GemmLayer], model: PerformanceModel, label: String = "ANT (tuned)") throws(PerfError) {
        entries = [
            Entry(label: label, report: try model.evaluate(layers)),
            Entry(label: "int8 everywhere", report: try model.evaluate(layers.map { $0.with(activationBits: .eight, weightBits: .eight) })),
            Entry(label: "int4 everywhere", report: try model.evaluate(layers.map { $0.with(activationBits: .four, weightBits: .four) })),
        ]
    }

    /// The int8 reference.
    public var reference: PerformanceReport { entries[1].report }

    /// Per configuration: cycles, time, energy, speed-up and energy-efficiency gain over int8,
    /// and how many layers run at each precision.
    public var table: String {
        var out = "configuration      precisions                cycles        time us   energy      speed-up  energy gain  (vs int8)\n"
        for e in entries {
            let r = e.report
            let speedup = Double(reference.cycles) / Double(max(r.cycles, 1))
            let gain = reference.energy.total / max(r.energy.total, 1e-300)
            out += e.label.padding(toLength: 19, withPad: " ", startingAt: 0)
            out += Self.mix(r).padding(toLength: 26, withPad: " ", startingAt: 0)
            out += String(format: "%-13d %-10.1f %-11@ %5.2fx    %5.2fx\n", r.cycles, r.microseconds,
                          Units.energy(picojoules: r.energy.total) as NSString, speedup, gain)
        }
        return out
    }

    /// `a4w4 30, a8w8 6`: layers per precision pair.
    static func mix(_ r: PerformanceReport) -> String {
        var counts: [String: Int] = [:]
        for l in r.layers { counts[l.layer.precisionLabel, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// Per layer: the tuned precision and cycles under each configuration.
    public var layerTable: String {
        var out = "layer".padding(toLength: 44, withPad: " ", startingAt: 0) + "tuned  " + entries.map { $0.label.padding(toLength: 17, withPad: " ", startingAt: 0) }.joined() + "\n"
        for (i, l) in entries[0].report.layers.enumerated() {
            out += l.layer.name.padding(toLength: 44, withPad: " ", startingAt: 0) + l.layer.precisionLabel.padding(toLength: 7, withPad: " ", startingAt: 0)
            out += entries.map { "\($0.report.layers[i].cycles)".padding(toLength: 17, withPad: " ", startingAt: 0) }.joined() + "\n"
        }
        return out
    }

    /// Cycles and energy of each configuration relative to int8, energy stacked by part.
    public func chart(title: String) -> PerfChart {
        let ref = reference
        let cycles = entries.map { e in
            PerfChart.Bar(label: e.label, segments: [("cycles", Double(e.report.cycles) / Double(max(ref.cycles, 1)))],
                          note: String(format: "%d cycles (%.2fx int8)", e.report.cycles, Double(e.report.cycles) / Double(max(ref.cycles, 1))))
        }
        let energy = entries.map { e in
            PerfChart.Bar(label: e.label, segments: PerformanceReport.energySegments(e.report.energy).map { ($0.name, $0.value / ref.energy.total) },
                          note: String(format: "%@ (%.2fx int8)", Units.energy(picojoules: e.report.energy.total) as NSString,
                                       e.report.energy.total / ref.energy.total))
        }
        return PerfChart(title: title, panels: [PerfChart.Panel(title: "cycles relative to int8", bars: cycles),
                                                PerfChart.Panel(title: "energy relative to int8", bars: energy)])
    }
}
