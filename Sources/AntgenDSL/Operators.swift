// The width rules (docs/dsl.md, "Width rules"). Every rule is exact: an operator
// either widens so no information is lost, or is spelled as wrapping (`&+`, `&-`),
// or is an explicit conversion. Nothing here ever truncates silently.

/// The outcome of checking two operands' signedness.
enum SignednessCheck {
    /// Both unsigned (`false`) or both signed (`true`).
    case agreed(Bool)
    /// The value to return instead: the first ill-typed operand or a new error.
    case bad(Value)
}

extension Value {
    /// Both operands unsigned (UInt or Bool) or both signed; otherwise an error message.
    static func signedness(_ op: String, _ a: Value, _ b: Value) -> SignednessCheck {
        if a.isInvalid { return .bad(a) }
        if b.isInvalid { return .bad(b) }
        guard a.type.isScalar, b.type.isScalar else {
            return .bad(.invalid("'\(op)' needs scalar operands, got \(a.type) and \(b.type)"))
        }
        guard a.isSigned == b.isSigned else {
            return .bad(.invalid("'\(op)' mixes \(a.type) and \(b.type); convert one operand explicitly (.asSInt, .asUInt or .toSigned())"))
        }
        return .agreed(a.isSigned)
    }

    /// Extends to `width` by the value's own signedness (zero for UInt/Bool, sign for SInt).
    /// Constants fold. Never narrows.
    func extendedNode(to width: Int) -> ExpressionNode {
        if width == self.width { return node }
        let target = type.withWidth(width)
        if let c = node.constantValue { return ExpressionNode(.constant(c), target) }
        return ExpressionNode(.extend(node), target)
    }

    static func binary(_ op: BinaryOperator, _ symbol: String, _ a: Value, _ b: Value,
                       width: (Int, Int) -> Int, signedResult: ((Bool) -> Bool)? = nil) -> Value {
        switch signedness(symbol, a, b) {
        case .bad(let bad): return bad
        case .agreed(let signed):
            let w = width(a.width, b.width)
            let resultSigned = signedResult?(signed) ?? signed
            let type: HardwareType = resultSigned ? .sint(w) : (w == 1 && a.type == .bool && b.type == .bool ? .bool : .uint(w))
            return Value(ExpressionNode(.binary(op, a.extendedNode(to: w), b.extendedNode(to: w)), type))
        }
    }

    static func comparison(_ op: BinaryOperator, _ symbol: String, _ a: Value, _ b: Value) -> Value {
        switch signedness(symbol, a, b) {
        case .bad(let bad): return bad
        case .agreed:
            let w = max(a.width, b.width)
            return Value(ExpressionNode(.binary(op, a.extendedNode(to: w), b.extendedNode(to: w)), .bool))
        }
    }

    // MARK: Arithmetic

    /// Widening addition: width max(a, b) + 1, exact.
    public static func + (a: Value, b: Value) -> Value { binary(.add, "+", a, b) { max($0, $1) + 1 } }
    /// Wrapping addition: width max(a, b), modulo 2^width.
    public static func &+ (a: Value, b: Value) -> Value { binary(.add, "&+", a, b) { max($0, $1) } }
    /// Widening subtraction: exact, result `SInt<max(a, b) + 1>` (also for UInt operands).
    public static func - (a: Value, b: Value) -> Value {
        binary(.subtract, "-", a, b, width: { max($0, $1) + 1 }, signedResult: { _ in true })
    }
    /// Wrapping subtraction: width max(a, b), same signedness as the operands.
    public static func &- (a: Value, b: Value) -> Value { binary(.subtract, "&-", a, b) { max($0, $1) } }
    /// Multiplication: always exact, width a + b.
    public static func * (a: Value, b: Value) -> Value { binary(.multiply, "*", a, b) { $0 + $1 } }
    /// Exact negation: `SInt<width + 1>`.
    public static prefix func - (a: Value) -> Value {
        if a.isInvalid { return a }
        let w = a.width + 1
        return Value(ExpressionNode(.unary(.negate, a.extendedNode(to: w)), .sint(w)))
    }

    // MARK: Bitwise

    /// Bitwise AND; the narrower operand is extended by its signedness.
    public static func & (a: Value, b: Value) -> Value { binary(.and, "&", a, b) { max($0, $1) } }
    /// Bitwise OR.
    public static func | (a: Value, b: Value) -> Value { binary(.or, "|", a, b) { max($0, $1) } }
    /// Bitwise XOR.
    public static func ^ (a: Value, b: Value) -> Value { binary(.xor, "^", a, b) { max($0, $1) } }
    /// Bitwise complement, same type.
    public static prefix func ~ (a: Value) -> Value {
        if a.isInvalid { return a }
        return Value(ExpressionNode(.unary(.not, a.node), a.type))
    }
    /// Logical NOT of a one-bit value.
    public static prefix func ! (a: Value) -> Value {
        guard a.width == 1 else { return .invalid("'!' needs a Bool, got \(a.type); use == 0 or .orReduce()") }
        return ~a
    }

