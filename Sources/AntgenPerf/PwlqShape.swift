import AntgenHardware

/// The PWLQ array (`antgen emit --weight-format pwlq`, docs/architecture.md §13) as the model
/// sees it: the output-stationary array with b-bit PWLQ weights (a (b + 1)-bit code with its
/// region bit, one step per beat whatever b is: the multiplier does not grow) and uniform int4
/// or int8 activations (1 or 2 nibble steps per beat), whose PEs keep three W-bit
/// accumulators that drain together with no extra cycle.
///
/// Cycles are the output-stationary model's (``OutputStationaryCycles``) with T the
/// activation's steps, checked against the RTL's count in PwlqCycleTests. Traffic differs: a
/// weight code is b + 1 bits, every output leaves as three W-bit sums, and each output
/// channel's three float32 constants (s1, s2, p: spec §7.6) come from DRAM once per layer.
public struct PwlqShape: Sendable, Equatable, Codable, CustomStringConvertible {
    /// PWLQ weight bits b (2…8); the code on the weight stream is b + 1 bits.
    public let weightBits: Int

    /// Validates and creates the shape.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(weightBits: Int) throws(PerfError) {
        guard (2...8).contains(weightBits) else { throw PerfError("invalid code-width: \(weightBits) (PWLQ weights take b = 2…8 bits)") }
        self.weightBits = weightBits
    }

    /// Bits of one weight code on the stream: b + 1 (the region bit).
    public var weightCodeBits: Int { weightBits + 1 }
    /// Accumulators each PE drains per output (A1, A2, A3).
    public static let sumsPerOutput = 3
    /// Bits of the per-output-channel constants s1, s2 and p (three float32).
    public static let channelConstantBits = 3 * 32

    /// `layer` as the PWLQ array runs it: its activations as given (4-bit or int8), its
    /// weights PWLQ codes issued in one step (recorded as 4-bit so T is the activation's).
    public func runs(_ layer: GemmLayer) -> GemmLayer { layer.with(activationBits: layer.activationBits, weightBits: .four) }

    /// `PWLQ b=4`.
    public var description: String { "PWLQ b=\(weightBits)" }
}

extension PwlqShape: ArrayPerfShape {
    public var dataflow: ArrayDataflow { .os }
    public var pipeline: StreamTiming.Pipeline { .skewed }
    public var reportKey: String? { "pwlq" }
    public var processingElementGenerator: String { "PwlqProcessingElement" }
    public func validate(rows: Int, cols: Int) throws(PerfError) {}
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) {
        if !array.int8 && layer.activationBits == .eight {
            throw PerfError("layer '\(layer.name)' has int8 activations but the PWLQ array is built with --no-int8")
        }
    }
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int { LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount }
    /// K beats of the activation's T steps (the weight code is one step whatever b is).
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? {
        outputStationaryCycles(layer, on: array, beats: layer.k, steps: layer.terms)
    }
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double { Double(layer.macs) * Double(layer.terms) }
    /// tiles × K × T.
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int { tileCount(of: layer, on: array) * layer.k * layer.terms }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(pwlq: self, layer: layer, array: array) }
}

extension LayerTraffic {
    /// The traffic of `layer` (already ``PwlqShape/runs(_:)``) on a PWLQ `array`: as the
    /// output-stationary array's, with (b + 1)-bit weight codes, three W-bit sums per output
    /// into and out of the output buffer, and the channel constants read from DRAM once.
    init(pwlq: PwlqShape, layer: GemmLayer, array: PerfArray) {
        let t = LayerTiling(layer, rows: array.rows, cols: array.cols)
        let sums = PwlqShape.sumsPerOutput
        let w = array.accumulatorWidth
        let dram = Self.dramOperandBits(layer, tiling: t, array: array, weightBits: pwlq.weightCodeBits)
            + layer.n * PwlqShape.channelConstantBits
        self.init(activationBufferReadBits: t.tileCount * layer.k * array.rows * layer.activationBits.rawValue,
                  weightBufferReadBits: t.tileCount * layer.k * array.cols * pwlq.weightCodeBits,
                  outputBufferWriteBits: t.tileCount * array.rows * array.cols * w * sums,
                  outputBufferReadBits: layer.m * layer.n * w * sums,
                  operandBufferFillBits: dram, dramReadBits: dram,
                  dramWriteBits: layer.m * layer.n * layer.activationBits.rawValue)
    }
}
