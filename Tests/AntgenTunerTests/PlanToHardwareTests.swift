import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenTuner
import Foundation
import Testing

/// A plan file with the given (kind, bits, role) tensors, written by the plan model's writer
/// (one element each: the mapping reads only kind, width and role).
private func writePlan(_ tensors: [(kind: String, bits: Int, role: String)], to directory: URL) throws -> String {
    let entries = tensors.enumerated().map { index, t in
        PlannedTensor(name: "t\(index)", file: "mem", shape: [1], elements: 1, role: t.role, kind: t.kind, bits: t.bits, signed: true,
                      format: "\(t.kind)\(t.bits)s", maxPositiveUnits: 1, grid: [-1, 0, 1], scale: "alpha", alphas: [1], biases: nil,
                      mse: 0, relativeMSE: 0, sqnrDB: nil, storedBits: t.bits, cost: Double(t.bits), pwlq: nil)
    }
    let bits = entries.reduce(0) { $0 + $1.bits }
    let ratio = Double(entries.count) / Double(max(bits, 1))
    let totals = PlanTotals(elements: entries.count, storedBits: bits, cost: Double(bits), compressionVsFP32: 32 * ratio,
                            compressionVsInt8: 8 * ratio, relativeMSESum: 0, minimumSQNRDB: nil)
    let plan = QuantizationPlan(objective: "stored bits", constraint: "test", method: "test", scale: "alpha", granularity: "tensor",
                                tensors: entries, totals: totals)
    let path = directory.appendingPathComponent("plan-\(UUID().uuidString).json").path
    try plan.write(toPath: path)
    return path
}

@Suite struct PlanToHardwareTests {
    @Test func emitWithATunedPlanEnablesExactlyThePlansTypes() throws {
        let directory = try scratchDirectory("emit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let space = TuningSpace(kinds: candidates(.int, .flint, .pot, .float), widths: [3, 4], threadCount: 2)
        let tuned = try tuneWithProxy(sampleInputs(), space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 12))
        let planPath = directory.appendingPathComponent("plan.json").path
        try tuned.plan.write(toPath: planPath)

        let mapping = try PlanHardwareMapping.read(atPath: planPath)
        let parameters = try mapping.parameters(rows: 2, cols: 2, activationTypes: nil, maxReduction: 64)
        let planKinds = Set(tuned.plan.tensors.map(\.kind))
        #expect(Set(parameters.weight.types.map(\.description)) == planKinds)
        #expect(parameters.activation.types == parameters.weight.types)
        #expect(parameters.codeWidth == tuned.plan.tensors.map(\.bits).max())
        #expect(!parameters.int8)
        #expect(parameters.accumulatorWidth == parameters.minimumAccumulatorWidth)

        // Elaborate and write the manifest as `antgen emit --plan` does; read it back.
        let design = try elaborate(AntArray(parameters))
        let manifest = ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: "test",
                                     plan: mapping.summary(for: parameters))
        let url = try manifest.write(to: directory.appendingPathComponent("rtl"))
        let decoded = try JSONDecoder().decode(ArrayManifest.self, from: Data(contentsOf: url))
        #expect(decoded.plan?.path == planPath)
        #expect(decoded.plan?.formats == Set(tuned.plan.tensors.map(\.format)).sorted())
        #expect(Set(decoded.weight.types) == planKinds)
        #expect(decoded.parameters["weightTypes"] == parameters.weight.typeList)

        // Without a plan the manifest has no plan key (default output unchanged).
        let plain = ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name), version: "test")
        #expect(try !plain.jsonText().contains("\"plan\""))
    }

    @Test func precisionsMapToNativeWidthAndInt8Terms() throws {
        let directory = try scratchDirectory("precisions")
        defer { try? FileManager.default.removeItem(at: directory) }
        func parameters(_ tensors: [(kind: String, bits: Int, role: String)], activations: [AntType]? = nil) throws -> ArrayParameters {
            try PlanHardwareMapping.read(atPath: writePlan(tensors, to: directory))
                .parameters(rows: 4, cols: 4, activationTypes: activations, maxReduction: 4608)
        }
        // flint4 next to int8: 4-bit native flint, int8 through nibble terms.
        let mixed = try parameters([("flint", 4, "weight"), ("int", 8, "weight"), ("flint", 3, "weight")])
        #expect(mixed.codeWidth == 4 && mixed.int8 && mixed.weight.types == [.flint])
        // All int8: native 8-bit int, no nibble terms.
        let wide = try parameters([("int", 8, "weight"), ("int", 6, "weight")])
        #expect(wide.codeWidth == 8 && !wide.int8 && wide.weight.types == [.int])
        // flint6 next to int8: native width 8 for both.
        let flint6 = try parameters([("flint", 6, "weight"), ("int", 8, "weight")])
        #expect(flint6.codeWidth == 8 && !flint6.int8 && flint6.weight.types == [.int, .flint])
        // Activation tensors enable the activation stream; weights the weight stream.
        let split = try parameters([("pot", 4, "weight"), ("int", 4, "activation")])
        #expect(split.weight.types == [.pot] && split.activation.types == [.int])
        // Without activation tensors the given activation types are used.
        let given = try parameters([("pot", 4, "weight")], activations: [.int, .flint])
        #expect(given.activation.types == [.int, .flint])
        // W is the spec §3 minimum: pot4s × pot4s with K = 4608 needs more than 32 bits.
        let pot = try parameters([("pot", 4, "weight")])
        #expect(pot.accumulatorWidth == pot.minimumAccumulatorWidth && pot.accumulatorWidth > 32)
        // Kinds without a hardware decode, and non-plans, are rejected with one line.
        #expect(throws: ParameterError.self) { _ = try parameters([("apot", 4, "weight")]) }
        #expect(throws: ParameterError.self) { _ = try parameters([("pot", 8, "weight")]) }
        let bogus = directory.appendingPathComponent("bogus.json")
        try Data("{\"tensors\": 3}".utf8).write(to: bogus)
        let notAPlan = try #require(throws: ParameterError.self) { _ = try PlanHardwareMapping.read(atPath: bogus.path) }
        #expect(notAPlan.parameter == "plan" && notAPlan.message.hasPrefix(bogus.path + ": not an antgen plan ("))
        #expect(!notAPlan.message.contains("\n"))
        let empty = try #require(throws: ParameterError.self) { _ = try PlanHardwareMapping.read(atPath: writePlan([], to: directory)) }
        #expect(empty.message.hasSuffix(": the plan has no tensors"))
    }
}
