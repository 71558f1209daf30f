/// Where a defect can be injected into an elaborated design: one node of the value
/// of one connection of one module.
///
/// Sites are plain values (no references into the IR), so a harness can carry them in
/// build requests and cache keys and apply them to a fresh elaboration of the same
/// generator: elaboration is deterministic, so the same module, connection ordinal and
/// node path name the same node again.
public struct MutationSite: Hashable, Sendable, CustomStringConvertible {
    /// The module's unique name (e.g. `ProcessingElement_am2_ae3_wm2_we3_acc32`).
    public let module: String
    /// The module's generator base name (e.g. `ProcessingElement`).
    public let circuitName: String
    /// The connection's position among the module's connections, counted depth-first
    /// through `when`/`switch` bodies in statement order.
    public let connection: Int
    /// The name of the signal the connection drives.
    public let target: String
    /// Child indices (``ExpressionNode/children``) from the connection's value down to
    /// the mutated node; empty for the value itself.
    public let path: [Int]
    /// The Swift line that made the connection.
    public let location: SourceLocation

    /// Creates a site; normally obtained from ``Design/mutationCandidates()``.
    public init(module: String, circuitName: String, connection: Int, target: String, path: [Int], location: SourceLocation) {
        self.module = module
        self.circuitName = circuitName
        self.connection = connection
        self.target = target
        self.path = path
        self.location = location
    }

    /// `ProcessingElement.negative[0,1] (AntgenHardware/ProcessingElement.swift:126)`.
    public var description: String {
        let node = path.isEmpty ? "" : "[\(path.map(String.init).joined(separator: ","))]"
        return "\(circuitName).\(target)\(node) (\(location))"
    }
}

/// One way to break a node or a connection. Every operator keeps the node's exact type,
/// so the mutant still satisfies the IR's width invariants and emits lint-clean Verilog.
public enum MutationOperator: Hashable, Sendable, CustomStringConvertible {
    /// A binary operator replaced by another of the same operand shape
    /// (add ↔ subtract, and ↔ or, xor → or/and, a comparison's direction, …).
    case swapBinary(BinaryOperator, BinaryOperator)
    /// A reduction replaced by another (or ↔ and, xor → or).
    case swapUnary(UnaryOperator, UnaryOperator)
    /// `~x` → `x`.
    case dropNot
    /// Drops a sign: `-x` → `x`.
    case dropNegate
    /// Drops a sign: a one-bit `a ^ b` (a sign product) → constant 0.
    case dropSignXor
    /// Drops a sign: sign extension → zero extension.
    case zeroExtend
    /// A mux forced to one arm: `c ? a : b` → `a` (true) or `b` (false).
    case forceSelect(Bool)
    /// A shift amount off by one: `x << a` → `x << (a + 1)` (also `>>`).
    case shiftAmountPlusOne
    /// The connection's value truncated by one bit and re-extended (sign extension when
    /// `signExtend`, else zero extension): a register or accumulator one bit too narrow.
    case narrow(signExtend: Bool)
    /// The connection delayed by one cycle: a register inserted between value and target.
    case delay
    /// The connection's (unsigned) value plus one, modulo 2^width: an index or counter off
    /// by one. Connection level; ``Design/mutationCandidates()`` does not offer it (named
    /// mutants such as the SDP array's `sdp-index` use it).
    case increment
    /// An add or subtract node's result plus one (wrapping, same type): an off-by-one in
    /// an exponent or count. Only named mutants use it; random draws never offer it.
    case resultPlusOne
    /// An add node replaced by its right operand (same type): the left addend is lost, e.g.
    /// a partial sum that is not passed on. Only named mutants use it.
    case dropLeftAddend

    /// True for operators that act on a whole connection (site path empty).
    public var isConnectionLevel: Bool {
        switch self {
        case .narrow, .delay, .increment: return true
        default: return false
        }
    }

    /// `add->subtract`, `force-select-1`, `narrow-sign`, `delay`, …
    public var description: String {
        switch self {
        case .swapBinary(let a, let b): return "\(a.rawValue)->\(b.rawValue)"
        case .swapUnary(let a, let b): return "\(a.rawValue)->\(b.rawValue)"
        case .dropNot: return "drop-not"
        case .dropNegate: return "drop-negate"
        case .dropSignXor: return "drop-sign-xor"
        case .zeroExtend: return "sign-to-zero-extension"
        case .forceSelect(let v): return "force-select-\(v ? 1 : 0)"
        case .shiftAmountPlusOne: return "shift-amount+1"
        case .narrow(let s): return s ? "narrow-sign" : "narrow-zero"
        case .delay: return "delay"
        case .increment: return "plus-one"
        case .resultPlusOne: return "result+1"
        case .dropLeftAddend: return "drop-left-addend"
        }
    }

    /// The binary replacements offered for `op`.
    static func binaryReplacements(_ op: BinaryOperator) -> [BinaryOperator] {
        switch op {
        case .add: return [.subtract]
        case .subtract: return [.add]
        case .multiply: return [.add]
        case .and: return [.or]
        case .or: return [.and]
        case .xor: return [.or, .and]
        case .equal: return [.notEqual]
        case .notEqual: return [.equal]
        case .lessThan: return [.greaterThan, .lessOrEqual]
        case .greaterThan: return [.lessThan, .greaterOrEqual]
        case .lessOrEqual: return [.greaterOrEqual, .lessThan]
        case .greaterOrEqual: return [.lessOrEqual, .greaterThan]
        case .shiftLeft: return [.shiftRight]
        case .shiftRight: return [.shiftLeft]
        }
    }

