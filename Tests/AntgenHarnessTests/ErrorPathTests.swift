import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// Missing simulators, unreadable or inconsistent vector files and impossible
/// configurations each give one clear line and no run.
@Suite struct ErrorPathTests {
    static func smallSpec() throws -> VerificationSpec {
        VerificationSpec(parameters: try parameters(2, 3, act: [.int, .flint, .pot]), sources: [(.random, 8)], seed: 4, chunk: 8)
    }

    @Test func missingSimulatorNamesTheInstallCommand() throws {
        var v = verifier()
        v.tools = SimulatorTools(verilator: ExternalTool(executable: "antgen-test-no-verilator", debianPackage: "verilator"),
                                 iverilog: ExternalTool(executable: "antgen-test-no-iverilog", debianPackage: "iverilog"), vvp: .vvp)
        for sims in [[SimulatorKind.verilator], [.icarus]] {
            var spec = try Self.smallSpec()
            spec.simulators = sims
            do {
                _ = try v.run([spec])
                Issue.record("a run without \(sims) succeeded")
            } catch {
                let message = "\(error)"
                #expect(message.contains("not found on PATH") && message.contains("apt-get install"), "\(message)")
                #expect(!message.contains("\n"))
            }
        }
    }

    @Test func unreadableVectorFiles() throws {
        let dir = try temporaryDirectory("bad-vectors")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: VectorFileError.self) { try VectorFile.read(from: dir.appendingPathComponent("missing.hex")) }
        let garbage = dir.appendingPathComponent("garbage.hex")
        try "414e5447\nnot-hex\n".write(to: garbage, atomically: true, encoding: .utf8)
        do {
            _ = try VectorFile.read(from: garbage)
            Issue.record("garbage accepted")
        } catch {
            #expect("\(error)".contains("garbage.hex:2"), "\(error)")
        }
    }

    /// A vector file whose expected value was edited, one whose header disagrees with its
    /// body, and one for another array: each is rejected, by the reader, the reference
    /// check, or the C++ harness itself.
    @Test func inconsistentVectorFiles() throws {
        let dir = try temporaryDirectory("inconsistent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try Self.smallSpec()
        let config = try spec.goldenConfiguration()
        let generator = try GoldenGenerator(configuration: config)
        var cases = try generator.cases(.random, count: 4, seed: 9)
        let good = VectorFile(configuration: config, seed: 9, source: .random, cases: cases)
        #expect(generator.inconsistency(in: good) == nil)
        cases[1].expected[0][0] ^= 1
        let edited = VectorFile(configuration: config, seed: 9, source: .random, cases: cases)
        let message = try #require(generator.inconsistency(in: edited))
        #expect(message.contains("case 1 C[0][0]"))

        // Header word count that disagrees with the body.
        let truncated = dir.appendingPathComponent("truncated.hex")
        let lines = good.text().split(separator: "\n")
        try (lines.dropLast(3).joined(separator: "\n") + "\n").write(to: truncated, atomically: true, encoding: .utf8)
        #expect(throws: VectorFileError.self) { try VectorFile.read(from: truncated) }

        // A file for a 3×3 array run on the 2×3 binary: the harness refuses it (exit 2).
        let other = try ArrayConfiguration(rows: 3, cols: 3, accumulatorWidth: 32, activationTypes: [.int], weightTypes: [.int], int8: true)
        let wrong = dir.appendingPathComponent("wrong-shape.hex")
        try VectorFile(configuration: other, seed: 1, source: .random,
                       cases: try GoldenGenerator(configuration: other).cases(.random, count: 2, seed: 1)).write(to: wrong)
        let binary = try VerilatorBuilder(cacheDirectory: sharedCache, testbenches: try TestbenchSources.locate())
            .binary(for: BuildRequest(parameters: spec.parameters))
        do {
            _ = try binary.run(vectors: wrong, cases: 2)
            Issue.record("a 3x3 vector file ran on a 2x3 array")
        } catch {
            #expect("\(error)".contains("is for a 3x3"), "\(error)")
        }
        // A consistent file given directly runs and passes; the edited one fails on the hardware too.
        let goodURL = dir.appendingPathComponent("good.hex"), editedURL = dir.appendingPathComponent("edited.hex")
        try good.write(to: goodURL)
        try edited.write(to: editedURL)
        expectPassed(try verifier(failures: dir).run([spec], vectors: [goodURL: good]), "good file")
        let bad = try verifier(failures: dir).run([spec], vectors: [editedURL: edited])
        #expect(bad.failedCases == 1)
        #expect(bad.results.first?.problems.first?.contains("case=1 row=0 col=0") == true)
    }

    @Test func impossibleConfigurations() throws {
        #expect(throws: ConfigurationError.self) {
            try ArrayConfiguration(rows: 4, cols: 4, accumulatorWidth: 65, activationTypes: [.int], weightTypes: [.int], int8: false)
        }
        #expect(throws: ConfigurationError.self) {
            try ArrayConfiguration(rows: 4, cols: 4, codeWidth: 5, accumulatorWidth: 32, activationTypes: [.int], weightTypes: [.int], int8: true)
        }
        #expect(throws: ParameterError.self) { try parameters(0, 4, act: [.int]) }
        for text in ["0/2", "3/2", "x", "1/0"] {
            #expect(throws: HarnessError.self) { try Shard(parsing: text) }
        }
        var spec = try Self.smallSpec()
        spec.onlyFile = "random-99"
        #expect(throws: HarnessError.self) { try verifier().run([spec]) }
    }
}
