/// Builds one module: the object a ``Circuit``'s `build` method receives.
///
/// Declarations (`input`, `output`, `wire`, `register`, `instance`) return values
/// that take part in expressions; `assign` on a signal and the `when`/`switchOn`
/// blocks record statements. Every call captures the caller's `#fileID`/`#line`,
/// which elaboration errors report.
public final class ModuleBuilder {
    /// The module being built.
    public let moduleName: String
    let token: Int
    unowned let elaborator: Elaborator
    private(set) var signals: [Signal] = []
    /// Signal index per declared name (duplicate detection).
    private var declaredIndex: [String: Int] = [:]
    private var scopes: [[Statement]] = [[]]
    private(set) var instances: [InstanceRecord] = []
    /// The defect-site marks, in the order the generator made them (``markSite(_:on:file:line:)``).
    var siteMarks: [SiteMark] = []
    var diagnostics: [Diagnostic] = []
    /// The memories, in declaration order.
    var memories: [Memory] = []

    init(moduleName: String, token: Int, elaborator: Elaborator) {
        self.moduleName = moduleName
        self.token = token
        self.elaborator = elaborator
    }

    /// The statements recorded at top level (valid once `build` has returned).
    var statements: [Statement] { scopes[0] }

    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(module: moduleName, message: message, location: location))
    }

    // MARK: Declarations

    /// A Verilog-safe name not yet taken by a signal or memory of this module; reports
    /// reserved and duplicate names.
    func reserveName(_ rawName: String, _ location: SourceLocation) -> String {
        var name = sanitizedIdentifier(rawName)
        if name == "clock" || name == "reset" || name.hasPrefix("_") {
            error("the name '\(rawName)' is reserved (clock, reset and names starting with '_' belong to antgen)", at: location)
            name = "user_" + name
        }
        func taken(_ n: String) -> SourceLocation? {
            if let previous = declaredIndex[n] { return signals[previous].location }
            return memories.first { $0.name == n }?.location
        }
        if let first = taken(name) {
            error("'\(name)' is declared twice; first declaration at \(first)", at: location)
            var n = 2
            while taken("\(name)_\(n)") != nil { n += 1 }
            name = "\(name)_\(n)"
        }
        return name
    }

    private func declare(_ rawName: String, _ type: HardwareType, _ kind: SignalKind,
                         _ location: SourceLocation, annotation: String? = nil) -> Value {
        let name = reserveName(rawName, location)
        var scalar = type
        switch type {
        case .uint(let w) where w < 1, .sint(let w) where w < 1:
            error("'\(name)' has width \(w); widths must be at least 1", at: location)
            scalar = type.withWidth(1)
        case .vec:
            error("'\(name)' has vector type \(type); declare vectors with inputVec/outputVec/wireVec/registerVec", at: location)
            scalar = .uint(1)
        default: break
        }
        declaredIndex[name] = signals.count
        let signal = Signal(name: name, type: scalar, kind: kind, location: location,
                            index: signals.count, builder: self, annotation: annotation)
        signals.append(signal)
        return Value(ExpressionNode(.signal(signal), scalar))
    }

    /// Declares an input port.
    @discardableResult
    public func input(_ name: String, _ type: HardwareType, file: String = #fileID, line: Int = #line) -> Value {
        declare(name, type, .port(.input), SourceLocation(fileID: file, line: line))
    }

    /// Declares an output port. It must be driven on every path.
    @discardableResult
    public func output(_ name: String, _ type: HardwareType, file: String = #fileID, line: Int = #line) -> Value {
        declare(name, type, .port(.output), SourceLocation(fileID: file, line: line))
    }

    /// Declares a combinational wire. It must be driven on every path.
    public func wire(_ name: String, _ type: HardwareType, file: String = #fileID, line: Int = #line) -> Value {
        declare(name, type, .wire, SourceLocation(fileID: file, line: line))
    }

    /// Declares a wire of `value`'s type and drives it with `value`: names an
    /// intermediate result so it appears in the Verilog under that name.
    /// `let sum = m.wire("sum", equals: a + b)`.
    public func wire(_ name: String, equals value: Value, file: String = #fileID, line: Int = #line) -> Value {
        let type = value.type.isScalar && value.width >= 1 ? value.type : .uint(1)
        let w = declare(name, type, .wire, SourceLocation(fileID: file, line: line))
        w.assign(value, file: file, line: line)
        return w
    }

    /// Declares a register clocked by the module's implicit `clock`.
    ///
    /// - Parameters:
    ///   - reset: value loaded at a rising edge while the implicit synchronous `reset`
    ///     is high; `nil` for a register without reset (datapath pipelines).
    ///   - enable: when given, the register updates only in cycles where it is 1.
    ///   A register keeps its value in cycles where no connection applies.
    public func register(_ name: String, _ type: HardwareType, reset: Int? = nil, enable: Value? = nil,
                         file: String = #fileID, line: Int = #line) -> Value {
        let location = SourceLocation(fileID: file, line: line)
        var resetNode: ExpressionNode?
        if let reset {
            let constant = Value.constant(reset, as: type)
            if case .invalid(let message) = constant.node.kind {
                error("reset value of register '\(name)': \(message)", at: location)
            } else {
                resetNode = constant.node
            }
        }
        if let enable, enable.width != 1 || enable.isInvalid {
            error("enable of register '\(name)' must be Bool, got \(enable.type)", at: location)
        }
        return declare(name, type, .register(RegisterInfo(resetValue: resetNode, enable: enable?.node)), location)
    }

    /// Declares a register and drives its next value in one step: a pipeline stage.
    public func register(_ name: String, next: Value, reset: Int? = nil, enable: Value? = nil,
                         file: String = #fileID, line: Int = #line) -> Value {
        let r = register(name, next.type.isScalar ? next.type : .uint(1), reset: reset, enable: enable, file: file, line: line)
        r.assign(next, file: file, line: line)
        return r
    }

    /// Declares the data register of a memory read port.
    func declareMemoryRead(_ name: String, _ memory: Memory, enable: ExpressionNode?, _ location: SourceLocation) -> Value {
        declare(name, memory.elementType, .register(RegisterInfo(resetValue: nil, enable: enable, memory: memory)), location)
    }

    // MARK: Vectors

    /// `count` input ports `name_0 … name_{count-1}`.
    public func inputVec(_ name: String, count: Int, _ type: HardwareType,
                         file: String = #fileID, line: Int = #line) -> Vec<Value> {
        Vec(count: count) { input("\(name)_\($0)", type, file: file, line: line) }
    }

    /// `count` output ports `name_0 … name_{count-1}`.
    public func outputVec(_ name: String, count: Int, _ type: HardwareType,
                          file: String = #fileID, line: Int = #line) -> Vec<Value> {
        Vec(count: count) { output("\(name)_\($0)", type, file: file, line: line) }
    }

    /// `count` wires `name_0 … name_{count-1}`.
    public func wireVec(_ name: String, count: Int, _ type: HardwareType,
                        file: String = #fileID, line: Int = #line) -> Vec<Value> {
        Vec(count: count) { wire("\(name)_\($0)", type, file: file, line: line) }
    }

    /// `count` registers `name_0 … name_{count-1}` sharing reset value and enable.
    public func registerVec(_ name: String, count: Int, _ type: HardwareType, reset: Int? = nil,
                            enable: Value? = nil, file: String = #fileID, line: Int = #line) -> Vec<Value> {
        Vec(count: count) { register("\(name)_\($0)", type, reset: reset, enable: enable, file: file, line: line) }
    }

    // MARK: Instances

    /// Instantiates a submodule and returns its typed ports. In this module they are
    /// signals named `name_port`: drive the instance's inputs, read its outputs.
    public func instance<C: Circuit>(_ circuit: C, name: String,
                                     file: String = #fileID, line: Int = #line) -> InstanceHandle<C.Ports> {
        let location = SourceLocation(fileID: file, line: line)
        let module = elaborator.module(for: circuit, instantiatedAt: location, by: self)
        let instanceName = sanitizedIdentifier(name)
        let interface: PortList
        let spec: C.Ports
        if let known = module.interface, let knownSpec = known.spec as? C.Ports {
            interface = known
            spec = knownSpec
        } else {
            spec = circuit.ports
            interface = PortList(spec)
        }
        let adHoc = module.ports.count - interface.signalCount
        if adHoc > 0 {
            let names = module.ports.suffix(adHoc).map(\.name).joined(separator: ", ")
            error("module '\(module.name)' declares ports outside its `ports` spec (\(names)), so an instance cannot reach them; declare them in the circuit's PortSpec", at: location)
        }
        var records: [(port: String, signal: Signal)] = []
        var bindings: [SignalBinding] = []
        records.reserveCapacity(module.ports.count)
        bindings.reserveCapacity(interface.signalCount)
        for entry in interface.entries {
            for portName in entry.count == nil ? [entry.name] : entry.signalNames {
                let value = declare(instanceName + "_" + portName, entry.type,
                                    .instancePort(instance: instanceName, port: portName, direction: entry.direction), location,
                                    annotation: entry.layout?.fieldComment)
                records.append((portName, value.signal!))
                bindings.append(binding(value, entry, drivable: entry.direction == .input, location))
            }
        }
        for port in module.ports.suffix(max(adHoc, 0)) {
            guard case .port(let direction) = port.kind else { continue }
            let value = declare("\(instanceName)_\(port.name)", port.type,
                                .instancePort(instance: instanceName, port: port.name, direction: direction), location)
            records.append((port.name, value.signal!))
        }
        instances.append(InstanceRecord(name: instanceName, module: module, ports: records, location: location))
        return InstanceHandle(name: instanceName, moduleName: module.name,
                              bindings: PortBindings(spec: spec, list: interface, signals: bindings))
    }

    /// Declares the ports of a typed interface, in order, before `build` runs.
    func declarePorts(_ interface: PortList) -> [SignalBinding] {
        var bindings: [SignalBinding] = []
        bindings.reserveCapacity(interface.signalCount)
        for entry in interface.entries {
            for portName in entry.signalNames {
                let value = declare(portName, entry.type, .port(entry.direction), entry.location,
                                    annotation: entry.layout?.fieldComment)
                bindings.append(binding(value, entry, drivable: entry.direction == .output, entry.location))
            }
        }
        return bindings
    }

    private func binding(_ value: Value, _ entry: PortList.Entry, drivable: Bool, _ location: SourceLocation) -> SignalBinding {
        guard let layout = entry.layout else { return SignalBinding(value: value, layout: nil, drivable: nil) }
        let driver = drivable ? DrivableBundle(packedSignal: value, layout: layout, builder: self, location: location) : nil
        return SignalBinding(value: value, layout: layout, drivable: driver)
    }

    /// Declares the packed signal of a bundle (its fields listed in the Verilog comment).
    func declareBundleSignal(_ name: String, _ layout: BundleLayout, _ kind: SignalKind, _ location: SourceLocation) -> Value {
        declare(name, .uint(max(layout.width, 1)), kind, location, annotation: layout.fieldComment)
    }

    /// Declares one field wire of a drivable bundle.
    func declareFieldWire(_ name: String, _ type: HardwareType, _ location: SourceLocation) -> Value {
        declare(name, type, .wire, location)
    }

    // MARK: Statements

    /// True when no `when`/`switchOn` block is open.
    var atTopLevel: Bool { scopes.count == 1 }

    func append(_ statement: Statement) {
        scopes[scopes.count - 1].append(statement)
    }

    /// Appends at the module's top level, whatever block is open (bundle field wiring).
    func appendTopLevel(_ statement: Statement) {
        scopes[0].append(statement)
    }

    func collect(_ body: () -> Void) -> [Statement] {
        scopes.append([])
        body()
        return scopes.removeLast()
    }

    func connect(_ target: Signal, _ value: Value, _ location: SourceLocation) {
        let active = elaborator.activeBuilder ?? self
        guard active === self else {
            active.error("cannot drive \(target.describe): it belongs to module '\(moduleName)', not '\(active.moduleName)'", at: location)
            return
        }
        append(.connect(Connection(target: target, value: value.node, location: location)))
    }

    /// Statements in `body` apply only while `condition` (one bit) is 1.
    /// Chain `.elseWhen` and `.otherwise` on the result.
    @discardableResult
    public func when(_ condition: Value, file: String = #fileID, line: Int = #line,
                     _ body: () -> Void) -> WhenChain {
        let block = WhenBlock(condition: condition.node, location: SourceLocation(fileID: file, line: line))
        append(.when(block))
        block.thenBody = collect(body)
        return WhenChain(builder: self, block: block)
    }

    /// A `case` statement: `m.switchOn(op) { s in s.is(0) { … }; s.otherwise { … } }`.
    public func switchOn(_ selector: Value, file: String = #fileID, line: Int = #line,
                         _ body: (SwitchCases) -> Void) {
        let block = SwitchBlock(selector: selector.node, location: SourceLocation(fileID: file, line: line))
        append(.switchOn(block))
        let cases = SwitchCases(builder: self, block: block)
        let stray = collect { body(cases) }
        if !stray.isEmpty {
            error("statements inside switchOn must be inside an 'is' or 'otherwise' arm", at: block.location)
        }
    }
}

