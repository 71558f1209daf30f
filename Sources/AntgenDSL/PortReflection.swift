// Reading an elaborated module's typed interface back by key path: the Verilog names,
// directions and types of the ports a `PortSpec` declared, for code that writes glue
// around the module (testbenches, drivers) without spelling its port names again.

/// One port declaration of an elaborated module, as the Verilog has it: a ``Port`` is one
/// signal, a ``PortVec`` one signal per element.
public struct DeclaredPort: Sendable, Equatable {
    /// The Verilog base name, group prefixes applied: `in_valid`, or `a_code` for the
    /// vector `a_code_0 …`.
    public let name: String
    /// The Swift property path from the spec it was read through: `codes.aCode` from the
    /// module's spec, `aCode` from the group's view.
    public let member: String
    /// Input or output, seen from the module (group flips applied).
    public let direction: PortDirection
    /// The type of each signal (a bundle or packed vector as its packed `UInt`).
    public let type: HardwareType
    /// `nil` for a single port; the element count for a vector.
    public let count: Int?

    /// The Verilog name of every signal: `[name]` for a port, `name_0 … name_{n−1}` for a vector.
    public var signalNames: [String] {
        guard let count else { return [name] }
        return (0..<count).map { "\(name)_\($0)" }
    }

    /// Bits of each signal.
    public var width: Int { type.width }

    init(_ entry: PortList.Entry) {
        name = entry.name
        member = entry.member
        direction = entry.direction
        type = entry.type
        count = entry.count
    }
}

/// The typed interface of an elaborated module, read by the key paths of its ``PortSpec``:
/// `ports.codes.aCode.signalNames`, `ports.beat.valid.name`, `ports.psum?.psumIn.width`.
/// Properties mirror the spec's: a `Port` or `PortVec` gives its ``DeclaredPort``, an
/// optional one `nil` when the module does not have it, a ``PortGroup`` the group's own view.
/// Obtain one with ``HardwareModule/declaredPorts(_:)``.
@dynamicMemberLookup
public struct DeclaredPorts<Spec: PortSpec> {
    /// The spec value the module was declared from.
    public let spec: Spec
    let list: PortList

    /// Every port of the interface in port order, groups flattened in place.
    public var all: [DeclaredPort] { list.entries.map(DeclaredPort.init) }

    private func declared(_ port: AnyObject) -> DeclaredPort {
        guard let index = list.ordinal[ObjectIdentifier(port)] else {
            preconditionFailure("port of another \(Spec.self) value read on this interface")
        }
        return DeclaredPort(list.entries[index])
    }

    private func group<G: PortSpec>(_ group: PortGroup<G>) -> DeclaredPorts<G> {
        guard let info = list.groups[ObjectIdentifier(group)] else {
            preconditionFailure("port group of another \(Spec.self) value read on this interface")
        }
        return DeclaredPorts<G>(spec: group.spec, list: info.list)
    }

    /// A port.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>>) -> DeclaredPort {
        declared(spec[keyPath: keyPath])
    }
    /// An optional port (`nil` when the module does not have it).
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>?>) -> DeclaredPort? {
        spec[keyPath: keyPath].map { declared($0) }
    }
    /// A port vector.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, PortVec<S>>) -> DeclaredPort {
        declared(spec[keyPath: keyPath])
    }
    /// A nested group.
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>>) -> DeclaredPorts<G> {
        group(spec[keyPath: keyPath])
    }
    /// An optional nested group (`nil` when the module does not have it).
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>?>) -> DeclaredPorts<G>? {
        spec[keyPath: keyPath].map { group($0) }
    }
}

extension HardwareModule {
    /// The module's typed interface read as `Spec` (the `Ports` type of the circuit that
    /// built it): `design.top.declaredPorts(AntArray.Ports.self)?.codes.aCode.signalNames`.
    /// `nil` when the module was not declared from a `Spec` value (ad-hoc ports, or
    /// another circuit's interface).
    public func declaredPorts<Spec: PortSpec>(_ type: Spec.Type) -> DeclaredPorts<Spec>? {
        guard let interface, let spec = interface.spec as? Spec else { return nil }
        return DeclaredPorts(spec: spec, list: interface)
    }

    /// The Verilog names of the port or vector at `keyPath` of the module's spec (also
    /// through groups: `\AntArray.Ports.codes.spec.aCode`); empty when the module was not
    /// declared from a `Spec` value.
    public func portNames<Spec: PortSpec, S: SignalShape>(for keyPath: KeyPath<Spec, PortVec<S>>) -> [String] {
        declaredPort(keyPath)?.signalNames ?? []
    }

    /// The Verilog name of the port at `keyPath` (also through groups), as a one-element
    /// array; empty when the module does not have it.
    public func portNames<Spec: PortSpec, S: SignalShape>(for keyPath: KeyPath<Spec, Port<S>>) -> [String] {
        declaredPort(keyPath)?.signalNames ?? []
    }

    /// The port or vector at `keyPath` of the module's spec, found also inside groups
    /// (`\Spec.group.spec.port`); `nil` when the module was not declared from a `Spec` value.
    public func declaredPort<Spec: PortSpec, P: AnyObject>(_ keyPath: KeyPath<Spec, P>) -> DeclaredPort? {
        guard let interface, let spec = interface.spec as? Spec else { return nil }
        return interface.entry(of: spec[keyPath: keyPath]).map(DeclaredPort.init)
    }
}

extension PortList {
    /// The entry of a port object of the spec or of any group nested in it (names as this
    /// list has them); `nil` for an object of another spec value.
    func entry(of port: AnyObject) -> Entry? {
        if let index = ordinal[ObjectIdentifier(port)] { return entries[index] }
        for group in groups.values {
            // Names are unique in a list: the flattened entry (with its full member path) is
            // the one of the group entry's name.
            if let inner = group.list.entry(of: port) { return entries.first { $0.name == inner.name } }
        }
        return nil
    }
}
