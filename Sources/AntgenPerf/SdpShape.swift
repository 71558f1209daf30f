import AntgenHardware

/// The SDP array (`antgen emit --sdp`, docs/architecture.md §10) as the model sees it: an
/// output-stationary array whose input beat is one group of G reduction indices with int8
/// activations, of whose 2G nibble parts exactly T are issued, one per cycle (2T cycles with
/// int8 weights, which take both weight nibble terms).
///
/// Cycles are the output-stationary model's (``OutputStationaryCycles``) with K·T replaced by
/// ⌈K/G⌉ group beats of S steps each: a tile's last step waits R cycles after the previous
/// tile's, the first row leaves S + R + C cycles after the last beat's acceptance (checked
/// against `antgen verify --sdp --tile-groups`, SdpCycleTests).
public struct SdpShape: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Values per group, G (2, 4, 8 or 16).
    public let group: Int
    /// Nibble parts kept per group, T (1…2G).
    public let terms: Int

    /// Validates and creates the shape.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(group: Int, terms: Int) throws(PerfError) {
        guard [2, 4, 8, 16].contains(group) else { throw PerfError("invalid group: \(group) (the SDP array takes G = 2, 4, 8 or 16)") }
        guard (1...(2 * group)).contains(terms) else { throw PerfError("invalid terms: \(terms) is outside 1…\(2 * group) (2G parts per group)") }
        self.group = group
        self.terms = terms
    }

    /// Cycles one group beat occupies: T, or 2T with int8 weights.
    public func steps(weightBits: LayerBits) -> Int { weightBits == .eight ? 2 * terms : terms }
    /// Group beats of a reduction of length k: ⌈k/G⌉ (the last group padded with zeros).
    public func beats(k: Int) -> Int { ceilDiv(k, group) }
    /// `SDP G=8 T=12`.
    public var description: String { "SDP G=\(group) T=\(terms)" }
}

extension SdpShape: ArrayPerfShape {
    public var dataflow: ArrayDataflow { .os }
    public var pipeline: StreamTiming.Pipeline { .skewed }
    public var reportKey: String? { "sdp" }
    public var processingElementGenerator: String { "SdpProcessingElement" }
    public func validate(rows: Int, cols: Int) throws(PerfError) {}
    /// Every layer runs with int8 activations.
    public func runs(_ layer: GemmLayer) -> GemmLayer { layer.with(activationBits: .eight, weightBits: layer.weightBits) }
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) {
        if !array.int8 && layer.weightBits == .eight {
            throw PerfError("layer '\(layer.name)' has int8 weights but the SDP array is built with --no-int8")
        }
    }
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int { LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount }
    /// ⌈K/G⌉ group beats of S steps each.
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? {
        outputStationaryCycles(layer, on: array, beats: beats(k: layer.k), steps: steps(weightBits: layer.weightBits))
    }
    /// m·k·n·S/G: S steps per group of G values.
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double {
        Double(layer.macs) * Double(steps(weightBits: layer.weightBits)) / Double(group)
    }
    /// tiles × ⌈K/G⌉ × S.
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int {
        tileCount(of: layer, on: array) * beats(k: layer.k) * steps(weightBits: layer.weightBits)
    }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(sdp: self, layer: layer, array: array) }
}

extension LayerTraffic {
    /// The traffic of `layer` on an SDP `array`: as the output-stationary array's for the layer
    /// with K padded to whole groups and int8 activations (every beat carries R·G activation
    /// codes and C·G weight codes, padding included), the DRAM traffic of the unpadded layer.
    init(sdp: SdpShape, layer: GemmLayer, array: PerfArray) {
        let a8 = layer.with(activationBits: .eight, weightBits: layer.weightBits)
        let padded = try! GemmLayer(name: layer.name, m: layer.m, k: sdp.beats(k: layer.k) * sdp.group, n: layer.n,
                                    activationBits: .eight, weightBits: layer.weightBits)
        let streamed = LayerTraffic(outputStationary: padded, array: array)
        let dram = LayerTraffic(outputStationary: a8, array: array)
        self.init(activationBufferReadBits: streamed.activationBufferReadBits, weightBufferReadBits: streamed.weightBufferReadBits,
                  outputBufferWriteBits: streamed.outputBufferWriteBits, outputBufferReadBits: streamed.outputBufferReadBits,
                  operandBufferFillBits: dram.operandBufferFillBits, dramReadBits: dram.dramReadBits, dramWriteBits: dram.dramWriteBits)
    }
}
