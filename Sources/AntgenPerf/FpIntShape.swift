import AntgenHardware
import AntgenNumerics

/// The FP-on-INT array (`--array fpint`, docs/fp-on-int.md) as the performance model sees it:
/// output-stationary with broadcast operands; a beat carries one group of N lanes per row and
/// column, and takes ``FpIntPrecision/passesPerWindow`` cycles (INT4 and FP8 1, INT8 and BF16
/// 4, FP16 9). Window 2 doubles a beat's passes when some PE needs it; that is data
/// dependent: without data the model counts window 1 only (`secondWindowRate` = 0, the best
/// case: a lower bound on the RTL's cycles) or adds the rate given (`--fpint-window2-rate`,
/// an assumption such as the alignment study's fraction of groups), and its description
/// says which. With data (`antgen run`), ``cycles(tilePasses:timing:)`` counts exactly.
public struct FpIntShape: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The operands' format.
    public let precision: FpIntPrecision
    /// Lanes N per PE.
    public let lanes: Int
    /// The fraction of beats that need window 2 (0 … 1): the whole array takes window 2 for a
    /// beat when any PE needs it.
    public let secondWindowRate: Double

    /// Bits of one result (binary32 or the 32-bit integer sum).
    public static let resultBits = 32

    /// Validates and creates the shape.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(precision: FpIntPrecision, lanes: Int, secondWindowRate: Double = 0) throws(PerfError) {
        guard FpIntArrayParameters.laneRange.contains(lanes) else { throw PerfError("invalid fpint lanes: N = \(lanes) is outside 1…64") }
        guard (0 ... 1).contains(secondWindowRate) else { throw PerfError("invalid second-window rate \(secondWindowRate) (0…1)") }
        self.precision = precision
        self.lanes = lanes
        self.secondWindowRate = secondWindowRate
    }

    /// Beats (groups) along a reduction of length k: ⌈k / N⌉.
    public func beats(k: Int) -> Int { ceilDiv(k, lanes) }
    /// Passes (cycles) per beat, window 2 included at its rate (rounded up over a tile).
    public func passes(beats: Int) -> Int {
        let p = precision.passesPerWindow
        return beats * p + Int((Double(beats * p) * secondWindowRate).rounded(.up))
    }

    public func runs(_ layer: GemmLayer) -> GemmLayer {
        let bits: LayerBits = precision.bits <= 4 ? .four : .eight
        return layer.with(activationBits: bits, weightBits: bits)
    }

    /// `FPINT fp16 N4, window 2 rate 0 (best case: a lower bound)`; integers have no window 2.
    public var description: String {
        let head = "FPINT \(precision.rawValue) N\(lanes)"
        guard precision.float != nil else { return head }
        return head + (secondWindowRate > 0
            ? ", window 2 rate \(secondWindowRate) (assumed, not from data)"
            : ", window 2 rate 0 (best case: a lower bound; --fpint-window2-rate R)")
    }

    /// The exact cycles of a stream of tiles whose sequencer issues `tilePasses[t]` passes for
    /// tile t (window 2 included, e.g. from ``FpIntTile``'s beat passes), first beat through
    /// last output row: P_1 + Σ_{t>1} max(P_t, R) + latency + R − 1 on the broadcast `timing`
    /// (a tile's last pass waits R cycles after the previous tile's; the first waits for
    /// nothing; docs/fp-on-int.md, "Timing"); nil on overflow.
    public static func cycles(tilePasses: [Int], timing: StreamTiming) -> Int? {
        guard let first = tilePasses.first else { return 0 }
        var total = first + timing.fixedLatency + timing.rows - 1
        for passes in tilePasses.dropFirst() {
            guard let next = Checked.sum(total, max(passes, timing.rows)) else { return nil }
            total = next
        }
        return total
    }

    /// ``cycles(tilePasses:timing:)`` of `tiles` tiles of `passes` passes each.
    public static func cycles(tiles: Int, passes: Int, timing: StreamTiming) -> Int? {
        guard tiles > 0 else { return 0 }
        guard let rest = Checked.product(tiles - 1, max(passes, timing.rows)) else { return nil }
        return Checked.sum(passes, rest, timing.fixedLatency + timing.rows - 1)
    }
}

extension FpIntShape: ArrayPerfShape {
    public var dataflow: ArrayDataflow { .os }
    public var pipeline: StreamTiming.Pipeline { .broadcast }
    public var reportKey: String? { "fpint" }
    public var processingElementGenerator: String { "FpIntProcessingElement" }
    public func validate(rows: Int, cols: Int) throws(PerfError) {}
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) {}
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int { LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount }
    /// A tile streams its passes one a cycle (``cycles(tiles:passes:timing:)``).
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? {
        Self.cycles(tiles: tileCount(of: layer, on: array), passes: passes(beats: beats(k: layer.k)), timing: array.timing)
    }
    /// MACs · P / N: a PE's capacity is N MACs per P window-1 passes (P = passes per window),
    /// so utilization = MACs / (cycles · R · C · N / P); window-2 passes and padding lower it.
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double {
        Double(layer.macs) * Double(precision.passesPerWindow) / Double(lanes)
    }
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int {
        tileCount(of: layer, on: array) * array.timing.tileBeats(passes(beats: beats(k: layer.k)))
    }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(fpint: self, layer: layer, array: array) }
}

extension LayerTraffic {
    /// Each tile streams ⌈K/N⌉·N lane codes per row and column once (held over its passes)
    /// and drains R × C 32-bit results; DRAM moves the unpadded operands by the cheaper order.
    init(fpint: FpIntShape, layer: GemmLayer, array: PerfArray) {
        let t = LayerTiling(layer, rows: array.rows, cols: array.cols)
        let bits = fpint.precision.bits
        let padded = fpint.beats(k: layer.k) * fpint.lanes
        let dram = Self.dramOperandBits(tiling: t, array: array, activationBits: layer.m * layer.k * bits, weightBits: layer.n * layer.k * bits,
                                        activationStripBits: min(array.rows, layer.m) * layer.k * bits,
                                        weightStripBits: min(array.cols, layer.n) * layer.k * bits)
        self.init(activationBufferReadBits: t.tileCount * array.rows * padded * bits,
                  weightBufferReadBits: t.tileCount * array.cols * padded * bits,
                  outputBufferWriteBits: t.tileCount * array.rows * array.cols * FpIntShape.resultBits,
                  outputBufferReadBits: layer.m * layer.n * FpIntShape.resultBits,
                  operandBufferFillBits: dram, dramReadBits: dram, dramWriteBits: layer.m * layer.n * bits)
    }
}
