import AntgenHardware
import AntgenNumerics
import AntgenPerf
import AntgenTuner
import Foundation
import Testing

/// One plan model (issue 23, item 6): the plan the tuner writes is the value the hardware
/// mapping and perf read, through the one reader in AntgenNumerics.
@Suite struct PlanModelTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func aTunedPlanIsReadByTheHardwareAndPerfAsTheSameModel() throws {
        let directory = try scratchDirectory("one-model")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A linear layer "enc.fc": weights stored [out 6, in 16], its input [5 tokens, 16].
        let weights = [TuningInput(file: "mem", tensor: gaussianTensor("enc.fc.weight", shape: [6, 16], seed: 5))]
        let inputs = [TuningInput(file: "mem", tensor: gaussianTensor("enc.fc.input", shape: [5, 16], seed: 6))]
        let weightPlan = try tuneWithProxy(weights, space: TuningSpace(kinds: candidates(.int, .flint, .pot), widths: [3, 4], threadCount: 2),
                                           objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 10)).plan
        let activationPlan = try tuneWithProxy(inputs, space: TuningSpace(kinds: candidates(.int), widths: [8], role: .activation, threadCount: 2),
                                               objective: .storedBits, constraint: ProxyConstraint()).plan
        let weightPath = directory.appendingPathComponent("weights.json").path
        let activationPath = directory.appendingPathComponent("activations.json").path
        try weightPlan.write(toPath: weightPath)
        try activationPlan.write(toPath: activationPath)

        // The one reader gives back exactly what the tuner wrote.
        #expect(try QuantizationPlan.read(atPath: weightPath) == weightPlan)
        #expect(try QuantizationPlan.read(atPath: activationPath) == activationPlan)

        // The hardware holds the same plan value, not a projection of its own.
        let mapping = try PlanHardwareMapping.read(atPath: weightPath)
        #expect(mapping.plan == weightPlan)
        #expect(mapping.entries == weightPlan.tensors)
        let parameters = try mapping.parameters(rows: 2, cols: 2, activationTypes: nil, maxReduction: 16)
        #expect(Set(parameters.weight.types.map(\.description)) == Set(weightPlan.tensors.map(\.kind)))

        // Perf reads both plans into the layer: m from the input's 5 rows, k = 16, n = 6; the
        // 3- or 4-bit weights run as 4-bit codes, the 8-bit activations as int8.
        let layers = try LayerSources.readPlans(atPaths: [weightPath, activationPath], tokens: nil)
        #expect(layers == [try GemmLayer(name: "enc.fc", m: 5, k: 16, n: 6, activationBits: .eight, weightBits: .four)])
    }

    /// A bad plan is one line from the one reader, wrapped by each layer without rewording.
    @Test func everyLayerReportsTheReadersOneLine() throws {
        let directory = try scratchDirectory("one-reader")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.json").path
        // The tag alone: the hardware's former decoder read just `format` and a few tensor fields.
        try Data(#"{"format": "antgen-plan", "version": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try #require(throws: TuningError.self) { _ = try QuantizationPlan.read(atPath: path) }
        #expect(reader.message.hasPrefix(path + ": not an antgen plan (") && !reader.message.contains("\n"))
        let hardware = try #require(throws: ParameterError.self) { _ = try PlanHardwareMapping.read(atPath: path) }
        #expect(hardware.message == reader.message)
        let perf = try #require(throws: PerfError.self) { _ = try LayerSources.readPlans(atPaths: [path], tokens: 4) }
        #expect(perf.message == reader.message)
    }

    /// No second decoder: the plan's tag appears in one source file, the model's, and nothing
    /// else decodes a plan.
    @Test func onlyTheModelKnowsThePlanFormat() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var tagged: [String] = [], decoders: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let relative = String(url.path.dropFirst(Self.root.path.count + 1))
            if text.contains(#""antgen-plan""#) { tagged.append(relative) }
            if text.contains("PlanFile") || text.contains("decode(QuantizationPlan.self") { decoders.append(relative) }
        }
        #expect(tagged == ["Sources/AntgenNumerics/QuantizationPlan.swift"])
        #expect(decoders == ["Sources/AntgenNumerics/QuantizationPlan.swift"])
    }
}
