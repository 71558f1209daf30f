/// `count` elements of one shape packed into one `UInt` signal, **element 0 in the least
/// significant bits** (as ``Vec/asUInt`` packs, and as a bus of lanes is usually laid
/// out: lane i at bits i·w…). Elements may be scalars, bundles or packed vectors (a 2-D
/// bus: row i's lane e at bits (i·n + e)·w…).
///
///     struct SelectorPorts: PortSpec {
///         let codes = Port.input(PackedVec(count: 8, HardwareType.uint(8)))  // one 64-bit port
///     }
///     let code3 = io.codes[3]   // bits 24…31
///
/// Unlike ``PortVec`` (one port per element) it stays one Verilog port or signal, so the
/// interface keeps a single bus; unlike a ``BundleSpec`` its order is lane 0 first from
/// the low end, and it adds no field comment to the Verilog.
public struct PackedVec<Element: SignalShape>: SignalShape {
    /// The number of elements.
    public let count: Int
    /// Every element's shape.
    public let element: Element

    /// `count` elements shaped like `element`.
    public init(count: Int, _ element: Element) {
        self.count = count
        self.element = element
    }

    /// One element's width.
    public var elementWidth: Int { element.packedType.width }
    /// `UInt` of all elements' bits.
    public var packedType: HardwareType { .uint(Swift.max(count * elementWidth, 1)) }

    /// The elements of a declared signal.
    public func makeHandle(_ binding: SignalBinding) -> PackedVecValue<Element> {
        PackedVecValue(shape: self, base: binding.value, offset: 0)
    }
}

/// A value of a ``PackedVec``: its elements (slices of one packed value) and the whole.
/// A drivable signal of this shape (an output port, an instance input) is driven whole.
public struct PackedVecValue<Element: SignalShape>: RandomAccessCollection {
    /// The shape.
    public let shape: PackedVec<Element>
    let base: Value
    /// Where element 0 starts in `base`.
    let offset: Int

    init(shape: PackedVec<Element>, base: Value, offset: Int) {
        self.shape = shape
        self.base = base
        self.offset = offset
    }

    /// Reinterprets a flat value as elements of `shape`; its width must be the shape's.
    public init(_ shape: PackedVec<Element>, packed value: Value) {
        let width = shape.count * shape.elementWidth
        let flat = value.width == width ? value.asUInt
            : .invalid("cannot unpack \(value.type) as \(shape.count) elements of \(shape.elementWidth) bits (\(width) bits)")
        self.init(shape: shape, base: flat, offset: 0)
    }

    /// All elements as one `UInt`, element 0 in the least significant bits.
    public var packed: Value {
        let width = shape.count * shape.elementWidth
        return offset == 0 && base.width == width ? base : base[offset...(offset + width - 1)]
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// The element count.
    public var endIndex: Int { shape.count }

    /// Element `position`: a slice of the packed value (a `Value`, a `Bundle` or, for a
    /// 2-D bus, a ``PackedVecValue``).
    public subscript(position: Int) -> Element.Handle {
        let width = shape.elementWidth
        let low = offset + position * width
        guard position >= 0, position < shape.count else {
            let problem = Value.invalid("element \(position) is outside \(shape.count) packed elements")
            return shape.element.makeHandle(SignalBinding(value: problem, layout: nil, drivable: nil))
        }
        if let nested = shape.element as? any AnyPackedVec {
            return nested.handle(base: base, offset: low) as! Element.Handle
        }
        if let bundle = shape.element as? any BundleSpec {
            return packedBundle(bundle, base, low) as! Element.Handle
        }
        let bits = base[low...(low + width - 1)]
        let value = shape.element.packedType.isSigned ? bits.asSInt : bits
        return shape.element.makeHandle(SignalBinding(value: value, layout: nil, drivable: nil))
    }

    /// Drives the whole signal from a flat value of the same width.
    public func assign(_ value: Value, file: String = #fileID, line: Int = #line) {
        packed.assign(value, file: file, line: line)
    }

    /// Drives the whole signal from another packed vector of the same width.
    public func assign(_ other: PackedVecValue<Element>, file: String = #fileID, line: Int = #line) {
        packed.assign(other.packed, file: file, line: line)
    }
}

extension PackedVecValue where Element == HardwareType {
    /// Drives the whole signal from one value per element (element 0 least significant).
    public func assign(_ elements: Vec<Value>, file: String = #fileID, line: Int = #line) {
        guard elements.count == shape.count else {
            packed.assign(.invalid("\(elements.count) values cannot drive \(shape.count) packed elements"), file: file, line: line)
            return
        }
        packed.assign(elements.asUInt, file: file, line: line)
    }
}

extension PackedVecValue where Element: BundleSpec {
    /// Drives the whole signal from one bundle per element (element 0 least significant).
    public func assign(_ elements: Vec<Bundle<Element>>, file: String = #fileID, line: Int = #line) {
        guard elements.count == shape.count else {
            packed.assign(.invalid("\(elements.count) bundles cannot drive \(shape.count) packed elements"), file: file, line: line)
            return
        }
        packed.assign(cat(elements.map(\.packed).reversed()), file: file, line: line)
    }
}

/// Type-erased nested packed vector, for element access of 2-D buses.
protocol AnyPackedVec {
    func handle(base: Value, offset: Int) -> Any
}

extension PackedVec: AnyPackedVec {
    func handle(base: Value, offset: Int) -> Any { PackedVecValue(shape: self, base: base, offset: offset) }
}

/// A bundle read in place from `base` at bit `offset`.
private func packedBundle<S: BundleSpec>(_ spec: S, _ base: Value, _ offset: Int) -> Any {
    Bundle(spec: spec, layout: BundleLayout.of(spec), storage: .packed(base, offset: offset))
}
