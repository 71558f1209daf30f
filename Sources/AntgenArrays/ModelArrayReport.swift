import AntgenPerf
import Foundation

/// What a whole model's run on an array variant cost (`antgen infer --array …`): the
/// performance model's cycles, energy and bits moved summed over every linear product the
/// run computed, the precision mix, and how many products the RTL checked.
public struct ModelArrayReport: Codable, Sendable, Equatable {
    /// The array's full selector (`--array ant --rows 32 …`).
    public var selector: String
    /// The precision asked for: `a8w4`, `standard`, or `plan FILE`.
    public var precision: String
    /// Linear products computed (one per layer per batch of sentences).
    public var products: Int
    /// Products that also went through the RTL, every output bit-identical to the golden path.
    public var rtlCheckedProducts: Int
    /// Products per precision label (`a4w4`: 30, …), as the array ran them.
    public var precisionMix: [String: Int]
    /// Σ m·k·n, and the share of it with an 8-bit operand (the ANT paper's measure).
    public var macs: Int, eightBitMACShare: Double
    /// Σ cycles as the RTL counts them, and the time at the clock.
    public var cycles: Int, microseconds: Double
    /// Σ energy in picojoules, by where it is spent, and where its constants come from.
    public var energy: LayerEnergy, energySource: String
    /// Σ bits moved (buffers and DRAM), and the DRAM share read plus written.
    public var traffic: LayerTraffic, dramBits: Int
    /// Σ cycles the RTL counted for the checked products (0 without `--rtl`): equal to the
    /// model's cycles of the same products.
    public var rtlCycles: Int

    /// The report of `executor`'s products priced by `performance` (its
    /// ``VariantLinearExecutor/performance(clockMHz:buffers:table:cells:)``).
    public init(executor: VariantLinearExecutor, precision: String, performance: PerformanceReport) {
        let records = executor.layers
        self.init(selector: executor.variant.selectorArguments.joined(separator: " "), precision: precision,
                  energySource: performance.energySource,
                  products: zip(performance.layers, records).map { ProductCost(result: $0, rtlCycles: $1.rtlCycles) })
    }

    /// The report of `products` (in run order; the sums are taken in that order, so the same
    /// products give the same report however they were computed: sharded runs merge to it).
    public init(selector: String, precision: String, energySource: String, products: [ProductCost]) {
        self.selector = selector
        self.precision = precision
        self.products = products.count
        rtlCheckedProducts = products.filter { $0.rtlCycles != nil }.count
        rtlCycles = products.reduce(0) { $0 + ($1.rtlCycles ?? 0) }
        let layers = products.map(\.result)
        var mix: [String: Int] = [:]
        var eight = 0
        for r in layers {
            mix[r.layer.precisionLabel, default: 0] += 1
            if r.layer.activationBits == .eight || r.layer.weightBits == .eight { eight += r.macs }
        }
        precisionMix = mix
        macs = layers.reduce(0) { $0 + $1.macs }
        eightBitMACShare = macs > 0 ? Double(eight) / Double(macs) : 0
        cycles = layers.reduce(0) { $0 + $1.cycles }
        microseconds = layers.reduce(0) { $0 + $1.microseconds }
        energy = layers.map(\.energy).reduce(.zero, +)
        self.energySource = energySource
        traffic = layers.map(\.traffic).reduce(.zero, +)
        dramBits = traffic.dramReadBits + traffic.dramWriteBits
    }

    /// Terminal lines: cycles, energy, bits moved, the precision mix and the RTL check.
    public var lines: [String] {
        let mix = precisionMix.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var lines = [
            "array: \(selector) (\(precision)): \(products) products (\(mix)), \(String(format: "%.1f", 100 * eightBitMACShare)) % of MACs with an 8-bit operand",
            "  cycles \(cycles) (\(String(format: "%.1f", microseconds)) us), energy \(Units.energyText(energy.total))\(energy.processingElements == 0 ? " (PEs unpriced)" : ""), DRAM \(dramBits) bits",
        ]
        if rtlCheckedProducts > 0 {
            lines.append("  RTL: \(rtlCheckedProducts) of \(products) products bit-identical to the golden path, \(rtlCycles) cycles counted")
        }
        return lines
    }
}
