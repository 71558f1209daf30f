/// A hardware value: a typed expression over signals and constants.
///
/// Values are immutable and cheap to copy; operators build new expression nodes and
/// apply the width rules of `docs/dsl.md`. An ill-typed operation does not trap: it
/// yields a value that elaboration reports at the statement that uses it, with the
/// user's source line.
public struct Value {
    /// The expression node this value stands for.
    public let node: ExpressionNode

    /// Wraps an existing node.
    public init(_ node: ExpressionNode) { self.node = node }

    /// The value's type.
    public var type: HardwareType { node.type }
    /// Its width in bits.
    public var width: Int { node.type.width }
    /// True for `SInt` values.
    public var isSigned: Bool { node.type.isSigned }
    /// The signal this value refers to, when it is a plain signal reference.
    public var signal: Signal? { node.signal }

    // MARK: Constants

    /// An unsigned constant; `width` defaults to the minimal width (0 → 1 bit).
    public static func uint(_ value: Int, width: Int? = nil) -> Value {
        guard value >= 0 else { return invalid("UInt constant \(value) is negative") }
        let minimal = minimalUnsignedWidth(value)
        let w = width ?? minimal
        guard w >= 1 else { return invalid("constant width \(w) must be at least 1") }
        guard w >= minimal else { return invalid("constant \(value) needs \(minimal) bits but UInt<\(w)> was requested") }
        return Value(ExpressionNode(.constant(value), .uint(w)))
    }

    /// A signed constant; `width` defaults to the minimal two's-complement width.
    public static func sint(_ value: Int, width: Int? = nil) -> Value {
        let minimal = minimalSignedWidth(value)
        let w = width ?? minimal
        guard w >= 1 else { return invalid("constant width \(w) must be at least 1") }
        guard w >= minimal else { return invalid("constant \(value) needs \(minimal) bits but SInt<\(w)> was requested") }
        return Value(ExpressionNode(.constant(value), .sint(w)))
    }

    /// A `Bool` constant.
    public static func bool(_ value: Bool) -> Value {
        Value(ExpressionNode(.constant(value ? 1 : 0), .bool))
    }

    /// A constant of `type` (used for reset values and defaults given as Swift integers).
    public static func constant(_ value: Int, as type: HardwareType) -> Value {
        switch type {
        case .bool:
            guard value == 0 || value == 1 else { return invalid("Bool constant must be 0 or 1, got \(value)") }
            return bool(value == 1)
        case .uint(let w): return uint(value, width: w)
        case .sint(let w): return sint(value, width: w)
        case .vec: return invalid("a Vec cannot be given as one constant")
        }
    }

    /// A constant with the same signedness as `self`, minimal width. Used by the
    /// `Value op Int` overloads so that `x &+ 1` works for `UInt` and `SInt` alike.
    func literal(_ value: Int) -> Value {
        isSigned ? .sint(value) : .uint(value)
    }

    /// An ill-typed value carrying the reason; elaboration reports it.
    static func invalid(_ message: String, type: HardwareType = .uint(1)) -> Value {
        Value(ExpressionNode(.invalid(message), type))
    }

    /// True when this value is (or is built on) an ill-typed operation.
    var isInvalid: Bool {
        if case .invalid = node.kind { return true }
        return false
    }
}

/// Bits needed for a non-negative integer (at least 1).
public func minimalUnsignedWidth(_ value: Int) -> Int {
    value <= 0 ? 1 : Int.bitWidth - value.leadingZeroBitCount
}

/// Bits needed to hold `value` in two's complement (at least 1).
public func minimalSignedWidth(_ value: Int) -> Int {
    let magnitude = value < 0 ? ~value : value
    return magnitude == 0 ? 1 : Int.bitWidth - magnitude.leadingZeroBitCount + 1
}

/// ⌈log2(n)⌉ for n ≥ 1, the number of bits that index `n` items (1 for n ≤ 2).
public func bitsToIndex(_ n: Int) -> Int {
    n <= 2 ? 1 : Int.bitWidth - (n - 1).leadingZeroBitCount
}
