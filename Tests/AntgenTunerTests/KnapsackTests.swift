import AntgenTuner
import Testing

/// The exact optimum by trying every selection.
private func bruteForce(_ groups: [[KnapsackItem]], capacity: Double) -> Double? {
    var best: Double?
    var choice = [Int](repeating: 0, count: groups.count)
    while true {
        let weight = choice.enumerated().reduce(0.0) { $0 + groups[$1.offset][$1.element].weight }
        let cost = choice.enumerated().reduce(0.0) { $0 + groups[$1.offset][$1.element].cost }
        if weight <= capacity, cost < (best ?? .infinity) { best = cost }
        var position = 0
        while position < groups.count {
            choice[position] += 1
            if choice[position] < groups[position].count { break }
            choice[position] = 0
            position += 1
        }
        if position == groups.count { return best }
    }
}

@Suite struct KnapsackTests {
    @Test func matchesBruteForceOnRandomSmallInstances() {
        var generator = SeededGenerator(seed: 7)
        var feasible = 0
        for _ in 0 ..< 400 {
            let groupCount = Int.random(in: 1 ... 5, using: &generator)
            let groups = (0 ..< groupCount).map { _ in
                (0 ..< Int.random(in: 1 ... 6, using: &generator)).map { _ in
                    KnapsackItem(cost: Double(Int.random(in: 1 ... 60, using: &generator)), weight: Double.random(in: 0 ... 1, using: &generator))
                }
            }
            let lightest = groups.reduce(0.0) { $0 + $1.map(\.weight).min()! }
            let heaviest = groups.reduce(0.0) { $0 + $1.map(\.weight).max()! }
            let capacity = Double.random(in: (lightest - 0.1) ... (heaviest + 0.1), using: &generator)
            let expected = bruteForce(groups, capacity: capacity)
            let solution = solveMultipleChoiceKnapsack(groups: groups, capacity: capacity)
            #expect((expected == nil) == (solution == nil))
            guard let expected, let solution else { continue }
            feasible += 1
            #expect(solution.isProvenOptimal)
            #expect(solution.cost == expected)
            let weight = solution.choices.enumerated().reduce(0.0) { $0 + groups[$1.offset][$1.element].weight }
            let cost = solution.choices.enumerated().reduce(0.0) { $0 + groups[$1.offset][$1.element].cost }
            #expect(weight <= capacity * (1 + 1e-12))
            #expect(cost == solution.cost)
        }
        #expect(feasible > 200)
    }

    @Test func nodeLimitReportsABoundInsteadOfClaimingOptimality() throws {
        var generator = SeededGenerator(seed: 11)
        let groups = (0 ..< 12).map { _ in
            (0 ..< 6).map { _ in KnapsackItem(cost: Double.random(in: 1 ... 100, using: &generator), weight: Double.random(in: 0 ... 1, using: &generator)) }
        }
        let capacity = 3.0
        let limited = try #require(solveMultipleChoiceKnapsack(groups: groups, capacity: capacity, nodeLimit: 3))
        let full = try #require(solveMultipleChoiceKnapsack(groups: groups, capacity: capacity))
        #expect(!limited.isProvenOptimal)
        #expect(limited.lowerBound <= full.cost + 1e-9)
        #expect(limited.cost >= full.cost)
        #expect(full.isProvenOptimal)
        #expect(full.weight <= capacity)
    }

    @Test func infeasibleCapacityHasNoSolution() {
        let groups = [[KnapsackItem(cost: 1, weight: 0.5)], [KnapsackItem(cost: 2, weight: 0.6), KnapsackItem(cost: 9, weight: 0.4)]]
        #expect(solveMultipleChoiceKnapsack(groups: groups, capacity: 0.8) == nil)
        #expect(solveMultipleChoiceKnapsack(groups: groups, capacity: 0.9)?.cost == 10)
    }
}
