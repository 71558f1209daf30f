// Structured dynamic precision (SDP): the term split and the per-group selection rule
// (spec §8). Everything here is pure integer arithmetic on already-quantized values.

/// Why an SDP configuration or operand is invalid.
public struct SdpError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One line naming the problem.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// How an N-bit sign-magnitude integer splits into a high and a low part:
/// |x| = H · 2^L + Lo with 0 ≤ Lo < 2^L, both parts carrying sign(x) (spec §8.1).
///
/// The split is a parameter so that another split (say N = 8, L = 3) is a value change,
/// not a rewrite; the hardware is built for the default nibble split.
public struct SdpSplit: Hashable, Sendable, CustomStringConvertible {
    /// N: bits of the masked operand (its two's-complement or unsigned code width).
    public let totalBits: Int
    /// L: bits of the low part.
    public let lowBits: Int

    /// The default: N = 8, L = 4 (nibbles).
    public static let nibbles = SdpSplit(uncheckedTotalBits: 8, lowBits: 4)

    /// Creates a split; needs 2 ≤ N ≤ 16 and 1 ≤ L < N.
    public init(totalBits: Int, lowBits: Int) throws(SdpError) {
        guard (2...16).contains(totalBits) else { throw SdpError("invalid SDP split: N = \(totalBits) must be 2…16") }
        guard lowBits >= 1, lowBits < totalBits else { throw SdpError("invalid SDP split: L = \(lowBits) must be 1…\(totalBits - 1)") }
        self.init(uncheckedTotalBits: totalBits, lowBits: lowBits)
    }

    private init(uncheckedTotalBits: Int, lowBits: Int) {
        self.totalBits = uncheckedTotalBits
        self.lowBits = lowBits
    }

    /// The integer range of an N-bit operand of this signedness (two's complement when signed).
    public func range(signed: Bool) -> ClosedRange<Int> {
        signed ? -(1 << (totalBits - 1)) ... (1 << (totalBits - 1)) - 1 : 0 ... (1 << totalBits) - 1
    }

    /// `N=8,L=4`.
    public var description: String { "N=\(totalBits),L=\(lowBits)" }
}

/// One part of one value of a group: sign · digit · 2^shift.
public struct SdpTerm: Hashable, Sendable, CustomStringConvertible {
    /// The value's position in its group (0-based).
    public let position: Int
    /// True for the high part (shift L), false for the low part (shift 0).
    public let isHigh: Bool
    /// The value is negative (both parts carry its sign).
    public let negative: Bool
    /// H or Lo: the part's unsigned digit.
    public let digit: Int
    /// L for a high part, 0 for a low part.
    public let shift: Int

    /// Creates a term.
    public init(position: Int, isHigh: Bool, negative: Bool, digit: Int, shift: Int) {
        self.position = position
        self.isHigh = isHigh
        self.negative = negative
        self.digit = digit
        self.shift = shift
    }

    /// The importance: digit · 2^shift, the part's magnitude (H·2^L or Lo).
    public var magnitude: Int { digit << shift }
    /// The signed contribution of the part to its value.
    public var value: Int { negative ? -magnitude : magnitude }

    /// True when this part is kept before `other` (spec §8.3): larger magnitude first,
    /// then lower position in the group, then the high part before the low part.
    public func outranks(_ other: SdpTerm) -> Bool {
        if magnitude != other.magnitude { return magnitude > other.magnitude }
        if position != other.position { return position < other.position }
        return isHigh && !other.isHigh
    }

    /// `+3·2^4@2` (sign, digit, shift, position).
    public var description: String { "\(negative ? "-" : "+")\(digit)·2^\(shift)@\(position)" }
}

/// The two parts of `x` at `position`, sign-magnitude (spec §8.1).
/// - Throws: ``SdpError`` when `x` is outside the split's N-bit range of that signedness.
public func sdpParts(of x: Int, position: Int, signed: Bool, split: SdpSplit = .nibbles) throws(SdpError) -> (high: SdpTerm, low: SdpTerm) {
    guard split.range(signed: signed).contains(x) else {
        throw SdpError("\(x) is not a\(signed ? " signed" : "n unsigned") \(split.totalBits)-bit integer")
    }
    let m = x.magnitude
    let l = split.lowBits
    let high = SdpTerm(position: position, isHigh: true, negative: x < 0, digit: Int(m >> l), shift: l)
    let low = SdpTerm(position: position, isHigh: false, negative: x < 0, digit: Int(m & ((1 << l) - 1)), shift: 0)
    return (high, low)
}

