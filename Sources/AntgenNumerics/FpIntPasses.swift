/// One nibble pass: nibble `a` of every lane's first operand times nibble `b` of its second,
/// on the 4 × 4-bit multipliers; the pass's adder-tree sum carries weight 2^(4(a + b)).
public struct FpIntPass: Sendable, Hashable, Codable {
    /// Nibble index of the first operand (0 = least significant).
    public let a: Int
    /// Nibble index of the second operand.
    public let b: Int
    /// The pass shifter's left shift of the tree sum: 4·(a + b).
    public var weight: Int { 4 * (a + b) }

    /// Creates a pass.
    public init(a: Int, b: Int) {
        self.a = a
        self.b = b
    }

    /// The temporal schedule for operands of `nibblesA` and `nibblesB` nibbles: every pair,
    /// first-operand nibble major, least significant first: (0,0), (0,1), …, (n−1,m−1).
    /// INT8 and BF16: 4 passes; FP16: 9; INT16: 16; INT4 and FP8: 1.
    public static func schedule(nibblesA: Int, nibblesB: Int) -> [FpIntPass] {
        (0 ..< nibblesA).flatMap { a in (0 ..< nibblesB).map { FpIntPass(a: a, b: $0) } }
    }
}

/// The unit's shape: N lanes per adder tree and the local shift capacity S
/// (docs/numeric-formats.md §9).
public struct FpIntUnit: Sendable, Hashable, Codable {
    /// Lanes N (products reduced by one adder tree), 1…256.
    public let lanes: Int
    /// The local shift capacity S (1…48), or nil for exact alignment (no product flushed).
    public let shiftCapacity: Int?

    /// The accepted ranges.
    public static let laneRange = 1 ... 256
    /// S beyond 48 would overflow the reference's 128-bit window accumulator.
    public static let shiftRange = 1 ... 48

    /// Creates a unit.
    /// - Throws: ``FpIntError`` when N or S is out of range.
    public init(lanes: Int, shiftCapacity: Int?) throws(FpIntError) {
        guard Self.laneRange.contains(lanes) else {
            throw FpIntError("N = \(lanes) lanes is out of range (\(Self.laneRange.lowerBound)…\(Self.laneRange.upperBound))")
        }
        if let s = shiftCapacity, !Self.shiftRange.contains(s) {
            throw FpIntError("S = \(s) is out of range (\(Self.shiftRange.lowerBound)…\(Self.shiftRange.upperBound), or exact)")
        }
        self.lanes = lanes
        self.shiftCapacity = shiftCapacity
    }

    /// ⌈log2 N⌉.
    public var laneBits: Int { lanes <= 1 ? 0 : Int.bitWidth - (lanes - 1).leadingZeroBitCount }

    /// Signed width of one lane's locally shifted nibble product: 9 + S.
    public func termWidth(_ s: Int) -> Int { 9 + s }
    /// Signed width of one pass's adder-tree sum: 9 + S + ⌈log2 N⌉.
    public func treeWidth(_ s: Int) -> Int { 9 + s + laneBits }
    /// Signed width of the group accumulator (both windows, all passes): 2p + 2S + ⌈log2 N⌉ + 1.
    public func accumulatorWidth(_ s: Int, format: FpIntFloatFormat) -> Int {
        2 * format.significandBits + 2 * s + laneBits + 1
    }
}

/// One integer pass of a group: the lanes' signed nibble products and their tree sum.
public struct FpIntIntegerPassTrace: Sendable, Hashable {
    /// The pass.
    public let pass: FpIntPass
    /// n_a · n_b per lane (signed nibbles: −8…7 on the top nibble, 0…15 below); 0 on idle lanes.
    public let products: [Int]
    /// Σ products (signed, 9 + ⌈log2 N⌉ bits).
    public let treeSum: Int
}

/// One group (≤ N lanes) of an integer dot product through nibble passes.
public struct FpIntIntegerGroupTrace: Sendable, Hashable {
    /// The passes in schedule order.
    public let passes: [FpIntIntegerPassTrace]
    /// Σ treeSum · 2^weight: the group's exact dot product (2b + ⌈log2 N⌉ bits signed).
    public let accumulator: Int
}

/// INT4/INT8/INT16 dot products on the 4 × 4-bit multipliers (docs/numeric-formats.md §9).
public enum FpIntIntegerDot {
    /// One group of at most N lanes, pass by pass.
    /// - Throws: ``FpIntError`` for a length mismatch, too many lanes or an out-of-range value.
    public static func group(a: [Int], b: [Int], format: FpIntIntegerFormat, unit: FpIntUnit) throws(FpIntError) -> FpIntIntegerGroupTrace {
        try check(a, b, format: format)
        guard a.count <= unit.lanes else { throw FpIntError("a group holds at most N = \(unit.lanes) lanes, not \(a.count)") }
        let na = a.map(format.nibbles(of:)), nb = b.map(format.nibbles(of:))
        var passes: [FpIntIntegerPassTrace] = []
        var accumulator = 0
        for pass in FpIntPass.schedule(nibblesA: format.nibbles, nibblesB: format.nibbles) {
            let products = (0 ..< a.count).map { na[$0][pass.a] * nb[$0][pass.b] }
            let sum = products.reduce(0, +)
            passes.append(FpIntIntegerPassTrace(pass: pass, products: products, treeSum: sum))
            accumulator += sum << pass.weight
        }
        return FpIntIntegerGroupTrace(passes: passes, accumulator: accumulator)
    }

    /// The dot product Σ a_i·b_i of any length: groups of N lanes, each through the passes,
    /// summed exactly (the integer accumulator does not wrap in the reference).
    /// - Throws: ``FpIntError`` for a length mismatch or an out-of-range value.
    public static func dot(a: [Int], b: [Int], format: FpIntIntegerFormat, unit: FpIntUnit) throws(FpIntError) -> Int {
        try check(a, b, format: format)
        var total = 0
        var start = 0
        while start < a.count {
            let end = min(start + unit.lanes, a.count)
            total += try group(a: Array(a[start ..< end]), b: Array(b[start ..< end]), format: format, unit: unit).accumulator
            start = end
        }
        return total
    }

    private static func check(_ a: [Int], _ b: [Int], format: FpIntIntegerFormat) throws(FpIntError) {
        guard a.count == b.count else { throw FpIntError("operand lengths differ (\(a.count) and \(b.count))") }
        if let bad = (a + b).first(where: { !format.range.contains($0) }) {
            throw FpIntError("\(bad) is not an \(format.rawValue) value (\(format.range.lowerBound)…\(format.range.upperBound))")
        }
    }
}
