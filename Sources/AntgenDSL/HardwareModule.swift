/// An elaborated, checked module: the IR that back ends consume.
public final class HardwareModule {
    /// Unique module name (derived from the generator's parameters).
    public let name: String
    /// The generator's base name.
    public let circuitName: String
    /// The generator's parameters.
    public let parameters: [Parameter]
    /// Every declared signal in declaration order (ports, wires, registers, instance ports).
    public let signals: [Signal]
    /// The body.
    public let statements: [Statement]
    /// Submodule instances in creation order.
    public let instances: [InstanceRecord]
    /// True when the module (or a submodule) has registers, so it takes `clock`.
    public let usesClock: Bool
    /// True when a register (here or below) has a reset value, so it takes `reset`.
    public let usesReset: Bool
    /// For each output port, the input ports it depends on combinationally.
    public let combinationalInputs: [String: Set<String>]
    /// The user-declared ports in declaration order (the implicit `clock`/`reset`
    /// are not listed; see ``usesClock`` and ``usesReset``).
    public let ports: [Signal]
    /// The typed interface the ports were declared from (`nil` for ad-hoc ports only).
    let interface: PortList?
    /// The generator's defect-site marks (``Design/sites(tagged:)``).
    let siteMarks: [SiteMark]
    /// The memories (block-RAM inference patterns), in declaration order.
    public let memories: [Memory]

    init(name: String, circuitName: String, parameters: [Parameter], signals: [Signal],
         statements: [Statement], instances: [InstanceRecord], usesClock: Bool, usesReset: Bool,
         combinationalInputs: [String: Set<String>], interface: PortList?, siteMarks: [SiteMark] = [], memories: [Memory] = []) {
        self.name = name
        self.circuitName = circuitName
        self.parameters = parameters
        self.signals = signals
        self.statements = statements
        self.instances = instances
        self.usesClock = usesClock
        self.usesReset = usesReset
        self.combinationalInputs = combinationalInputs
        self.interface = interface
        self.siteMarks = siteMarks
        self.memories = memories
        self.ports = signals.filter { if case .port = $0.kind { return true } else { return false } }
    }
}

/// A complete elaborated design: every distinct module once, submodules before the
/// modules that instantiate them, the top last.
public struct Design {
    /// The top module.
    public let top: HardwareModule
    /// All modules, dependencies first.
    public let modules: [HardwareModule]
}

extension Design {
    /// The number of distinct expression nodes plus statements in all modules: the
    /// size measure the benchmarks report.
    public var irNodeCount: Int {
        var seen = Set<ObjectIdentifier>()
        var statements = 0
        func visit(_ node: ExpressionNode) {
            var stack = [node]
            while let n = stack.popLast() {
                if seen.insert(ObjectIdentifier(n)).inserted { stack.append(contentsOf: n.children) }
            }
        }
        func walk(_ list: [Statement]) {
            for s in list {
                statements += 1
                switch s {
                case .connect(let c): visit(c.value)
                case .when(let w): visit(w.condition); walk(w.thenBody); walk(w.elseBody)
                case .switchOn(let sw):
                    visit(sw.selector)
                    for arm in sw.arms { walk(arm.body) }
                    if let other = sw.otherwise { walk(other) }
                }
            }
        }
        for module in modules { walk(module.statements) }
        return seen.count + statements
    }
}
