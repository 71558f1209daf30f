import AntgenDSL
import AntgenNumerics

/// A generator parameter that is out of range, named so the user knows what to change.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter's name as on the command line (`rows`, `acc-width`, …).
    public let parameter: String
    /// Why the value is rejected and what is accepted.
    public let message: String

    /// Creates the error.
    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    /// `invalid rows: 0 is outside 1…256`.
    public var description: String { "invalid \(parameter): \(message)" }
}

/// The validated parameters of one ANT systolic array build (the paper's knobs).
///
/// Construction checks every value; an instance always describes buildable hardware.
public struct ArrayParameters: Sendable, Equatable {
    /// Supported array dimensions.
    public static let dimensionRange = 1...256
    /// Supported native code widths.
    public static let codeWidthRange = 2...8
    /// Supported accumulator widths.
    public static let accumulatorWidthRange = 2...256
    /// Supported reduction lengths for the minimum-W report.
    public static let maxReductionRange = 1...(1 << 40)
    /// The paper's evaluation point, `make demo`'s default: 32 × 32, int/flint/pot with int8,
    /// and W = 42, the least that K = 4608 (BERT-base's FFN) needs at P_max = 2^28, so no
    /// reduction of a transformer layer wraps.
    public static let paperDefault = try! ArrayParameters(
        rows: 32, cols: 32, codeWidth: 4, activationTypes: [.int, .flint, .pot], weightTypes: [.int, .flint, .pot],
        accumulatorWidth: 42, int8: true, maxReduction: 4608)

    /// Rows of PEs (activation streams, one output row each).
    public let rows: Int
    /// Columns of PEs (weight streams).
    public let cols: Int
    /// Bits of a native operand code.
    public let codeWidth: Int
    /// What the activation stream can carry.
    public let activation: OperandFormat
    /// What the weight stream can carry.
    public let weight: OperandFormat
    /// W: bits of every accumulator, two's complement, wrapping (spec §3).
    public let accumulatorWidth: Int
    /// True when both streams accept int8 through the nibble-term decomposition.
    public let int8: Bool
    /// The longest reduction (K) the minimum-W report assumes.
    public let maxReduction: Int
    /// Partial-sum preload at the outputs (`--psum-preload`, docs/architecture.md §14).
    public let preload: Bool
    /// The 12-bit partial-sum codec: preload rows arrive as codes and outputs also leave as
    /// codes (`--psum-codec`; implies `preload`).
    public let codec: Bool

    /// Validates and creates the parameters.
    /// - Throws: ``ParameterError`` naming the first bad parameter.
    public init(rows: Int, cols: Int, codeWidth: Int = 4, activationTypes: [AntType], weightTypes: [AntType],
                accumulatorWidth: Int, int8: Bool, maxReduction: Int = 4608, preload: Bool = false, codec: Bool = false) throws {
        func check(_ range: ClosedRange<Int>, _ value: Int, _ name: String) throws {
            guard range.contains(value) else {
                throw ParameterError(parameter: name, message: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
            }
        }
        try check(Self.dimensionRange, rows, "rows")
        try check(Self.dimensionRange, cols, "cols")
        try check(Self.codeWidthRange, codeWidth, "code-width")
        try check(Self.accumulatorWidthRange, accumulatorWidth, "acc-width")
        try check(Self.maxReductionRange, maxReduction, "max-k")
        try Self.checkTypes(activationTypes, codeWidth: codeWidth, parameter: "act-types")
        try Self.checkTypes(weightTypes, codeWidth: codeWidth, parameter: "weight-types")
        if int8 && codeWidth != 4 {
            throw ParameterError(parameter: "int8", message: "int8 is decomposed into 4-bit nibble terms and needs code width 4, not \(codeWidth); for native 8-bit codes use --code-width 8 with int")
        }
        self.rows = rows
        self.cols = cols
        self.codeWidth = codeWidth
        self.activation = OperandFormat(codeWidth: codeWidth, types: activationTypes, int8: int8)
        self.weight = OperandFormat(codeWidth: codeWidth, types: weightTypes, int8: int8)
        self.accumulatorWidth = accumulatorWidth
        self.int8 = int8
        self.maxReduction = maxReduction
        if codec { try PartialSumStage.checkCodec(accumulatorWidth: accumulatorWidth) }
        self.preload = preload || codec
        self.codec = codec
    }

    /// The same build with the partial-sum stage set as given (`--psum-preload`, `--psum-codec`).
    /// - Throws: ``ParameterError`` when the codec does not cover W.
    public func withPartialSums(preload: Bool, codec: Bool) throws -> ArrayParameters {
        try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth, activationTypes: activation.types, weightTypes: weight.types,
                            accumulatorWidth: accumulatorWidth, int8: int8, maxReduction: maxReduction, preload: preload, codec: codec)
    }

