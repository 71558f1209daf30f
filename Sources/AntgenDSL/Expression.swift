/// Operators with one operand.
public enum UnaryOperator: String, Sendable {
    /// Bitwise complement, same type.
    case not
    /// Arithmetic negation; the operand is already extended to the result width.
    case negate
    /// OR of all bits → `Bool`.
    case orReduce
    /// AND of all bits → `Bool`.
    case andReduce
    /// XOR of all bits → `Bool`.
    case xorReduce
}

/// Operators with two operands. Arithmetic and bitwise operands are always extended
/// to the result width when the node is built, so every back end sees equal widths.
public enum BinaryOperator: String, Sendable {
    /// Addition modulo 2^width.
    case add
    /// Subtraction modulo 2^width.
    case subtract
    /// Multiplication modulo 2^width (operands pre-extended, so the product is exact).
    case multiply
    /// Bitwise AND.
    case and
    /// Bitwise OR.
    case or
    /// Bitwise XOR.
    case xor
    /// Equality → `Bool`.
    case equal
    /// Inequality → `Bool`.
    case notEqual
    /// Less than → `Bool`, signed when the operands are `SInt`.
    case lessThan
    /// Less than or equal → `Bool`.
    case lessOrEqual
    /// Greater than → `Bool`.
    case greaterThan
    /// Greater than or equal → `Bool`.
    case greaterOrEqual
    /// Left shift by a signal amount; the left operand is pre-extended to the result width.
    case shiftLeft
    /// Right shift by a signal amount: logical for `UInt`, arithmetic for `SInt`.
    case shiftRight
}

/// The kinds of expression node in the IR.
public enum ExpressionKind {
    /// A reference to a declared signal (port, wire, register or instance port).
    case signal(Signal)
    /// A constant; `value` is the mathematical value (negative only for `SInt`).
    case constant(Int)
    /// A unary operator.
    case unary(UnaryOperator, ExpressionNode)
    /// A binary operator.
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    /// Bits `high` down to `low` of the operand (result `UInt`, or `Bool` for one bit).
    case slice(ExpressionNode, high: Int, low: Int)
    /// Concatenation, most significant part first (Verilog order).
    case concat([ExpressionNode])
    /// `condition ? whenTrue : whenFalse`, arms already extended to the result width.
    case mux(ExpressionNode, ExpressionNode, ExpressionNode)
    /// Zero- (UInt) or sign- (SInt) extension of the operand to the node's width.
    case extend(ExpressionNode)
    /// The same bits under another signedness (or `UInt<1>` ↔ `Bool`).
    case reinterpret(ExpressionNode)
    /// An ill-typed operation, reported when a statement uses it.
    case invalid(String)
}

/// One immutable node of an expression DAG. Nodes are shared freely between
/// expressions; back ends materialise a node used more than once only once.
public final class ExpressionNode {
    /// What the node computes.
    public let kind: ExpressionKind
    /// Its result type (always a scalar).
    public let type: HardwareType

    init(_ kind: ExpressionKind, _ type: HardwareType) {
        self.kind = kind
        self.type = type
    }

    /// The operands, in order.
    public var children: [ExpressionNode] {
        switch kind {
        case .signal, .constant, .invalid: return []
        case .unary(_, let a), .slice(let a, _, _), .extend(let a), .reinterpret(let a): return [a]
        case .binary(_, let a, let b): return [a, b]
        case .concat(let parts): return parts
        case .mux(let c, let a, let b): return [c, a, b]
        }
    }

    /// The constant value, if this node is a constant.
    public var constantValue: Int? {
        if case .constant(let v) = kind { return v }
        return nil
    }

    /// The signal, if this node is a plain signal reference.
    public var signal: Signal? {
        if case .signal(let s) = kind { return s }
        return nil
    }
}
