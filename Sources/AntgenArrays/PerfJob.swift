import AntgenPerf
import AntgenSupport
import Foundation

/// One `antgen perf` run: GEMM layers through the performance model of an array (or of a
/// sweep of square sizes, or against the ANT paper's int8 and int4 baselines); prints the
/// tables and writes the JSON report and the SVG chart.
public struct PerfJob {
    /// The layers.
    public var layers: [GemmLayer]
    /// The energy constants.
    public var table: EnergyTable
    /// Clock in MHz.
    public var clockMHz: Double
    /// Activation, weight and output buffers in KiB (each 1…1048576).
    public var activationKiB: Int, weightKiB: Int, outputKiB: Int
    /// The array's cell counts for its PE and array-logic energy (nil: priced 0).
    public var cells: (any ArrayVariant) throws -> ArrayCells?
    /// The JSON report, the SVG chart and its title (nil: a title from the array and the run).
    public var json: String?, svg: String?, title: String?

    /// Creates the job.
    public init(layers: [GemmLayer], table: EnergyTable, clockMHz: Double, activationKiB: Int, weightKiB: Int, outputKiB: Int,
                cells: @escaping (any ArrayVariant) throws -> ArrayCells?, json: String?, svg: String?, title: String?) {
        self.layers = layers
        self.table = table
        self.clockMHz = clockMHz
        self.activationKiB = activationKiB
        self.weightKiB = weightKiB
        self.outputKiB = outputKiB
        self.cells = cells
        self.json = json
        self.svg = svg
        self.title = title
    }

    /// The layers on `variant`; with `baselines`, next to int8 and 4-bit everywhere (ANT only).
    /// - Throws: ``VariantError`` for a buffer size out of range or baselines on another array.
    public func run(_ variant: any ArrayVariant, baselines: Bool) throws {
        let array = try perfArray(variant)
        let model = PerformanceModel(array: array, table: table, cells: try cells(variant))
        let (rows, cols) = (variant.rows, variant.cols)
        if baselines {
            guard variant is AntVariant else {
                throw VariantError("--baselines compares ANT precisions on the ANT array (--array ant)")
            }
            let comparison = try PrecisionComparison(layers: layers, model: model)
            print(comparison.reference.array.description)
            print(comparison.table, terminator: "")
            print(comparison.layerTable, terminator: "")
            if let json { try writeFile(Self.comparisonJSON(comparison), to: json) }
            if let svg { try writeFile(comparison.chart(title: title ?? "\(rows)x\(cols) \(array.dataflow): tuned ANT vs int8 vs int4").svg, to: svg) }
            return
        }
        let report = try model.evaluate(layers)
        print(report.table, terminator: "")
        if let json { try writeFile(report.jsonText(), to: json) }
        if let svg { try writeFile(report.chart(title: title ?? "\(rows)x\(cols) \(array.dataflow) array").svg, to: svg) }
    }

    /// The same layers on square arrays of every size (`variant(n)`): cycles, time,
    /// utilization and energy.
    public func sweep(sizes: [Int], variant: (Int) throws -> any ArrayVariant) throws {
        var reports: [PerformanceReport] = []
        print("size      cycles        time us     util    energy      PEs         buffers     DRAM")
        for n in sizes {
            let variant = try variant(n)
            let report = try PerformanceModel(array: try perfArray(variant), table: table, cells: try cells(variant)).evaluate(layers)
            reports.append(report)
            let e = report.energy
            print("\("\(n)x\(n)".padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(report.cycles).padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%-11.1f %5.1f%%  %-11@ %-11@ %-11@ %@", report.microseconds, 100 * report.utilization, Units.energyText(e.total) as NSString, Units.energyText(e.processingElements + e.arrayLogic) as NSString, Units.energyText(e.buffers) as NSString, Units.energyText(e.dram) as NSString))")
        }
        if let json {
            try writeFile("[\n" + reports.map { $0.jsonText().trimmingCharacters(in: .newlines) }.joined(separator: ",\n") + "\n]\n", to: json)
        }
        if let svg {
            let cycles = zip(sizes, reports).map { n, r in
                PerfChart.Bar(label: "\(n)x\(n)", segments: [("cycles", Double(r.cycles))], note: "\(r.cycles) cycles, \(String(format: "%.0f%%", 100 * r.utilization))")
            }
            let energy = zip(sizes, reports).map { n, r in
                PerfChart.Bar(label: "\(n)x\(n)", segments: PerformanceReport.energySegments(r.energy), note: Units.energyText(r.energy.total))
            }
            try writeFile(PerfChart(title: title ?? "array size sweep (\(layers.count) layers)", panels: [
                PerfChart.Panel(title: "cycles", bars: cycles), PerfChart.Panel(title: "energy", bars: energy)]).svg, to: svg)
        }
    }

    /// The array as the model sees it, after checking the buffer sizes.
    func perfArray(_ variant: any ArrayVariant) throws -> PerfArray {
        for (name, kib) in [("act-buffer", activationKiB), ("weight-buffer", weightKiB), ("out-buffer", outputKiB)] where !(1...(1 << 20)).contains(kib) {
            throw VariantError("invalid \(name): \(kib) KiB is outside 1…1048576")
        }
        return try variant.perfArray(clockMHz: clockMHz, buffers: BufferSizes(activationBytes: activationKiB << 10, weightBytes: weightKiB << 10,
                                                                             outputBytes: outputKiB << 10))
    }

    static func comparisonJSON(_ c: PrecisionComparison) -> String {
        "{\n\"configurations\": [\n" + c.entries.map { "{\"label\": \"\($0.label)\", \"report\": \($0.report.jsonText().trimmingCharacters(in: .newlines))}" }
            .joined(separator: ",\n") + "\n]\n}\n"
    }

    func writeFile(_ text: String, to path: String) throws {
        try writeAtomically(text, to: URL(fileURLWithPath: path))
        print("wrote \(path)")
    }
}
