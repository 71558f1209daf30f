/// Bits moved for one layer: between the on-chip buffers and the array (operands in,
/// partial sums and results out) and between DRAM and the buffers.
///
/// Output-stationary: each tile streams K beats of R activation codes and C weight codes
/// (padding included: the padded rows and columns are driven with code 0) and drains R × C
/// W-bit results once; no partial sum leaves the array before its K is done. DRAM: each
/// operand is fetched once when the buffer holds what the loop order keeps resident, else once
/// per tile row or column that needs it; of the two loop orders (column tiles outer with the
/// K × C weight strip resident, or row tiles outer with the R × K activation strip resident)
/// the cheaper one is taken. Results leave for DRAM requantized to the layer's activation bits.
/// Weight-stationary: see ``init(weightStationary:array:)``.
public struct LayerTraffic: Sendable, Equatable, Codable {
    /// Activation codes read from the activation buffer into the array.
    public var activationBufferReadBits: Int
    /// Weight codes read from the weight buffer into the array.
    public var weightBufferReadBits: Int
    /// Partial sums and results written by the array into the output buffer.
    public var outputBufferWriteBits: Int
    /// Partial sums read back into the array (0 for output-stationary) and results read out.
    public var outputBufferReadBits: Int
    /// Operand bits written into the activation and weight buffers from DRAM.
    public var operandBufferFillBits: Int
    /// Bits read from DRAM.
    public var dramReadBits: Int
    /// Bits written to DRAM.
    public var dramWriteBits: Int

    /// No traffic.
    public static let zero = LayerTraffic(activationBufferReadBits: 0, weightBufferReadBits: 0, outputBufferWriteBits: 0,
                                          outputBufferReadBits: 0, operandBufferFillBits: 0, dramReadBits: 0, dramWriteBits: 0)

    /// Creates the traffic from its parts.
    public init(activationBufferReadBits: Int, weightBufferReadBits: Int, outputBufferWriteBits: Int, outputBufferReadBits: Int,
                operandBufferFillBits: Int, dramReadBits: Int, dramWriteBits: Int) {
        self.activationBufferReadBits = activationBufferReadBits
        self.weightBufferReadBits = weightBufferReadBits
        self.outputBufferWriteBits = outputBufferWriteBits
        self.outputBufferReadBits = outputBufferReadBits
        self.operandBufferFillBits = operandBufferFillBits
        self.dramReadBits = dramReadBits
        self.dramWriteBits = dramWriteBits
    }

    /// Operand bits into the array.
    public var operandBits: Int { activationBufferReadBits + weightBufferReadBits }
    /// Partial-sum and result bits between the array and the output buffer.
    public var partialSumBits: Int { outputBufferWriteBits + outputBufferReadBits }
    /// DRAM bits.
    public var dramBits: Int { dramReadBits + dramWriteBits }

    /// The traffic of `layer` on `array`: its shape's (``ArrayPerfShape/traffic(_:on:)``; the
    /// type's description for the ANT array `os`, ``init(weightStationary:array:)`` for `ws`,
    /// SdpShape.swift, PwlqShape.swift and MxShape.swift for the others).
    public init(_ layer: GemmLayer, array: PerfArray) { self = array.shape.traffic(layer, on: array) }

    /// The traffic of `layer` on an output-stationary `array` (the type's description).
    public init(outputStationary layer: GemmLayer, array: PerfArray) {
        let t = LayerTiling(layer, rows: array.rows, cols: array.cols)
        let (ab, wb, w) = (layer.activationBits.rawValue, layer.weightBits.rawValue, array.accumulatorWidth)
        let tiles = t.tileCount
        activationBufferReadBits = tiles * layer.k * array.rows * ab
        weightBufferReadBits = tiles * layer.k * array.cols * wb
        outputBufferWriteBits = tiles * array.rows * array.cols * w
        outputBufferReadBits = layer.m * layer.n * w
        let dram = Self.dramOperandBits(layer, tiling: t, array: array)
        operandBufferFillBits = dram
        dramReadBits = dram
        dramWriteBits = layer.m * layer.n * ab
    }

    /// DRAM operand bits of the cheaper loop order.
    /// `weightBits` overrides the bits of one weight code (PWLQ codes carry a region bit).
    public static func dramOperandBits(_ layer: GemmLayer, tiling t: LayerTiling, array: PerfArray, weightBits: Int? = nil) -> Int {
        let wBits = weightBits ?? layer.weightBits.rawValue
        return dramOperandBits(tiling: t, array: array, activationBits: layer.m * layer.k * layer.activationBits.rawValue,
                               weightBits: layer.k * layer.n * wBits,
                               activationStripBits: min(array.rows, layer.m) * layer.k * layer.activationBits.rawValue,
                               weightStripBits: layer.k * min(array.cols, layer.n) * wBits)
    }

    /// DRAM operand bits of the cheaper loop order, given the bits of all of A and W and of
    /// one R × K activation strip and one K × C weight strip.
    public static func dramOperandBits(tiling t: LayerTiling, array: PerfArray, activationBits a: Int, weightBits w: Int,
                                activationStripBits: Int, weightStripBits: Int) -> Int {
        let b = array.buffers
        func fits(_ bits: Int, _ bytes: Int) -> Bool { (bits + 7) / 8 <= bytes }
        // Column tiles outer: one K × C weight strip resident, reused by every row tile.
        let columnsOuter = (fits(weightStripBits, b.weightBytes) ? w : w * t.rowTiles)
            + (fits(a, b.activationBytes) ? a : a * t.columnTiles)
        // Row tiles outer: one R × K activation strip resident, reused by every column tile.
        let rowsOuter = (fits(activationStripBits, b.activationBytes) ? a : a * t.columnTiles)
            + (fits(w, b.weightBytes) ? w : w * t.rowTiles)
        return min(columnsOuter, rowsOuter)
    }

    /// The sum of two layers' traffic.
    public static func + (l: LayerTraffic, r: LayerTraffic) -> LayerTraffic {
        LayerTraffic(activationBufferReadBits: l.activationBufferReadBits + r.activationBufferReadBits,
                     weightBufferReadBits: l.weightBufferReadBits + r.weightBufferReadBits,
                     outputBufferWriteBits: l.outputBufferWriteBits + r.outputBufferWriteBits,
                     outputBufferReadBits: l.outputBufferReadBits + r.outputBufferReadBits,
                     operandBufferFillBits: l.operandBufferFillBits + r.operandBufferFillBits,
                     dramReadBits: l.dramReadBits + r.dramReadBits, dramWriteBits: l.dramWriteBits + r.dramWriteBits)
    }
}
