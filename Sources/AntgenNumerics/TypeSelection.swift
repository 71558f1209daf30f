/// A candidate of adaptive type selection, in the spec's fixed order (§4): ties between
/// equal scores go to the earliest case.
public enum CandidateType: String, CaseIterable, Sendable, Codable, Comparable {
    /// int, flint, pot, float (eb 3), float with 1…4 exponent bits, apot.
    case int, flint, pot, float, float1, float2, float3, float4, apot

    /// The number kind this candidate quantizes with (`float` is float(eb = 3)).
    public var kind: NumberKind {
        switch self {
        case .int: return .int
        case .flint: return .flint
        case .pot: return .pot
        case .float, .float3: return .float(exponentBits: 3)
        case .float1: return .float(exponentBits: 1)
        case .float2: return .float(exponentBits: 2)
        case .float4: return .float(exponentBits: 4)
        case .apot: return .apot
        }
    }

    /// The kind the reference scores this candidate with during selection: float2, float3
    /// and float4 are scored with the eb = 1 grid (spec §4 decision 1), used in compat mode.
    public var referenceSelectionKind: NumberKind {
        switch self {
        case .float2, .float3, .float4: return .float(exponentBits: 1)
        default: return kind
        }
    }

    /// Position in the fixed order.
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders candidates by the fixed selection order.
    public static func < (lhs: CandidateType, rhs: CandidateType) -> Bool { lhs.order < rhs.order }
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
public func candidateTypes(forMode mode: String, referenceMatching: Bool = false) throws(ModeError) -> [CandidateType] {
    let known = Set(CandidateType.allCases.map(\.rawValue))
    if let fixed = CandidateType(rawValue: mode) { return [fixed] }
    guard mode.hasPrefix("ant-") else {
        throw ModeError(mode: mode, problem: "expected 'ant-' followed by type names (e.g. ant-int-pot-flint) or a single type name (\(CandidateType.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    let names = mode.dropFirst(4).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    if let unknown = names.first(where: { !known.contains($0) }) {
        throw ModeError(mode: mode, problem: unknown.isEmpty ? "empty type name" : "unknown type '\(unknown)' (known: \(CandidateType.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    if referenceMatching {
        return CandidateType.allCases.filter { mode.contains("-" + $0.rawValue) }
    }
    let requested = Set(names)
    return CandidateType.allCases.filter { requested.contains($0.rawValue) }
}
