/// One block of an MX tensor: the shared scale and the element codes (spec §5.3).
public struct MxBlock: Sendable, Hashable {
    /// The shared E8M0 scale.
    public let scale: MxScale
    /// The element codes, one per value of the block (a short last block is not padded).
    public let codes: [Int]
}

/// Quantizes values to an MX format in blocks along the last axis (spec §5.3): the reduction
/// axis of a `[out, in]` linear weight and of `[tokens, in]` activations alike.
public struct MxQuantizer: Sendable, Hashable {
    /// The element format.
    public let format: MxElementFormat
    /// Elements per block along the last axis, k (32 in OCP MX v1.0).
    public let blockSize: Int
    /// Rounding, FP8 overflow mode and INT8 range.
    public let options: MxEncodingOptions

    /// Creates a quantizer; `blockSize` must be ≥ 1.
    public init(format: MxElementFormat, blockSize: Int = 32, options: MxEncodingOptions = MxEncodingOptions()) {
        precondition(blockSize >= 1, "MX block size must be at least 1")
        self.format = format
        self.blockSize = blockSize
        self.options = options
    }

    /// One block: the shared exponent from the largest |value|, then every value divided by
    /// the scale and encoded. NaN inputs are ignored for the scale (they encode to the
    /// format's NaN or 0); a scale above 2^127 is the NaN scale.
    public func quantizeBlock(_ values: ArraySlice<Double>) -> MxBlock {
        let amax = values.reduce(0.0) { $1.isFinite ? max($0, $1.magnitude) : ($1.isInfinite ? .infinity : $0) }
        let scale = amax.isFinite ? MxScale.shared(amax: amax, format: format) : MxScale(exponent: 127)
        if scale.isNaN { return MxBlock(scale: scale, codes: values.map { _ in format.hasNaN ? format.nanCode : 0 }) }
        let inverse = Double(sign: .plus, exponent: -scale.exponent, significand: 1)
        return MxBlock(scale: scale, codes: values.map { format.encode($0 * inverse, options: options) })
    }

    /// The dequantised values of a block: element value × scale (NaN under a NaN scale).
    public func dequantize(_ block: MxBlock) -> [Double] {
        block.codes.map { format.value($0) * block.scale.value }
    }

    /// Quantizes a C-order tensor of shape `shape` in blocks along its last axis.
    public func quantize(_ values: [Double], shape: [Int]) -> MxQuantization {
        let rowLength = shape.last ?? 1
        let rows = rowLength == 0 ? 0 : values.count / rowLength
        let blocksPerRow = (rowLength + blockSize - 1) / blockSize
        var codes: [UInt8] = []
        var scales: [UInt8] = []
        var dequantized: [Double] = []
        codes.reserveCapacity(values.count)
        dequantized.reserveCapacity(values.count)
        scales.reserveCapacity(rows * blocksPerRow)
        for row in 0 ..< rows {
            for blockIndex in 0 ..< blocksPerRow {
                let start = row * rowLength + blockIndex * blockSize
                let end = min(start + blockSize, (row + 1) * rowLength)
                let block = quantizeBlock(values[start ..< end])
                scales.append(UInt8(block.scale.code))
                codes.append(contentsOf: block.codes.map { UInt8($0) })
                dequantized.append(contentsOf: dequantize(block))
            }
        }
        let scaleShape = Array(shape.dropLast()) + [blocksPerRow]
        return MxQuantization(format: format, blockSize: blockSize, codes: codes, scales: scales, scaleShape: scaleShape,
                              dequantized: dequantized, original: values)
    }
}

/// The result of quantizing one tensor to MX.
public struct MxQuantization: Sendable {
    /// The element format.
    public let format: MxElementFormat
    /// The block size k.
    public let blockSize: Int
    /// One code per element, C order, same shape as the input.
    public let codes: [UInt8]
    /// One E8M0 code per block, shape `scaleShape`.
    public let scales: [UInt8]
    /// The input shape with the last axis replaced by the number of blocks along it.
    public let scaleShape: [Int]
    /// Element value × scale for every element.
    public let dequantized: [Double]
    /// Mean squared error against the input.
    public let meanSquaredError: Double
    /// Mean x² of the input.
    public let meanSquare: Double

    init(format: MxElementFormat, blockSize: Int, codes: [UInt8], scales: [UInt8], scaleShape: [Int],
         dequantized: [Double], original: [Double]) {
        self.format = format
        self.blockSize = blockSize
        self.codes = codes
        self.scales = scales
        self.scaleShape = scaleShape
        self.dequantized = dequantized
        var error = 0.0
        var square = 0.0
        for (x, q) in zip(original, dequantized) {
            error += (x - q) * (x - q)
            square += x * x
        }
        let count = Double(max(original.count, 1))
        meanSquaredError = error / count
        meanSquare = square / count
    }

    /// MSE / mean x² (0 for an all-zero tensor).
    public var relativeError: Double { meanSquare > 0 ? meanSquaredError / meanSquare : 0 }
}
