// Bit-level access and explicit conversions. These are the only ways to change a
// value's width or signedness other than the widening operators.

extension Value {
    /// Bit `index` (0 = least significant) as a `Bool`.
    public subscript(index: Int) -> Value {
        if isInvalid { return self }
        guard index >= 0, index < width else {
            return .invalid("bit index \(index) is outside \(type) (valid 0...\(width - 1))", type: .bool)
        }
        if let c = node.constantValue { return .bool((c >> index) & 1 == 1) }
        return Value(ExpressionNode(.slice(node, high: index, low: index), .bool))
    }

    /// Bits `range.lowerBound` through `range.upperBound` (inclusive) as `UInt`;
    /// `x[4...7]` is Verilog's `x[7:4]`.
    public subscript(range: ClosedRange<Int>) -> Value {
        if isInvalid { return self }
        guard range.lowerBound >= 0, range.upperBound < width else {
            return .invalid("bit range \(range.lowerBound)...\(range.upperBound) is outside \(type) (valid 0...\(width - 1))")
        }
        let w = range.count
        if range.lowerBound == 0 && w == width { return asUInt }
        if let c = node.constantValue {
            let mask = w >= Int.bitWidth - 1 ? Int.max : (1 << w) - 1
            return .uint((c >> range.lowerBound) & mask, width: w)
        }
        return Value(ExpressionNode(.slice(node, high: range.upperBound, low: range.lowerBound), .uint(w)))
    }

    /// Sign- (SInt) or zero- (UInt) extension to `width`; an error if that would narrow.
    public func extended(to width: Int) -> Value {
        if isInvalid { return self }
        guard width >= self.width else {
            return .invalid("cannot extend \(type) to \(width) bits: that narrows; use .truncated(to: \(width))")
        }
        return Value(extendedNode(to: width))
    }

    /// Keeps the low `width` bits (same signedness); an error if that would widen.
    public func truncated(to width: Int) -> Value {
        if isInvalid { return self }
        guard width >= 1, width <= self.width else {
            return .invalid("cannot truncate \(type) to \(width) bits; truncation keeps 1...\(self.width) bits")
        }
        if width == self.width { return self }
        let low = self[0...(width - 1)]
        return isSigned ? low.asSInt : low
    }

    /// The same bits as an unsigned integer.
    public var asUInt: Value {
        if isInvalid || type == .uint(width) { return self }
        if let c = node.constantValue {
            let bits = c < 0 ? c + (1 << width) : c
            return .uint(bits, width: width)
        }
        return Value(ExpressionNode(.reinterpret(node), .uint(width)))
    }

    /// The same bits as a two's-complement signed integer.
    public var asSInt: Value {
        if isInvalid || isSigned { return self }
        if let c = node.constantValue, width < Int.bitWidth - 1 {
            let signedValue = c >= (1 << (width - 1)) ? c - (1 << width) : c
            return .sint(signedValue, width: width)
        }
        return Value(ExpressionNode(.reinterpret(node), .sint(width)))
    }

    /// A one-bit value as `Bool`; an error for wider values.
    public var asBool: Value {
        if isInvalid || type == .bool { return self }
        guard width == 1 else { return .invalid("asBool needs a one-bit value, got \(type); compare or reduce instead", type: .bool) }
        if let c = node.constantValue { return .bool(c != 0) }
        return Value(ExpressionNode(.reinterpret(node), .bool))
    }

    /// Exact conversion to signed: `UInt<w>` becomes `SInt<w + 1>` with the same value.
    public func toSigned() -> Value {
        if isSigned { return self }
        return extended(to: width + 1).asSInt
    }

    /// The magnitude of a signed value as `UInt<width>` (exact: |−2^(w−1)| fits).
    public func magnitude() -> Value {
        guard isSigned else { return self }
        let negated = -self  // SInt<w + 1>, exact even for −2^(w−1)
        return mux(self[width - 1], negated[0...(width - 1)], asUInt)
    }

    // MARK: Reductions

    /// OR of all bits.
    public func orReduce() -> Value { reduce(.orReduce) }
    /// AND of all bits.
    public func andReduce() -> Value { reduce(.andReduce) }
    /// XOR of all bits (parity).
    public func xorReduce() -> Value { reduce(.xorReduce) }

    private func reduce(_ op: UnaryOperator) -> Value {
        if isInvalid { return self }
        if width == 1 { return asBool }
        return Value(ExpressionNode(.unary(op, node), .bool))
    }
}

/// Concatenation, most significant part first (as Verilog `{a, b}`): `UInt<Σ widths>`.
public func cat(_ parts: [Value]) -> Value {
    if let bad = parts.first(where: { $0.isInvalid }) { return bad }
    guard !parts.isEmpty else { return .invalid("cat needs at least one part") }
    if parts.count == 1 { return parts[0].asUInt }
    let width = parts.reduce(0) { $0 + $1.width }
    return Value(ExpressionNode(.concat(parts.map(\.node)), .uint(width)))
}

/// Concatenation, most significant part first.
public func cat(_ parts: Value...) -> Value { cat(parts) }

/// `condition ? whenTrue : whenFalse`. Arms must agree in signedness; the narrower
/// is extended. The condition must be one bit.
public func mux(_ condition: Value, _ whenTrue: Value, _ whenFalse: Value) -> Value {
    if condition.isInvalid { return condition }
    guard condition.width == 1 else {
        return .invalid("mux condition must be Bool, got \(condition.type)")
    }
    switch Value.signedness("mux", whenTrue, whenFalse) {
    case .bad(let bad): return bad
    case .agreed(let signed):
        let w = max(whenTrue.width, whenFalse.width)
        let type: HardwareType = signed ? .sint(w) : (whenTrue.type == .bool && whenFalse.type == .bool ? .bool : .uint(w))
        return Value(ExpressionNode(
            .mux(condition.node, whenTrue.extendedNode(to: w), whenFalse.extendedNode(to: w)), type))
    }
}
