// The project's one number-type model (docs/numerics.md, "The number-type model").
// `AntType` names the type everywhere: numerics, golden vectors, hardware, harness,
// tuner and CLI. `NumberKind` adds the parameters a value grid needs (float's exponent
// bits) and the quantizer-only APoT family; it is built from an `AntType`, never a
// second list of the same types.

/// An ANT number type (docs/numeric-formats.md §1–2): the canonical name of the type in
/// every layer.
///
/// The raw value is the **type selector code**: the value driven on the array's
/// `cfg_act_type` / `cfg_weight_type` ports and each decoder's `type_sel`, the type field of
/// a golden vector's packed operand mode, and the bit of the type in the vector header's
/// and the manifest's type masks. It is fixed whatever types a build enables (0 int,
/// 1 flint, 2 pot, 3 float; docs/architecture.md), so software never depends on the build.
/// Ordering follows the code.
///
/// `float` is the hardware float: 3 exponent bits, bias 1 (2 exponent bits when B = 2).
/// Floats with other exponent widths and APoT exist only in the quantizer; they are
/// ``NumberKind`` values, not further cases here.
public enum AntType: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// Two's complement (signed) or plain binary (unsigned) integers.
    case int = 0
    /// The tapered "flint" type: integers in the lower half of the code space, then one
    /// mantissa bit fewer per octave.
    case flint = 1
    /// Powers of two and zero.
    case pot = 2
    /// IEEE-like float with 3 exponent bits, bias 1, subnormals, no Inf/NaN (2 exponent
    /// bits when B = 2).
    case float = 3

    /// The name used on the command line, in mode strings, plans, manifests and JSON.
    public var description: String {
        switch self {
        case .int: return "int"
        case .flint: return "flint"
        case .pot: return "pot"
        case .float: return "float"
        }
    }

    /// Parses a name, case-insensitively: `int`, `flint`, `pot`, `float`; `float3`, `floateb3`
    /// and `float-eb3` also name the (eb = 3) float. nil for anything else, such as `apot`
    /// or `float2`, which no `AntType` decodes.
    public init?(name: String) {
        switch name.lowercased() {
        case "int": self = .int
        case "flint": self = .flint
        case "pot": self = .pot
        case "float", "float3", "floateb3", "float-eb3": self = .float
        default: return nil
        }
    }

    /// Orders types by their selector code.
    public static func < (a: AntType, b: AntType) -> Bool { a.rawValue < b.rawValue }
}

/// The value grid a ``NumberFormat`` is built from: an ``AntType`` with its parameters, or
/// APoT.
///
/// - `NumberKind(type)` is the grid the hardware decodes for `type` (float: eb = 3).
/// - `.float(exponentBits:)` is a float of any exponent width (the quantizer's float1…float8;
///   eb = 3 equals `NumberKind(.float)`).
/// - `.apot` (additive powers of two) is the reference quantizer's comparison family. It is
///   not an ANT type: it has no (s, M, E) decode and no selector code, so ``type`` is nil.
///
/// `.int`, `.flint` and `.pot` are shorthands for `NumberKind(.int)` and so on.
public struct NumberKind: Hashable, Sendable, CustomStringConvertible {
    /// The ANT type of the grid; nil for APoT.
    public let type: AntType?
    /// Exponent bits e_b of a float grid (at least 1; B = 2 always uses 2); nil for every
    /// other type.
    public let exponentBits: Int?

    private init(type: AntType?, exponentBits: Int?) {
        self.type = type
        self.exponentBits = exponentBits
    }

    /// The grid the hardware decodes for `type`; float has 3 exponent bits.
    public init(_ type: AntType) {
        self.init(type: type, exponentBits: type == .float ? 3 : nil)
    }

    /// Integers.
    public static let int = NumberKind(.int)
    /// flint.
    public static let flint = NumberKind(.flint)
    /// Powers of two.
    public static let pot = NumberKind(.pot)
    /// Additive powers of two (quantizer only; no hardware decode).
    public static let apot = NumberKind(type: nil, exponentBits: nil)

    /// A float with `exponentBits` exponent bits, bias 1. Widths the code cannot hold are
    /// rejected by ``NumberFormat/init(kind:bits:signed:)``, not here.
    public static func float(exponentBits: Int) -> NumberKind {
        NumberKind(type: .float, exponentBits: exponentBits)
    }

    /// The ANT type whose hardware decode this grid is, or nil (APoT, and floats whose
    /// exponent width is not 3).
    public var hardwareType: AntType? {
        guard let type, NumberKind(type) == self else { return nil }
        return type
    }

    /// Short lower-case name used in format names and tables: `int`, `flint`, `pot`,
    /// `float3` (float carries its exponent bits), `apot`.
    public var name: String {
        guard let type else { return "apot" }
        if let exponentBits { return "\(type)\(exponentBits)" }
        return type.description
    }

    /// The ``name``.
    public var description: String { name }
}
