/// What a signal can be shaped as: a scalar ``HardwareType`` or a ``BundleSpec``.
/// `Handle` is what generator code holds for such a signal: a ``Value`` or a ``Bundle``.
public protocol SignalShape {
    /// What generator code works with: `Value` for scalars, `Bundle<Spec>` for bundles.
    associatedtype Handle
    /// The type of the one signal that carries it (bundles are packed into a `UInt`).
    var packedType: HardwareType { get }
    /// The handle for a declared signal of this shape.
    func makeHandle(_ binding: SignalBinding) -> Handle
}

extension HardwareType: SignalShape {
    /// The type itself.
    public var packedType: HardwareType { self }
    /// The signal's value.
    public func makeHandle(_ binding: SignalBinding) -> Value { binding.value }
}

/// A declared signal behind a handle: its value and, for bundles, its layout and
/// (when it can be driven field by field) the object that declares its field wires.
public struct SignalBinding {
    let value: Value
    let layout: BundleLayout?
    let drivable: DrivableBundle?
}

/// A module interface: a struct whose stored properties are ``Port``s, optional
/// `Port`s (absent ports), ``PortVec``s and nested ``PortGroup``s (optional too), in
/// port order.
///
///     struct AdderPorts: PortSpec {
///         let a: Port<HardwareType>, b: Port<HardwareType>
///         let sum: Port<HardwareType>
///         init(width: Int) { a = .input(.uint(width)); b = .input(.uint(width)); sum = .output(.uint(width + 1)) }
///     }
///
/// The module body reads and drives the ports through ``IO`` (`io.a`, `io.sum.assign(…)`),
/// and a parent reaches the same ports of an instance through ``InstanceHandle``
/// (`adder.a.assign(x)`, `adder.sum`): one declaration, checked by the compiler on
/// both sides. Port names are the property names in snake_case unless given; a group's
/// ports are flattened in place under its prefix. ``ModuleBuilder/connect(_:_:file:line:)``
/// joins two interfaces port by port.
public protocol PortSpec {}

/// The interface of a circuit that declares its ports ad hoc with `m.input`/`m.output`
/// (tests, top-level scripts). Such a module cannot be instantiated.
public struct NoPorts: PortSpec {
    /// No ports.
    public init() {}
}

/// One port of a ``PortSpec``.
public final class Port<Shape: SignalShape> {
    /// The port's shape (type or bundle).
    public let shape: Shape
    /// Input or output, seen from the module.
    public let direction: PortDirection
    /// The Verilog name; `nil` takes the property name in snake_case.
    public let name: String?
    /// Where the spec declared it (errors about the port point here).
    public let location: SourceLocation

    init(_ shape: Shape, _ direction: PortDirection, _ name: String?, _ location: SourceLocation) {
        self.shape = shape
        self.direction = direction
        self.name = name
        self.location = location
    }

