/// The bit layout of one ``BundleSpec`` value: its fields in declaration order, where
/// each sits in the packed value, and how a key path's field object finds its place.
///
/// Built once per spec value by reflection (`Mirror` lists stored properties in
/// declaration order); bundles and port handles made from the same spec value share it.
public final class BundleLayout: @unchecked Sendable {
    /// One scalar at the bottom of the field tree.
    struct Leaf {
        /// Field path in snake_case, nested names joined by `_` (`operand_sign`, `lanes_3`).
        let path: String
        /// The field's scalar type.
        let type: HardwareType
        /// Its least significant bit in the packed value.
        let lowBit: Int

        /// The field read out of the packed value, as its own type.
        func read(from packed: Value, offset: Int = 0) -> Value {
            let low = offset + lowBit
            let bits = packed[low...(low + type.width - 1)]
            switch type {
            case .sint: return bits.asSInt
            case .bool: return bits.asBool
            default: return bits
            }
        }

        /// `value` made to fit this field: same signedness, no wider, extended if narrower.
        func fit(_ value: Value, in bundle: String) -> Value {
            if value.isInvalid { return value }
            guard value.isSigned == type.isSigned else {
                return .invalid("field '\(path)' of bundle \(bundle) is \(type) but the value is \(value.type): signedness differs; convert explicitly with .asUInt, .asSInt or .toSigned()")
            }
            guard value.width <= type.width else {
                return .invalid("field '\(path)' of bundle \(bundle) is \(type) but the value is \(value.type); no silent truncation: use .truncated(to: \(type.width))")
            }
            let extended = value.width == type.width ? value : value.extended(to: type.width)
            return type == .bool ? extended.asBool : extended
        }
    }

    /// A direct member of the spec (a field, a nested bundle or a vector).
    struct Member {
        /// Its leaves, as indices into ``leaves``.
        let leaves: Range<Int>
        /// Its least significant bit in the packed value.
        let lowBit: Int
        /// Its width.
        let width: Int
        /// The nested layout, for a nested bundle or a bundle-vector element.
        let nested: BundleLayout?
        /// Per element, for vectors (element 0 first).
        let elements: [Member]
    }

    /// The spec's Swift type name (`Operand`).
    let name: String
    /// Total width in bits.
    let width: Int
    /// Every scalar, first declared first (most significant first).
    let leaves: [Leaf]
    /// Direct members by the identity of their field object.
    let members: [ObjectIdentifier: Member]
    /// Field names and types: two layouts with equal signatures are interchangeable.
    let signature: String

    fileprivate init(name: String, width: Int, leaves: [Leaf], members: [ObjectIdentifier: Member]) {
        self.name = name
        self.width = width
        self.leaves = leaves
        self.members = members
        self.signature = name + "{" + leaves.map { "\($0.path):\($0.type)" }.joined(separator: ",") + "}"
        self.fieldComment = "{" + leaves.map { leaf in
            let high = leaf.lowBit + leaf.type.width - 1
            return high == leaf.lowBit ? "\(leaf.path) [\(high)]" : "\(leaf.path) [\(high):\(leaf.lowBit)]"
        }.joined(separator: ", ") + "}"
    }

    /// `Operand{sign: Bool, mantissa: UInt<4>, shift: UInt<3>}`, for error messages.
    var describe: String {
        name + "{" + leaves.map { "\($0.path): \($0.type)" }.joined(separator: ", ") + "}"
    }

    /// The fields with their bit ranges in the packed value, for a Verilog comment:
    /// `{sign [8], mantissa [7:3], shift [2:0]}`. Made once (every instance port of a
    /// bundle type carries it).
    public let fieldComment: String

    /// The layout of `spec`.
    public static func of(_ spec: some BundleSpec) -> BundleLayout {
        var builder = LayoutBuilder()
        let members = builder.collect(spec)
        return builder.finish(name: String(describing: type(of: spec)), members: members)
    }

    /// The object that identifies a nested spec value: its first field object.
    static func identity(of spec: some BundleSpec) -> AnyObject {
        guard let first = firstFieldObject(spec) else {
            preconditionFailure("bundle \(type(of: spec)) has no fields")
        }
        return first
    }

