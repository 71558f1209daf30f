/// A mutation the rewriter cannot apply (unknown module, stale site, operator that does
/// not fit the node): one line naming the site.
public struct RewriteError: Error, CustomStringConvertible, Sendable {
    /// The explanation.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The explanation.
    public var description: String { message }
}

extension Design {
    /// A new design with `mutations` applied: the mutated modules are rebuilt, everything
    /// else is shared.
    ///
    /// Each mutated module, and every module that instantiates one (up to the top), is
    /// copied under a new name, `<name>_mutant_<tag>`, with an extra `mutant = <tag>`
    /// parameter in its header, so a mutant never shares a module name, a file or a build
    /// cache entry with correct hardware. Inside a mutated module only the path from the
    /// connection's value down to the mutated node is rebuilt (nodes are immutable and
    /// shared as a DAG; other connections that share the node keep the original), and
    /// only the `when`/`switch` blocks around that connection are copied. Modules outside
    /// the chain are the very same objects, so they emit byte-identical Verilog.
    ///
    /// An empty list returns the design unchanged. Several mutations may target one
    /// module (they are applied in order; a later one must not address a node inside an
    /// earlier one's rebuilt path).
    ///
    /// - Throws: ``RewriteError`` when a site does not name a node of this design or
    ///   the operator does not fit it.
    public func applying(_ mutations: [Mutation], tag: String) throws -> Design {
        if mutations.isEmpty { return self }
        let suffix = "_mutant_" + sanitizedIdentifier(tag)
        let names = Set(modules.map(\.name))
        var replaced: [String: HardwareModule] = [:]
        var newModules: [HardwareModule] = []
        for module in modules {
            let own = mutations.filter { $0.site.module == module.name }
            let hasMutatedChild = module.instances.contains { replaced[$0.module.name] != nil }
            guard !own.isEmpty || hasMutatedChild else { newModules.append(module); continue }
            let newName = module.name + suffix
            guard !names.contains(newName) else {
                throw RewriteError("cannot name the mutant of \(module.name) '\(newName)': the design already has that module")
            }
            var signals = module.signals
            var statements = module.statements
            for mutation in own {
                try rewrite(module, mutation, newName: newName, signals: &signals, statements: &statements)
            }
            let instances = module.instances.map { record in
                InstanceRecord(name: record.name, module: replaced[record.module.name] ?? record.module,
                               ports: record.ports, location: record.location)
            }
            let usesClock = signals.contains(where: \.isRegister) || instances.contains { $0.module.usesClock }
            let copy = HardwareModule(
                name: newName, circuitName: module.circuitName,
                parameters: module.parameters + [Parameter("mutant", tag)],
                signals: signals, statements: statements, instances: instances,
                usesClock: usesClock, usesReset: module.usesReset,
                // A mutation only removes or delays dependencies: the original paths
                // are a safe over-approximation.
                combinationalInputs: module.combinationalInputs, interface: module.interface, siteMarks: module.siteMarks,
                memories: module.memories)
            replaced[module.name] = copy
            newModules.append(copy)
        }
        for mutation in mutations where !names.contains(mutation.site.module) {
            throw RewriteError("mutation \(mutation): the design has no module '\(mutation.site.module)'")
        }
        return Design(top: replaced[top.name] ?? top, modules: newModules)
    }

