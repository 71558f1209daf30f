import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// `--sources throughput`, the benchmark mix: long-K 4-bit tiles streamed back to back, still
/// checked bit for bit, and the utilization the report states.
@Suite struct ThroughputMixTests {
    static func spec(_ rows: Int, _ cols: Int, count: Int, mutant: NamedMutant? = nil, w: Int = 32) throws -> VerificationSpec {
        VerificationSpec(parameters: try parameters(rows, cols, act: AntType.allCases, w: w), mutant: mutant.map(Mutant.named),
                         sources: [(.throughput, count)], seed: 9, chunk: count)
    }

    /// The cases: K = 8 · max(R, C), 4-bit mode pairs only, every pair in turn, expected
    /// values the reference recomputes, the same for the same seed, and not part of `all`.
    @Test func casesAreLongKNibbleTilesOfEveryPair() throws {
        let config = try ArrayConfiguration(rows: 3, cols: 5, codeWidth: 4, accumulatorWidth: 32,
                                            activationTypes: [.int, .flint], weightTypes: [.pot], int8: true)
        let generator = try GoldenGenerator(configuration: config)
        let cases = try generator.cases(.throughput, count: 8, seed: 4)
        #expect(cases.count == 8)
        #expect(cases.allSatisfy { $0.reduction == 40 && $0.a.allSatisfy { $0.count == 3 } && $0.w.allSatisfy { $0.count == 5 } })
        #expect(cases.allSatisfy { !$0.activation.int8 && !$0.weight.int8 })
        // int, flint × signed, unsigned against pot × signed, unsigned: 4 × 2 pairs.
        let pairs = Set(cases.map { "\($0.activation)-\($0.weight)" })
        #expect(pairs.count == 8)
        let file = generator.files(cases, source: .throughput, seed: 4, chunk: 8)[0]
        #expect(generator.inconsistency(in: file) == nil)
        #expect(try generator.cases(.throughput, count: 8, seed: 4) == cases)
        #expect(try generator.cases(.throughput, count: 8, seed: 5) != cases)
        #expect(!CaseSource.coverage.contains(.throughput))
    }

    /// The control passes and every output-stationary named defect is caught under the mix.
    @Test func correctHardwarePasses() throws {
        expectPassed(try verifier().run([try Self.spec(3, 3, count: 12, w: 16)]), "throughput control")
    }

    @Test(arguments: NamedMutant.outputStationaryCases)
    func defectIsCaught(_ mutation: NamedMutant) throws {
        let failures = try temporaryDirectory("throughput-mutant")
        defer { try? FileManager.default.removeItem(at: failures) }
        let report = try verifier(failures: failures).run([try Self.spec(3, 3, count: 12, mutant: mutation, w: 16)])
        #expect(!report.passed, "mutant \(mutation) passed the throughput mix")
        #expect(report.failedCases > 0)
    }

    /// 2 × 2 array, 3 tiles of K = 16 beats, one step each, back to back. By hand: the
    /// harness resets the array halfway through case 1 of every file (beat 16 + 16 / 2 = 24,
    /// so at cycle 24; tile 0 has left by then: last beat at 15 + last-row latency
    /// S + 2R + C − 1 = 6), then streams cases 1 and 2 again from cycle 24, which takes
    /// (docs/architecture.md's skewed stream) B·S + (n − 1)·max(B·S, R) + 2R + C =
    /// 16 + 16 + 4 + 2 = 38 cycles: 62 in all. MACs 3 · 16 · 2 · 2 = 192;
    /// utilization 192 / (62 · 4) = 24/31 = 77.4 %.
    @Test func utilizationMatchesHandComputation() throws {
        let report = try verifier().run([try Self.spec(2, 2, count: 3)])
        expectPassed(report, "tiny throughput run")
        #expect(report.macs == 192)
        #expect(report.cycles == 62)
        let u = try #require(report.utilization(rows: 2, cols: 2))
        #expect(abs(u - 24.0 / 31.0) < 1e-12)
        let line = try #require(report.throughputLine(rows: 2, cols: 2))
        #expect(line.hasPrefix("utilization 77.4 % of 4 PEs"), "\(line)")
    }
}
