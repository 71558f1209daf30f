import AntgenNumerics
import AntgenTuner
import Foundation
import Testing

@Suite struct ConstraintTests {
    let space = TuningSpace(kinds: candidates(.int, .flint, .pot, .float), widths: Array(2 ... 6), threadCount: 2)

    @Test func enumerationSkipsInvalidFormatsWithAReason() throws {
        let set = try enumerateOptions(for: gaussianTensor("w", shape: [4, 16], seed: 3), file: "mem", in: space)
        #expect(set.options.count == 5 * 4 - 2)
        let skipped = set.skipped.map { "\($0.kind.name)/\($0.bits)" }
        #expect(skipped == ["flint/2", "float/2"])
        #expect(set.skipped.allSatisfy { !$0.reason.isEmpty })
        #expect(set.options.allSatisfy { $0.storedBits == 64 * $0.bits && $0.format.isSigned })
    }

    @Test func sqnrFloorPicksTheCheapestOptionThatMeetsIt() throws {
        let result = try tuneWithProxy(sampleInputs(), space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 18))
        for (set, choice) in zip(result.sets, result.selection.choices) {
            let chosen = set.options[choice]
            #expect(chosen.sqnr >= 18)
            #expect(!set.options.contains { $0.sqnr >= 18 && $0.storedBits < chosen.storedBits })
        }
        #expect(result.plan.totals.minimumSQNRDB.map { $0 >= 18 } == true)
        #expect(result.plan.constraint == "sqnr>=18")
    }

    @Test func widthByWidthEnumerationGivesTheSameAnswer() throws {
        let table = try CostTable.parse(Data(#"{"flint/4": 3, "int/5": 0.5, "default": 1}"#.utf8), source: "t")
        for objective in [TuningObjective.storedBits, .weightedBits(table)] {
            for floor in [5.0, 18, 30] {
                let constraint = ProxyConstraint(minimumSQNR: floor)
                let full = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: space) }
                let lazy = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: space, untilSQNR: floor, objective: objective) }
                let fullChoice = try solveProxy(full, objective: objective, constraint: constraint)
                let lazyChoice = try solveProxy(lazy, objective: objective, constraint: constraint)
                #expect(zip(full, fullChoice.choices).map { $0.options[$1] } == zip(lazy, lazyChoice.choices).map { $0.options[$1] })
                #expect(zip(full, lazy).allSatisfy { $1.options.count <= $0.options.count })
            }
        }
        // A low floor is settled at the narrowest widths.
        let lazy = try enumerateOptions(for: sampleInputs()[0].tensor, file: "mem", in: space, untilSQNR: 5, objective: .storedBits)
        #expect(lazy.options.map(\.bits).max()! < 6)
    }

    @Test func unreachableSqnrFloorNamesTheTensor() {
        let narrow = TuningSpace(kinds: candidates(.int), widths: [2, 3], threadCount: 2)
        #expect(throws: TuningError.self) {
            _ = try tuneWithProxy(sampleInputs(), space: narrow, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 60))
        }
        do {
            _ = try tuneWithProxy(sampleInputs(), space: narrow, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 60))
        } catch {
            #expect(error.description.contains("conv.weight"))
            #expect(error.description.contains("int3s"))
        }
    }

    @Test func budgetAllocationIsOptimalAgainstBruteForce() throws {
        let small = TuningSpace(kinds: candidates(.int, .flint), widths: [2, 3, 4, 5], threadCount: 2)
        let sets = try sampleInputs().map { try enumerateOptions(for: $0.tensor, file: $0.file, in: small) }
        for budget in [0.02, 0.05, 0.1, 0.3] {
            let selection = try solveProxy(sets, objective: .storedBits, constraint: ProxyConstraint(relativeErrorBudget: budget))
            var best = Int.max
            for a in sets[0].options.indices {
                for b in sets[1].options.indices {
                    for c in sets[2].options.indices {
                        let error = sets[0].options[a].relativeError + sets[1].options[b].relativeError + sets[2].options[c].relativeError
                        let bits = sets[0].options[a].storedBits + sets[1].options[b].storedBits + sets[2].options[c].storedBits
                        if error <= budget { best = min(best, bits) }
                    }
                }
            }
            let chosen = zip(sets, selection.choices).map { $0.options[$1] }
            #expect(chosen.reduce(0) { $0 + $1.storedBits } == best)
            #expect(chosen.reduce(0.0) { $0 + $1.relativeError } <= budget)
            #expect(selection.isProvenOptimal)
        }
        #expect(throws: TuningError.self) {
            _ = try solveProxy(sets, objective: .storedBits, constraint: ProxyConstraint(relativeErrorBudget: 1e-9))
        }
    }

    @Test func budgetWithSqnrFloorRespectsBoth() throws {
        let result = try tuneWithProxy(sampleInputs(), space: space, objective: .storedBits,
                                       constraint: ProxyConstraint(minimumSQNR: 15, relativeErrorBudget: 0.03))
        #expect(result.plan.tensors.allSatisfy { ($0.sqnrDB ?? .infinity) >= 15 })
        #expect(result.plan.totals.relativeMSESum <= 0.03)
    }

    @Test func costTableWeightsTheObjective() throws {
        let inputs = sampleInputs()
        let plain = try tuneWithProxy(inputs, space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 15))
        // Make every non-int format ten times as expensive: the plan must become all int.
        let table = try CostTable.parse(Data(#"{"int/2": 1, "int/3": 1, "int/4": 1, "int/5": 1, "int/6": 1, "default": 10}"#.utf8), source: "t")
        let weighted = try tuneWithProxy(inputs, space: space, objective: .weightedBits(table), constraint: ProxyConstraint(minimumSQNR: 15))
        #expect(weighted.plan.tensors.allSatisfy { $0.kind == "int" })
        #expect(plain.plan.tensors.contains { $0.kind != "int" })
        #expect(weighted.plan.totals.cost == Double(weighted.plan.totals.storedBits))
        #expect(throws: TuningError.self) { _ = try CostTable.parse(Data(#"{"int/4": -1}"#.utf8), source: "t") }
        #expect(throws: TuningError.self) { _ = try CostTable.parse(Data(#"{"int4": 1}"#.utf8), source: "t") }
        #expect(throws: TuningError.self) { _ = try CostTable.parse(Data("[1]".utf8), source: "t") }
        let partial = try CostTable.parse(Data(#"{"int/4": 1}"#.utf8), source: "t")
        #expect(throws: TuningError.self) {
            _ = try tuneWithProxy(inputs, space: space, objective: .weightedBits(partial), constraint: ProxyConstraint(minimumSQNR: 15))
        }
    }

    @Test func planJSONIsDeterministicAndWrittenAtomically() throws {
        let directory = try scratchDirectory("plan")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try tuneWithProxy(sampleInputs(), space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 20))
        let second = try tuneWithProxy(sampleInputs(), space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 20))
        let path = directory.appendingPathComponent("plan.json").path
        try first.plan.write(toPath: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes == second.plan.jsonData())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["plan.json"])
        let read = try QuantizationPlan.read(atPath: path)
        #expect(read == first.plan)
        #expect(read.totals.compressionVsFP32 == 32 * Double(read.totals.elements) / Double(read.totals.storedBits))
        #expect(first.plan.table.contains("vs uniform int8"))
    }

    @Test func biasPlansRecordPowerOfTwoScales() throws {
        let biasSpace = TuningSpace(kinds: candidates(.int, .flint), widths: [4, 5, 6], scale: .bias, threadCount: 2)
        let result = try tuneWithProxy(sampleInputs(), space: biasSpace, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 15))
        for tensor in result.plan.tensors {
            let biases = try #require(tensor.biases)
            #expect(tensor.scale == "bias")
            #expect(zip(biases, tensor.alphas).allSatisfy { bias, alpha in alpha == tensor.maxPositiveUnits * Double(sign: .plus, exponent: -bias, significand: 1) })
        }
    }
}
