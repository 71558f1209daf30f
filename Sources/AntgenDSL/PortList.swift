/// A module's interface as elaboration sees it: one entry per port declaration of the
/// spec value, in order, with nested ``PortGroup``s flattened in place (their ports
/// prefixed, their directions flipped where the group is). Built once per module and
/// shared by the module body and every instance of it.
final class PortList {
    struct Entry {
        /// Verilog base name (group prefixes applied).
        let name: String
        /// The Swift property path from the list's spec, `inValid` or `stream.inValid`:
        /// what a bulk connect matches.
        let member: String
        /// Direction seen from the module (group flips applied).
        let direction: PortDirection
        /// The type of each signal (bundles packed).
        let type: HardwareType
        let layout: BundleLayout?
        /// `nil` for one port; the count for a vector (ports `name_0 …`).
        let count: Int?
        /// Index of the entry's first signal among the list's port signals.
        let firstSignal: Int
        /// Where the spec declared the port.
        let location: SourceLocation

        /// The Verilog names of its signals.
        var signalNames: [String] {
            guard let count else { return [name] }
            return (0..<count).map { "\(name)_\($0)" }
        }

        /// The same entry seen from a spec that holds its group as `label`, `offset`
        /// signals further on.
        func nested(in label: String, offset: Int) -> Entry {
            Entry(name: name, member: label + "." + member, direction: direction, type: type, layout: layout,
                  count: count, firstSignal: firstSignal + offset, location: location)
        }
    }

    /// A nested group: its own list (entries named and directed as in this list) and
    /// where its signals start among this list's.
    struct Group {
        let list: PortList
        let firstSignal: Int
    }

    /// The spec value the entries were read from (its port objects key ``ordinal``).
    let spec: Any
    /// Every port, groups flattened, in port order.
    let entries: [Entry]
    /// Entry index by port object, for the spec's own ports (not those inside groups).
    let ordinal: [ObjectIdentifier: Int]
    /// The spec's own groups by group object.
    let groups: [ObjectIdentifier: Group]
    /// Total number of port signals.
    let signalCount: Int

    /// The list of `spec`, every Verilog name prefixed with `prefix` and every direction
    /// reversed when `flipped` (the list of a group as its parent sees it).
    init(_ spec: some PortSpec, prefix: String = "", flipped: Bool = false) {
        self.spec = spec
        var entries: [Entry] = []
        var ordinal: [ObjectIdentifier: Int] = [:]
        var groups: [ObjectIdentifier: Group] = [:]
        var next = 0
        for child in Mirror(reflecting: spec).children {
            guard let label = child.label, let declaration = Self.unwrap(child.value) else { continue }
            if let group = declaration as? AnyPortGroup {
                let inner = group.list(prefix: prefix + (group.explicitPrefix ?? snakeCase(label) + "_"), flipped: flipped)
                groups[ObjectIdentifier(group)] = Group(list: inner, firstSignal: next)
                entries += inner.entries.map { $0.nested(in: label, offset: next) }
                next += inner.signalCount
                continue
            }
            guard let port = declaration as? AnyPortDeclaration else { continue }
            let shape = port.portShape
            let layout = (shape as? any BundleSpec).map { BundleLayout.of($0) }
            let type = layout.map { HardwareType.uint(Swift.max($0.width, 1)) } ?? shape.packedType
            let direction = flipped ? port.portDirection.flipped : port.portDirection
            let entry = Entry(name: prefix + (port.explicitName ?? snakeCase(label)), member: label, direction: direction,
                              type: type, layout: layout, count: port.vectorCount, firstSignal: next, location: port.declaredAt)
            ordinal[ObjectIdentifier(port)] = entries.count
            entries.append(entry)
            next += entry.count ?? 1
        }
        self.entries = entries
        self.ordinal = ordinal
        self.groups = groups
        self.signalCount = next
    }

    /// The port or group object of a `Port`, `PortVec` or `PortGroup` property, optional
    /// or not; `nil` for an absent optional or a property that is neither.
    private static func unwrap(_ value: Any) -> AnyObject? {
        if let port = value as? AnyPortDeclaration { return port }
        if let group = value as? AnyPortGroup { return group }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional, let some = mirror.children.first?.value {
            return (some as? AnyPortDeclaration) ?? (some as? AnyPortGroup)
        }
        return nil
    }
}

extension PortDirection {
    /// The other direction.
    var flipped: PortDirection { self == .input ? .output : .input }
}
