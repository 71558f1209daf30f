import AntgenDSL

/// Verilog-2005 spellings of types and constants.
enum VerilogSyntax {
    /// `[7:0] ` for widths above one, nothing for one bit; `signed ` for SInt.
    static func range(_ type: HardwareType) -> String {
        let signed = type.isSigned ? "signed " : ""
        return type.width > 1 ? "\(signed)[\(type.width - 1):0] " : signed
    }

    /// A sized literal with exactly the node's width.
    static func constant(_ value: Int, _ type: HardwareType) -> String {
        let w = type.width
        if value >= 0 {
            return w == 1 ? "1'b\(value)" : "\(w)'d\(value)"
        }
        // Negative signed constants: the two's-complement bit pattern.
        if w <= 64 {
            let mask: UInt64 = w == 64 ? .max : (1 << UInt64(w)) - 1
            return "\(w)'h" + String(UInt64(bitPattern: Int64(value)) & mask, radix: 16, uppercase: true)
        }
        return "{{\(w - 64){1'b1}}, 64'h" + String(UInt64(bitPattern: Int64(value)), radix: 16, uppercase: true) + "}"
    }

    /// Short operator names used for temporaries (`_add3`, `_mux12`).
    static func tempPrefix(_ node: ExpressionNode) -> String {
        switch node.kind {
        case .unary(let op, _):
            switch op {
            case .not: return "not"
            case .negate: return "neg"
            case .orReduce: return "orr"
            case .andReduce: return "andr"
            case .xorReduce: return "xorr"
            }
        case .binary(let op, _, _):
            switch op {
            case .add: return "add"
            case .subtract: return "sub"
            case .multiply: return "mul"
            case .and: return "and"
            case .or: return "or"
            case .xor: return "xor"
            case .equal: return "eq"
            case .notEqual: return "ne"
            case .lessThan: return "lt"
            case .lessOrEqual: return "le"
            case .greaterThan: return "gt"
            case .greaterOrEqual: return "ge"
            case .shiftLeft: return "shl"
            case .shiftRight: return "shr"
            }
        case .mux: return "mux"
        case .concat: return "cat"
        case .extend: return "ext"
        case .slice: return "bits"
        case .reinterpret: return "cast"
        case .signal, .constant, .invalid: return "t"
        }
    }

    /// Infix spelling of binary operators whose Verilog form is `a op b`.
    static func infix(_ op: BinaryOperator) -> String {
        switch op {
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .and: return "&"
        case .or: return "|"
        case .xor: return "^"
        case .equal: return "=="
        case .notEqual: return "!="
        case .lessThan: return "<"
        case .lessOrEqual: return "<="
        case .greaterThan: return ">"
        case .greaterOrEqual: return ">="
        case .shiftLeft: return "<<"
        case .shiftRight: return ">>"
        }
    }
}
