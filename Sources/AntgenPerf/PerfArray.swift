import AntgenHardware

/// On-chip buffer capacities the traffic model assumes (bytes). They decide how often an
/// operand has to come again from DRAM (docs/performance-model.md §3).
public struct BufferSizes: Sendable, Equatable, Codable {
    /// Activation (input) buffer.
    public var activationBytes: Int
    /// Weight buffer.
    public var weightBytes: Int
    /// Output / partial-sum buffer.
    public var outputBytes: Int

    /// The defaults: 256 KiB activations, 256 KiB weights, 128 KiB outputs.
    public static let standard = BufferSizes(activationBytes: 256 << 10, weightBytes: 256 << 10, outputBytes: 128 << 10)

    /// Creates the sizes.
    public init(activationBytes: Int, weightBytes: Int, outputBytes: Int) {
        self.activationBytes = activationBytes
        self.weightBytes = weightBytes
        self.outputBytes = outputBytes
    }
}

/// The array the model maps layers onto: its size, accumulator width W, int8 option, clock,
/// buffers, its exact stream timing (the hardware's ``StreamTiming``) and its perf shape (how
/// it runs a layer: ``ArrayPerfShape``).
public struct PerfArray: Sendable, Encodable, Equatable {
    /// PE rows (R).
    public let rows: Int
    /// PE columns (C).
    public let cols: Int
    /// Accumulator width W (bits of every partial sum and result).
    public let accumulatorWidth: Int
    /// Whether the build carries int8 (nibble terms); without it every operand must be 4-bit.
    public let int8: Bool
    /// The clock in MHz (time = cycles / clock).
    public let clockMHz: Double
    /// On-chip buffers.
    public let buffers: BufferSizes
    /// The exact stream timing every cycle count comes from (the hardware parameters' value,
    /// the one the manifest states).
    public let timing: StreamTiming
    /// How the array runs a layer.
    public let shape: any ArrayPerfShape

    /// The dataflow (the shape's).
    public var dataflow: ArrayDataflow { shape.dataflow }

    /// The physical clock range the model accepts, in MHz (1 kHz … 1 THz).
    public static let clockRange: ClosedRange<Double> = 1e-3...1e6

    /// Validates and creates the array; `timing` nil takes the standard timing of the
    /// shape's pipeline (the variants pass their hardware parameters' ``StreamTiming``).
    /// - Throws: ``PerfError`` naming the bad value.
    public init(rows: Int, cols: Int, shape: any ArrayPerfShape, timing: StreamTiming? = nil, accumulatorWidth: Int = 32,
                int8: Bool = true, clockMHz: Double = 500, buffers: BufferSizes = .standard) throws(PerfError) {
        try shape.validate(rows: rows, cols: cols)
        guard (1...256).contains(rows) else { throw PerfError("invalid rows: \(rows) is outside 1…256") }
        guard (1...256).contains(cols) else { throw PerfError("invalid cols: \(cols) is outside 1…256") }
        guard (2...256).contains(accumulatorWidth) else { throw PerfError("invalid acc-width: \(accumulatorWidth) is outside 2…256") }
        guard clockMHz.isFinite, clockMHz > 0 else { throw PerfError("invalid clock: \(clockMHz) MHz must be a positive number") }
        guard Self.clockRange.contains(clockMHz) else {
            throw PerfError("invalid clock: \(clockMHz) MHz is outside the physical range 0.001…1000000 MHz")
        }
        for (name, bytes) in [("act-buffer", buffers.activationBytes), ("weight-buffer", buffers.weightBytes), ("out-buffer", buffers.outputBytes)]
        where bytes < 1 {
            throw PerfError("invalid \(name): \(bytes) bytes must be at least 1")
        }
        let timing = timing ?? Self.standardTiming(shape.pipeline, rows: rows, cols: cols)
        guard timing.pipeline == shape.pipeline, timing.rows == rows, timing.cols == cols else {
            throw PerfError("the stream timing (\(timing.pipeline) \(timing.rows)x\(timing.cols)) is not that of a \(rows)x\(cols) \(shape.pipeline) array")
        }
        self.rows = rows
        self.cols = cols
        self.accumulatorWidth = accumulatorWidth
        self.int8 = int8
        self.clockMHz = clockMHz
        self.buffers = buffers
        self.timing = timing
        self.shape = shape
    }

    /// The ANT array (`--array ant`) in `dataflow`.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(rows: Int, cols: Int, dataflow: ArrayDataflow = .os, accumulatorWidth: Int = 32, int8: Bool = true,
                clockMHz: Double = 500, buffers: BufferSizes = .standard) throws(PerfError) {
        let shape: any ArrayPerfShape = dataflow == .os ? AntOutputStationaryShape() : AntWeightStationaryShape()
        try self.init(rows: rows, cols: cols, shape: shape, accumulatorWidth: accumulatorWidth, int8: int8, clockMHz: clockMHz, buffers: buffers)
    }

    /// The hardware's timing of a `pipeline` array (broadcast: the MX array's latency).
    static func standardTiming(_ pipeline: StreamTiming.Pipeline, rows: Int, cols: Int) -> StreamTiming {
        switch pipeline {
        case .skewed: .skewed(rows: rows, cols: cols)
        case .weightStationary: .weightStationary(rows: rows, cols: cols)
        case .broadcast: .broadcast(rows: rows, cols: cols, latency: MxArray.firstRowLatency)
        }
    }

    /// Checks that the array can run `layer` at its precision (``ArrayPerfShape/check(_:on:)``).
    /// - Throws: ``PerfError`` for an int8 layer on a build without int8.
    public func check(_ layer: GemmLayer) throws(PerfError) { try shape.check(layer, on: self) }

    public static func == (l: PerfArray, r: PerfArray) -> Bool {
        l.rows == r.rows && l.cols == r.cols && l.accumulatorWidth == r.accumulatorWidth && l.int8 == r.int8
            && l.clockMHz == r.clockMHz && l.buffers == r.buffers && l.timing == r.timing && l.shape.isEqual(to: r.shape)
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The report's `array` object: rows, cols, dataflow, accumulatorWidth, int8, clockMHz,
    /// buffers, and the shape's fields under its ``ArrayPerfShape/reportKey``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(rows, forKey: Key("rows"))
        try c.encode(cols, forKey: Key("cols"))
        try c.encode(dataflow, forKey: Key("dataflow"))
        try c.encode(accumulatorWidth, forKey: Key("accumulatorWidth"))
        try c.encode(int8, forKey: Key("int8"))
        try c.encode(clockMHz, forKey: Key("clockMHz"))
        try c.encode(buffers, forKey: Key("buffers"))
        if let key = shape.reportKey { try shape.encode(to: c.superEncoder(forKey: Key(key))) }
    }
}

extension PerfArray: CustomStringConvertible {
    /// `array: 32x32 output-stationary, W32, int8 on, 500 MHz`.
    public var description: String {
        let label = shape.description.isEmpty ? "" : " \(shape)"
        return "array: \(rows)x\(cols) \(dataflow == .os ? "output-stationary" : "weight-stationary")\(label), W\(accumulatorWidth), \(int8 ? "int8 on" : "int8 off"), \(String(format: "%g", clockMHz)) MHz"
    }
}
