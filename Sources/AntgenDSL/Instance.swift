/// A submodule instance seen from its parent: its ports as signals of the parent.
///
/// `adder.a.assign(x)` drives an input; `adder.sum` reads an output. Asking for a
/// port the module does not have yields a value that elaboration reports.
@dynamicMemberLookup
public struct Instance {
    /// Instance name in the parent.
    public let name: String
    /// The instantiated module's name.
    public let moduleName: String
    private let ports: [(String, Value)]

    init(name: String, moduleName: String, ports: [(String, Value)]) {
        self.name = name
        self.moduleName = moduleName
        self.ports = ports
    }

    /// The port named `port`.
    public subscript(port: String) -> Value {
        if let found = ports.first(where: { $0.0 == port }) { return found.1 }
        let known = ports.map(\.0).joined(separator: ", ")
        return .invalid("instance '\(name)' of module '\(moduleName)' has no port '\(port)' (ports: \(known))")
    }

    /// The port named like the member: `instance.sum`.
    public subscript(dynamicMember port: String) -> Value { self[port] }

    /// Ports `name_0 … name_{count-1}` as a vector.
    public func vec(_ name: String, count: Int) -> Vec<Value> {
        Vec(count: count) { self["\(name)_\($0)"] }
    }
}

/// The IR of an instance: which module, and which parent signal stands for each port.
public struct InstanceRecord {
    /// Instance name.
    public let name: String
    /// The elaborated submodule.
    public let module: HardwareModule
    /// For each port of the submodule (by port name), the parent's signal.
    public let ports: [(port: String, signal: Signal)]
    /// Where the user instantiated it.
    public let location: SourceLocation
}