    /// Applies one mutation to a module's signals and statements.
    private func rewrite(_ module: HardwareModule, _ mutation: Mutation, newName: String,
                         signals: inout [Signal], statements: inout [Statement]) throws {
        let site = mutation.site
        var counter = 0
        var original: Connection?
        var replacement: Connection?
        var extra: [Statement] = []
        statements = try replacingConnection(site.connection, in: statements, counter: &counter) { c in
            guard c.target.name == site.target else {
                throw RewriteError("mutation \(mutation): connection \(site.connection) of \(module.name) drives '\(c.target.name)', not '\(site.target)'")
            }
            original = c
            switch mutation.operator {
            case .delay:
                guard site.path.isEmpty else { throw RewriteError("mutation \(mutation): delay applies to a whole connection (empty path)") }
                let register = makeRegister(for: c.target, in: module, moduleName: newName, signals: signals, location: c.location)
                signals.append(register)
                extra.append(.connect(accepted(Connection(target: register, value: c.value, location: c.location))))
                replacement = Connection(target: c.target, value: ExpressionNode(.signal(register), register.type), location: c.location)
            case .narrow(let signExtend):
                guard site.path.isEmpty else { throw RewriteError("mutation \(mutation): narrow applies to a whole connection (empty path)") }
                guard c.value.type.width >= 2 else { throw RewriteError("mutation \(mutation): a \(c.value.type) value cannot be narrowed") }
                replacement = Connection(target: c.target, value: narrowed(c.value, signExtend: signExtend), location: c.location)
            case .increment:
                guard site.path.isEmpty, !c.value.type.isSigned else {
                    throw RewriteError("mutation \(mutation): plus-one applies to a whole unsigned connection (empty path)")
                }
                replacement = Connection(target: c.target, value: incremented(c.value), location: c.location)
            default:
                let value = try rebuilt(c.value, path: site.path[...]) { node in
                    guard let mutated = Self.mutate(node, mutation.operator) else {
                        throw RewriteError("mutation \(mutation): \(mutation.operator) does not apply to \(describe(node)) (\(node.type))")
                    }
                    return mutated
                }
                replacement = Connection(target: c.target, value: value, location: c.location)
            }
            return accepted(replacement!)
        }
        guard original != nil else {
            throw RewriteError("mutation \(mutation): \(module.name) has only \(counter) connections")
        }
        statements += extra
    }

    /// Marks a rebuilt connection as checked (its value has the target's exact type).
    private func accepted(_ c: Connection) -> Connection {
        c.accepted = true
        return c
    }

    /// The statements with connection number `index` (depth-first) replaced by
    /// `transform`'s result; blocks on the way are copied, all others shared.
    private func replacingConnection(_ index: Int, in statements: [Statement], counter: inout Int,
                                     _ transform: (Connection) throws -> Connection) throws -> [Statement] {
        var out = statements
        for (position, statement) in statements.enumerated() {
            let before = counter
            switch statement {
            case .connect(let c):
                if counter == index { out[position] = .connect(try transform(c)) }
                counter += 1
            case .when(let w):
                let thenBody = try replacingConnection(index, in: w.thenBody, counter: &counter, transform)
                let elseBody = try replacingConnection(index, in: w.elseBody, counter: &counter, transform)
                if before <= index && counter > index {
                    let copy = WhenBlock(condition: w.condition, location: w.location)
                    copy.thenBody = thenBody
                    copy.elseBody = elseBody
                    copy.hasElse = w.hasElse
                    out[position] = .when(copy)
                }
            case .switchOn(let sw):
                let arms = try sw.arms.map { arm in
                    SwitchBlock.Arm(values: arm.values, body: try replacingConnection(index, in: arm.body, counter: &counter, transform),
                                    location: arm.location)
                }
                let other = try sw.otherwise.map { try replacingConnection(index, in: $0, counter: &counter, transform) }
                if before <= index && counter > index {
                    let copy = SwitchBlock(selector: sw.selector, location: sw.location)
                    copy.arms = arms
                    copy.otherwise = other
                    out[position] = .switchOn(copy)
                }
            }
            if counter > index { break }
        }
        return out
    }

    /// `node` with the node at the end of `path` replaced by `transform`'s result and
    /// every node on the way rebuilt (same kinds and types, new identities).
    private func rebuilt(_ node: ExpressionNode, path: ArraySlice<Int>,
                         _ transform: (ExpressionNode) throws -> ExpressionNode) throws -> ExpressionNode {
        guard let step = path.first else { return try transform(node) }
        var children = node.children
        guard step >= 0, step < children.count else {
            throw RewriteError("node path step \(step) does not exist below \(describe(node))")
        }
        children[step] = try rebuilt(children[step], path: path.dropFirst(), transform)
        let kind: ExpressionKind
        switch node.kind {
        case .unary(let op, _): kind = .unary(op, children[0])
        case .binary(let op, _, _): kind = .binary(op, children[0], children[1])
        case .slice(_, let high, let low): kind = .slice(children[0], high: high, low: low)
        case .concat: kind = .concat(children)
        case .mux: kind = .mux(children[0], children[1], children[2])
        case .extend: kind = .extend(children[0])
        case .reinterpret: kind = .reinterpret(children[0])
        case .signal, .constant, .invalid: return node
        }
        return ExpressionNode(kind, node.type)
    }

