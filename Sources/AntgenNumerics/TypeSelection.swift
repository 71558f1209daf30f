/// A candidate of adaptive type selection (docs/numeric-formats.md §4): a name a mode string
/// can enable and the ``NumberKind`` it quantizes with. Candidates are data built from
/// ``AntType`` and ``NumberKind``, not a further list of number types.
///
/// ``all`` holds them in the fixed order in which ties between equal scores go to the
/// earliest: the four ANT types (named as the type; `float` is eb = 3), `float1` … `float4`,
/// `apot`. `float3` has the same grid as `float` but is a candidate of its own in the
/// reference: in compat mode it is scored, like `float2` and `float4`, with the eb = 1 grid
/// (spec §4 decision 1).
public struct TypeCandidate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name in mode strings, reports, plans and cost tables (`int`, `float2`, `apot`, …).
    public let name: String
    /// The grid this candidate quantizes with.
    public let kind: NumberKind
    /// The grid the reference scores this candidate with during selection, used in compat
    /// mode: float eb = 1 for float2, float3 and float4, otherwise ``kind``.
    public let referenceSelectionKind: NumberKind
    /// Position in the fixed order.
    public let order: Int

    /// Every candidate, in the fixed order.
    public static let all: [TypeCandidate] = {
        let types = AntType.allCases.map { ($0.description, NumberKind($0), NumberKind($0)) }
        let floats = (1 ... 4).map { ("float\($0)", NumberKind.float(exponentBits: $0), NumberKind.float(exponentBits: 1)) }
        let entries = types + floats + [("apot", NumberKind.apot, NumberKind.apot)]
        return entries.enumerated().map { TypeCandidate(name: $1.0, kind: $1.1, referenceSelectionKind: $1.2, order: $0) }
    }()

    private init(name: String, kind: NumberKind, referenceSelectionKind: NumberKind, order: Int) {
        self.name = name
        self.kind = kind
        self.referenceSelectionKind = referenceSelectionKind
        self.order = order
    }

    /// The candidate named exactly `name`, or nil.
    public init?(name: String) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// The candidate of an ANT type (its hardware grid; `float` is eb = 3).
    public init(_ type: AntType) { self.init(name: type.description)! }

    /// The candidate `float1` … `float4`.
    public static func float(exponentBits: Int) -> TypeCandidate {
        precondition((1 ... 4).contains(exponentBits), "selection candidates are float1…float4")
        return TypeCandidate(name: "float\(exponentBits)")!
    }

    /// The APoT candidate.
    public static let apot = TypeCandidate(name: "apot")!

    /// The ``name``.
    public var description: String { name }

    /// Orders candidates by the fixed selection order.
    public static func < (lhs: TypeCandidate, rhs: TypeCandidate) -> Bool { lhs.order < rhs.order }
}

/// Why a mode string was rejected.
public struct ModeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The mode string as given.
    public let mode: String
    /// What is wrong with it.
    public let problem: String

    /// A one-line human-readable description.
    public var description: String { "invalid mode '\(mode)': \(problem)" }
}

/// The candidates a mode string enables, in the fixed order.
///
/// `ant-T1-T2-…` enables the named types (any subset of int, flint, pot, float, float1…4,
/// apot); a bare type name (`flint`) quantizes with that type alone.
///
/// With `referenceMatching` the reference's substring test is reproduced: it enables a
/// candidate when `-name` occurs anywhere in the string, so `ant-float2` also enables
/// `float`. The default reads the names exactly.
public func candidateTypes(forMode mode: String, referenceMatching: Bool = false) throws(ModeError) -> [TypeCandidate] {
    let known = Set(TypeCandidate.all.map(\.name))
    if let fixed = TypeCandidate(name: mode) { return [fixed] }
    guard mode.hasPrefix("ant-") else {
        throw ModeError(mode: mode, problem: "expected 'ant-' followed by type names (e.g. ant-int-pot-flint) or a single type name (\(TypeCandidate.all.map(\.name).joined(separator: ", ")))")
    }
    let names = mode.dropFirst(4).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    if let unknown = names.first(where: { !known.contains($0) }) {
        throw ModeError(mode: mode, problem: unknown.isEmpty ? "empty type name" : "unknown type '\(unknown)' (known: \(TypeCandidate.all.map(\.name).joined(separator: ", ")))")
    }
    if referenceMatching {
        return TypeCandidate.all.filter { mode.contains("-" + $0.name) }
    }
    let requested = Set(names)
    return TypeCandidate.all.filter { requested.contains($0.name) }
}
