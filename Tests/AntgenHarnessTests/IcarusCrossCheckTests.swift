import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation
import Testing

/// The second, independent simulator: the same vector files on Icarus Verilog with the
/// Verilog testbench agree with the reference (and so with Verilator).
@Suite struct IcarusCrossCheckTests {
    @Test func icarusAgreesOnASubset() throws {
        let spec = VerificationSpec(parameters: try parameters(4, 4, act: [.int, .pot], weight: [.flint, .float], w: 20, int8: false),
                                    sources: [(.random, 24), (.quantized, 4)], seed: 11, chunk: 28, simulators: [.verilator, .icarus])
        let report = try verifier(jobs: 2).run([spec])
        expectPassed(report, "icarus")
        #expect(report.results.filter { $0.job.simulator == .icarus }.count == 2)
        let cycles = Dictionary(grouping: report.results, by: \.job.fileName).mapValues { Set($0.map(\.cycles)) }
        // The two testbenches drive the same protocol: equal cycle counts per file.
        #expect(cycles.values.allSatisfy { $0.count == 1 })
        // Both check latency on the same tiles.
        let checks = Dictionary(grouping: report.results, by: \.job.fileName).mapValues { Set($0.map(\.latencyChecks)) }
        #expect(checks.values.allSatisfy { $0.count == 1 && $0.first! > 0 })
    }

    @Test func icarusCatchesAMutant() throws {
        let spec = VerificationSpec(parameters: try parameters(2, 2, act: [.int], w: 12, int8: true), mutant: .named(.peSign),
                                    sources: [(.random, 16)], seed: 3, chunk: 16, simulators: [.icarus])
        let report = try verifier().run([spec])
        #expect(!report.passed)
        #expect(report.results.flatMap(\.problems).contains { $0.hasPrefix("MISMATCH") })
    }
}
