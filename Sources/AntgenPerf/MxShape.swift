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
    public func blocks(k: Int) -> Int { (k + blockSize - 1) / blockSize }

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
/// back with `in_valid` always high (the MX array has no back-pressure).
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

    /// Beats a tile of reduction length `k` takes on the array: max(K, R).
    public func beats(k: Int) -> Int { max(k, rows) }

    /// Cycles of `count` tiles of K = `k`: count·max(K, R) + latency + R − 1.
    public func cycles(tiles count: Int, k: Int) -> Int {
        guard count > 0 else { return 0 }
        return count * beats(k: k) + MxArray.firstRowLatency + rows - 1
    }

    /// Cycles of an M × K · K × N GEMM cut into ⌈M/R⌉ · ⌈N/C⌉ tiles (as `antgen run` cuts it).
    public func cycles(m: Int, k: Int, n: Int) -> Int {
        cycles(tiles: ((m + rows - 1) / rows) * ((n + cols - 1) / cols), k: k)
    }
}

extension LayerTraffic {
    /// The traffic of `layer` on an MX `array`: each tile streams max(K, R) beats of R
    /// activation and C weight element codes, with one scale per block and operand line, and
    /// drains R × C binary32 results; DRAM moves the unpadded operands (codes and scales) by
    /// the cheaper loop order, and the results leave requantized to the activation format in
    /// blocks along N.
    init(mx: MxShape, layer: GemmLayer, array: PerfArray) {
        let t = LayerTiling(layer, rows: array.rows, cols: array.cols)
        let beats = MxCycles(rows: array.rows, cols: array.cols).beats(k: layer.k)
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
