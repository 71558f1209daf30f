// Building blocks every datapath needs, written in the DSL itself.

/// Combines `values` pairwise in a balanced tree (depth ⌈log2 n⌉).
public func reduceTree(_ values: [Value], _ combine: (Value, Value) -> Value) -> Value {
    guard !values.isEmpty else { return .invalid("reduceTree needs at least one value") }
    var level = values
    while level.count > 1 {
        var next: [Value] = []
        next.reserveCapacity((level.count + 1) / 2)
        var i = 0
        while i + 1 < level.count {
            next.append(combine(level[i], level[i + 1]))
            i += 2
        }
        if i < level.count { next.append(level[i]) }
        level = next
    }
    return level[0]
}

/// Number of consecutive 1 bits starting at the most significant bit:
/// `UInt<minimalUnsignedWidth(width)>`, 0 … width.
public func leadingOnes(_ x: Value) -> Value {
    if x.isInvalid { return x }
    let w = x.width
    // Thermometer code: bit i is 1 when the top i + 1 bits are all ones.
    var prefix = x[w - 1]
    var thermometer = [prefix]
    for i in stride(from: w - 2, through: 0, by: -1) {
        prefix = prefix & x[i]
        thermometer.append(prefix)
    }
    let count = reduceTree(thermometer.map(\.asUInt)) { $0 + $1 }
    let width = minimalUnsignedWidth(w)
    return count.width > width ? count.truncated(to: width) : count.extended(to: width)
}

/// Number of consecutive 0 bits starting at the most significant bit.
public func leadingZeros(_ x: Value) -> Value {
    leadingOnes(~x.asUInt)
}

/// Index of the lowest set bit (or, with `fromMostSignificant`, the highest) and
/// whether any bit is set. The index is `UInt<bitsToIndex(width)>`; when no bit is
/// set it reads the lowest-priority position (check `valid`).
public func priorityEncoder(_ x: Value, fromMostSignificant: Bool = false) -> (index: Value, valid: Value) {
    if x.isInvalid { return (x, x) }
    let w = x.width
    let indexWidth = bitsToIndex(w)
    // Later muxes take priority, so visit bits from lowest to highest priority; the
    // lowest-priority bit's index is the fallback (also read when no bit is set).
    let order = fromMostSignificant ? Array(0..<w) : Array((0..<w).reversed())
    var index = Value.uint(order[0], width: indexWidth)
    for i in order.dropFirst() {
        index = mux(x[i], .uint(i, width: indexWidth), index)
    }
    return (index, x.orReduce())
}
