import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// The harness must be able to fail: every named defect (an IR rewrite of the correct
/// design, see NamedMutant) is reported, with mismatch lines, a reproduce command and (for one) a waveform; the same
/// vectors pass on the correct hardware.
@Suite struct MutationTests {
    static func spec(_ mutant: NamedMutant?) throws -> VerificationSpec {
        VerificationSpec(parameters: try parameters(3, 3, act: AntType.allCases, w: 16), mutant: mutant.map(Mutant.named),
                         sources: [(.random, 48)], seed: 5, chunk: 48)
    }

    /// The control: correct hardware passes these vectors.
    @Test func correctHardwarePasses() throws {
        expectPassed(try verifier().run([try Self.spec(nil)]), "control")
    }

    @Test(arguments: NamedMutant.outputStationaryCases)
    func mutantIsCaught(_ mutation: NamedMutant) throws {
        let failures = try temporaryDirectory("mutant")
        defer { try? FileManager.default.removeItem(at: failures) }
        var v = verifier(failures: failures, traceFailures: mutation == .peSign)
        v.reproduce = { spec, job in "antgen verify --mutation \(spec.mutant.map { "\($0)" } ?? "none") --only \(job.fileName)" }
        let report = try v.run([try Self.spec(mutation)])
        #expect(!report.passed, "mutant \(mutation) passed the harness")
        #expect(report.failedCases > 0)
        let failing = report.results.filter { !$0.passed }
        #expect(failing.allSatisfy { $0.reproduce?.contains("--mutation \(mutation)") == true })
        let mismatch = failing.flatMap(\.problems).first { $0.hasPrefix("MISMATCH") }
        #expect(mismatch?.contains("expected=0x") == true && mismatch?.contains("got=0x") == true, "\(String(describing: mismatch))")
        // The failing vector file is saved for reproduction.
        #expect(try FileManager.default.contentsOfDirectory(atPath: failures.path).contains { $0.hasSuffix(".hex") })
        if mutation == .peSign {
            let wave = try #require(failing.first?.waveform)
            let size = try FileManager.default.attributesOfItem(atPath: wave.path)[.size] as? Int ?? 0
            #expect(wave.pathExtension == "fst" && size > 100)
        }
    }
}

/// `--trace`: every Verilator run writes an FST waveform.
@Suite struct TraceTests {
    @Test func traceAllWritesAWaveformPerRun() throws {
        let dir = try temporaryDirectory("trace")
        defer { try? FileManager.default.removeItem(at: dir) }
        var v = verifier(failures: dir)
        v.traceAll = true
        let spec = try MutationTests.spec(nil)
        let report = try v.run([spec])
        expectPassed(report, "traced")
        let waves = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".fst") }
        #expect(waves.count == report.results.count)
        for wave in waves {
            let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(wave).path)[.size] as? Int ?? 0
            #expect(size > 1000, "\(wave) is \(size) bytes")
        }
    }
}
