import AntgenNumerics
import Testing
@testable import AntgenTuner

@Suite("tune with PWLQ options (spec §7)")
struct PwlqTuningTests {
    private func gaussianTensor() -> NamedTensor {
        var generator = SplitMix64(seed: 7)
        let values = (0 ..< 8 * 256).map { _ in Float(generator.gaussian() * 0.02) }
        return NamedTensor(name: "layer.weight", tensor: try! Tensor(shape: [8, 256], float32: values))
    }

    @Test("PWLQ options count the region bit and can win the plan")
    func pwlqOptionsCountTheRegionBit() throws {
        let tensor = gaussianTensor()
        let space = TuningSpace(kinds: [TypeCandidate(.int)], widths: [3, 4, 5])
        let plain = try enumerateOptions(for: tensor, file: "mem", in: space)
        let set = try plain.addingPwlqOptions(tensor, widths: [3, 4, 5], variant: .paper, breakpoint: .closedForm(.gaussian))
        let added = set.options.filter { $0.pwlq != nil }
        #expect(added.map(\.storedBits) == [3, 4, 5].map { 2048 * ($0 + 1) })
        for option in added {
            let int = try #require(plain.options.first { $0.bits == option.bits })
            #expect(option.meanSquaredError < int.meanSquaredError, "b=\(option.bits)")
            #expect(option.pwlq?.breakpoints.count == 8)
        }
        // The SQNR that int4 reaches: PWLQ3 (4 stored bits, lower error at b = 3 + region) or int4 at equal cost.
        let int4 = try #require(plain.options.first { $0.bits == 4 })
        let pwlq4 = try #require(added.first { $0.bits == 4 })
        let floor = (int4.sqnr + pwlq4.sqnr) / 2
        let selection = try solveProxy([set], objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: floor))
        let chosen = set.options[selection.choices[0]]
        // int5 (5 bits) and PWLQ4 (5 stored bits) tie on cost; only PWLQ4 or a 5-bit option can meet the floor.
        #expect(chosen.storedBits == 2048 * 5)
        let plan = try QuantizationPlan(sets: [set], choices: [set.options.firstIndex(of: pwlq4)!], objective: .storedBits,
                                        constraint: "test", method: "test", space: space)
        #expect(plan.tensors[0].kind == "pwlq" && plan.tensors[0].format == "pwlq4-paper" && plan.tensors[0].grid.isEmpty)
        #expect(plan.problem == nil)
    }
}
