/// A ``PortSpec`` nested inside another: a group of ports declared once and reused by
/// several interfaces, as Chisel nests a `Bundle` in an `IO` and Amaranth a signature
/// member.
///
///     struct StreamPorts: PortSpec {
///         let inValid = Port.input(.bool)
///         let inReady = Port.output(.bool)
///     }
///     struct TopPorts: PortSpec {
///         let stream = PortGroup(StreamPorts())            // in_valid… as stream_in_valid…
///         let beat = PortGroup(StreamPorts(), prefix: "")  // in_valid… unprefixed
///         let sum = Port.output(.uint(9))
///     }
///
/// The module has no port of its own for a group: its ports are flattened into the
/// parent's port list in place, each Verilog name prefixed (by default the property
/// name in snake_case and `_`; `prefix: ""` keeps the group's names as they are). The
/// body reaches them as `io.stream.inValid` and a parent as `instance.stream.inValid`;
/// errors about a grouped port point at the line that declared it in the group's spec.
///
/// A `flipped` group reverses every direction, so one spec describes both ends of a
/// link: a producer's `PortGroup(StreamPorts())` and a consumer's
/// `PortGroup(StreamPorts(), flipped: true)` connect with
/// ``ModuleBuilder/connect(_:_:file:line:)``.
public final class PortGroup<Spec: PortSpec> {
    /// The nested interface.
    public let spec: Spec
    /// Put before each Verilog name; `nil` takes the property name in snake_case and `_`.
    public let prefix: String?
    /// Every direction is reversed.
    public let flipped: Bool

    /// The ports of `spec` as a group of the enclosing spec. Errors about them point at
    /// their own declarations in `spec`'s type.
    public init(_ spec: Spec, prefix: String? = nil, flipped: Bool = false) {
        self.spec = spec
        self.prefix = prefix
        self.flipped = flipped
    }
}

/// Type-erased view of ``PortGroup`` for reflection.
protocol AnyPortGroup: AnyObject {
    var explicitPrefix: String? { get }
    /// The group's port list, names prefixed with `prefix`, flipped when the group or
    /// its enclosing group is.
    func list(prefix: String, flipped: Bool) -> PortList
}

extension PortGroup: AnyPortGroup {
    var explicitPrefix: String? { prefix }
    func list(prefix: String, flipped: Bool) -> PortList {
        PortList(spec, prefix: prefix, flipped: flipped != self.flipped)
    }
}

extension PortBindings {
    /// The bindings of a nested group: its spec, its list and its slice of the signals.
    func group<G: PortSpec>(_ group: PortGroup<G>) -> PortBindings<G> {
        guard let info = list.groups[ObjectIdentifier(group)] else {
            preconditionFailure("port group of another \(Spec.self) value used on this interface")
        }
        let slice = signals[info.firstSignal ..< info.firstSignal + info.list.signalCount]
        return PortBindings<G>(spec: group.spec, list: info.list, signals: Array(slice))
    }
}

extension IO {
    /// A nested port group: `io.stream.inValid`.
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>>) -> IO<G> {
        IO<G>(bindings: bindings.group(spec[keyPath: keyPath]))
    }

    /// An optional port group (`nil` when the spec leaves it out).
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>?>) -> IO<G>? {
        spec[keyPath: keyPath].map { IO<G>(bindings: bindings.group($0)) }
    }
}

extension InstanceHandle {
    /// A nested port group of the instance: `tile.stream.inValid`.
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>>) -> InstanceHandle<G> {
        InstanceHandle<G>(name: name, moduleName: moduleName, bindings: bindings.group(bindings.spec[keyPath: keyPath]))
    }

    /// An optional port group of the instance (`nil` when the module does not have it).
    public subscript<G: PortSpec>(dynamicMember keyPath: KeyPath<Spec, PortGroup<G>?>) -> InstanceHandle<G>? {
        bindings.spec[keyPath: keyPath].map {
            InstanceHandle<G>(name: name, moduleName: moduleName, bindings: bindings.group($0))
        }
    }
}
