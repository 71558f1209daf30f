import AntgenDSL
import AntgenNumerics

/// The validated parameters of one SDP array build (`antgen emit --sdp`, docs/architecture.md §10).
///
/// Activations are always 8-bit integers (signed or unsigned at run time) split into nibble
/// parts (spec §8); weights are any enabled 4-bit ANT type, or int8 through nibble terms.
public struct SdpArrayParameters: Sendable, Equatable {
    /// PE rows and columns (1…64).
    public let rows: Int, cols: Int
    /// G: values per group (2, 4, 8 or 16).
    public let group: Int
    /// T: kept parts per group (1…2G).
    public let terms: Int
    /// The weight stream (code width 4).
    public let weight: OperandFormat
    /// W.
    public let accumulatorWidth: Int

    /// Creates validated parameters.
    /// - Throws: ``ParameterError`` naming the first bad value.
    public init(rows: Int, cols: Int, group: Int, terms: Int, weightTypes: [AntType], weightInt8: Bool, accumulatorWidth: Int) throws {
        guard (1...64).contains(rows) else { throw ParameterError(parameter: "rows", message: "\(rows) is outside 1…64 for --sdp") }
        guard (1...64).contains(cols) else { throw ParameterError(parameter: "cols", message: "\(cols) is outside 1…64 for --sdp") }
        guard [2, 4, 8, 16].contains(group) else { throw ParameterError(parameter: "group", message: "\(group) must be 2, 4, 8 or 16") }
        guard (1...(2 * group)).contains(terms) else {
            throw ParameterError(parameter: "terms", message: "\(terms) is outside 1…\(2 * group) (2G) for G = \(group)")
        }
        guard !weightTypes.isEmpty else { throw ParameterError(parameter: "weight-types", message: "at least one type is needed") }
        guard (2...64).contains(accumulatorWidth) else {
            throw ParameterError(parameter: "acc-width", message: "\(accumulatorWidth) is outside 2…64 for --sdp")
        }
        self.rows = rows; self.cols = cols; self.group = group; self.terms = terms
        self.weight = OperandFormat(codeWidth: 4, types: weightTypes, int8: weightInt8)
        self.accumulatorWidth = accumulatorWidth
    }

    /// Bits of a term's index within its group.
    public var indexWidth: Int { max(1, minimalUnsignedWidth(group - 1)) }
    /// Bits of the step counter (2T − 1 steps with int8 weights).
    public var stepWidth: Int { max(1, minimalUnsignedWidth(2 * terms - 1)) }
    /// Bits of `out_row`.
    public var rowIndexWidth: Int { max(1, minimalUnsignedWidth(rows - 1)) }
    /// Weight-buffer entries per PE: G, or 2G with int8 weights (both nibble terms).
    public var weightEntries: Int { weight.int8 ? 2 * group : group }
    /// The decoded weight operand.
    public var weightOperand: Operand { Operand(mantissaWidth: weight.mantissaWidth, shiftWidth: weight.exponentWidth) }
    /// Bits of one packed decoded weight {sign, M, E}.
    public var weightOperandWidth: Int { 1 + weight.mantissaWidth + weight.exponentWidth }
    /// Bits of one packed term lane {sign, M, E, index}.
    public var termWidth: Int { 1 + 4 + 3 + indexWidth }
    /// The activation term operand: M ≤ 15 (4 bits), E ∈ {0, 4} (3 bits).
    public static var termOperand: Operand { Operand(mantissaWidth: 4, shiftWidth: 3) }
    /// The shape of the MAC inside each SDP PE.
    public var peShape: PEShape {
        PEShape(activationMantissa: 4, activationExponent: 3, weightMantissa: weight.mantissaWidth,
                weightExponent: weight.exponentWidth, accumulatorWidth: accumulatorWidth)
    }
    /// Term steps per group: T, or 2T with int8 weights.
    public func stepsPerGroup(weightInt8: Bool) -> Int { weightInt8 ? 2 * terms : terms }
    /// Cycles from the accepted last beat to the first output row (no stalls): steps + R + C.
    public func firstRowLatency(weightInt8: Bool) -> Int { streamTiming.firstRowLatency(stepsPerBeat: stepsPerGroup(weightInt8: weightInt8)) }
    /// … and to the last output row: steps + 2R + C − 1.
    public func lastRowLatency(weightInt8: Bool) -> Int { streamTiming.lastRowLatency(stepsPerBeat: stepsPerGroup(weightInt8: weightInt8)) }
    /// The exact stream timing (skewed output-stationary; one beat is one group of S steps).
    public var streamTiming: StreamTiming { .skewed(rows: rows, cols: cols) }
}

extension PEShape {
    /// A shape from its widths (the SDP PE's MAC).
    init(activationMantissa: Int, activationExponent: Int, weightMantissa: Int, weightExponent: Int, accumulatorWidth: Int) {
        self.activationMantissa = activationMantissa
        self.activationExponent = activationExponent
        self.weightMantissa = weightMantissa
        self.weightExponent = weightExponent
        self.accumulatorWidth = accumulatorWidth
    }
}

/// One selected activation term on its way along a row: (−1)^sign · mantissa · 2^shift,
/// and the position of its value within the group, which picks its weight.
/// Packed `{sign, mantissa, shift, index}`.
public struct SdpTermLane: BundleSpec {
    /// The value's sign.
    public let sign = Field(.bool)
    /// The part's digit (H or Lo), 0…15.
    public let mantissa = Field(.uint(4))
    /// 4 for a high part, 0 for a low part.
    public let shift = Field(.uint(3))
    /// The value's position in the group.
    public let index: Field
    /// A lane with `indexWidth` index bits.
    public init(indexWidth: Int) { index = Field(.uint(indexWidth)) }
}

/// The step control of the SDP mesh. Packed `{wterm, load, last, first, valid}`.
public struct SdpControl: BundleSpec {
    /// With int8 weights: this step uses the weight's low nibble term.
    public let wterm = Field(.bool)
    /// The first step of a group: the PE loads its weight buffer.
    public let load = Field(.bool)
    /// The tile's last step.
    public let last = Field(.bool)
    /// The tile's first step.
    public let first = Field(.bool)
    /// The step carries a term.
    public let valid = Field(.bool)
    /// The control bundle.
    public init() {}
}
