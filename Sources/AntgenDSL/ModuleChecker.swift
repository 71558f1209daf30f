/// The elaboration checks of one module: types and widths of every connection,
/// drivers (undriven, multiple, latch-inferring), foreign signals and
/// combinational loops. Also derives the module's combinational input→output paths.
struct ModuleChecker {
    let builder: ModuleBuilder
    var diagnostics: [Diagnostic]
    private var validated = Set<ObjectIdentifier>()
    /// Connections per signal index, in statement order.
    private var connections: [[Connection]]
    /// Conditions (and switch selectors) enclosing each signal's connections.
    private var controlling: [[ExpressionNode]]
    /// Signals with at least one connection, accepted or not (no "undriven" cascade).
    private var attempted: [Bool]

    init(builder: ModuleBuilder) {
        self.builder = builder
        self.diagnostics = builder.diagnostics
        self.connections = Array(repeating: [], count: builder.signals.count)
        self.controlling = Array(repeating: [], count: builder.signals.count)
        self.attempted = Array(repeating: false, count: builder.signals.count)
    }

    private mutating func error(_ message: String, _ location: SourceLocation) {
        diagnostics.append(Diagnostic(module: builder.moduleName, message: message, location: location))
    }

    /// Runs every check; returns the combinational paths (output → inputs).
    mutating func run() -> [String: Set<String>] {
        for signal in builder.signals {
            if let info = signal.registerInfo, let enable = info.enable {
                validate(enable, "enable of register '\(signal.name)'", signal.location)
            }
        }
        checkMemories()
        checkStatements(builder.statements, conditions: [])
        checkDrivers(complete: topLevelCoverage())
        let before = diagnostics.count
        var graph = CombinationalGraph(builder: builder, connections: connections, controlling: controlling)
        for loop in graph.findLoops().prefix(5) {
            let names = loop.map { builder.signals[$0].name }
            let first = builder.signals[loop[0]]
            let location = connections[first.index].first?.location ?? first.location
            error("combinational loop: \((names + [names[0]]).joined(separator: " -> ")); break it with a register", location)
        }
        return diagnostics.count == before ? graph.inputDependencies() : [:]
    }

    /// Memory port expressions (foreign signals, ill-typed operations) and memories
    /// that are never written or never read.
    private mutating func checkMemories() {
        for memory in builder.memories {
            for port in memory.writePorts {
                validate(port.address, "address of memory '\(memory.name)'", port.location)
                validate(port.data, "write data of memory '\(memory.name)'", port.location)
                validate(port.enable, "write enable of memory '\(memory.name)'", port.location)
            }
            for port in memory.readPorts {
                validate(port.address, "address of memory '\(memory.name)'", port.location)
            }
            if memory.writePorts.isEmpty {
                error("memory '\(memory.name)' is never written; add a write port", memory.location)
            }
            if memory.readPorts.isEmpty {
                error("memory '\(memory.name)' is never read; add a read port", memory.location)
            }
        }
    }

    // MARK: Expressions

    /// Reports ill-typed operations and signals of other modules inside `node`.
    private mutating func validate(_ node: ExpressionNode, _ context: String, _ location: SourceLocation) {
        var stack = [node]
        while let n = stack.popLast() {
            guard validated.insert(ObjectIdentifier(n)).inserted else { continue }
            switch n.kind {
            case .invalid(let message):
                error("\(context): \(message)", location)
            case .signal(let s) where s.moduleToken != builder.token:
                error("\(context) reads \(s.describe) of module '\(s.moduleName)'; a module can only read its own signals and its instances' ports", location)
            default:
                stack.append(contentsOf: n.children)
            }
        }
    }

    // MARK: Statements

