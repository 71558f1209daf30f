import AntgenHardware

/// One array as the performance model sees it: how it runs a layer (precision, tiles,
/// exact cycles, useful steps, steps per PE, traffic) and which synthesized module is its PE.
///
/// Every array variant's perf shape is one conforming type (``AntOutputStationaryShape``,
/// ``AntWeightStationaryShape``, ``SdpShape``, ``PwlqShape``, ``MxShape``); ``PerformanceModel``,
/// ``LayerTraffic``, ``EnergyModel`` and ``ArrayCells`` only call these requirements, so a new
/// variant adds its perf by writing one type (docs/architecture.md, "Adding an array variant").
///
/// Cycles come from the array's ``StreamTiming`` (``PerfArray/timing``), the same value the
/// hardware manifest states its latencies from. Counts are derived from user input: a
/// conforming type returns nil or throws rather than trap when one overflows `Int`
/// (``PerformanceModel`` also bounds every layer first, ``PerfArray/checkBounds(_:)``).
public protocol ArrayPerfShape: Sendable, Encodable, CustomStringConvertible {
    /// The dataflow it runs (the report's `dataflow`).
    var dataflow: ArrayDataflow { get }
    /// The stream pipeline its timing must have (checked against ``PerfArray/timing``).
    var pipeline: StreamTiming.Pipeline { get }
    /// The key the shape's own fields take in the JSON report (`sdp`, `pwlq`, `mx`), nil for
    /// a shape with none (the ANT array).
    var reportKey: String? { get }
    /// The generator name of its PE module in a synthesis report (the energy model's
    /// per-step cells).
    var processingElementGenerator: String { get }

    /// Checks the shape fits an R × C array.
    /// - Throws: ``PerfError`` naming the conflict.
    func validate(rows: Int, cols: Int) throws(PerfError)
    /// `layer` at the precision the array runs it (e.g. int8 activations on SDP).
    func runs(_ layer: GemmLayer) -> GemmLayer
    /// Checks the array (its int8 option) can run `layer` (already ``runs(_:)``).
    /// - Throws: ``PerfError`` naming the layer.
    func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError)
    /// The array tiles `layer` is cut into.
    func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int
    /// The exact cycles of `layer` alone, first beat to last output row (nil on overflow).
    func cycles(of layer: GemmLayer, on array: PerfArray) -> Int?
    /// PE step slots doing useful work for `layer`.
    func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double
    /// Steps every PE receives for `layer`, padding and load steps included.
    func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int
    /// Operand, partial-sum and DRAM traffic of `layer`.
    func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic
    /// True when `other` is the same shape.
    func isEqual(to other: any ArrayPerfShape) -> Bool
}

extension ArrayPerfShape where Self: Equatable {
    public func isEqual(to other: any ArrayPerfShape) -> Bool { (other as? Self) == self }
}

extension ArrayPerfShape {
    /// The skewed output-stationary cycles of `layer` cut by ``LayerTiling``, each beat
    /// `steps` reduction steps over `beats` beats.
    func outputStationaryCycles(_ layer: GemmLayer, on array: PerfArray, beats: Int, steps: Int) -> Int? {
        let tiling = LayerTiling(layer, rows: array.rows, cols: array.cols)
        return array.timing.streamCycles(tiles: tiling.tileCount, beats: beats, stepsPerBeat: steps)
    }
}

/// The ANT array, output-stationary (`--array ant`): R × C 4-bit PEs, int8 through nibble
/// terms, ``LayerTiling`` tiles of K beats of T steps.
public struct AntOutputStationaryShape: ArrayPerfShape, Equatable {
    /// Creates the shape.
    public init() {}
    public var dataflow: ArrayDataflow { .os }
    public var pipeline: StreamTiming.Pipeline { .skewed }
    public var reportKey: String? { nil }
    public var processingElementGenerator: String { "ProcessingElement" }
    public var description: String { "" }
    public func encode(to encoder: any Encoder) throws {}
    public func validate(rows: Int, cols: Int) throws(PerfError) {}
    public func runs(_ layer: GemmLayer) -> GemmLayer { layer }
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) { try Self.checkInt8(layer, on: array) }
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int { LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount }
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? {
        outputStationaryCycles(layer, on: array, beats: layer.k, steps: layer.terms)
    }
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double { Double(layer.macs) * Double(layer.terms) }
    /// tiles × K × T.
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int { tileCount(of: layer, on: array) * layer.k * layer.terms }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(outputStationary: layer, array: array) }

    /// An int8 layer on a build without int8 (the ANT array in either dataflow).
    static func checkInt8(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) {
        if !array.int8 && (layer.activationBits == .eight || layer.weightBits == .eight) {
            throw PerfError("layer '\(layer.name)' needs int8 (\(layer.precisionLabel)) but the array is built with --no-int8")
        }
    }
}

/// The ANT array, weight-stationary (`--array ant --dataflow ws`): ``WeightStationaryTiling``
/// tiles of R load beats and M compute beats of T steps.
public struct AntWeightStationaryShape: ArrayPerfShape, Equatable {
    /// Creates the shape.
    public init() {}
    public var dataflow: ArrayDataflow { .ws }
    public var pipeline: StreamTiming.Pipeline { .weightStationary }
    public var reportKey: String? { nil }
    public var processingElementGenerator: String { "WsProcessingElement" }
    public var description: String { "" }
    public func encode(to encoder: any Encoder) throws {}
    public func validate(rows: Int, cols: Int) throws(PerfError) {}
    public func runs(_ layer: GemmLayer) -> GemmLayer { layer }
    public func check(_ layer: GemmLayer, on array: PerfArray) throws(PerfError) { try AntOutputStationaryShape.checkInt8(layer, on: array) }
    public func tileCount(of layer: GemmLayer, on array: PerfArray) -> Int {
        WeightStationaryTiling(layer, rows: array.rows, cols: array.cols).tileCount
    }
    public func cycles(of layer: GemmLayer, on array: PerfArray) -> Int? {
        let tiling = WeightStationaryTiling(layer, rows: array.rows, cols: array.cols)
        return array.timing.streamCycles(tiles: tiling.tileCount, beats: tiling.vectors, stepsPerBeat: tiling.terms)
    }
    public func usefulSteps(of layer: GemmLayer, on array: PerfArray) -> Double { Double(layer.macs) * Double(layer.terms) }
    /// tiles × (M·T compute steps + R load steps): a load step moves every PE's stationary weight.
    public func stepsPerPE(_ layer: GemmLayer, on array: PerfArray) -> Int {
        tileCount(of: layer, on: array) * (layer.m * layer.terms + array.rows)
    }
    public func traffic(_ layer: GemmLayer, on array: PerfArray) -> LayerTraffic { LayerTraffic(weightStationary: layer, array: array) }
}