    /// An input port.
    public static func input(_ shape: Shape, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> Port { Port(shape, .input, name, SourceLocation(fileID: file, line: line)) }
    /// An output port.
    public static func output(_ shape: Shape, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> Port { Port(shape, .output, name, SourceLocation(fileID: file, line: line)) }
}

extension Port where Shape == HardwareType {
    /// An input port of a scalar type: `Port.input(.bool)`.
    public static func input(_ type: HardwareType, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> Port<HardwareType> { Port(type, .input, name, SourceLocation(fileID: file, line: line)) }
    /// An output port of a scalar type.
    public static func output(_ type: HardwareType, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> Port<HardwareType> { Port(type, .output, name, SourceLocation(fileID: file, line: line)) }
}

/// `count` ports of one shape, named `name_0 … name_{count-1}`.
public final class PortVec<Shape: SignalShape> {
    /// The number of ports.
    public let count: Int
    /// Each port's shape.
    public let shape: Shape
    /// Input or output.
    public let direction: PortDirection
    /// The base name; `nil` takes the property name in snake_case.
    public let name: String?
    /// Where the spec declared it.
    public let location: SourceLocation

    init(_ count: Int, _ shape: Shape, _ direction: PortDirection, _ name: String?, _ location: SourceLocation) {
        self.count = count
        self.shape = shape
        self.direction = direction
        self.name = name
        self.location = location
    }

    /// `count` input ports.
    public static func input(count: Int, _ shape: Shape, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> PortVec { PortVec(count, shape, .input, name, SourceLocation(fileID: file, line: line)) }
    /// `count` output ports.
    public static func output(count: Int, _ shape: Shape, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> PortVec { PortVec(count, shape, .output, name, SourceLocation(fileID: file, line: line)) }
}

extension PortVec where Shape == HardwareType {
    /// `count` scalar input ports.
    public static func input(count: Int, _ type: HardwareType, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> PortVec<HardwareType> {
        PortVec(count, type, .input, name, SourceLocation(fileID: file, line: line))
    }
    /// `count` scalar output ports.
    public static func output(count: Int, _ type: HardwareType, name: String? = nil,
                             file: String = #fileID, line: Int = #line) -> PortVec<HardwareType> {
        PortVec(count, type, .output, name, SourceLocation(fileID: file, line: line))
    }
}

/// Type-erased view of ``Port`` and ``PortVec`` for reflection.
protocol AnyPortDeclaration: AnyObject {
    var portDirection: PortDirection { get }
    var explicitName: String? { get }
    var portShape: any SignalShape { get }
    /// `nil` for a single port, the count for a vector.
    var vectorCount: Int? { get }
    var declaredAt: SourceLocation { get }
}

extension Port: AnyPortDeclaration {
    var portDirection: PortDirection { direction }
    var explicitName: String? { name }
    var portShape: any SignalShape { shape }
    var vectorCount: Int? { nil }
    var declaredAt: SourceLocation { location }
}

extension PortVec: AnyPortDeclaration {
    var portDirection: PortDirection { direction }
    var explicitName: String? { name }
    var portShape: any SignalShape { shape }
    var vectorCount: Int? { count }
    var declaredAt: SourceLocation { location }
}

/// Port handles shared by ``IO`` and ``InstanceHandle``: the bindings of every port signal.
struct PortBindings<Spec: PortSpec> {
    let spec: Spec
    let list: PortList
    /// One binding per port signal, in the list's signal order.
    let signals: [SignalBinding]

    private func entry(_ port: AnyObject) -> PortList.Entry {
        guard let index = list.ordinal[ObjectIdentifier(port)] else {
            preconditionFailure("port of another \(Spec.self) value used on this interface")
        }
        return list.entries[index]
    }

    func port<S: SignalShape>(_ keyPath: KeyPath<Spec, Port<S>>) -> S.Handle {
        let port = spec[keyPath: keyPath]
        return port.shape.makeHandle(signals[entry(port).firstSignal])
    }

    func optionalPort<S: SignalShape>(_ keyPath: KeyPath<Spec, Port<S>?>) -> S.Handle? {
        guard let port = spec[keyPath: keyPath] else { return nil }
        return port.shape.makeHandle(signals[entry(port).firstSignal])
    }

    func vector<S: SignalShape>(_ keyPath: KeyPath<Spec, PortVec<S>>) -> Vec<S.Handle> {
        let vector = spec[keyPath: keyPath]
        let first = entry(vector).firstSignal
        return Vec(count: vector.count) { vector.shape.makeHandle(signals[first + $0]) }
    }
}

/// The ports of the module being built, as its ``Circuit/build(_:_:)`` receives them:
/// `io.a` reads an input, `io.sum.assign(…)` drives an output.
@dynamicMemberLookup
public struct IO<Spec: PortSpec> {
    let bindings: PortBindings<Spec>

    /// The spec value the ports were declared from.
    public var spec: Spec { bindings.spec }

    /// A port.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>>) -> S.Handle { bindings.port(keyPath) }
    /// An optional port (`nil` when the spec leaves it out).
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>?>) -> S.Handle? { bindings.optionalPort(keyPath) }
    /// A port vector.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, PortVec<S>>) -> Vec<S.Handle> { bindings.vector(keyPath) }
}

/// A submodule instance seen from its parent: the module's ports as typed properties.
/// Drive its inputs (`pe.aIn.assign(x)`), read its outputs (`pe.drainOut.data`).
/// In the Verilog each port is a parent signal named `instance_port`.
@dynamicMemberLookup
public struct InstanceHandle<Spec: PortSpec> {
    /// Instance name in the parent.
    public let name: String
    /// The instantiated module's name.
    public let moduleName: String
    let bindings: PortBindings<Spec>

    /// A port.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>>) -> S.Handle { bindings.port(keyPath) }
    /// An optional port (`nil` when the module does not have it).
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, Port<S>?>) -> S.Handle? { bindings.optionalPort(keyPath) }
    /// A port vector.
    public subscript<S: SignalShape>(dynamicMember keyPath: KeyPath<Spec, PortVec<S>>) -> Vec<S.Handle> { bindings.vector(keyPath) }
}

/// A drivable packed bundle signal (an output port, a wire or an instance input).
/// Driven whole, it is one connection; the first field access declares one wire per
/// field (`name_field`) and drives the packed signal from them, so fields can be
/// assigned one by one, also inside `when` blocks.
final class DrivableBundle {
    let packedSignal: Value
    let layout: BundleLayout
    unowned let builder: ModuleBuilder
    let location: SourceLocation
    private var wires: [Value]?

    init(packedSignal: Value, layout: BundleLayout, builder: ModuleBuilder, location: SourceLocation) {
        self.packedSignal = packedSignal
        self.layout = layout
        self.builder = builder
        self.location = location
    }

    /// True once the field wires exist.
    var isSplit: Bool { wires != nil }

    /// The field wires, declared on first use.
    func fieldWires() -> [Value] {
        if let wires { return wires }
        let base = packedSignal.signal?.name ?? "bundle"
        let made = layout.leaves.map { builder.declareFieldWire("\(base)_\($0.path)", $0.type, location) }
        builder.appendTopLevel(.connect(Connection(target: packedSignal.signal!, value: cat(made).node, location: location)))
        wires = made
        return made
    }
}
