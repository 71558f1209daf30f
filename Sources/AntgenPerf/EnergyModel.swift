/// A layer's energy estimate in picojoules, by where it is spent.
public struct LayerEnergy: Sendable, Equatable, Codable {
    /// The PEs: every PE switches `activityFactor` of its cells on each reduction step it
    /// receives (padding steps and WS load steps included), nothing on idle cycles (ideal
    /// clock gating).
    public var processingElements: Double
    /// The rest of the array (decoders, input stage, skew/deskew, output counter), per busy cycle.
    public var arrayLogic: Double
    /// On-chip buffer reads and writes.
    public var buffers: Double
    /// DRAM reads and writes.
    public var dram: Double

    /// Nothing.
    public static let zero = LayerEnergy(processingElements: 0, arrayLogic: 0, buffers: 0, dram: 0)

    /// Creates the estimate.
    public init(processingElements: Double, arrayLogic: Double, buffers: Double, dram: Double) {
        self.processingElements = processingElements
        self.arrayLogic = arrayLogic
        self.buffers = buffers
        self.dram = dram
    }

    /// Σ of the parts.
    public var total: Double { processingElements + arrayLogic + buffers + dram }

    /// The sum of two estimates.
    public static func + (l: LayerEnergy, r: LayerEnergy) -> LayerEnergy {
        LayerEnergy(processingElements: l.processingElements + r.processingElements, arrayLogic: l.arrayLogic + r.arrayLogic,
                    buffers: l.buffers + r.buffers, dram: l.dram + r.dram)
    }
}

/// Prices cycles and traffic with an ``EnergyTable`` and the synthesized cell counts.
public struct EnergyModel: Sendable {
    /// Picojoules per PE reduction step (α · Σ cell energies of one PE).
    public let picojoulesPerPEStep: Double
    /// Picojoules per busy cycle of the rest of the array.
    public let picojoulesPerArrayCycle: Double
    let array: PerfArray
    let table: EnergyTable

    /// The model for `array`; `cells` nil prices the logic at zero (memory only).
    /// - Throws: ``PerfError`` when the cells were synthesized for another array size, or the
    ///   table lacks a cell type.
    public init(array: PerfArray, table: EnergyTable, cells: ArrayCells?) throws(PerfError) {
        self.array = array
        self.table = table
        let b = array.buffers
        for (what, bytes, pj) in [("activation", b.activationBytes, table.sramReadPicojoulesPerBit(bytes: b.activationBytes)),
                                  ("weight", b.weightBytes, table.sramReadPicojoulesPerBit(bytes: b.weightBytes)),
                                  ("output", b.outputBytes, table.sramWritePicojoulesPerBit(bytes: b.outputBytes)),
                                  ("operand", max(b.activationBytes, b.weightBytes),
                                   table.sramWritePicojoulesPerBit(bytes: max(b.activationBytes, b.weightBytes)))]
        where !(pj.isFinite && pj <= Self.maximumPicojoulesPerBit) {
            throw PerfError("the energy table gives \(pj) pJ per bit for the \(bytes)-byte \(what) buffer: outside the physical range (its sramReads points extrapolate too far)")
        }
        guard let cells else {
            picojoulesPerPEStep = 0
            picojoulesPerArrayCycle = 0
            return
        }
        guard cells.rows == array.rows, cells.cols == array.cols else {
            throw PerfError("the synthesized cells are of a \(cells.rows)x\(cells.cols) array, not \(array.rows)x\(array.cols)")
        }
        picojoulesPerPEStep = table.activityFactor * (try ArrayCells.transitionEnergy(cells.processingElement, table: table)) / 1000
        picojoulesPerArrayCycle = table.activityFactor * (try ArrayCells.transitionEnergy(cells.rest, table: table)) / 1000
        for (what, pj) in [("PE step", picojoulesPerPEStep), ("array cycle", picojoulesPerArrayCycle)] where !(pj.isFinite && pj <= 1e15) {
            throw PerfError("the energy table and cells give \(pj) pJ per \(what): outside the physical range")
        }
    }

    /// The largest buffer energy per bit the model accepts (1 µJ): every report stays finite.
    static let maximumPicojoulesPerBit = 1e6

    /// Steps every PE of `array` receives for `layer`, padding included
    /// (``ArrayPerfShape/stepsPerPE(_:on:)``): tiles × K × T (`os`); tiles × (M·T compute
    /// steps + R load steps) (`ws`); tiles × ⌈K/G⌉ × S on the SDP array; tiles × max(K, R)
    /// on the MX array (one step a beat, padding beats included).
    public static func stepsPerPE(_ layer: GemmLayer, array: PerfArray) -> Int { array.shape.stepsPerPE(layer, on: array) }

    /// The energy of `layer` given its cycles and traffic.
    public func energy(_ layer: GemmLayer, cycles: Int, traffic: LayerTraffic) -> LayerEnergy {
        let peSteps = Double(Self.stepsPerPE(layer, array: array)) * Double(array.rows * array.cols)
        let b = array.buffers
        let buffers = Double(traffic.activationBufferReadBits) * table.sramReadPicojoulesPerBit(bytes: b.activationBytes)
            + Double(traffic.weightBufferReadBits) * table.sramReadPicojoulesPerBit(bytes: b.weightBytes)
            + Double(traffic.outputBufferWriteBits) * table.sramWritePicojoulesPerBit(bytes: b.outputBytes)
            + Double(traffic.outputBufferReadBits) * table.sramReadPicojoulesPerBit(bytes: b.outputBytes)
            + Double(traffic.operandBufferFillBits) * table.sramWritePicojoulesPerBit(bytes: max(b.activationBytes, b.weightBytes))
        return LayerEnergy(processingElements: peSteps * picojoulesPerPEStep,
                           arrayLogic: Double(cycles) * picojoulesPerArrayCycle,
                           buffers: buffers, dram: Double(traffic.dramBits) * table.dramPicojoulesPerBit)
    }
}
