/// One item of a multiple-choice knapsack group: what it costs and how much of the budget
/// (here: relative MSE) it uses.
public struct KnapsackItem: Sendable, Equatable {
    /// The objective value (to minimise).
    public let cost: Double
    /// The resource used (summed over groups, bounded by the capacity).
    public let weight: Double

    /// Creates an item.
    public init(cost: Double, weight: Double) {
        self.cost = cost
        self.weight = weight
    }
}

/// The answer of `solveMultipleChoiceKnapsack`.
public struct KnapsackSolution: Sendable, Equatable {
    /// The chosen item index in every group.
    public let choices: [Int]
    /// Σ cost of the choices.
    public let cost: Double
    /// Σ weight of the choices.
    public let weight: Double
    /// True when the search finished: no selection within the capacity costs less (up to a
    /// relative 1e-12 in the pruning test).
    public let isProvenOptimal: Bool
    /// A lower bound on the optimum (equal to `cost` when proven optimal).
    public let lowerBound: Double
    /// Search nodes visited.
    public let nodes: Int
}

/// Minimises Σ cost subject to Σ weight ≤ capacity, choosing exactly one item per group:
/// the multiple-choice knapsack, solved exactly by depth-first branch and bound.
///
/// 1. Dominated items (another item of the group costs no more and weighs no more) are
///    dropped; what remains, sorted by cost, has strictly decreasing weights.
/// 2. The bound at a node is the cost so far plus the optimum of the LP relaxation of the
///    remaining groups: start each at its cheapest item and buy weight reductions along
///    the groups' lower convex hulls in increasing order of cost per unit of weight removed,
///    the last one fractionally (the classic MCKP relaxation; its value is a true lower
///    bound, and the integral optimum is never below it).
/// 3. The first incumbent is greedy (group by group, the cheapest item that leaves the
///    remaining groups feasible); nodes whose bound is not below the incumbent are pruned.
///
/// The answer is therefore optimal unless `nodeLimit` nodes were visited first, in which case
/// `isProvenOptimal` is false and `lowerBound` bounds the gap. Deterministic.
///
/// - Returns: nil when even the lightest item of every group exceeds the capacity.
public func solveMultipleChoiceKnapsack(groups: [[KnapsackItem]], capacity: Double, nodeLimit: Int = 5_000_000) -> KnapsackSolution? {
    let solver = KnapsackSearch(groups: groups, capacity: capacity)
    return solver.solve(nodeLimit: nodeLimit)
}

/// The branch-and-bound search behind `solveMultipleChoiceKnapsack`.
private struct KnapsackSearch {
    /// Per group, the undominated items sorted by cost ascending (weights strictly descending).
    let frontiers: [[(index: Int, item: KnapsackItem)]]
    /// Hull steps of every group sorted by slope (cost added per weight removed).
    let steps: [(group: Int, cost: Double, weight: Double)]
    /// Per group, its lightest weight; suffix sums say what the remaining groups need at least.
    let lightestSuffix: [Double]
    let capacity: Double

