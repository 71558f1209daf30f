/// The type of a hardware value.
///
/// Scalars are `Bool`, unsigned and signed integers of any width ≥ 1. A `Bool` is a
/// one-bit unsigned value with boolean intent: it may be used wherever `UInt<1>` is
/// expected and vice versa. Vectors are built with ``Vec``; this enum also names
/// vector types so ports and reports can describe them.
public indirect enum HardwareType: Hashable, Sendable, CustomStringConvertible {
    /// One bit, the type of comparisons, reductions and conditions.
    case bool
    /// Unsigned integer of the given width (≥ 1).
    case uint(Int)
    /// Two's-complement signed integer of the given width (≥ 1).
    case sint(Int)
    /// A fixed-size vector of `count` elements of one type.
    case vec(HardwareType, Int)

    /// Total number of bits.
    public var width: Int {
        switch self {
        case .bool: return 1
        case .uint(let w), .sint(let w): return w
        case .vec(let element, let count): return element.width * count
        }
    }

    /// True for `SInt`.
    public var isSigned: Bool {
        if case .sint = self { return true }
        return false
    }

    /// True for scalar (non-vector) types.
    public var isScalar: Bool {
        if case .vec = self { return false }
        return true
    }

    /// The same kind of integer (unsigned or signed) at another width.
    /// `Bool` becomes `UInt` at widths other than 1.
    public func withWidth(_ width: Int) -> HardwareType {
        switch self {
        case .sint: return .sint(width)
        case .bool where width == 1: return .bool
        default: return .uint(width)
        }
    }

    /// Chisel-style spelling: `Bool`, `UInt<8>`, `SInt<5>`, `Vec<4, UInt<8>>`.
    public var description: String {
        switch self {
        case .bool: return "Bool"
        case .uint(let w): return "UInt<\(w)>"
        case .sint(let w): return "SInt<\(w)>"
        case .vec(let element, let count): return "Vec<\(count), \(element)>"
        }
    }
}
