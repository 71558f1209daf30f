/// One lane's product as the exponent path sees it (docs/numeric-formats.md §9).
public struct FpIntLaneTrace: Sendable, Hashable {
    /// The product class: NaN (a NaN operand or ∞ × 0), infinity, zero (a zero operand), finite.
    public enum Kind: Sendable, Hashable { case zero, finite, infinity, nan }
    /// Where the lane's product goes.
    public enum Placement: Sendable, Hashable {
        /// Not a finite nonzero product: zero or special, nothing enters the tree.
        case none
        /// d ≤ S: the first window, local right shift d.
        case first
        /// S < d ≤ 2S: the second window, local right shift d − S, then the auxiliary shift by S.
        case second
        /// d > 2S: dropped.
        case flushed
    }

    /// The class.
    public let kind: Kind
    /// sign(a) XOR sign(b).
    public let negative: Bool
    /// The operands' integer significands (hidden bit included; 0 for zero, Inf, NaN).
    public let significandA: Int, significandB: Int
    /// M_a · M_b (< 2^(2p)).
    public let product: Int
    /// e_a + e_b, the unbiased product exponent (finite and zero lanes; 0 for specials).
    public let exponent: Int
    /// d = e_max − e for finite lanes, 0 otherwise.
    public let distance: Int
    /// The window.
    public let placement: Placement
    /// The local shifter's right shift: d (first window), d − S (second), 0 otherwise.
    public let localShift: Int
}

/// One pass of one window through the adder tree.
public struct FpIntPassTrace: Sendable, Hashable {
    /// The nibble pair.
    public let pass: FpIntPass
    /// 1 or 2.
    public let window: Int
    /// Per lane: ±(n_a · n_b · 2^S) >> localShift for lanes of this window, else 0
    /// (exact: 9 + S bits signed).
    public let terms: [Int128]
    /// Σ terms (9 + S + ⌈log2 N⌉ bits signed).
    public let treeSum: Int128
}

/// One group (one K-tile step of N lanes) through the unit, every stage exposed for an RTL
/// testbench to compare (docs/numeric-formats.md §9).
public struct FpIntGroupTrace: Sendable, Hashable {
    /// The lanes, in order (at most N).
    public let lanes: [FpIntLaneTrace]
    /// e_max over the finite nonzero lanes; nil when there is none.
    public let maxExponent: Int?
    /// The passes issued: the window-1 schedule, then the window-2 schedule when some lane is
    /// in the second window. Empty when no lane is finite or a special decides the result.
    public let passes: [FpIntPassTrace]
    /// Σ treeSum · 2^weight per window (window 1, window 2).
    public let windowSums: [Int128]
    /// windowSums[0] · 2^S + windowSums[1]: the exact group sum in units of 2^accumulatorExponent.
    public let accumulator: Int128
    /// e_max − 2S − 2f (0 when there is no finite lane).
    public let accumulatorExponent: Int
    /// The group's binary32 value (specials resolved, one RNE rounding).
    public let result: Float
}

/// A whole dot product: its groups and the FP32 accumulator after each.
public struct FpIntDotTrace: Sendable, Hashable {
    /// The groups (K-tiles), in order.
    public let groups: [FpIntGroupTrace]
    /// The FP32 accumulator after each group: −0 + g_1, then + g_2, … (IEEE, RNE).
    public let partials: [Float]
    /// The final value.
    public var result: Float { partials.last ?? -0.0 }
}

