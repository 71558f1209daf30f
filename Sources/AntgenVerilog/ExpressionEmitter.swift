import AntgenDSL

/// Turns the expression DAG of one module into Verilog text.
///
/// Every Verilog expression it writes has exactly the width of its DSL node in a
/// self-determined context (operands are pre-extended by the DSL), so Verilog's
/// context-dependent sizing never changes a result. Arithmetic nodes used more
/// than once, or below other operators, become named temporaries
/// (`wire [4:0] _add3 = a + b;`); pure wiring (slices, extensions, concatenations)
/// is written inline. It records which bits of which identifiers are read, so the
/// module can acknowledge deliberately unused bits for lint.
final class ExpressionEmitter {
    private var refCount: [ObjectIdentifier: Int] = [:]
    /// Temporary number per materialised node (index into `tempNameList`).
    private var tempIndex: [ObjectIdentifier: Int] = [:]
    private(set) var tempNameList: [String] = []
    private var needsIdentifier = Set<ObjectIdentifier>()
    private var counter = 0
    /// `wire … = …;` lines for temporaries, in dependency order.
    private(set) var declarations: [String] = []
    /// Bits read per signal (by index; nil: never read) and per temporary (by name).
    private(set) var signalReads: [[Bool]?]
    private(set) var tempReads: [[Bool]] = []

    /// Registers every root expression, then materialises the temporaries they need.
    init(roots: [ExpressionNode], signalCount: Int) {
        signalReads = Array(repeating: nil, count: signalCount)
        var visited = Set<ObjectIdentifier>()
        var postOrder: [ExpressionNode] = []
        for root in roots {
            refCount[ObjectIdentifier(root), default: 0] += 1
            // Iterative post-order: children before parents.
            var stack: [(ExpressionNode, Bool)] = [(root, false)]
            while let (node, expanded) = stack.popLast() {
                let id = ObjectIdentifier(node)
                if expanded { postOrder.append(node); continue }
                guard visited.insert(id).inserted else { continue }
                stack.append((node, true))
                for child in node.children.reversed() {
                    refCount[ObjectIdentifier(child), default: 0] += 1
                    stack.append((child, false))
                }
                switch node.kind {
                case .slice(let a, _, _): needsIdentifier.insert(ObjectIdentifier(a))
                case .extend(let a) where a.type.isSigned: needsIdentifier.insert(ObjectIdentifier(a))
                default: break
                }
            }
        }
        let rootSet = Set(roots.map(ObjectIdentifier.init))
        for node in postOrder {
            let id = ObjectIdentifier(node)
            if isWiring(node) {
                if needsIdentifier.contains(id) && !isIdentifier(node) { materialize(node) }
            } else if !(rootSet.contains(id) && refCount[id] == 1) {
                materialize(node)
            }
        }
    }

    /// True for nodes written inline as pure wiring (no operator of their own).
    func isWiring(_ node: ExpressionNode) -> Bool {
        switch node.kind {
        case .signal, .constant, .slice, .extend, .concat, .reinterpret, .invalid: return true
        case .unary, .binary, .mux: return false
        }
    }

    /// A signal, a temporary, or a reinterpretation of one: something Verilog can bit-select.
    private func isIdentifier(_ node: ExpressionNode) -> Bool {
        if tempIndex[ObjectIdentifier(node)] != nil || node.signal != nil { return true }
        if case .reinterpret(let a) = node.kind { return isIdentifier(a) }
        return false
    }

    private func materialize(_ node: ExpressionNode) {
        counter += 1
        let name = "_\(VerilogSyntax.tempPrefix(node))\(counter)"
        let text = expression(node)
        tempIndex[ObjectIdentifier(node)] = tempNameList.count
        tempNameList.append(name)
        tempReads.append(Array(repeating: false, count: node.type.width))
        declarations.append("wire \(VerilogSyntax.range(.uint(node.type.width)))\(name) = \(text);")
    }

    // MARK: Reads