    init(groups: [[KnapsackItem]], capacity: Double) {
        self.capacity = capacity
        frontiers = groups.map { items in
            let sorted = items.indices.sorted { a, b in
                (items[a].cost, items[a].weight, a) < (items[b].cost, items[b].weight, b)
            }
            var frontier: [(index: Int, item: KnapsackItem)] = []
            for index in sorted where frontier.last.map({ items[index].weight < $0.item.weight }) ?? true {
                frontier.append((index, items[index]))
            }
            return frontier
        }
        var allSteps: [(group: Int, cost: Double, weight: Double, order: Int)] = []
        for (group, frontier) in frontiers.enumerated() {
            // Lower convex hull from the cheapest (heaviest) item towards the lightest.
            var hull: [KnapsackItem] = []
            for entry in frontier {
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1], c = entry.item
                    // Drop b when it lies on or above the segment a–c.
                    let slopeAB = (b.cost - a.cost) / (a.weight - b.weight)
                    let slopeAC = (c.cost - a.cost) / (a.weight - c.weight)
                    if slopeAB >= slopeAC { hull.removeLast() } else { break }
                }
                hull.append(entry.item)
            }
            for (order, pair) in zip(hull, hull.dropFirst()).enumerated() {
                allSteps.append((group, pair.1.cost - pair.0.cost, pair.0.weight - pair.1.weight, order))
            }
        }
        steps = allSteps.sorted { a, b in
            let left = a.cost / a.weight, right = b.cost / b.weight
            return (left, a.group, a.order) < (right, b.group, b.order)
        }.map { ($0.group, $0.cost, $0.weight) }
        var suffix = [Double](repeating: 0, count: frontiers.count + 1)
        for group in frontiers.indices.reversed() {
            suffix[group] = suffix[group + 1] + (frontiers[group].last?.item.weight ?? .infinity)
        }
        lightestSuffix = suffix
    }

    /// The optimum of the LP relaxation over groups `first...` with `room` weight left; nil
    /// when even the lightest items do not fit.
    func relaxation(from first: Int, room: Double) -> Double? {
        var value = 0.0
        var weight = 0.0
        for group in first ..< frontiers.count {
            value += frontiers[group][0].item.cost
            weight += frontiers[group][0].item.weight
        }
        // Rounding in the weight sums is forgiven up to a relative 1e-12, as in the
        // feasibility tests of the search.
        let tolerance = 1e-12 * max(weight, abs(room))
        var excess = weight - room
        if excess <= tolerance { return value }
        for step in steps where step.group >= first {
            if step.weight >= excess {
                return value + step.cost * (excess / step.weight)
            }
            value += step.cost
            excess -= step.weight
            if excess <= tolerance { return value }
        }
        return nil
    }

    func solve(nodeLimit: Int) -> KnapsackSolution? {
        guard !frontiers.contains(where: \.isEmpty), lightestSuffix[0] <= capacity * (1 + 1e-12) else { return nil }
        guard let root = relaxation(from: 0, room: capacity) else { return nil }
        var state = SearchState(best: greedyIncumbent())
        var chosen = [Int](repeating: 0, count: frontiers.count)
        search(group: 0, cost: 0, room: capacity, chosen: &chosen, state: &state, nodeLimit: nodeLimit)
        let best = state.best
        let choices = best.positions.enumerated().map { frontiers[$0.offset][$0.element].index }
        let weight = best.positions.enumerated().reduce(0.0) { $0 + frontiers[$1.offset][$1.element].item.weight }
        return KnapsackSolution(choices: choices, cost: best.cost, weight: weight, isProvenOptimal: !state.truncated,
                                lowerBound: state.truncated ? root : best.cost, nodes: state.nodes)
    }

    struct Incumbent {
        var positions: [Int]
        var cost: Double
    }

    struct SearchState {
        var best: Incumbent
        var nodes = 0
        var truncated = false
    }

    /// A feasible start: every group at its lightest item, then, group by group, the
    /// cheapest item that keeps the remaining groups feasible at their lightest.
    func greedyIncumbent() -> Incumbent {
        var positions = frontiers.map { $0.count - 1 }
        var weight = lightestSuffix[0]
        for group in frontiers.indices {
            let lightest = frontiers[group][positions[group]].item.weight
            for (position, entry) in frontiers[group].enumerated() where weight - lightest + entry.item.weight <= capacity * (1 + 1e-12) {
                weight += entry.item.weight - lightest
                positions[group] = position
                break
            }
        }
        let cost = positions.enumerated().reduce(0.0) { $0 + frontiers[$1.offset][$1.element].item.cost }
        return Incumbent(positions: positions, cost: cost)
    }

    func search(group: Int, cost: Double, room: Double, chosen: inout [Int], state: inout SearchState, nodeLimit: Int) {
        state.nodes += 1
        if state.nodes > nodeLimit {
            state.truncated = true
            return
        }
        if group == frontiers.count {
            if cost < state.best.cost {
                state.best = Incumbent(positions: chosen, cost: cost)
            }
            return
        }
        guard let bound = relaxation(from: group, room: room),
              cost + bound < state.best.cost - 1e-12 * abs(state.best.cost) else { return }
        let restNeeds = lightestSuffix[group + 1]
        for (position, entry) in frontiers[group].enumerated() {
            guard entry.item.weight + restNeeds <= room * (1 + 1e-12) + 1e-300 else { continue }
            guard cost + entry.item.cost < state.best.cost else { break }
            chosen[group] = position
            search(group: group + 1, cost: cost + entry.item.cost, room: room - entry.item.weight, chosen: &chosen,
                   state: &state, nodeLimit: nodeLimit)
            if state.truncated { return }
        }
    }
}
