/// The precisions of the "typical mixed-precision" baseline lane that the FP-on-INT unit is
/// compared against (issue 27 part 4, docs/fp-on-int.md): each runs on its own dedicated unit,
/// one multiply–accumulate per cycle. The raw value is the lane's 2-bit `mode` input.
public enum BaselinePrecision: Int, Sendable, Hashable, Codable, CaseIterable {
    /// 4-bit signed integers (operand bits 3…0), 4 × 4 signed multiplier.
    case int4 = 0
    /// 8-bit signed integers (operand bits 7…0), 8 × 8 signed multiplier.
    case int8 = 1
    /// IEEE binary16 (operand bits 15…0), on the shared FP16/BF16 unit.
    case fp16 = 2
    /// bfloat16 (operand bits 15…0), on the shared FP16/BF16 unit.
    case bf16 = 3

    /// `int4`, `int8`, `fp16`, `bf16`.
    public var label: String { String(describing: self) }
    /// True for FP16 and BF16.
    public var isFloat: Bool { self == .fp16 || self == .bf16 }
    /// The integer format (nil for the floats).
    public var integerFormat: FpIntIntegerFormat? {
        switch self { case .int4: .int4; case .int8: .int8; default: nil }
    }
    /// The float format (nil for the integers).
    public var floatFormat: FpIntFloatFormat? {
        switch self { case .fp16: .fp16; case .bf16: .bf16; default: nil }
    }
}

/// The reference of one baseline lane (docs/fp-on-int.md, "The baseline"): what its
/// accumulator holds after the products of a dot product have been fed to it in order.
///
/// - Integers: acc = Σ a_i · b_i modulo 2^W (two's complement, W-bit wrapping accumulator),
///   the first product loaded instead of added.
/// - FP16 and BF16: each product is rounded once to binary32 (exact for FP16; BF16 products can
///   leave the binary32 range and are then rounded, RNE, subnormals kept, overflow to ±Inf),
///   then added to an FP32 accumulator that starts at −0 (IEEE binary32 addition, RNE). This is
///   the FP-on-INT reference with N = 1 lane and exact alignment
///   (``FpIntDotProduct/dot(a:b:format:unit:)``), reused as it is: one lane is one group.
///   A NaN result is the canonical 0x7FC00000.
public enum MixedPrecisionBaselineReference {
    /// The accumulator's bits after the dot product of `a` and `b`: the low W bits of the
    /// integer sum, or the binary32 pattern of the float sum.
    /// - Throws: ``FpIntError`` for a length mismatch, an empty dot product, a value outside
    ///   the integer range, a bad float code, or W outside 2…64.
    public static func accumulator(a: [Int], b: [Int], precision: BaselinePrecision, accumulatorWidth: Int) throws(FpIntError) -> UInt64 {
        guard a.count == b.count else { throw FpIntError("operand lengths differ (\(a.count) and \(b.count))") }
        guard !a.isEmpty else { throw FpIntError("a dot product needs at least one product") }
        if let format = precision.floatFormat {
            let value = try FpIntDotProduct.dot(a: a, b: b, format: format, unit: try FpIntUnit(lanes: 1, shiftCapacity: nil))
            return UInt64(value.isNaN ? 0x7FC0_0000 : value.bitPattern)
        }
        guard (2 ... 64).contains(accumulatorWidth) else { throw FpIntError("accumulator width \(accumulatorWidth) is out of range (2…64)") }
        let format = precision.integerFormat!
        if let bad = (a + b).first(where: { !format.range.contains($0) }) {
            throw FpIntError("\(bad) is not an \(format.rawValue) value (\(format.range.lowerBound)…\(format.range.upperBound))")
        }
        var sum: UInt64 = 0
        for (x, y) in zip(a, b) { sum = sum &+ UInt64(bitPattern: Int64(x * y)) }
        return accumulatorWidth == 64 ? sum : sum & ((1 << UInt64(accumulatorWidth)) - 1)
    }
}

extension BaselinePrecision: CodingKeyRepresentable {
    /// Encoded by its label (`"int4"`), not by its mode code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }

    /// Decodes a label.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown label.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let precision = Self.allCases.first(where: { $0.label == text }) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown precision '\(text)' (int4, int8, fp16, bf16)")
        }
        self = precision
    }

    /// A dictionary key: the label.
    public var codingKey: any CodingKey { LabelKey(stringValue: label) }

    /// The precision a label key names.
    public init?<T: CodingKey>(codingKey: T) {
        guard let precision = Self.allCases.first(where: { $0.label == codingKey.stringValue }) else { return nil }
        self = precision
    }

    private struct LabelKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
