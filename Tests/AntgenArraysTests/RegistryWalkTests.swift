import AntgenArrays
import AntgenHardware
import AntgenHarness
import AntgenPerf
import AntgenVerilog
import Foundation
import Testing

/// Walks the registry: every array variant, on its small configuration, goes through every
/// command's library path. emit → lint clean (Verilator, Icarus, Yosys) → verify passes on
/// both simulators → a random float layer through `run` is bit-exact against the golden model
/// → the perf model's cycles equal the RTL's → a named defect is caught.
@Suite(.serialized) struct RegistryWalkTests {
    /// A random float layer with ragged edges (no dimension a multiple of the small arrays').
    static func layer(seed: UInt64) throws -> FloatLayer {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2001) / 1000 - 1
        }
        let m = 5, k = 37, n = 7
        return try FloatLayer(m: m, k: k, n: n, a: (0..<m * k).map { _ in next() }, w: (0..<k * n).map { _ in next() * 0.5 })
    }

    static var names: [String] { VariantRegistry.names }

    @Test(arguments: names)
    func everyCommandWorksOnTheSmallBuild(_ name: String) throws {
        let type = try VariantRegistry.type(named: name)
        for dataflow in type.dataflows {
            try walk(type, dataflow: dataflow)
        }
    }

    func walk(_ type: any ArrayVariant.Type, dataflow: ArrayDataflow) throws {
        let variant = try type.small(dataflow: dataflow)
        let label = variant.selectorArguments.joined(separator: " ")
        // The repository's build cache, shared with the other tests and docs-check (one build per configuration).
        let cache = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".antgen-cache")

        // emit + lint
        let package = try DesignPackage(variant)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-walk-\(type.name)-\(dataflow)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in package.files { try file.contents.write(to: folder.appendingPathComponent(file.name)) }
        #expect(package.files.last?.name == "manifest.json", "\(label): the manifest is written last")
        for finding in try VerilogLinter().lint(directory: folder, top: package.design.top.name) {
            #expect(finding.clean, "\(label): \(finding.gate) lint: \(finding.output.prefix(400))")
        }

        // verify on both simulators
        let request = VerifyRequest(cases: 12, seed: 3, simulators: [.verilator, .icarus], cacheDirectory: cache)
        let outcome = try variant.verify(request, defectNamed: nil)
        #expect(outcome.passed, "\(label): verify failed: \(outcome.runs.flatMap(\.problems).prefix(3))")
        #expect(Set(outcome.runs.map(\.simulator)) == [.verilator, .icarus], "\(label): both simulators ran")
        #expect(outcome.passedCases >= 12, "\(label): \(outcome.passedCases) cases passed")

        // a real layer through run, bit-exact, with the perf model's cycles
        let layer = try Self.layer(seed: 11)
        let run = try variant.run(layer, LayerRunRequest(cacheDirectory: cache), defectNamed: nil)
        #expect(run.bitExact, "\(label): run differs from the golden model: \(run.firstMismatch ?? run.protocolErrors.first ?? "")")
        #expect(run.comparedElements >= layer.m * layer.n, "\(label): every output element compared")
        let array = try variant.perfArray(clockMHz: 500, buffers: .standard)
        let perfLayer = try GemmLayer(name: "walk", m: layer.m, k: layer.k, n: layer.n,
                                      activationBits: (run.activationBits ?? 4) == 8 ? .eight : .four,
                                      weightBits: (run.weightBits ?? 4) == 8 ? .eight : .four)
        #expect(try PerformanceModel(array: array).cycles(of: perfLayer) == run.cycles, "\(label): perf cycles equal the RTL's (\(run.cycles))")
        let report = LayerRunReport(variant: variant, layer: layer, outcome: run, simulator: .verilator)
        #expect(report.cosine > 0.9, "\(label): the dequantised output follows A·W (cosine \(report.cosine))")

        // a named defect is caught: on Icarus in `make test` (no second Verilator build per
        // array; the defect is in the RTL, so either simulator shows it), on Verilator under
        // sweeps (`make regress` sets ANTGEN_SWEEPS=1)
        let defect = try #require(type.defectNames.first { variant.applies(defectNamed: $0) }, "\(label): has a defect for this build")
        let sweeps = ProcessInfo.processInfo.environment["ANTGEN_SWEEPS"] == "1"
        let mutant = try variant.verify(VerifyRequest(cases: 12, seed: 3, simulators: [sweeps ? .verilator : .icarus], cacheDirectory: cache),
                                        defectNamed: defect)
        #expect(!mutant.passed, "\(label): the \(defect) defect survived")
    }
}
