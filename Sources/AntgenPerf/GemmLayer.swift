import AntgenHardware

/// The precision of one operand of a layer on the array: 4-bit ANT codes (one nibble term)
/// or int8 (two nibble terms, docs/architecture.md §6).
public enum LayerBits: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// 4-bit ANT codes (int, flint, pot or float): native on the 4-bit PEs.
    case four = 4
    /// int8, issued as two nibble terms.
    case eight = 8

    /// The hardware's precision of the operand stream.
    public var precision: OperandPrecision { self == .eight ? .int8 : .native }
    /// Nibble terms per operand value.
    public var terms: Int { precision.terms }
    /// `4` or `8`.
    public var description: String { "\(rawValue)" }

    /// The array's precision for a tensor quantized to `bits` bits: ≤ 4 bits run as native
    /// 4-bit codes (narrower codes sit in the low bits of a 4-bit code), 5…8 bits as int8.
    /// - Throws: ``PerfError`` for more than 8 or fewer than 1 bits.
    public init(carrying bits: Int, what: String) throws(PerfError) {
        switch bits {
        case 1...4: self = .four
        case 5...8: self = .eight
        default: throw PerfError("\(what): \(bits)-bit operands are not carried by the array (it runs 4-bit codes and int8)")
        }
    }
}

/// One GEMM layer: C (m × n) = A (m × k) · W (k × n), with per-operand precision.
public struct GemmLayer: Sendable, Equatable, Codable {
    /// The layer's name (as in the input: `encoder.layer.0.attention.self.query`, …).
    public let name: String
    /// Rows of A and C: tokens for a linear layer.
    public let m: Int
    /// The reduction length: input features.
    public let k: Int
    /// Columns of W and C: output features.
    public let n: Int
    /// The activation precision.
    public let activationBits: LayerBits
    /// The weight precision.
    public let weightBits: LayerBits

    /// Creates a layer.
    /// - Throws: ``PerfError`` when a dimension is below 1 or the MAC count overflows.
    public init(name: String, m: Int, k: Int, n: Int, activationBits: LayerBits = .four, weightBits: LayerBits = .four) throws(PerfError) {
        for (label, value) in [("m", m), ("k", k), ("n", n)] where value < 1 {
            throw PerfError("layer '\(name)': \(label) = \(value) must be at least 1")
        }
        let (mk, o1) = m.multipliedReportingOverflow(by: k)
        let (_, o2) = mk.multipliedReportingOverflow(by: n)
        if o1 || o2 { throw PerfError("layer '\(name)': m·k·n overflows a 64-bit count") }
        self.name = name
        self.m = m
        self.k = k
        self.n = n
        self.activationBits = activationBits
        self.weightBits = weightBits
    }

    /// The precision pair on the array.
    public var throughput: PrecisionPairThroughput {
        PrecisionPairThroughput(activation: activationBits.precision, weight: weightBits.precision)
    }
    /// Reduction steps per beat, T = 1, 2 or 4.
    public var terms: Int { throughput.terms }
    /// Useful multiply-accumulates, m · k · n.
    public var macs: Int { m * k * n }
    /// `a4w8`-style precision label (activation first).
    public var precisionLabel: String { "a\(activationBits)w\(weightBits)" }

    /// This layer at another precision.
    public func with(activationBits a: LayerBits, weightBits w: LayerBits) -> GemmLayer {
        try! GemmLayer(name: name, m: m, k: k, n: n, activationBits: a, weightBits: w)
    }
}

/// A problem with the performance model's input, in one line.
public struct PerfError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