    /// The partial-sum stage at the outputs (one sum per column), when enabled.
    public var partialSumStage: PartialSumStage? {
        preload ? PartialSumStage(streams: 1, cols: cols, rows: rows, sumWidth: accumulatorWidth, codec: codec) : nil
    }

    /// Every type must be valid for both signednesses, since signedness is a run-time bit.
    static func checkTypes(_ types: [AntType], codeWidth n: Int, parameter: String) throws {
        guard !types.isEmpty else {
            throw ParameterError(parameter: parameter, message: "at least one of int, flint, pot, float must be enabled")
        }
        for type in types {
            switch type {
            case .int: continue
            case .flint where n < 3:
                throw ParameterError(parameter: parameter, message: "flint needs at least 3-bit codes (signed flint has n = bits − 1 ≥ 2 magnitude bits); code width is \(n)")
            case .float where n < 3:
                throw ParameterError(parameter: parameter, message: "float needs at least 3-bit codes (signed float has B = bits − 1 ≥ 2); code width is \(n)")
            case .pot where n > 7:
                throw ParameterError(parameter: parameter, message: "unsigned \(n)-bit pot reaches 2^\((1 << n) - 2) and is invalid (spec §1); use code width ≤ 7 or drop pot")
            default: continue
            }
        }
    }

    /// Largest |product| of one activation and one weight, in units (spec §3's P_max).
    public var maxProduct: Magnitude {
        let a = activation.maxMagnitude
        let w = weight.maxMagnitude
        return Magnitude(mantissa: a.mantissa * w.mantissa, exponent: a.exponent + w.exponent)
    }

    /// Spec §3: W = ⌈log2(K·P_max + 1)⌉ + 1 for the worst enabled type pair.
    public var minimumAccumulatorWidth: Int {
        Self.minimumAccumulatorWidth(maxProduct: maxProduct, reduction: maxReduction)
    }

    /// Spec §3 for any P_max = M·2^E and K. For an integer x ≥ 1, ⌈log2(x + 1)⌉ is the
    /// bit length of x, so W = bitLength(K·M) + E + 1, exact for any E.
    public static func minimumAccumulatorWidth(maxProduct: Magnitude, reduction k: Int) -> Int {
        let scaled = Magnitude(mantissa: maxProduct.mantissa * k, exponent: maxProduct.exponent)
        return scaled.bitLength + 1
    }

    /// A warning when W is below the spec's minimum for `maxReduction`, else `nil`.
    public var accumulatorWarning: String? {
        let needed = minimumAccumulatorWidth
        guard accumulatorWidth < needed else { return nil }
        return "accumulator width \(accumulatorWidth) is below the \(needed) bits that K = \(maxReduction) needs for P_max = \(maxProduct) (act \(activation.typeList)\(int8 ? ",int8" : ""), weight \(weight.typeList)\(int8 ? ",int8" : "")); long reductions will wrap"
    }

    /// Width of the `out_row` port.
    public var rowIndexWidth: Int { bitsToIndex(rows) }
}

extension ArrayParameters {
    /// The exact stream timing of this build for `dataflow`: skewed output-stationary
    /// (``AntArray``) or weight-stationary (``WsArray``).
    public func streamTiming(dataflow: ArrayDataflow) -> StreamTiming {
        dataflow == .os ? .skewed(rows: rows, cols: cols) : .weightStationary(rows: rows, cols: cols)
    }
}
