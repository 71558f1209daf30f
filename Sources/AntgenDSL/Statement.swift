/// A statement of a module body, in the order the generator issued it.
public enum Statement {
    /// `target = value` (combinational) or `target <= value` (register next state).
    /// Later connections inside conditional blocks override earlier ones (last connect wins).
    case connect(Connection)
    /// `if / else if / else`.
    case when(WhenBlock)
    /// `case` on a selector.
    case switchOn(SwitchBlock)
}

/// One connection: the target signal, the value and the user's line.
public final class Connection {
    /// The signal driven.
    public let target: Signal
    /// The value; after elaboration it has exactly the target's type.
    public internal(set) var value: ExpressionNode
    /// Where the user wrote it.
    public let location: SourceLocation
    /// Set by the module checker when the connection passed its checks.
    var accepted = false

    init(target: Signal, value: ExpressionNode, location: SourceLocation) {
        self.target = target
        self.value = value
        self.location = location
    }
}

/// A conditional block; `elseBody` holds the `elseWhen`/`otherwise` continuation.
public final class WhenBlock {
    /// The condition (one bit).
    public let condition: ExpressionNode
    /// Statements executed when the condition is 1.
    public internal(set) var thenBody: [Statement] = []
    /// Statements executed otherwise (empty when there is no `otherwise`).
    public internal(set) var elseBody: [Statement] = []
    /// True once an `elseWhen` or `otherwise` has been attached.
    public internal(set) var hasElse = false
    /// Where the user wrote it.
    public let location: SourceLocation

    init(condition: ExpressionNode, location: SourceLocation) {
        self.condition = condition
        self.location = location
    }
}

/// A `switch` on a selector value with constant cases.
public final class SwitchBlock {
    /// One arm: the constants that select it and its statements.
    public struct Arm {
        /// Selector values (non-negative, fitting the selector's width).
        public let values: [Int]
        /// The statements.
        public internal(set) var body: [Statement]
        /// Where the user wrote it.
        public let location: SourceLocation
    }
    /// The selector.
    public let selector: ExpressionNode
    /// The arms in order.
    public internal(set) var arms: [Arm] = []
    /// The `otherwise` arm, if any.
    public internal(set) var otherwise: [Statement]?
    /// Where the user wrote it.
    public let location: SourceLocation

    init(selector: ExpressionNode, location: SourceLocation) {
        self.selector = selector
        self.location = location
    }

    /// True when the arms plus `otherwise` cover every selector value.
    public var isComplete: Bool {
        if otherwise != nil { return true }
        let width = selector.type.width
        guard width <= 16 else { return false }
        let covered = Set(arms.flatMap(\.values))
        return covered.count == 1 << width
    }
}