/// The FP16/BF16/FP8 dot product computed the unit's way (docs/numeric-formats.md §9).
public enum FpIntDotProduct {
    /// Codes of `values` in `format`: cast (RNE) or, with `cast` false, refused unless exact.
    /// - Throws: ``FpIntError`` naming the first value that is not representable.
    public static func codes(_ values: [Double], format: FpIntFloatFormat, cast: Bool) throws(FpIntError) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            do { out.append(try format.encode(v, cast: cast)) } catch { throw FpIntError("element \(i): \(error.description)") }
        }
        return out
    }

    /// One lane: the product's class, sign, significand product and exponent.
    static func lane(_ x: FpIntOperand, _ y: FpIntOperand) -> (kind: FpIntLaneTrace.Kind, negative: Bool, product: Int, exponent: Int) {
        let negative = x.negative != y.negative
        if x.kind == .nan || y.kind == .nan { return (.nan, negative, 0, 0) }
        if x.kind == .infinity || y.kind == .infinity {
            return (x.kind == .zero || y.kind == .zero ? .nan : .infinity, negative, 0, 0)
        }
        if x.kind == .zero || y.kind == .zero { return (.zero, negative, 0, x.exponent + y.exponent) }
        return (.finite, negative, x.significand * y.significand, x.exponent + y.exponent)
    }

    /// NaN, ±Inf or nil from the lanes' classes: NaN for a NaN lane or +∞ and −∞ together.
    static func special(_ kinds: [(kind: FpIntLaneTrace.Kind, negative: Bool)]) -> Float? {
        if kinds.contains(where: { $0.kind == .nan }) { return .nan }
        let plus = kinds.contains { $0.kind == .infinity && !$0.negative }
        let minus = kinds.contains { $0.kind == .infinity && $0.negative }
        if plus && minus { return .nan }
        if plus { return .infinity }
        if minus { return -.infinity }
        return nil
    }

    /// −0 when every lane's product is a zero of negative sign, else +0 (IEEE sum of zeros).
    static func zero(_ lanes: [(kind: FpIntLaneTrace.Kind, negative: Bool)]) -> Float {
        lanes.allSatisfy { $0.kind == .zero && $0.negative } && !lanes.isEmpty ? -0.0 : 0.0
    }

    static func checkedOperands(_ a: [Int], _ b: [Int], format: FpIntFloatFormat) throws(FpIntError) -> ([FpIntOperand], [FpIntOperand]) {
        guard a.count == b.count else { throw FpIntError("operand lengths differ (\(a.count) and \(b.count))") }
        if let bad = (a + b).first(where: { $0 < 0 || $0 >= 1 << format.bits }) {
            throw FpIntError("\(bad) is not a \(format.rawValue) code (0…\((1 << format.bits) - 1))")
        }
        return (a.map(format.decode), b.map(format.decode))
    }

    /// One group of at most N lanes, stage by stage (finite S only).
    /// - Throws: ``FpIntError`` for exact alignment, a length mismatch, too many lanes or a bad code.
    public static func group(a: [Int], b: [Int], format: FpIntFloatFormat, unit: FpIntUnit) throws(FpIntError) -> FpIntGroupTrace {
        guard let s = unit.shiftCapacity else { throw FpIntError("exact alignment has no stage trace; give a finite S") }
        guard a.count <= unit.lanes else { throw FpIntError("a group holds at most N = \(unit.lanes) lanes, not \(a.count)") }
        let (x, y) = try checkedOperands(a, b, format: format)
        let raw = zip(x, y).map { lane($0, $1) }
        let eMax = raw.filter { $0.kind == .finite }.map(\.exponent).max()
        let lanes = zip(zip(x, y), raw).map { pair, r -> FpIntLaneTrace in
            var placement = FpIntLaneTrace.Placement.none, d = 0, shift = 0
            if r.kind == .finite, let eMax {
                d = eMax - r.exponent
                if d <= s { placement = .first; shift = d } else if d <= 2 * s { placement = .second; shift = d - s } else { placement = .flushed }
            }
            return FpIntLaneTrace(kind: r.kind, negative: r.negative, significandA: pair.0.significand, significandB: pair.1.significand,
                                  product: r.product, exponent: r.exponent, distance: d, placement: placement, localShift: shift)
        }
        let classes = raw.map { (kind: $0.kind, negative: $0.negative) }
        if let special = special(classes) {
            return FpIntGroupTrace(lanes: lanes, maxExponent: eMax, passes: [], windowSums: [0, 0], accumulator: 0, accumulatorExponent: 0, result: special)
        }
        guard let eMax else {
            return FpIntGroupTrace(lanes: lanes, maxExponent: nil, passes: [], windowSums: [0, 0], accumulator: 0, accumulatorExponent: 0,
                                   result: zero(classes))
        }
        let (passes, sums) = runPasses(lanes, format: format, s: s)
        let accumulator = sums[0] << s + sums[1]
        let exponent = eMax - 2 * s - 2 * format.fractionBits
        let result = accumulator == 0 ? 0.0 : MxFloat32.rounded(accumulator, exponent: exponent)
        return FpIntGroupTrace(lanes: lanes, maxExponent: eMax, passes: passes, windowSums: sums, accumulator: accumulator,
                               accumulatorExponent: exponent, result: result)
    }

    /// The nibble passes of both windows: per lane ±(n_a·n_b · 2^S) >> localShift, the tree
    /// sum, and the pass shifter's weight into the window sum.
    private static func runPasses(_ lanes: [FpIntLaneTrace], format: FpIntFloatFormat, s: Int) -> ([FpIntPassTrace], [Int128]) {
        let nibbles = format.nibbles
        func nibble(_ m: Int, _ j: Int) -> Int128 { Int128((m >> (4 * j)) & 15) }
        var passes: [FpIntPassTrace] = []
        var sums: [Int128] = [0, 0]
        for (w, placement) in [(1, FpIntLaneTrace.Placement.first), (2, .second)] {
            guard lanes.contains(where: { $0.placement == placement }) else { continue }
            for pass in FpIntPass.schedule(nibblesA: nibbles, nibblesB: nibbles) {
                let terms = lanes.map { l -> Int128 in
                    guard l.placement == placement else { return 0 }
                    let magnitude = ((nibble(l.significandA, pass.a) * nibble(l.significandB, pass.b)) << s) >> l.localShift
                    return l.negative ? -magnitude : magnitude
                }
                let tree = terms.reduce(0, +)
                passes.append(FpIntPassTrace(pass: pass, window: w, terms: terms, treeSum: tree))
                sums[w - 1] += tree << pass.weight
            }
        }
        return (passes, sums)
    }

    /// The group's value for any alignment, from the rule rather than the stages: NaN/±Inf by
    /// the special rules, else the exact sum of the finite products with d ≤ 2S (all of them
    /// for exact alignment) rounded once to binary32, with the signed-zero rule.
    static func groupValue(_ x: ArraySlice<FpIntOperand>, _ y: ArraySlice<FpIntOperand>, format: FpIntFloatFormat, shiftCapacity: Int?) -> Float {
        let raw = zip(x, y).map { lane($0, $1) }
        let classes = raw.map { (kind: $0.kind, negative: $0.negative) }
        if let special = special(classes) { return special }
        let finite = raw.filter { $0.kind == .finite }
        guard let eMax = finite.map(\.exponent).max() else { return zero(classes) }
        let reach = shiftCapacity.map { 2 * $0 } ?? Int.max
        let terms = finite.filter { eMax - $0.exponent <= reach }.map {
            FpIntTerm(negative: $0.negative, magnitude: UInt64($0.product), exponent: $0.exponent - 2 * format.fractionBits)
        }
        return FpIntExactSum.rounded(terms)
    }

    /// The dot product of two code vectors of any length K: groups of N lanes (the last one
    /// shorter; idle lanes hold no product), each rounded once to binary32, accumulated in FP32
    /// from −0 in group order (IEEE addition, RNE). Works for exact alignment too.
    /// - Throws: ``FpIntError`` for a length mismatch or a bad code.
    public static func dot(a: [Int], b: [Int], format: FpIntFloatFormat, unit: FpIntUnit) throws(FpIntError) -> Float {
        let (x, y) = try checkedOperands(a, b, format: format)
        var accumulator: Float = -0.0
        var start = 0
        while start < x.count {
            let end = min(start + unit.lanes, x.count)
            accumulator += groupValue(x[start ..< end], y[start ..< end], format: format, shiftCapacity: unit.shiftCapacity)
            start = end
        }
        return accumulator
    }

    /// ``dot(a:b:format:unit:)`` with every group's stage trace (finite S only).
    /// - Throws: ``FpIntError`` as ``group(a:b:format:unit:)`` does.
    public static func trace(a: [Int], b: [Int], format: FpIntFloatFormat, unit: FpIntUnit) throws(FpIntError) -> FpIntDotTrace {
        guard a.count == b.count else { throw FpIntError("operand lengths differ (\(a.count) and \(b.count))") }
        var groups: [FpIntGroupTrace] = [], partials: [Float] = []
        var accumulator: Float = -0.0
        var start = 0
        while start < a.count {
            let end = min(start + unit.lanes, a.count)
            let g = try group(a: Array(a[start ..< end]), b: Array(b[start ..< end]), format: format, unit: unit)
            accumulator += g.result
            groups.append(g)
            partials.append(accumulator)
            start = end
        }
        return FpIntDotTrace(groups: groups, partials: partials)
    }
}
