import AntgenNumerics
import Foundation

/// A cost per stored bit for each format, e.g. the relative area of its decoder from
/// `antgen synth`.
///
/// JSON: an object mapping `kind/bits` (`"int/4"`, `"flint/3"`, `"float/8"`) to a positive
/// number, with an optional `"default"` for formats not listed:
/// `{"int/4": 1.0, "flint/4": 1.21, "pot/4": 0.93, "default": 1.5}`.
public struct CostTable: Sendable, Equatable {
    /// Cost per stored bit by `kind/bits`.
    public let costs: [String: Double]
    /// Cost of formats not listed; nil makes a missing entry an error.
    public let defaultCost: Double?

    /// Creates a table.
    public init(costs: [String: Double], defaultCost: Double? = nil) {
        self.costs = costs
        self.defaultCost = defaultCost
    }

    /// The table key of a kind and width.
    public static func key(kind: TypeCandidate, bits: Int) -> String { "\(kind.name)/\(bits)" }

    /// Parses the JSON text of a table.
    ///
    /// - Throws: `TuningError` naming the problem (not an object, a non-numeric or
    ///   non-positive cost, a malformed key).
    public static func parse(_ data: Data, source: String) throws(TuningError) -> CostTable {
        guard let table = try? JSONDecoder().decode([String: Double].self, from: data) else {
            throw TuningError("\(source): a cost table must be a JSON object of numbers such as {\"int/4\": 1.0, \"flint/4\": 1.2, \"default\": 1.5}")
        }
        var costs: [String: Double] = [:]
        var defaultCost: Double?
        for key in table.keys.sorted() {
            let value = table[key] ?? 0
            guard value.isFinite, value > 0 else { throw TuningError("\(source): cost of '\(key)' must be a positive number, not \(value)") }
            if key == "default" {
                defaultCost = value
                continue
            }
            let parts = key.split(separator: "/")
            guard parts.count == 2, TypeCandidate(name: String(parts[0])) != nil, let bits = Int(parts[1]), (2 ... 8).contains(bits) else {
                throw TuningError("\(source): key '\(key)' must be kind/bits with a kind among \(TypeCandidate.all.map(\.name).joined(separator: ", ")) and bits 2…8 (or \"default\")")
            }
            costs[key] = value
        }
        return CostTable(costs: costs, defaultCost: defaultCost)
    }

    /// Reads and parses a table file.
    public static func read(atPath path: String) throws(TuningError) -> CostTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw TuningError("\(path): cannot read the cost table") }
        return try parse(data, source: path)
    }

    /// The cost per bit of one format, nil when neither listed nor defaulted.
    public func cost(kind: TypeCandidate, bits: Int) -> Double? {
        costs[Self.key(kind: kind, bits: bits)] ?? defaultCost
    }
}

/// What the tuner minimises.
public enum TuningObjective: Sendable, Equatable {
    /// Total stored bits (elements × width, summed over tensors).
    case storedBits
    /// Stored bits weighted by a cost per format.
    case weightedBits(CostTable)

    /// The objective value of one option.
    ///
    /// - Throws: `TuningError` when the cost table has no entry (and no default) for the
    ///   option's format.
    public func cost(of option: QuantizationOption) throws(TuningError) -> Double {
        switch self {
        case .storedBits:
            return Double(option.storedBits)
        case .weightedBits(let table):
            guard let weight = table.cost(kind: option.kind, bits: option.bits) else {
                throw TuningError("the cost table has no entry for \(CostTable.key(kind: option.kind, bits: option.bits)) and no \"default\"")
            }
            return Double(option.storedBits) * weight
        }
    }

    /// A lower bound on the cost of any format of `bits` bits among `kinds` for a tensor of
    /// `elements` elements (formats the table does not price count as free).
    public func lowestCost(elements: Int, bits: Int, kinds: [TypeCandidate]) -> Double {
        switch self {
        case .storedBits:
            return Double(elements * bits)
        case .weightedBits(let table):
            let weights = kinds.map { table.cost(kind: $0, bits: bits) ?? 0 }
            return Double(elements * bits) * (weights.min() ?? 0)
        }
    }

    /// A short description for the plan (`stored bits` or `weighted bits`).
    public var name: String {
        switch self {
        case .storedBits: return "stored bits"
        case .weightedBits: return "cost-weighted bits"
        }
    }
}
