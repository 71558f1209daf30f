/// The cells of one synthesized netlist, by Yosys cell type (`$_NAND_`, `$_DFF_P_`,
/// `SB_LUT4`, …). Encodes as a plain JSON object from type to count.
public struct CellCounts: Sendable, Equatable, Codable {
    /// Count per cell type; types with no cells are absent.
    public let byType: [String: Int]

    /// Creates the counts, dropping zero entries so equal netlists compare equal.
    public init(_ byType: [String: Int] = [:]) {
        self.byType = byType.filter { $0.value != 0 }
    }

    /// Decodes a `{type: count}` object.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: Int].self))
    }

    /// Encodes a `{type: count}` object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(byType)
    }

    /// All cells.
    public var total: Int { byType.values.reduce(0, +) }

    /// Cells of one type (0 when absent).
    public subscript(type: String) -> Int { byType[type] ?? 0 }

    /// Cells of the types `isIncluded` accepts.
    public func count(where isIncluded: (String) -> Bool) -> Int {
        byType.reduce(0) { isIncluded($1.key) ? $0 + $1.value : $0 }
    }

    /// These counts plus `times` copies of `other` (a submodule instantiated `times` times).
    public func adding(_ other: CellCounts, times: Int = 1) -> CellCounts {
        CellCounts(byType.merging(other.byType.mapValues { $0 * times }, uniquingKeysWith: +))
    }

    /// The counts split into types `isIncluded` accepts and the rest.
    public func partitioned(by isIncluded: (String) -> Bool) -> (included: CellCounts, excluded: CellCounts) {
        (CellCounts(byType.filter { isIncluded($0.key) }), CellCounts(byType.filter { !isIncluded($0.key) }))
    }
}