    private static func firstFieldObject(_ value: Any) -> AnyObject? {
        for child in Mirror(reflecting: value).children {
            if let field = child.value as? Field { return field }
            if let vector = child.value as? AnyFieldVec { return vector }
            if child.value is any BundleSpec, let found = firstFieldObject(child.value) { return found }
        }
        return nil
    }
}

/// Type-erased view of ``FieldVec`` for reflection.
protocol AnyFieldVec: AnyObject {
    var count: Int { get }
    var elementShape: any SignalShape { get }
}

extension FieldVec: AnyFieldVec {
    var elementShape: any SignalShape { element }
}

/// Walks a spec by reflection, collecting leaves (with widths) and members; bit
/// positions are assigned at the end, once the total width is known.
private struct LayoutBuilder {
    struct PendingMember {
        let key: ObjectIdentifier
        let leaves: Range<Int>
        let nested: BundleLayout?
        let elements: [(leaves: Range<Int>, nested: BundleLayout?)]
    }
    var paths: [String] = []
    var types: [HardwareType] = []

    /// Appends the members of `spec` and returns them.
    mutating func collect(_ spec: Any) -> [PendingMember] {
        var members: [PendingMember] = []
        for child in Mirror(reflecting: spec).children {
            guard let label = child.label else { continue }
            let name = snakeCase(label)
            if let field = child.value as? Field {
                members.append(PendingMember(key: ObjectIdentifier(field), leaves: add(name, field.type), nested: nil, elements: []))
            } else if let vector = child.value as? AnyFieldVec {
                let start = paths.count
                var elements: [(Range<Int>, BundleLayout?)] = []
                for i in 0..<max(vector.count, 0) {
                    elements.append(addShape(vector.elementShape, named: "\(name)_\(i)"))
                }
                members.append(PendingMember(key: ObjectIdentifier(vector), leaves: start..<paths.count, nested: nil, elements: elements))
            } else if let nested = child.value as? any BundleSpec {
                let (range, layout) = addShape(nested, named: name)
                members.append(PendingMember(key: ObjectIdentifier(BundleLayout.identity(of: nested)), leaves: range, nested: layout, elements: []))
            }
        }
        return members
    }

    private mutating func add(_ path: String, _ type: HardwareType) -> Range<Int> {
        paths.append(path)
        types.append(type.isScalar ? type : .uint(max(type.width, 1)))
        return (paths.count - 1)..<paths.count
    }

    private mutating func addShape(_ shape: any SignalShape, named name: String) -> (Range<Int>, BundleLayout?) {
        if let spec = shape as? any BundleSpec {
            let layout = BundleLayout.of(spec)
            let start = paths.count
            for leaf in layout.leaves {
                paths.append("\(name)_\(leaf.path)")
                types.append(leaf.type)
            }
            return (start..<paths.count, layout)
        }
        return (add(name, shape.packedType), nil)
    }

    func finish(name: String, members pending: [PendingMember]) -> BundleLayout {
        let total = types.reduce(0) { $0 + $1.width }
        var lowBits: [Int] = []
        var top = total
        for type in types {
            top -= type.width
            lowBits.append(top)
        }
        let leaves = (0..<paths.count).map { BundleLayout.Leaf(path: paths[$0], type: types[$0], lowBit: lowBits[$0]) }
        func member(_ range: Range<Int>, nested: BundleLayout?, elements: [BundleLayout.Member]) -> BundleLayout.Member {
            let width = range.reduce(0) { $0 + types[$1].width }
            let low = range.isEmpty ? 0 : lowBits[range.upperBound - 1]
            return BundleLayout.Member(leaves: range, lowBit: low, width: width, nested: nested, elements: elements)
        }
        var members: [ObjectIdentifier: BundleLayout.Member] = [:]
        for p in pending {
            let elements = p.elements.map { member($0.leaves, nested: $0.nested, elements: []) }
            members[p.key] = member(p.leaves, nested: p.nested, elements: elements)
        }
        return BundleLayout(name: name, width: total, leaves: leaves, members: members)
    }
}

/// `camelCase` → `camel_case` (`aIn` → `a_in`, `cfgActInt8` → `cfg_act_int8`): Swift
/// property names become the Verilog names of ports and fields.
func snakeCase(_ name: String) -> String {
    var out = ""
    for ch in name {
        if ch.isUppercase {
            if !out.isEmpty && out.last != "_" { out.append("_") }
            out += ch.lowercased()
        } else {
            out.append(ch)
        }
    }
    return out
}
