/// A structured hardware signal type: named fields, each a scalar, a nested bundle or a
/// vector, declared as the stored properties of a Swift struct.
///
///     struct Operand: BundleSpec {
///         let sign = Field(.bool)
///         let mantissa: Field
///         let shift: Field
///         init(mantissaWidth: Int, shiftWidth: Int) {
///             mantissa = Field(.uint(mantissaWidth)); shift = Field(.uint(shiftWidth))
///         }
///     }
///
/// A value of the bundle is a ``Bundle``; its fields are read through key paths
/// (`operand.sign`), so a misspelt field does not compile. Stored properties that are
/// not `Field`, `FieldVec` or a nested `BundleSpec` (a width, say) are parameters and
/// ignored. Field names in the Verilog are the property names in snake_case.
///
/// **Bit order.** A bundle packs into one `UInt` with the **first declared field in the
/// most significant bits**, as Verilog's `{a, b, c}` and Chisel's `asUInt` do; nested
/// bundles and vectors pack the same way recursively (vector element 0 most significant).
public protocol BundleSpec: SignalShape where Handle == Bundle<Self> {}

/// A scalar field of a ``BundleSpec``.
///
/// A class so that a spec's fields have identity: a key path into the spec yields the
/// field object, which finds its place in the bundle's layout.
public final class Field: @unchecked Sendable {
    /// The field's hardware type (a scalar).
    public let type: HardwareType
    /// A field of `type`.
    public init(_ type: HardwareType) { self.type = type }
}

/// A vector field of a ``BundleSpec``: `count` elements of one shape (a scalar type or a bundle).
public final class FieldVec<Element: SignalShape>: @unchecked Sendable {
    /// The number of elements.
    public let count: Int
    /// Every element's shape.
    public let element: Element
    /// `count` elements shaped like `element`.
    public init(count: Int, _ element: Element) {
        self.count = count
        self.element = element
    }
}

extension BundleSpec {
    /// The packed width: the sum of every field's width.
    public var packedType: HardwareType { .uint(Swift.max(BundleLayout.of(self).width, 1)) }

    public func makeHandle(_ binding: SignalBinding) -> Bundle<Self> {
        let layout = binding.layout ?? BundleLayout.of(self)
        if let drivable = binding.drivable { return Bundle(spec: self, layout: layout, storage: .drivable(drivable)) }
        return Bundle(spec: self, layout: layout, storage: .packed(binding.value, offset: 0))
    }
}

/// A value of a bundle type: read fields through key paths, assign it whole, pack it.
///
/// Where it lives decides how fields behave:
/// - input ports and instance outputs are one packed signal; fields are its slices;
/// - output ports, wires and instance inputs are one packed signal that can be driven
///   whole (`out.assign(other)`) or field by field (`out.valid.assign(x)`): the first
///   field access declares one wire per field (`out_valid`, …) that drive the packed signal;
/// - registers are one register per field (`name_field`), so each field holds its value
///   when not assigned;
/// - values built with ``Bundle/init(_:_:)`` are their field expressions.
@dynamicMemberLookup
public struct Bundle<Spec: BundleSpec> {
    /// The spec this value follows.
    public let spec: Spec
    let layout: BundleLayout
    let storage: BundleStorage

    init(spec: Spec, layout: BundleLayout, storage: BundleStorage) {
        self.spec = spec
        self.layout = layout
        self.storage = storage
    }

    /// A bundle value from its fields: `Bundle(Operand(…)) { $0.sign = s; $0.mantissa = m; $0.shift = e }`.
    /// A field left unset, wider than its type or of the other signedness is an error
    /// reported where the value is used.
    public init(_ spec: Spec, _ fill: (inout BundleFields<Spec>) -> Void) {
        let layout = BundleLayout.of(spec)
        var fields = BundleFields(spec: spec, layout: layout)
        fill(&fields)
        self.init(spec: spec, layout: layout, storage: .leaves(fields.checkedLeaves()))
    }

