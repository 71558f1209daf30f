// The runtime configuration of one GEMM: which ANT type each operand stream uses,
// its signedness and its precision. These encodings are the contract with the
// verification harness and with software; docs/architecture.md tabulates them and
// the manifest records them for every build.

/// An ANT number type the hardware decodes (spec §1–2). `apot` is quantizer-only.
///
/// The raw value is the code driven on `cfg_act_type` / `cfg_weight_type`. It is
/// fixed whatever the enabled set is, so software never depends on the build.
public enum AntType: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// Two's complement (signed) or plain binary (unsigned) integers.
    case int = 0
    /// The tapered "flint" float.
    case flint = 1
    /// Powers of two.
    case pot = 2
    /// IEEE-like float with 3 exponent bits, bias 1 (2 exponent bits when B = 2).
    case float = 3

    /// Width of the `cfg_*_type` ports.
    public static let selectorWidth = 2

    /// The name used on the command line and in manifests.
    public var description: String {
        switch self {
        case .int: return "int"
        case .flint: return "flint"
        case .pot: return "pot"
        case .float: return "float"
        }
    }

    /// Parses a command-line name (`int`, `flint`, `pot`, `float`; `float3`/`floateb3` accepted).
    public init?(name: String) {
        switch name.lowercased() {
        case "int": self = .int
        case "flint": self = .flint
        case "pot": self = .pot
        case "float", "float3", "floateb3", "float-eb3": self = .float
        default: return nil
        }
    }

    /// Orders types by their configuration code.
    public static func < (a: AntType, b: AntType) -> Bool { a.rawValue < b.rawValue }
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
