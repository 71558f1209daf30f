import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation

/// The verification benchmark behind docs/performance.md: Verilator build
/// time per array size (fresh cache, so every build is real), and verified MACs per second
/// on 8 × 8 and 32 × 32 with golden-vector generation, build and simulation reported
/// separately. Paper types (int, flint, pot), W = 32, int8 on, random GEMMs whose K is
/// mostly long (K ≫ rows), one simulator run at a time.
func runVerifyBenchmark() throws {
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-verify-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: cache) }
    print("verify benchmark: types int,flint,pot; W = 32; int8 on; fresh build cache")
    print("size     cases   generate    build     simulate   cycles      MACs          MACs/s (sim)  MACs/s (gen+sim)")
    let plan: [(size: Int, cases: Int)] = [(4, 400), (8, 400), (16, 200), (32, 200)]
    for (n, count) in plan {
        let p = try ArrayParameters(rows: n, cols: n, codeWidth: 4, activationTypes: [.int, .flint, .pot],
                                    weightTypes: [.int, .flint, .pot], accumulatorWidth: 32, int8: true)
        let spec = VerificationSpec(parameters: p, sources: [(.random, count)], seed: 1, chunk: 100)
        var verifier = Verifier(cacheDirectory: cache)
        verifier.traceFailures = false
        let report = try verifier.run([spec])
        guard report.passed else { throw HarnessError("benchmark run on \(n)x\(n) failed verification") }
        let cycles = report.results.reduce(0) { $0 + $1.cycles }
        let macs = Double(report.macs)
        let label = "\(n)x\(n)".padding(toLength: 8, withPad: " ", startingAt: 0)
        print(label + String(format: " %5d  %7.2f s  %7.1f s  %7.2f s  %9d  %12.0f  %12.3g  %12.3g", report.passedCases,
                             report.generationSeconds, report.buildSeconds, report.simulationSeconds, cycles, macs,
                             macs / report.simulationSeconds, macs / (report.simulationSeconds + report.generationSeconds)))
    }
}