    /// Reinterprets a flat value as this bundle (the documented bit order); its width
    /// must equal the bundle's.
    public init(_ spec: Spec, packed value: Value) {
        let layout = BundleLayout.of(spec)
        let flat = value.width == layout.width ? value.asUInt
            : .invalid("cannot unpack \(value.type) as bundle \(layout.name) (\(layout.width) bits)")
        self.init(spec: spec, layout: layout, storage: .packed(flat, offset: 0))
    }

    /// All fields as one `UInt`, first field in the most significant bits.
    public var packed: Value {
        switch storage {
        case .packed(let v, let offset):
            return offset == 0 && v.width == layout.width ? v : v[offset...(offset + layout.width - 1)]
        case .leaves(let leaves): return cat(leaves)
        case .drivable(let d): return d.packedSignal
        }
    }

    /// The bundle's width in bits.
    public var width: Int { layout.width }

    /// The field's leaf values in declaration order.
    var leaves: [Value] {
        switch storage {
        case .packed(let v, let offset): return layout.leaves.map { $0.read(from: v, offset: offset) }
        case .leaves(let leaves): return leaves
        case .drivable(let d): return d.fieldWires()
        }
    }

    private func member(_ object: AnyObject) -> BundleLayout.Member {
        guard let member = layout.members[ObjectIdentifier(object)] else {
            preconditionFailure("field of another \(Spec.self) value used on bundle \(layout.name)")
        }
        return member
    }

    private func leaf(_ index: Int) -> Value {
        switch storage {
        case .packed(let v, let offset): return layout.leaves[index].read(from: v, offset: offset)
        case .leaves(let leaves): return leaves[index]
        case .drivable(let d): return d.fieldWires()[index]
        }
    }

    private func sub(_ member: BundleLayout.Member) -> BundleStorage {
        switch storage {
        case .packed(let v, let offset): return .packed(v, offset: offset + member.lowBit)
        case .leaves(let leaves): return .leaves(Array(leaves[member.leaves]))
        case .drivable(let d): return .leaves(Array(d.fieldWires()[member.leaves]))
        }
    }

    /// A scalar field: `operand.sign`.
    public subscript(dynamicMember keyPath: KeyPath<Spec, Field>) -> Value {
        leaf(member(spec[keyPath: keyPath]).leaves.lowerBound)
    }

    /// A nested bundle: `beat.operand.sign`.
    public subscript<Sub: BundleSpec>(dynamicMember keyPath: KeyPath<Spec, Sub>) -> Bundle<Sub> {
        let nested = spec[keyPath: keyPath]
        let m = member(BundleLayout.identity(of: nested))
        return Bundle<Sub>(spec: nested, layout: m.nested!, storage: sub(m))
    }

    /// A vector field of scalars: `lanes.valid[3]`.
    public subscript(dynamicMember keyPath: KeyPath<Spec, FieldVec<HardwareType>>) -> Vec<Value> {
        let m = member(spec[keyPath: keyPath])
        return Vec(m.leaves.map { leaf($0) })
    }

    /// A vector field of bundles.
    public subscript<Sub: BundleSpec>(dynamicMember keyPath: KeyPath<Spec, FieldVec<Sub>>) -> Vec<Bundle<Sub>> {
        let vector = spec[keyPath: keyPath]
        let m = member(vector)
        return Vec(m.elements.map { Bundle<Sub>(spec: vector.element, layout: $0.nested!, storage: sub($0)) })
    }

    /// Drives this bundle from `other`, field by field or as one packed signal. Both must
    /// have the same layout (field names and types); a mismatch is an elaboration error
    /// at the caller's line.
    public func assign(_ other: Bundle<Spec>, file: String = #fileID, line: Int = #line) {
        guard layout === other.layout || layout.signature == other.layout.signature else {
            let problem = Value.invalid("bundle layouts differ: \(other.layout.describe) cannot drive \(layout.describe)")
            leaves.first?.assign(problem, file: file, line: line)
            return
        }
        switch storage {
        case .packed:
            // The packed signal itself, or (for a nested part) a slice that cannot be driven.
            packed.assign(other.packed, file: file, line: line)
        case .drivable(let d) where !d.isSplit:
            d.packedSignal.assign(other.packed, file: file, line: line)
        default:
            for (target, value) in zip(leaves, other.leaves) { target.assign(value, file: file, line: line) }
        }
    }
}