/// The continuation of a `when`: `elseWhen` and `otherwise`.
public struct WhenChain {
    let builder: ModuleBuilder
    let block: WhenBlock

    /// Statements that apply when every earlier condition was 0 and `condition` is 1.
    @discardableResult
    public func elseWhen(_ condition: Value, file: String = #fileID, line: Int = #line,
                         _ body: () -> Void) -> WhenChain {
        let next = WhenBlock(condition: condition.node, location: SourceLocation(fileID: file, line: line))
        block.hasElse = true
        block.elseBody = [.when(next)]
        next.thenBody = builder.collect(body)
        return WhenChain(builder: builder, block: next)
    }

    /// Statements that apply when every condition of the chain was 0.
    public func otherwise(_ body: () -> Void) {
        block.hasElse = true
        block.elseBody = builder.collect(body)
    }
}

/// The arms of a `switchOn` block.
public struct SwitchCases {
    let builder: ModuleBuilder
    let block: SwitchBlock

    /// An arm taken when the selector equals one of `values`.
    public func `is`(_ values: Int..., file: String = #fileID, line: Int = #line, _ body: () -> Void) {
        let statements = builder.collect(body)
        block.arms.append(.init(values: values, body: statements, location: SourceLocation(fileID: file, line: line)))
    }

    /// The arm taken when no other arm matches.
    public func otherwise(file: String = #fileID, line: Int = #line, _ body: () -> Void) {
        if block.otherwise != nil {
            builder.error("switch has two 'otherwise' arms", at: SourceLocation(fileID: file, line: line))
        }
        block.otherwise = builder.collect(body)
    }
}

