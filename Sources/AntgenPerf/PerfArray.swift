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

/// The array the model maps layers onto: what `antgen emit` builds (rows × cols 4-bit PEs,
/// W-bit accumulators, int8 through nibble terms), its dataflow, clock and buffers.
public struct PerfArray: Sendable, Equatable, Codable {
    /// PE rows (R).
    public let rows: Int
    /// PE columns (C).
    public let cols: Int
    /// The dataflow.
    public let dataflow: ArrayDataflow
    /// Accumulator width W (bits of every partial sum and result).
    public let accumulatorWidth: Int
    /// Whether the build carries int8 (nibble terms); without it every operand must be 4-bit.
    public let int8: Bool
    /// The clock in MHz (time = cycles / clock).
    public let clockMHz: Double
    /// On-chip buffers.
    public let buffers: BufferSizes
    /// The SDP array's group and kept parts (nil: the ANT array; SDP is output-stationary).
    public let sdp: SdpShape?
    /// The PWLQ array's weight bits (nil: ANT weights; the PWLQ array is output-stationary).
    public let pwlq: PwlqShape?
    /// The MX array's formats and block size (nil: not the MX array; it is output-stationary).
    public let mx: MxShape?

    /// Validates and creates the array.
    /// - Throws: ``PerfError`` naming the bad value.
    public init(rows: Int, cols: Int, dataflow: ArrayDataflow = .os, accumulatorWidth: Int = 32, int8: Bool = true,
                clockMHz: Double = 500, buffers: BufferSizes = .standard, sdp: SdpShape? = nil,
                pwlq: PwlqShape? = nil, mx: MxShape? = nil) throws(PerfError) {
        if sdp != nil && dataflow != .os { throw PerfError("the SDP array is output-stationary: it takes --dataflow os") }
        if pwlq != nil && dataflow != .os { throw PerfError("the PWLQ array is output-stationary: it takes --dataflow os") }
        if pwlq != nil && sdp != nil { throw PerfError("the PWLQ and SDP shapes are different arrays; choose one") }
        if mx != nil && dataflow != .os { throw PerfError("the MX array is output-stationary: it takes --dataflow os") }
        if mx != nil && (sdp != nil || pwlq != nil) { throw PerfError("the MX array is a different array from the SDP and PWLQ arrays; choose one") }
        if let mx, rows > mx.blockSize {
            throw PerfError("the MX array's rows (\(rows)) must not exceed its block size (\(mx.blockSize)): the drain takes one row per cycle")
        }
        guard (1...256).contains(rows) else { throw PerfError("invalid rows: \(rows) is outside 1…256") }
        guard (1...256).contains(cols) else { throw PerfError("invalid cols: \(cols) is outside 1…256") }
        guard (2...256).contains(accumulatorWidth) else { throw PerfError("invalid acc-width: \(accumulatorWidth) is outside 2…256") }
        guard clockMHz.isFinite, clockMHz > 0 else { throw PerfError("invalid clock: \(clockMHz) MHz must be a positive number") }
        for (name, bytes) in [("act-buffer", buffers.activationBytes), ("weight-buffer", buffers.weightBytes), ("out-buffer", buffers.outputBytes)]
        where bytes < 1 {
            throw PerfError("invalid \(name): \(bytes) bytes must be at least 1")
        }
        self.rows = rows
        self.cols = cols
        self.dataflow = dataflow
        self.accumulatorWidth = accumulatorWidth
        self.int8 = int8
        self.clockMHz = clockMHz
        self.buffers = buffers
        self.sdp = sdp
        self.pwlq = pwlq
        self.mx = mx
    }

    /// Checks that the array can run `layer` at its precision (the SDP array takes int8
    /// activations whatever the layer says, and int8 weights only with int8 on; the MX array
    /// runs every layer in its own formats).
    /// - Throws: ``PerfError`` for an int8 layer on a build without int8.
    public func check(_ layer: GemmLayer) throws(PerfError) {
        if mx != nil { return }
        if sdp != nil {
            if !int8 && layer.weightBits == .eight {
                throw PerfError("layer '\(layer.name)' has int8 weights but the SDP array is built with --no-int8")
            }
            return
        }
        if pwlq != nil {
            if !int8 && layer.activationBits == .eight {
                throw PerfError("layer '\(layer.name)' has int8 activations but the PWLQ array is built with --no-int8")
            }
            return
        }
        if !int8 && (layer.activationBits == .eight || layer.weightBits == .eight) {
            throw PerfError("layer '\(layer.name)' needs int8 (\(layer.precisionLabel)) but the array is built with --no-int8")
        }
    }
}

extension PerfArray: CustomStringConvertible {
    /// `array: 32x32 output-stationary, W32, int8 on, 500 MHz`.
    public var description: String {
        "array: \(rows)x\(cols) \(dataflow == .os ? "output-stationary" : "weight-stationary")\(sdp.map { " \($0)" } ?? "")\(pwlq.map { " \($0)" } ?? "")\(mx.map { " \($0)" } ?? ""), W\(accumulatorWidth), \(int8 ? "int8 on" : "int8 off"), \(String(format: "%g", clockMHz)) MHz"
    }
}