/// The SDP budget: groups of `group` values, `terms` kept parts per group.
public struct SdpParameters: Hashable, Sendable, CustomStringConvertible {
    /// G: values per group (along the grouping axis).
    public let group: Int
    /// T: kept parts per group, 1 ≤ T ≤ 2G (T = 2G keeps everything: exact).
    public let terms: Int
    /// The part split.
    public let split: SdpSplit

    /// Creates parameters; G is 1…64 here (the hardware takes 2, 4, 8, 16), T is 1…2G.
    public init(group: Int, terms: Int, split: SdpSplit = .nibbles) throws(SdpError) {
        guard (1...64).contains(group) else { throw SdpError("invalid SDP group: G = \(group) must be 1…64") }
        guard (1...(2 * group)).contains(terms) else {
            throw SdpError("invalid SDP terms: T = \(terms) must be 1…\(2 * group) (2G) for G = \(group)")
        }
        self.group = group
        self.terms = terms
        self.split = split
    }

    /// Average kept parts per value, T/G.
    public var termsPerValue: Double { Double(terms) / Double(group) }
    /// Average effective width in bits: N · T / (2G) (spec §8.5).
    public var averageBits: Double { Double(split.totalBits) * Double(terms) / Double(2 * group) }
    /// True when every part is kept.
    public var isExact: Bool { terms == 2 * group }

    /// `G=8,T=12`.
    public var description: String { "G=\(group),T=\(terms)" }
}

/// The parts of one group of at most G values, kept first in issue order (rank 0 first).
///
/// A group shorter than G (the end of a reduction) is padded with zeros, whose parts are
/// zero and rank last among equals by position; exactly T parts are returned, zero parts
/// included when fewer than T are nonzero (the hardware issues them as no-ops).
/// - Throws: ``SdpError`` for a value outside the N-bit range or a group longer than G.
public func sdpSelect(_ values: [Int], signed: Bool, parameters p: SdpParameters) throws(SdpError) -> [SdpTerm] {
    guard values.count <= p.group else { throw SdpError("group of \(values.count) values is longer than G = \(p.group)") }
    var parts: [SdpTerm] = []
    parts.reserveCapacity(2 * p.group)
    for position in 0..<p.group {
        let x = position < values.count ? values[position] : 0
        let (h, l) = try sdpParts(of: x, position: position, signed: signed, split: p.split)
        parts.append(h)
        parts.append(l)
    }
    parts.sort { $0.outranks($1) }
    return Array(parts.prefix(p.terms))
}

/// Each value of one group with its dropped parts removed: Σ of its kept parts' values.
/// The SDP dot product of the group with any weights is the exact dot product of these.
public func sdpKeptValues(_ values: [Int], signed: Bool, parameters p: SdpParameters) throws(SdpError) -> [Int] {
    var kept = Array(repeating: 0, count: values.count)
    for term in try sdpSelect(values, signed: signed, parameters: p) where term.position < values.count {
        kept[term.position] += term.value
    }
    return kept
}

/// The SDP dot product of `activations` (grouped by G from index 0, the last group
/// zero-padded) with `weights`: Σ over kept parts of sign · digit · 2^shift · w[position],
/// computed exactly (spec §8.6).
/// - Throws: ``SdpError`` when the lengths differ or an activation is out of range.
public func sdpDot(_ activations: [Int], _ weights: [Int], signed: Bool, parameters p: SdpParameters) throws(SdpError) -> Int {
    guard activations.count == weights.count else {
        throw SdpError("dot product of \(activations.count) activations with \(weights.count) weights")
    }
    var sum = 0
    var start = 0
    while start < activations.count {
        let end = min(start + p.group, activations.count)
        for term in try sdpSelect(Array(activations[start..<end]), signed: signed, parameters: p) where start + term.position < end {
            sum += term.value * weights[start + term.position]
        }
        start = end
    }
    return sum
}