    private func noteRead(_ node: ExpressionNode, _ low: Int, _ high: Int) {
        if let t = tempIndex[ObjectIdentifier(node)] {
            for b in low...high { tempReads[t][b] = true }
        } else if let s = node.signal {
            if signalReads[s.index] == nil { signalReads[s.index] = Array(repeating: false, count: s.type.width) }
            for b in low...high { signalReads[s.index]![b] = true }
        } else if case .reinterpret(let a) = node.kind {
            noteRead(a, low, high)
        }
    }

    private func identifierName(_ node: ExpressionNode) -> String {
        if let t = tempIndex[ObjectIdentifier(node)] { return tempNameList[t] }
        if let s = node.signal { return s.name }
        if case .reinterpret(let a) = node.kind { return identifierName(a) }
        preconditionFailure("not an identifier")
    }

    /// `name[high:low]`, `name[i]` or `name`, recording the read.
    private func bits(_ node: ExpressionNode, _ high: Int, _ low: Int) -> String {
        noteRead(node, low, high)
        let name = identifierName(node)
        if low == 0 && high == node.type.width - 1 { return name }
        return high == low ? "\(name)[\(low)]" : "\(name)[\(high):\(low)]"
    }

    // MARK: Text

    /// The text of `node` as an operand: an identifier, a literal or inline wiring.
    func operand(_ node: ExpressionNode) -> String {
        if tempIndex[ObjectIdentifier(node)] != nil || node.signal != nil {
            return bits(node, node.type.width - 1, 0)
        }
        switch node.kind {
        case .constant(let v): return VerilogSyntax.constant(v, node.type)
        case .reinterpret(let a): return operand(a)
        case .slice(let a, let hi, let lo): return bits(a, hi, lo)
        case .concat(let parts): return "{" + parts.map(operand).joined(separator: ", ") + "}"
        case .extend(let a):
            let pad = node.type.width - a.type.width
            if a.type.isSigned {
                let msb = bits(a, a.type.width - 1, a.type.width - 1)
                return "{{\(pad){\(msb)}}, \(operand(a))}"
            }
            return "{\(VerilogSyntax.constant(0, .uint(pad))), \(operand(a))}"
        default:
            return expression(node)
        }
    }

    /// The text of a statement's value: arithmetic written inline when used only here.
    func root(_ node: ExpressionNode) -> String {
        tempIndex[ObjectIdentifier(node)] == nil && !isWiring(node) ? expression(node) : operand(node)
    }

    private func signedOperand(_ node: ExpressionNode) -> String { "$signed(\(operand(node)))" }

    /// Wraps an operand so relational operators see the DSL's signedness even when a
    /// reinterpreted signal is declared `signed` in Verilog.
    private func unsignedOperand(_ node: ExpressionNode) -> String {
        let text = operand(node)
        var base = node
        while case .reinterpret(let a) = base.kind { base = a }
        return base.signal?.type.isSigned == true ? "$unsigned(\(text))" : text
    }

    private func expression(_ node: ExpressionNode) -> String {
        switch node.kind {
        case .unary(let op, let a):
            switch op {
            case .not: return "~\(operand(a))"
            case .negate: return "-\(operand(a))"
            case .orReduce: return "|\(operand(a))"
            case .andReduce: return "&\(operand(a))"
            case .xorReduce: return "^\(operand(a))"
            }
        case .binary(let op, let a, let b):
            let signed = a.type.isSigned
            switch op {
            case .lessThan, .lessOrEqual, .greaterThan, .greaterOrEqual:
                return signed
                    ? "\(signedOperand(a)) \(VerilogSyntax.infix(op)) \(signedOperand(b))"
                    : "\(unsignedOperand(a)) \(VerilogSyntax.infix(op)) \(unsignedOperand(b))"
            case .shiftRight where signed:
                return "\(signedOperand(a)) >>> \(operand(b))"
            default:
                return "\(operand(a)) \(VerilogSyntax.infix(op)) \(operand(b))"
            }
        case .mux(let c, let a, let b):
            return "\(operand(c)) ? \(operand(a)) : \(operand(b))"
        default:
            return operand(node)
        }
    }
}
