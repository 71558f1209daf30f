import AntgenDSL

/// The build parameters of a PWLQ array (`antgen emit --weight-format pwlq`, docs/architecture.md
/// §13): PWLQ weights of b bits (+ the region bit) × uniform int4 activations, optionally int8
/// activations through the nibble terms.
public struct PwlqArrayParameters: Sendable, Equatable {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int
    /// The weight code width b (codes are b + 1 bits with the region bit), 2…8.
    public let weightBits: Int
    /// W of each of the three accumulators.
    public let accumulatorWidth: Int
    /// int8 activations through two nibble-term steps per beat (`cfg_act_int8`).
    public let int8: Bool
    /// The K the accumulator width is checked against.
    public let maxReduction: Int
    /// Partial-sum preload at the outputs (docs/architecture.md §14).
    public let preload: Bool
    /// The 12-bit partial-sum codec: preload rows arrive as codes and outputs leave as codes
    /// too (implies `preload`).
    public let codec: Bool

    /// Validates the parameters (each bad value is one `ParameterError`).
    public init(rows: Int, cols: Int, weightBits: Int = 4, accumulatorWidth: Int = 32, int8: Bool = true, maxReduction: Int = 4608,
                preload: Bool = false, codec: Bool = false) throws {
        func check(_ range: ClosedRange<Int>, _ value: Int, _ name: String) throws {
            guard range.contains(value) else {
                throw ParameterError(parameter: name, message: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
            }
        }
        try check(ArrayParameters.dimensionRange, rows, "rows")
        try check(ArrayParameters.dimensionRange, cols, "cols")
        try check(2 ... 8, weightBits, "code-width")
        try check(3 ... 62, accumulatorWidth, "acc-width")
        try check(ArrayParameters.maxReductionRange, maxReduction, "max-k")
        self.rows = rows
        self.cols = cols
        self.weightBits = weightBits
        self.accumulatorWidth = accumulatorWidth
        self.int8 = int8
        self.maxReduction = maxReduction
        if codec { try PartialSumStage.checkCodec(accumulatorWidth: accumulatorWidth) }
        self.preload = preload || codec
        self.codec = codec
    }

    /// The partial-sum stage, when enabled.
    public var partialSumStage: PartialSumStage? {
        preload ? PartialSumStage(streams: 3, cols: cols, rows: rows, sumWidth: accumulatorWidth, codec: codec) : nil
    }

    /// The activation stream: int only, 4-bit codes, int8 through the nibble terms.
    public var activation: OperandFormat { OperandFormat(codeWidth: 4, types: [.int], int8: int8) }
    /// The PE widths.
    public var peShape: PwlqPEShape {
        PwlqPEShape(activationMantissa: activation.mantissaWidth, activationExponent: activation.exponentWidth,
                    weightBits: weightBits, accumulatorWidth: accumulatorWidth)
    }
    /// Weight code port width (b + 1).
    public var weightCodeWidth: Int { weightBits + 1 }
    /// `out_row` width.
    public var rowIndexWidth: Int { bitsToIndex(rows) }
    /// Largest |product| an accumulator adds: 128 (int8) or 15 (uint4) times 2^(b−1) − 1.
    public var maxProduct: Int { (int8 ? 128 : 15) * ((1 << (weightBits - 1)) - 1) }
    /// The spec §3 width for `maxReduction` (every one of the three sums fits it: |A3| ≤ K·128).
    public var minimumAccumulatorWidth: Int {
        ArrayParameters.minimumAccumulatorWidth(maxProduct: Magnitude(mantissa: max(maxProduct, int8 ? 128 : 15), exponent: 0), reduction: maxReduction)
    }
    /// Steps per beat: 2 with int8 activations, else 1.
    public func stepsPerBeat(int8Activations: Bool) -> Int { int8Activations ? 2 : 1 }
    /// Cycles from accepting a tile's last beat to its first output row: T + R + C.
    public func firstRowLatency(int8Activations: Bool) -> Int { streamTiming.firstRowLatency(stepsPerBeat: stepsPerBeat(int8Activations: int8Activations)) }
    /// Cycles from accepting a tile's last beat to its last output row: T + 2R + C − 1.
    public func lastRowLatency(int8Activations: Bool) -> Int { streamTiming.lastRowLatency(stepsPerBeat: stepsPerBeat(int8Activations: int8Activations)) }
    /// The exact stream timing (skewed output-stationary, as the ANT array's).
    public var streamTiming: StreamTiming { .skewed(rows: rows, cols: cols) }
}
