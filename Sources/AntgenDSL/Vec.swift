/// A fixed-size vector of hardware values (or of vectors, for 2-D arrays).
///
/// Elements are separate signals in the emitted Verilog (`a_0`, `a_1`, …), as Chisel
/// lowers `Vec`. Constant indices are Swift subscripts; a hardware index selects
/// through a mux tree.
public struct Vec<Element>: RandomAccessCollection {
    /// The elements, index 0 first.
    public var elements: [Element]

    /// Wraps existing elements.
    public init(_ elements: [Element]) { self.elements = elements }

    /// Builds `count` elements with `make(index)`.
    public init(count: Int, _ make: (Int) -> Element) {
        self.elements = (0..<Swift.max(count, 0)).map(make)
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// The element count.
    public var endIndex: Int { elements.count }
    /// The element at a constant index.
    public subscript(position: Int) -> Element { elements[position] }
}

extension Vec where Element == Value {
    /// Reads the element selected by a hardware index (a balanced mux tree).
    /// Out-of-range indices read element 0.
    public subscript(index: Value) -> Value {
        select(index, from: elements)
    }

    /// Drives every element from the matching element of `other`.
    public func assign(_ other: Vec<Value>, file: String = #fileID, line: Int = #line) {
        for (target, value) in zip(elements, other.elements) {
            target.assign(value, file: file, line: line)
        }
    }

    /// All elements concatenated, element 0 in the least significant bits.
    public var asUInt: Value { cat(elements.reversed()) }
}

/// `choices[index]` as a balanced binary mux tree on the index bits; indices past the
/// end select element 0. All choices must agree in signedness.
public func select(_ index: Value, from choices: [Value]) -> Value {
    guard !choices.isEmpty else { return .invalid("select needs at least one choice") }
    if choices.count == 1 { return choices[0] }
    guard !index.isSigned else { return .invalid("select index must be unsigned, got \(index.type)") }
    let needed = bitsToIndex(choices.count)
    var level = choices
    let padCount = (1 << needed) - choices.count
    level += Array(repeating: choices[0], count: padCount)
    for bit in 0..<needed {
        let sel = bit < index.width ? index[bit] : Value.bool(false)
        level = stride(from: 0, to: level.count, by: 2).map { mux(sel, level[$0 + 1], level[$0]) }
    }
    if index.width > needed {
        // High index bits set mean out of range: element 0.
        return mux(index[needed...(index.width - 1)].orReduce(), choices[0], level[0])
    }
    return level[0]
}