/// Where a bundle's bits live.
enum BundleStorage {
    /// One flat value, the bundle at bit `offset` of it; fields are its slices.
    case packed(Value, offset: Int)
    /// One value per leaf field, in declaration order.
    case leaves([Value])
    /// A drivable packed signal whose field wires are declared on first field access.
    case drivable(DrivableBundle)
}

/// Field-by-field construction of a bundle value (see ``Bundle/init(_:_:)``).
@dynamicMemberLookup
public struct BundleFields<Spec: BundleSpec> {
    let spec: Spec
    let layout: BundleLayout
    private var values: [Value?]

    init(spec: Spec, layout: BundleLayout) {
        self.spec = spec
        self.layout = layout
        self.values = Array(repeating: nil, count: layout.leaves.count)
    }

    /// A scalar field.
    public subscript(dynamicMember keyPath: KeyPath<Spec, Field>) -> Value {
        get {
            let index = layout.members[ObjectIdentifier(spec[keyPath: keyPath])]!.leaves.lowerBound
            return values[index] ?? .invalid("field '\(layout.leaves[index].path)' of bundle \(layout.name) read before it was set")
        }
        set { values[layout.members[ObjectIdentifier(spec[keyPath: keyPath])]!.leaves.lowerBound] = newValue }
    }

    /// A nested bundle field, set whole.
    public subscript<Sub: BundleSpec>(dynamicMember keyPath: KeyPath<Spec, Sub>) -> Bundle<Sub> {
        get {
            let nested = spec[keyPath: keyPath]
            let m = layout.members[ObjectIdentifier(BundleLayout.identity(of: nested))]!
            let leaves = m.leaves.map { values[$0] ?? .invalid("field '\(layout.leaves[$0].path)' of bundle \(layout.name) read before it was set") }
            return Bundle(spec: nested, layout: m.nested!, storage: .leaves(leaves))
        }
        set {
            let m = layout.members[ObjectIdentifier(BundleLayout.identity(of: spec[keyPath: keyPath]))]!
            guard newValue.layout.signature == m.nested!.signature else {
                for i in m.leaves { values[i] = .invalid("bundle layouts differ: \(newValue.layout.describe) set as field of \(layout.name)") }
                return
            }
            for (i, v) in zip(m.leaves, newValue.leaves) { values[i] = v }
        }
    }

    /// A vector field of scalars, set whole.
    public subscript(dynamicMember keyPath: KeyPath<Spec, FieldVec<HardwareType>>) -> Vec<Value> {
        get {
            let m = layout.members[ObjectIdentifier(spec[keyPath: keyPath])]!
            return Vec(m.leaves.map { values[$0] ?? .invalid("field '\(layout.leaves[$0].path)' of bundle \(layout.name) read before it was set") })
        }
        set {
            let m = layout.members[ObjectIdentifier(spec[keyPath: keyPath])]!
            guard newValue.count == m.leaves.count else {
                for i in m.leaves { values[i] = .invalid("vector field of \(m.leaves.count) elements set from \(newValue.count) values") }
                return
            }
            for (i, v) in zip(m.leaves, newValue) { values[i] = v }
        }
    }

    /// The leaves, each checked against its field type (narrower values are extended).
    func checkedLeaves() -> [Value] {
        zip(layout.leaves, values).map { leaf, value in
            guard let value else { return .invalid("field '\(leaf.path)' of bundle \(layout.name) is not set") }
            return leaf.fit(value, in: layout.name)
        }
    }
}
