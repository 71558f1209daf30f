/// Runs generators and checks the modules they build.
///
/// Each distinct module name is built once; every later instantiation reuses it, after a
/// check that it comes from the same generator type with the same parameters (a name shared
/// by two different circuits is an error at the second instantiation, never a silent reuse).
/// All errors of all modules are collected and thrown together.
public final class Elaborator {
    private var built: [String: HardwareModule] = [:]
    /// The generator type and raw parameters each built module name came from.
    private var origin: [String: (type: ObjectIdentifier, typeName: String, parameters: [Parameter])] = [:]
    private var order: [HardwareModule] = []
    private var inProgress: [String] = []
    private var builders: [ModuleBuilder] = []
    private var nextToken = 0
    private var diagnostics: [Diagnostic] = []

    /// Creates an elaborator with an empty module cache.
    public init() {}

    /// The builder of the module currently being built.
    var activeBuilder: ModuleBuilder? { builders.last }

    /// Elaborates `top` and everything it instantiates.
    /// - Throws: ``ElaborationError`` with every error found.
    public func elaborate(_ top: some Circuit) throws -> Design {
        let module = self.module(for: top, instantiatedAt: nil, by: nil)
        if !diagnostics.isEmpty {
            throw ElaborationError(diagnostics)
        }
        return Design(top: module, modules: order)
    }

    func module(for circuit: some Circuit, instantiatedAt location: SourceLocation?,
                by parent: ModuleBuilder?) -> HardwareModule {
        let name = circuit.moduleName
        if let cached = built[name] {
            if let first = origin[name] {
                let parameters = circuit.parameters
                if first.type != ObjectIdentifier(type(of: circuit)) || first.parameters != parameters, let parent, let location {
                    let other = "\(type(of: circuit))(\(parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))"
                    let earlier = "\(first.typeName)(\(first.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))"
                    parent.error("module name '\(name)' is already the name of a different circuit: \(earlier) vs \(other); give one of them its own name or parameters", at: location)
                }
            }
            return cached
        }
        if inProgress.contains(name), let parent, let location {
            parent.error("module '\(name)' instantiates itself (\((inProgress + [name]).joined(separator: " -> ")))", at: location)
            return HardwareModule(name: name, circuitName: circuit.name, parameters: circuit.parameters,
                                  signals: [], statements: [], instances: [], usesClock: false,
                                  usesReset: false, combinationalInputs: [:], interface: nil)
        }
        inProgress.append(name)
        nextToken += 1
        let builder = ModuleBuilder(moduleName: name, token: nextToken, elaborator: self)
        builders.append(builder)
        let spec = circuit.ports
        let interface = PortList(spec)
        let io = IO(bindings: PortBindings(spec: spec, list: interface, signals: builder.declarePorts(interface)))
        circuit.build(builder, io)
        builders.removeLast()
        inProgress.removeLast()

        builder.checkSiteMarks()
        var checker = ModuleChecker(builder: builder)
        let paths = checker.run()
        diagnostics += checker.diagnostics.sorted { ($0.location.fileID, $0.location.line) < ($1.location.fileID, $1.location.line) }
        let registers = builder.signals.filter(\.isRegister)
        let module = HardwareModule(
            name: name, circuitName: circuit.name, parameters: circuit.parameters,
            signals: builder.signals, statements: builder.statements, instances: builder.instances,
            usesClock: !registers.isEmpty || builder.instances.contains { $0.module.usesClock },
            usesReset: registers.contains { $0.registerInfo?.resetValue != nil }
                || builder.instances.contains { $0.module.usesReset },
            combinationalInputs: paths, interface: interface.entries.isEmpty ? nil : interface, siteMarks: builder.siteMarks,
            memories: builder.memories)
        built[name] = module
        origin[name] = (ObjectIdentifier(type(of: circuit)), "\(type(of: circuit))", circuit.parameters)
        order.append(module)
        return module
    }
}

/// Elaborates `top` with a fresh ``Elaborator``.
public func elaborate(_ top: some Circuit) throws -> Design {
    try Elaborator().elaborate(top)
}
