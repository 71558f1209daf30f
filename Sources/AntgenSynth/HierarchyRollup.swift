/// A cost that adds up through a module hierarchy (``ModuleCost``, ``FpgaResources``).
public protocol RollupCost: Sendable {
    /// No cost at all.
    static var empty: Self { get }
    /// This cost plus `times` copies of `other`.
    func adding(_ other: Self, times: Int) -> Self
}

extension ModuleCost: RollupCost {}

extension CellCounts: RollupCost {
    /// No cells.
    public static var empty: CellCounts { CellCounts() }
}

extension FpgaResources: RollupCost {
    /// No resources.
    public static var empty: FpgaResources { FpgaResources() }
}

/// Adds up per-module costs through the kept hierarchy.
///
/// `own` holds each module's own cells with its submodule instances already split off
/// into `submodules` (name → count). Totals are own + Σ count × total(submodule), and
/// the copies of each module in the design follow from the top down.
public struct HierarchyRollup<Cost: RollupCost>: Sendable {
    /// Own cost per module.
    public let own: [String: Cost]
    /// Direct submodule counts per module.
    public let submodules: [String: [String: Int]]
    /// Module names, dependencies first, the top last.
    public let order: [String]

    /// Creates the roll-up.
    public init(own: [String: Cost], submodules: [String: [String: Int]], order: [String]) {
        self.own = own
        self.submodules = submodules
        self.order = order
    }

    /// Each module's cost including everything below it. `substitutes` replaces the
    /// total of the named modules (used to price a variant of a submodule).
    public func totals(substituting substitutes: [String: Cost] = [:]) -> [String: Cost] {
        var totals: [String: Cost] = [:]
        for name in order {
            if let substitute = substitutes[name] {
                totals[name] = substitute
                continue
            }
            var cost = own[name] ?? .empty
            for (child, count) in (submodules[name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                cost = cost.adding(totals[child] ?? .empty, times: count)
            }
            totals[name] = cost
        }
        return totals
    }

    /// How many copies of each module the top (the last in `order`) holds.
    public var instancesInDesign: [String: Int] {
        guard let top = order.last else { return [:] }
        var counts = [top: 1]
        for name in order.reversed() {
            let copies = counts[name] ?? 0
            for (child, count) in submodules[name] ?? [:] {
                counts[child, default: 0] += copies * count
            }
        }
        return counts
    }
}
