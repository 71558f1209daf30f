import AntgenHardware

/// The model's result for one layer.
public struct LayerResult: Sendable, Equatable, Codable {
    /// The layer.
    public let layer: GemmLayer
    /// Tiles the layer is cut into.
    public let tiles: Int
    /// Cycles from the first beat to the last result row (exact: equal to the RTL's count).
    public let cycles: Int
    /// Useful multiply-accumulates.
    public let macs: Int
    /// Fraction of the PE reduction-step slots doing useful work: m·k·n·T / (R·C·cycles)
    /// (1.0 is every PE busy on a real element every cycle, whatever the precision).
    public let utilization: Double
    /// Microseconds at the clock.
    public let microseconds: Double
    /// Operand and partial-sum traffic.
    public let traffic: LayerTraffic
    /// Energy estimate.
    public let energy: LayerEnergy
}

/// The model's result for a list of layers run one after another.
public struct PerformanceReport: Sendable, Equatable, Encodable {
    /// The array.
    public let array: PerfArray
    /// Where the energy constants come from.
    public let energySource: String
    /// Per layer, in input order.
    public let layers: [LayerResult]

    /// Σ cycles.
    public var cycles: Int { layers.reduce(0) { $0 + $1.cycles } }
    /// Σ MACs.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
    /// Σ microseconds.
    public var microseconds: Double { layers.reduce(0) { $0 + $1.microseconds } }
    /// Σ useful step slots / Σ step slots (each layer's utilization weighted by its cycles).
    public var utilization: Double {
        let useful = layers.reduce(0.0) { $0 + $1.utilization * Double($1.cycles) }
        return cycles == 0 ? 0 : useful / Double(cycles)
    }
    /// Σ traffic.
    public var traffic: LayerTraffic { layers.map(\.traffic).reduce(.zero, +) }
    /// Σ energy.
    public var energy: LayerEnergy { layers.map(\.energy).reduce(.zero, +) }
}

/// The cycle, traffic and energy model of an antgen array (docs/performance-model.md).
public struct PerformanceModel: Sendable {
    /// The array.
    public let array: PerfArray
    /// The energy constants.
    public let table: EnergyTable
    /// The array's synthesized cells (nil: no energy for the PEs and the array logic).
    public let cells: ArrayCells?

    /// Creates the model.
    public init(array: PerfArray, table: EnergyTable = .standard, cells: ArrayCells? = nil) {
        self.array = array
        self.table = table
        self.cells = cells
    }

    /// The exact cycles of `layer` alone on the array, as `antgen run` counts them (first
    /// beat to last output row): the array's ``StreamTiming`` over the shape's tiles
    /// (``ArrayPerfShape/cycles(of:on:)``).
    /// - Throws: ``PerfError`` when the count overflows 64 bits.
    public func cycles(of layer: GemmLayer) throws(PerfError) -> Int {
        guard let cycles = array.shape.cycles(of: layer, on: array) else { throw PerfError.overflow(layer, on: array) }
        return cycles
    }

    /// The array tiles `layer` is cut into: R × C output tiles (`os`) or K-chunk × N-block
    /// weight tiles (`ws`).
    public func tileCount(of layer: GemmLayer) -> Int { array.shape.tileCount(of: layer, on: array) }

    /// PE step slots doing useful work for `layer`: m·k·n·T, or for the SDP array
    /// m·k·n·S/G (S steps per group of G values), for the MX array m·k·n (one step a MAC).
    public func usefulSteps(of layer: GemmLayer) -> Double { array.shape.usefulSteps(of: layer, on: array) }

    /// Every layer's result, each layer run at the precision the array runs it
    /// (``ArrayPerfShape/runs(_:)``: int8 activations on the SDP array, PWLQ weight codes on
    /// the PWLQ array, its own formats on the MX array).
    /// - Throws: ``PerfError`` for a layer the array cannot run, a layer or a list of layers
    ///   whose counts overflow 64 bits (``PerfArray/checkBounds(_:)``), or a cell type the
    ///   table lacks.
    public func evaluate(_ layers: [GemmLayer]) throws(PerfError) -> PerformanceReport {
        var results: [LayerResult] = []
        results.reserveCapacity(layers.count)
        let energyModel = try EnergyModel(array: array, table: table, cells: cells)
        var bound = 0
        for given in layers {
            let layer = array.shape.runs(given)
            try array.check(layer)
            guard let next = Checked.sum(bound, try array.checkBounds(layer)) else {
                throw PerfError("the \(layers.count) layers together are too large for the model: their counts overflow 64 bits")
            }
            bound = next
            let cycles = try cycles(of: layer)
            let traffic = array.shape.traffic(layer, on: array)
            let slots = Double(array.rows * array.cols) * Double(cycles)
            results.append(LayerResult(
                layer: layer, tiles: tileCount(of: layer), cycles: cycles,
                macs: layer.macs, utilization: usefulSteps(of: layer) / slots,
                microseconds: Double(cycles) / array.clockMHz, traffic: traffic,
                energy: energyModel.energy(layer, cycles: cycles, traffic: traffic)))
        }
        return PerformanceReport(array: array, energySource: table.source, layers: results)
    }
}