    // MARK: Comparisons (→ Bool)

    /// Equality.
    public static func == (a: Value, b: Value) -> Value { comparison(.equal, "==", a, b) }
    /// Inequality.
    public static func != (a: Value, b: Value) -> Value { comparison(.notEqual, "!=", a, b) }
    /// Less than (signed for SInt).
    public static func < (a: Value, b: Value) -> Value { comparison(.lessThan, "<", a, b) }
    /// Less than or equal.
    public static func <= (a: Value, b: Value) -> Value { comparison(.lessOrEqual, "<=", a, b) }
    /// Greater than.
    public static func > (a: Value, b: Value) -> Value { comparison(.greaterThan, ">", a, b) }
    /// Greater than or equal.
    public static func >= (a: Value, b: Value) -> Value { comparison(.greaterOrEqual, ">=", a, b) }

    // MARK: Operators with a Swift integer (a constant of the value's signedness)

    /// `a + k`.
    public static func + (a: Value, k: Int) -> Value { a + a.literal(k) }
    /// `a &+ k`.
    public static func &+ (a: Value, k: Int) -> Value { a &+ a.literal(k) }
    /// `a - k`.
    public static func - (a: Value, k: Int) -> Value { a - a.literal(k) }
    /// `a &- k`.
    public static func &- (a: Value, k: Int) -> Value { a &- a.literal(k) }
    /// `a * k`.
    public static func * (a: Value, k: Int) -> Value { a * a.literal(k) }
    /// `a & k`.
    public static func & (a: Value, k: Int) -> Value { a & a.literal(k) }
    /// `a | k`.
    public static func | (a: Value, k: Int) -> Value { a | a.literal(k) }
    /// `a == k`.
    public static func == (a: Value, k: Int) -> Value { a == a.literal(k) }
    /// `a != k`.
    public static func != (a: Value, k: Int) -> Value { a != a.literal(k) }
    /// `a < k`.
    public static func < (a: Value, k: Int) -> Value { a < a.literal(k) }
    /// `a <= k`.
    public static func <= (a: Value, k: Int) -> Value { a <= a.literal(k) }
    /// `a > k`.
    public static func > (a: Value, k: Int) -> Value { a > a.literal(k) }
    /// `a >= k`.
    public static func >= (a: Value, k: Int) -> Value { a >= a.literal(k) }

    // MARK: Shifts

    /// Left shift by a constant: width grows by `n`, exact.
    public static func << (a: Value, n: Int) -> Value {
        if a.isInvalid { return a }
        guard n >= 0 else { return .invalid("shift amount \(n) is negative") }
        if n == 0 { return a }
        let bits = Value(ExpressionNode(.concat([a.node, ExpressionNode(.constant(0), .uint(n))]), .uint(a.width + n)))
        return a.isSigned ? bits.asSInt : bits
    }

    /// Right shift by a constant: drops the low `n` bits (arithmetic for SInt).
    /// Width shrinks to max(width − n, 1).
    public static func >> (a: Value, n: Int) -> Value {
        if a.isInvalid { return a }
        guard n >= 0 else { return .invalid("shift amount \(n) is negative") }
        if n == 0 { return a }
        if n >= a.width {
            return a.isSigned ? a[a.width - 1].asSInt : .uint(0)
        }
        let kept = a[n...(a.width - 1)]
        return a.isSigned ? kept.asSInt : kept
    }

    /// Left shift by a signal: width grows by 2^width(amount) − 1, exact.
    public static func << (a: Value, amount: Value) -> Value {
        if a.isInvalid { return a }
        if amount.isInvalid { return amount }
        guard !amount.isSigned else { return .invalid("shift amount must be unsigned, got \(amount.type)") }
        guard amount.width <= 12 else {
            return .invalid("dynamic left shift by \(amount.type) would widen by 2^\(amount.width) - 1 bits; slice the amount first")
        }
        let w = a.width + (1 << amount.width) - 1
        return Value(ExpressionNode(.binary(.shiftLeft, a.extendedNode(to: w), amount.node), a.type.withWidth(w)))
    }

    /// Right shift by a signal: same width; logical for UInt, arithmetic for SInt.
    public static func >> (a: Value, amount: Value) -> Value {
        if a.isInvalid { return a }
        if amount.isInvalid { return amount }
        guard !amount.isSigned else { return .invalid("shift amount must be unsigned, got \(amount.type)") }
        return Value(ExpressionNode(.binary(.shiftRight, a.node, amount.node), a.type))
    }
}
