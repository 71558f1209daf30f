/// One term of an int8 operand split for a 4-bit datapath (spec §2, last paragraph).
public struct NibbleTerm: Hashable, Sendable {
    /// The nibble's value: −8…7 for the high nibble of a signed operand, 0…15 otherwise.
    public var value: Int
    /// The shift E of the term: 4 for the high nibble, 0 for the low nibble.
    public var shift: Int

    /// Creates a term from its value and shift.
    public init(value: Int, shift: Int) {
        self.value = value
        self.shift = shift
    }
}

/// Why an int8 operand cannot be split.
public enum NibbleSplitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operand is outside −128…127 (signed) or 0…255 (unsigned).
    case outOfRange(value: Int, signed: Bool)

    /// A one-line human-readable description.
    public var description: String {
        switch self {
        case .outOfRange(let value, let signed):
            return "\(value) is not a\(signed ? " signed" : "n unsigned") 8-bit integer"
        }
    }
}

/// Splits an int8 operand into its high term (x >> 4, arithmetic, shift 4) and its low term
/// (x & 15, unsigned, shift 0), so that x = high · 2^4 + low exactly.
///
/// A product x·y is then the sum of the four term products with shifts 0, 4, 4 and 8.
///
/// - Throws: `NibbleSplitError.outOfRange` for values outside the 8-bit range.
public func nibbleTerms(of x: Int, signed: Bool) throws(NibbleSplitError) -> (high: NibbleTerm, low: NibbleTerm) {
    let range = signed ? -128 ... 127 : 0 ... 255
    guard range.contains(x) else { throw .outOfRange(value: x, signed: signed) }
    return (NibbleTerm(value: x >> 4, shift: 4), NibbleTerm(value: x & 15, shift: 0))
}
