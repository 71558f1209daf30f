/// A layer Y = X·Wᵀ through the FP-on-INT unit for several alignments at once, plus the
/// counters the alignment study reports (docs/fp-on-int.md). Bit-identical to
/// ``FpIntDotProduct/dot(a:b:format:unit:)`` per alignment (tested); faster because each
/// group's exponents are examined once for all S.
public struct FpIntLayerDots: Sendable {
    /// Per alignment (in the order given), the `tokens × outputs` binary32 results.
    public var values: [[Float]]
    /// Per alignment, the finite nonzero products flushed (d > 2S).
    public var flushed: [Int]
    /// Per alignment, the groups that needed the second window (some S < d ≤ 2S).
    public var secondWindowGroups: [Int]
    /// Finite nonzero products, and groups, over the whole layer.
    public var products = 0, groups = 0

    /// Runs the layer: X `[tokens, k]` and W `[outputs, k]` as decoded operands, groups of
    /// `lanes` along k, `shifts` the capacities S (nil: exact alignment).
    public init(x: [FpIntOperand], w: [FpIntOperand], tokens: Int, outputs: Int, k: Int, format: FpIntFloatFormat,
                lanes: Int, shifts: [Int?]) {
        values = shifts.map { _ in [Float](repeating: 0, count: tokens * outputs) }
        flushed = shifts.map { _ in 0 }
        secondWindowGroups = flushed
        var sums = [Int128](repeating: 0, count: shifts.count)
        for t in 0 ..< tokens {
            for n in 0 ..< outputs {
                var accumulators = [Float](repeating: -0.0, count: shifts.count)
                var start = 0
                while start < k {
                    let end = min(start + lanes, k)
                    let xs = x[(t * k + start) ..< (t * k + end)], ws = w[(n * k + start) ..< (n * k + end)]
                    group(xs, ws, format: format, shifts: shifts, sums: &sums, into: &accumulators)
                    start = end
                }
                for i in shifts.indices { values[i][t * outputs + n] = accumulators[i] }
            }
        }
    }

    /// One group: every alignment's value added to its FP32 accumulator.
    private mutating func group(_ xs: ArraySlice<FpIntOperand>, _ ws: ArraySlice<FpIntOperand>, format: FpIntFloatFormat,
                                shifts: [Int?], sums: inout [Int128], into accumulators: inout [Float]) {
        groups += 1
        var eMax = Int.min, eMin = Int.max, usual = true
        for (a, b) in zip(xs, ws) {
            if a.kind == .nan || a.kind == .infinity || b.kind == .nan || b.kind == .infinity { usual = false }
            guard a.kind != .zero, b.kind != .zero else { continue }
            eMax = max(eMax, a.exponent + b.exponent)
            eMin = min(eMin, a.exponent + b.exponent)
        }
        // Specials, all-zero groups and exact spreads too wide for 128 bits take the rule's path.
        guard usual, eMax != Int.min else {
            for (i, s) in shifts.enumerated() { accumulators[i] += FpIntDotProduct.groupValue(xs, ws, format: format, shiftCapacity: s) }
            return
        }
        for i in sums.indices { sums[i] = 0 }
        var needsSecond = [Bool](repeating: false, count: shifts.count)
        for (a, b) in zip(xs, ws) where a.kind != .zero && b.kind != .zero {
            products += 1
            let e = a.exponent + b.exponent, d = eMax - e
            let p = Int128(a.significand * b.significand), signed = a.negative != b.negative ? -p : p
            for (i, s) in shifts.enumerated() {
                if let s {
                    if d > 2 * s { flushed[i] += 1; continue }
                    if d > s { needsSecond[i] = true }
                    sums[i] += signed << (2 * s - d)
                } else if eMax - eMin <= 96 {
                    sums[i] += signed << (e - eMin)
                }
            }
        }
        let f2 = 2 * format.fractionBits
        for (i, s) in shifts.enumerated() {
            if needsSecond[i] { secondWindowGroups[i] += 1 }
            let value: Float
            if let s {
                value = sums[i] == 0 ? 0 : MxFloat32.rounded(sums[i], exponent: eMax - 2 * s - f2)
            } else if eMax - eMin <= 96 {
                value = sums[i] == 0 ? 0 : MxFloat32.rounded(sums[i], exponent: eMin - f2)
            } else {
                value = FpIntDotProduct.groupValue(xs, ws, format: format, shiftCapacity: nil)
            }
            accumulators[i] += value
        }
    }
}