    /// The node-level operators that apply to `node`.
    static func candidates(for node: ExpressionNode) -> [MutationOperator] {
        switch node.kind {
        case .binary(let op, let a, _):
            var ops = binaryReplacements(op).map { MutationOperator.swapBinary(op, $0) }
            if op == .xor && node.type.width == 1 && a.type.width == 1 { ops.append(.dropSignXor) }
            if op == .shiftLeft || op == .shiftRight { ops.append(.shiftAmountPlusOne) }
            return ops
        case .unary(let op, _):
            switch op {
            case .not: return [.dropNot]
            case .negate: return [.dropNegate]
            case .orReduce: return [.swapUnary(.orReduce, .andReduce)]
            case .andReduce: return [.swapUnary(.andReduce, .orReduce)]
            case .xorReduce: return [.swapUnary(.xorReduce, .orReduce)]
            }
        case .mux: return [.forceSelect(true), .forceSelect(false)]
        case .extend(let a) where a.type.isSigned: return [.zeroExtend]
        default: return []
        }
    }
}

/// A concrete defect: an operator at a site.
public struct Mutation: Hashable, Sendable, CustomStringConvertible {
    /// Where.
    public let site: MutationSite
    /// What.
    public let `operator`: MutationOperator

    /// Creates a mutation.
    public init(site: MutationSite, operator: MutationOperator) {
        self.site = site
        self.operator = `operator`
    }

    /// `add->subtract at ProcessingElement.acc_next[0] (AntgenHardware/ProcessingElement.swift:130)`.
    public var description: String { "\(`operator`) at \(site)" }
}

extension Design {
    /// Every mutation the rewriter offers on this design, in a fixed order (modules in
    /// design order, connections in statement order, nodes depth-first from each
    /// connection's value; a node shared within one value is offered once).
    ///
    /// Connection-level operators: ``MutationOperator/delay`` for every connection and
    /// ``MutationOperator/narrow(signExtend:)`` (by the target's signedness) for every
    /// register of two or more bits. Node-level operators: ``MutationOperator`` cases
    /// that fit the node's kind. Nothing here depends on hashing order, so the list is
    /// the same in every process.
    public func mutationCandidates() -> [Mutation] {
        var out: [Mutation] = []
        for module in modules {
            for (ordinal, connection) in connections(of: module).enumerated() {
                func site(_ path: [Int]) -> MutationSite {
                    MutationSite(module: module.name, circuitName: module.circuitName, connection: ordinal,
                                 target: connection.target.name, path: path, location: connection.location)
                }
                out.append(Mutation(site: site([]), operator: .delay))
                if connection.target.isRegister && connection.target.type.width >= 2 {
                    out.append(Mutation(site: site([]), operator: .narrow(signExtend: connection.target.type.isSigned)))
                }
                var seen = Set<ObjectIdentifier>()
                var stack: [(ExpressionNode, [Int])] = [(connection.value, [])]
                while let (node, path) = stack.popLast() {
                    guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
                    for op in MutationOperator.candidates(for: node) {
                        out.append(Mutation(site: site(path), operator: op))
                    }
                    for (i, child) in node.children.enumerated().reversed() { stack.append((child, path + [i])) }
                }
            }
        }
        return out
    }

    /// The sites of the connections driving `target` in the modules built by the
    /// generator `circuitName` (path empty: the connection's value), in design order.
    public func connectionSites(circuit circuitName: String, target: String) -> [MutationSite] {
        connectionSites(circuit: circuitName) { $0 == target }
    }

    /// The sites of the connections whose target name satisfies `matches`, in the modules
    /// built by the generator `circuitName` (path empty), in design and statement order.
    public func connectionSites(circuit circuitName: String, where matches: (String) -> Bool) -> [MutationSite] {
        var out: [MutationSite] = []
        for module in modules where module.circuitName == circuitName {
            for (ordinal, connection) in connections(of: module).enumerated() where matches(connection.target.name) {
                out.append(MutationSite(module: module.name, circuitName: circuitName, connection: ordinal,
                                        target: connection.target.name, path: [], location: connection.location))
            }
        }
        return out
    }

    /// The node at the end of `site`'s path, if the site names one in this design.
    public func node(at site: MutationSite) -> ExpressionNode? {
        guard let module = modules.first(where: { $0.name == site.module }) else { return nil }
        let list = connections(of: module)
        guard site.connection >= 0, site.connection < list.count else { return nil }
        var node = list[site.connection].value
        for i in site.path {
            let children = node.children
            guard i >= 0, i < children.count else { return nil }
            node = children[i]
        }
        return node
    }

    /// A module's connections in the order ``MutationSite/connection`` counts them.
    func connections(of module: HardwareModule) -> [Connection] {
        var out: [Connection] = []
        func walk(_ statements: [Statement]) {
            for s in statements {
                switch s {
                case .connect(let c): out.append(c)
                case .when(let w): walk(w.thenBody); walk(w.elseBody)
                case .switchOn(let sw):
                    for arm in sw.arms { walk(arm.body) }
                    if let other = sw.otherwise { walk(other) }
                }
            }
        }
        walk(module.statements)
        return out
    }
}