    private mutating func checkStatements(_ statements: [Statement], conditions: [ExpressionNode]) {
        for statement in statements {
            switch statement {
            case .connect(let c):
                checkConnection(c, conditions: conditions)
            case .when(let w):
                validate(w.condition, "when condition", w.location)
                if w.condition.type.width != 1 {
                    error("when condition must be Bool, got \(w.condition.type) (\(describe(w.condition))); compare or reduce it", w.location)
                }
                checkStatements(w.thenBody, conditions: conditions + [w.condition])
                checkStatements(w.elseBody, conditions: conditions + [w.condition])
            case .switchOn(let s):
                checkSwitch(s, conditions: conditions)
            }
        }
    }

    private mutating func checkSwitch(_ s: SwitchBlock, conditions: [ExpressionNode]) {
        validate(s.selector, "switch selector", s.location)
        if s.selector.type.isSigned {
            error("switch selector must be unsigned, got \(s.selector.type); use .asUInt", s.location)
        }
        let width = s.selector.type.width
        var seen: [Int: SourceLocation] = [:]
        for arm in s.arms {
            for v in arm.values {
                if v < 0 || (width < Int.bitWidth - 1 && v >= 1 << width) {
                    error("switch case \(v) does not fit the selector \(describe(s.selector)) (\(s.selector.type))", arm.location)
                } else if let first = seen[v] {
                    error("switch case \(v) appears twice; first at \(first)", arm.location)
                } else {
                    seen[v] = arm.location
                }
            }
            checkStatements(arm.body, conditions: conditions + [s.selector])
        }
        if let other = s.otherwise { checkStatements(other, conditions: conditions + [s.selector]) }
    }

    private mutating func checkConnection(_ c: Connection, conditions: [ExpressionNode]) {
        let target = c.target
        let value = c.value
        attempted[target.index] = true
        switch target.kind {
        case .port(.input):
            error("cannot drive input port '\(target.name)'; inputs are driven by the parent module", c.location)
            return
        case .instancePort(let inst, let port, .output):
            error("cannot drive output '\(port)' of instance '\(inst)': the instance drives it", c.location)
            return
        case .register(let info) where info.memory != nil:
            error("cannot drive '\(target.name)': it is the read data of memory '\(info.memory!.name)', loaded by its read port", c.location)
            return
        default: break
        }
        let context = "value assigned to '\(target.name)'"
        let before = diagnostics.count
        validate(value, context, c.location)
        guard diagnostics.count == before else { return }
        if value.type.isSigned != target.type.isSigned {
            error("cannot assign \(describe(value)) (\(value.type)) to \(target.describe): signedness differs; convert explicitly with .asUInt, .asSInt or .toSigned()", c.location)
            return
        }
        if value.type.width > target.type.width {
            error("width mismatch: \(describe(value)) is \(value.type) but \(target.describe) is narrower; no silent truncation: use .truncated(to: \(target.type.width))", c.location)
            return
        }
        c.value = Value(value).extendedNode(to: target.type.width)
        connections[target.index].append(c)
        c.accepted = true
        controlling[target.index].append(contentsOf: conditions)
    }

    // MARK: Drivers

    /// Signals assigned on every path through `statements`; reports repeated
    /// unconditional connections in one scope as multiple drivers.
    private mutating func coverage(of statements: [Statement]) -> Set<Int> {
        var covered = Set<Int>()
        var firstAt: [Int: SourceLocation] = [:]
        for statement in statements {
            switch statement {
            case .connect(let c):
                guard c.accepted else { continue }
                noteDriver(c, first: &firstAt[c.target.index])
                covered.insert(c.target.index)
            case .when(let w):
                let a = coverage(of: w.thenBody)
                let b = coverage(of: w.elseBody)
                if w.hasElse { covered.formUnion(a.intersection(b)) }
            case .switchOn(let s):
                var arms = s.arms.map { coverage(of: $0.body) }
                if let other = s.otherwise { arms.append(coverage(of: other)) }
                if s.isComplete, var all = arms.first {
                    for arm in arms.dropFirst() { all.formIntersection(arm) }
                    covered.formUnion(all)
                }
            }
        }
        return covered
    }

