// The runtime configuration of one GEMM: which ANT type each operand stream uses,
// its signedness and its precision. These encodings are the contract with the
// verification harness and with software; docs/architecture.md tabulates them and
// the manifest records them for every build. The type itself, `AntType`, is the
// project's one number-type model and lives in AntgenNumerics.

import AntgenNumerics

extension AntType {
    /// Width of the `cfg_*_type` ports and each decoder's `type_sel`: every selector code
    /// (the raw value, fixed whatever types a build enables) fits in it.
    public static let selectorWidth = 2
}

/// The precision of one operand stream: native codes or int8 split into nibble terms.
public enum OperandPrecision: Int, Sendable, CustomStringConvertible {
    /// Codes of the array's code width, decoded by the selected ANT type.
    case native = 0
    /// int8 (type field ignored) as two 4-bit nibble terms, spec §2.
    case int8 = 1

    /// Nibble terms per operand value.
    public var terms: Int { self == .int8 ? 2 : 1 }
    /// Operand bits.
    public func bits(codeWidth: Int) -> Int { self == .int8 ? 8 : codeWidth }
    /// `native` or `int8`.
    public var description: String { self == .int8 ? "int8" : "native" }
}

/// Throughput of one precision pair under the temporal int8 scheme.
///
/// int8 runs on the 4-bit PEs by issuing every (activation term, weight term)
/// combination as its own reduction step: one step per cycle, so a beat (one k)
/// occupies `terms` cycles and the array does `rows·cols / terms` MACs per cycle.
public struct PrecisionPairThroughput: Sendable, Equatable {
    /// Activation precision.
    public let activation: OperandPrecision
    /// Weight precision.
    public let weight: OperandPrecision
    /// Reduction steps (cycles) per accepted beat: 1, 2, 2 or 4.
    public var terms: Int { activation.terms * weight.terms }

    /// Creates the pair.
    public init(activation: OperandPrecision, weight: OperandPrecision) {
        self.activation = activation
        self.weight = weight
    }

    /// Full-precision multiply-accumulates per cycle for a `rows × cols` array.
    public func macsPerCycle(rows: Int, cols: Int) -> Double {
        Double(rows * cols) / Double(terms)
    }

    /// `4x4`, `8x4`, `4x8` or `8x8` for a 4-bit array (activation first).
    public func label(codeWidth: Int) -> String {
        "\(activation.bits(codeWidth: codeWidth))x\(weight.bits(codeWidth: codeWidth))"
    }
}

/// The order in which the term sequencer issues the nibble terms of one beat.
///
/// The step counter `t` runs 0 … terms − 1. With both operands int8, t = 2·ta + tw;
/// with one int8 operand its term index is t. Term index 0 is the high nibble
/// (E = 4), index 1 the low nibble (E = 0).
public enum TermSchedule {
    /// The activation's term index at step `t`.
    public static func activationTerm(step t: Int, activation: OperandPrecision, weight: OperandPrecision) -> Int {
        guard activation == .int8 else { return 0 }
        return weight == .int8 ? t >> 1 : t
    }

    /// The weight's term index at step `t`.
    public static func weightTerm(step t: Int, activation: OperandPrecision, weight: OperandPrecision) -> Int {
        weight == .int8 ? t & 1 : 0
    }
}