    /// The mutated replacement of `node`, with exactly its type, or nil when the operator
    /// does not fit.
    static func mutate(_ node: ExpressionNode, _ op: MutationOperator) -> ExpressionNode? {
        switch (op, node.kind) {
        case (.swapBinary(let from, let to), .binary(let actual, let a, let b)) where from == actual:
            guard MutationOperator.binaryReplacements(from).contains(to) else { return nil }
            return ExpressionNode(.binary(to, a, b), node.type)
        case (.swapUnary(let from, let to), .unary(let actual, let a)) where from == actual && node.type.width == 1:
            return ExpressionNode(.unary(to, a), node.type)
        case (.dropNot, .unary(.not, let a)), (.dropNegate, .unary(.negate, let a)):
            return retyped(a, node.type)
        case (.dropSignXor, .binary(.xor, _, _)) where node.type.width == 1:
            return ExpressionNode(.constant(0), node.type)
        case (.zeroExtend, .extend(let a)) where a.type.isSigned:
            let bits = ExpressionNode(.reinterpret(a), .uint(a.type.width))
            return ExpressionNode(.reinterpret(ExpressionNode(.extend(bits), .uint(node.type.width))), node.type)
        case (.forceSelect(let select), .mux(_, let whenTrue, let whenFalse)):
            return retyped(select ? whenTrue : whenFalse, node.type)
        case (.shiftAmountPlusOne, .binary(let shift, let a, let amount)) where shift == .shiftLeft || shift == .shiftRight:
            let w = amount.type.width + 1
            let wide = ExpressionNode(.extend(amount), .uint(w))
            let plusOne = ExpressionNode(.binary(.add, wide, ExpressionNode(.constant(1), .uint(w))), .uint(w))
            return ExpressionNode(.binary(shift, a, plusOne), node.type)
        case (.resultPlusOne, .binary(let op, _, _)) where op == .add || op == .subtract:
            return ExpressionNode(.binary(.add, node, ExpressionNode(.constant(1), node.type)), node.type)
        case (.dropLeftAddend, .binary(.add, _, let b)):
            return retyped(b, node.type)
        default:
            return nil
        }
    }

    /// `node` under `type` (same width): itself, or a reinterpretation (UInt<1> ↔ Bool).
    static func retyped(_ node: ExpressionNode, _ type: HardwareType) -> ExpressionNode? {
        if node.type == type { return node }
        guard node.type.width == type.width else { return nil }
        return ExpressionNode(.reinterpret(node), type)
    }

    /// `value` truncated to one bit less and extended back to its width.
    private func narrowed(_ value: ExpressionNode, signExtend: Bool) -> ExpressionNode {
        let w = value.type.width
        let low = ExpressionNode(.slice(value, high: w - 2, low: 0), w == 2 ? .bool : .uint(w - 1))
        let extended: ExpressionNode
        if signExtend {
            let signed = ExpressionNode(.reinterpret(low), .sint(w - 1))
            extended = ExpressionNode(.extend(signed), .sint(w))
        } else {
            extended = ExpressionNode(.extend(low), .uint(w))
        }
        return Self.retyped(extended, value.type)!
    }

    /// `value + 1` modulo 2^width, with `value`'s type.
    private func incremented(_ value: ExpressionNode) -> ExpressionNode {
        let w = value.type.width
        let wide = ExpressionNode(.extend(Self.retyped(value, .uint(w))!), .uint(w + 1))
        let sum = ExpressionNode(.binary(.add, wide, ExpressionNode(.constant(1), .uint(w + 1))), .uint(w + 1))
        let low = ExpressionNode(.slice(sum, high: w - 1, low: 0), w == 1 ? .bool : .uint(w))
        return Self.retyped(low, value.type)!
    }

    /// A fresh register of `target`'s type (no reset, no enable) named after it, declared
    /// last in the module.
    private func makeRegister(for target: Signal, in module: HardwareModule, moduleName: String,
                              signals: [Signal], location: SourceLocation) -> Signal {
        let taken = Set(signals.map(\.name))
        var name = "mutant_delay_\(target.name)"
        var n = 2
        while taken.contains(name) { name = "mutant_delay_\(target.name)_\(n)"; n += 1 }
        // A signal records its module through a builder; this one only lends the name.
        let elaborator = Elaborator()
        let builder = ModuleBuilder(moduleName: moduleName, token: -1, elaborator: elaborator)
        return withExtendedLifetime(elaborator) {
            Signal(name: name, type: target.type, kind: .register(RegisterInfo(resetValue: nil, enable: nil)),
                   location: location, index: signals.count, builder: builder)
        }
    }
}