    /// Records `c` as its target's unconditional driver in one scope, or reports a second one.
    private mutating func noteDriver(_ c: Connection, first: inout SourceLocation?) {
        if let first {
            error("multiple drivers: \(c.target.describe) is already driven at \(first); override only inside when/switch blocks", c.location)
        } else {
            first = c.location
        }
    }

    /// ``coverage(of:)`` and ``fullyCovered(_:)`` of the module's top level in one pass,
    /// with arrays indexed by signal (the top level of a large array holds most of its
    /// statements). Returns, per signal, whether every path assigns it.
    private mutating func topLevelCoverage() -> [Bool] {
        var complete = [Bool](repeating: false, count: builder.signals.count)
        var firstAt = [SourceLocation?](repeating: nil, count: builder.signals.count)
        for statement in builder.statements {
            switch statement {
            case .connect(let c):
                complete[c.target.index] = true
                guard c.accepted else { continue }
                noteDriver(c, first: &firstAt[c.target.index])
            case .when, .switchOn:
                _ = coverage(of: [statement])
                for index in fullyCovered([statement]) { complete[index] = true }
            }
        }
        return complete
    }

    private mutating func checkDrivers(complete: [Bool]) {
        for signal in builder.signals {
            let drivers = connections[signal.index]
            if signal.isCombinationalTarget {
                if drivers.isEmpty && attempted[signal.index] {
                    continue  // its connections were rejected and reported already
                } else if drivers.isEmpty {
                    error("undriven: \(signal.describe) is never assigned", signal.location)
                } else if !complete[signal.index] {
                    error("latch: \(signal.describe) is not assigned on every path; assign a default before the when/switch or add an otherwise", drivers[0].location)
                }
            } else if let info = signal.registerInfo, drivers.isEmpty, info.resetValue == nil,
                      info.memory == nil, !attempted[signal.index] {
                error("register '\(signal.name)' (\(signal.type)) is never assigned and has no reset value", signal.location)
            }
        }
    }

    /// Like ``coverage(of:)`` without reporting (the reports were made once).
    private func fullyCovered(_ statements: [Statement]) -> Set<Int> {
        var covered = Set<Int>()
        for statement in statements {
            switch statement {
            case .connect(let c): covered.insert(c.target.index)
            case .when(let w):
                if w.hasElse { covered.formUnion(fullyCovered(w.thenBody).intersection(fullyCovered(w.elseBody))) }
            case .switchOn(let s):
                var arms = s.arms.map { fullyCovered($0.body) }
                if let other = s.otherwise { arms.append(fullyCovered(other)) }
                if s.isComplete, var all = arms.first {
                    for arm in arms.dropFirst() { all.formIntersection(arm) }
                    covered.formUnion(all)
                }
            }
        }
        return covered
    }
}

/// A short rendering of an expression for error messages, e.g. `(a + b)`.
func describe(_ node: ExpressionNode, depth: Int = 3) -> String {
    if let s = node.signal { return "'\(s.name)'" }
    if let c = node.constantValue { return "\(c)" }
    guard depth > 0 else { return "(…)" }
    let d = depth - 1
    switch node.kind {
    case .unary(let op, let a): return "\(op.rawValue)(\(describe(a, depth: d)))"
    case .binary(let op, let a, let b): return "(\(describe(a, depth: d)) \(op.rawValue) \(describe(b, depth: d)))"
    case .slice(let a, let hi, let lo): return hi == lo ? "\(describe(a, depth: d))[\(hi)]" : "\(describe(a, depth: d))[\(lo)...\(hi)]"
    case .concat(let parts): return "cat(\(parts.map { describe($0, depth: d) }.joined(separator: ", ")))"
    case .mux(let c, let a, let b): return "mux(\(describe(c, depth: d)), \(describe(a, depth: d)), \(describe(b, depth: d)))"
    case .extend(let a), .reinterpret(let a): return describe(a, depth: depth)
    case .invalid: return "(invalid)"
    case .signal, .constant: return ""
    }
}