extension Value {
    /// Drives this signal with `value` (Verilog `assign`/`=` for combinational
    /// signals, `<=` for registers). Inside `when` blocks the connection applies only
    /// on that path; a later connection overrides an earlier one.
    public func assign(_ value: Value, file: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: file, line: line)
        guard let signal = node.signal, let builder = signal.builder else {
            // Find the module being built through any signal the two expressions mention.
            let someSignal = firstSignal(in: node) ?? firstSignal(in: value.node)
            guard let active = someSignal?.builder?.elaborator.activeBuilder else {
                preconditionFailure("\(location): cannot assign to a constant expression")
            }
            active.error("cannot assign to an expression of type \(type); only declared signals can be driven", at: location)
            return
        }
        builder.connect(signal, value, location)
    }

    /// Drives this signal with a constant of its own type.
    public func assign(_ constant: Int, file: String = #fileID, line: Int = #line) {
        assign(Value.constant(constant, as: type), file: file, line: line)
    }
}

/// The first signal referenced by an expression (depth-first), if any.
func firstSignal(in node: ExpressionNode) -> Signal? {
    var stack = [node]
    var seen = Set<ObjectIdentifier>()
    while let n = stack.popLast() {
        if let s = n.signal { return s }
        if seen.insert(ObjectIdentifier(n)).inserted { stack.append(contentsOf: n.children) }
    }
    return nil
}
