import AntgenHardware
import AntgenNumerics

/// The OCP MX array (`antgen emit --mx`, docs/architecture.md "MX array") as the model sees
/// it: an output-stationary array that takes one beat per cycle whatever the formats (one
/// reduction step per beat), element codes of the activation and weight formats with one
/// E8M0 scale (8 bits) per block of k along K, and binary32 results.
///
/// Cycles are ``MxCycles``'s. Traffic counts element bits plus one scale per block and
/// operand row or column; a tile streams max(K, R) beats (padding beats included), and each
/// output leaves the array as one 32-bit word.
public struct MxShape: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The activations' element format.
    public let activationFormat: MxElementFormat
    /// The weights' element format.
    public let weightFormat: MxElementFormat
    /// Elements per block, k.
    public let blockSize: Int

    /// Bits of one shared E8M0 block scale.
    public static let scaleBits = 8
    /// Bits of one result (binary32).
    public static let resultBits = 32

    /// Validates and creates the shape.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(activationFormat: MxElementFormat, weightFormat: MxElementFormat, blockSize: Int = 32) throws(PerfError) {
        guard (1...1024).contains(blockSize) else { throw PerfError("invalid block size: \(blockSize) is outside 1…1024") }
        self.activationFormat = activationFormat
        self.weightFormat = weightFormat
        self.blockSize = blockSize
    }

    /// Blocks along a reduction of length `k`: ⌈k/blockSize⌉.
    public func blocks(k: Int) -> Int { ceilDiv(k, blockSize) }

    /// Bits of one operand line of `k` elements of `format`: k element codes and their scales.
    public func lineBits(k: Int, _ format: MxElementFormat) -> Int { k * format.bits + blocks(k: k) * Self.scaleBits }

    /// `layer` recorded at the precision its MX formats occupy (≤ 4-bit elements as 4, else 8);
    /// the MX array takes one step per beat whatever they are.
    public func runs(_ layer: GemmLayer) -> GemmLayer {
        func bits(_ f: MxElementFormat) -> LayerBits { f.bits <= 4 ? .four : .eight }
        return layer.with(activationBits: bits(activationFormat), weightBits: bits(weightFormat))
    }

    /// `MX a fp8e4m3 w int8 k32`.
    public var description: String { "MX a \(activationFormat.rawValue) w \(weightFormat.rawValue) k\(blockSize)" }
}

/// The exact cycle model of the MX array's top level for a stream of tiles offered back to
/// back with `in_valid` always high (the MX array has no back-pressure): the hardware's
/// broadcast ``StreamTiming``.
///
/// A beat is accepted every cycle. A tile of K beats is streamed as max(K, R) (the drain
/// shows one row a cycle, so a shorter tile would overrun it: `antgen run` pads it). The
/// first result row of a tile whose last beat is accepted in cycle L is shown in cycle
/// L + ``MxArray/firstRowLatency``, its last row R − 1 cycles later. So for tiles of B_t
/// beats from cycle 0, the last row of the stream is shown in cycle ΣB_t − 1 + latency + R − 1
/// and the count from the first beat through it, both included, is ΣB_t + latency + R − 1
/// (checked against the RTL's count in MxCycleTests).
public struct MxCycles: Sendable, Equatable {
    /// PE rows R.
    public let rows: Int
    /// PE columns C (they do not change the count: operands are broadcast, not skewed).
    public let cols: Int

    /// The model of an R × C MX array.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// The hardware's timing (``MxArrayParameters/streamTiming``).
    public var timing: StreamTiming { .broadcast(rows: rows, cols: cols, latency: MxArray.firstRowLatency) }

    /// Beats a tile of reduction length `k` takes on the array: max(K, R).
    public func beats(k: Int) -> Int { timing.tileBeats(k) }

    /// Cycles of `count` tiles of K = `k`: count·max(K, R) + latency + R − 1 (nil on overflow).
    public func cycles(tiles count: Int, k: Int) -> Int? { timing.streamCycles(tiles: count, beats: k, stepsPerBeat: 1) }

    /// Cycles of an M × K · K × N GEMM cut into ⌈M/R⌉ · ⌈N/C⌉ tiles (as `antgen run` cuts it).
    public func cycles(m: Int, k: Int, n: Int) -> Int? {
        guard let tiles = Checked.product(ceilDiv(m, rows), ceilDiv(n, cols)) else { return nil }
        return cycles(tiles: tiles, k: k)
    }
}

extension MxShape: ArrayPerfShape {
    public var dataflow: ArrayDataflow { .os }
    public var pipeline: StreamTiming.Pipeline { .broadcast }
    public var reportKey: String? { "mx" }
    public var processingElementGenerator: String { "MxProcessingElement" }
    /// The rows must not exceed the block size: the drain takes one row per cycle.
    public func validate(rows: Int, cols: Int) throws(PerfError) {
        if rows > blockSize {
            throw PerfError("the MX array's rows (\(rows)) must not exceed its block size (\(blockSize)): the drain takes one row per cycle")
        }
    }
    /// Every layer runs in the array's formats.
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) {}
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int { LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount }
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? { outputStationaryCycles(layer, on: array, beats: layer.k, steps: 1) }
    /// m·k·n: one step a MAC.
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double { Double(layer.macs) }
    /// tiles × max(K, R): one step a beat, padding beats included.
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int {
        tileCount(of: layer, on: array) * array.timing.tileBeats(layer.k)
    }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(mx: self, layer: layer, array: array) }
}

extension LayerTraffic {
    /// The traffic of `layer` on an MX `array`: each tile streams max(K, R) beats of R
    /// activation and C weight element codes, with one scale per block and operand line, and
    /// drains R × C binary32 results; DRAM moves the unpadded operands (codes and scales) by
    /// the cheaper loop order, and the results leave requantized to the activation format in
    /// blocks along N.
    init(mx: MxShape, layer: GemmLayer, array: PerfArray) {
        let t = LayerTiling(layer, rows: array.rows, cols: array.cols)
        let beats = array.timing.tileBeats(layer.k)
        let a = mx.activationFormat, w = mx.weightFormat
        let dram = Self.dramOperandBits(
            tiling: t, array: array, activationBits: layer.m * mx.lineBits(k: layer.k, a), weightBits: layer.n * mx.lineBits(k: layer.k, w),
            activationStripBits: min(array.rows, layer.m) * mx.lineBits(k: layer.k, a),
            weightStripBits: min(array.cols, layer.n) * mx.lineBits(k: layer.k, w))
        self.init(activationBufferReadBits: t.tileCount * array.rows * mx.lineBits(k: beats, a),
                  weightBufferReadBits: t.tileCount * array.cols * mx.lineBits(k: beats, w),
                  outputBufferWriteBits: t.tileCount * array.rows * array.cols * MxShape.resultBits,
                  outputBufferReadBits: layer.m * layer.n * MxShape.resultBits,
                  operandBufferFillBits: dram, dramReadBits: dram,
                  dramWriteBits: layer.m * mx.lineBits(k: layer.n, a))
    }
}
