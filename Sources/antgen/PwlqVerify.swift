import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// Cases that passed and failed in some runs (the unit of the `N passed, N failed` line).
struct CaseCounts {
    var passed = 0
    var failed = 0

    static func + (a: CaseCounts, b: CaseCounts) -> CaseCounts { CaseCounts(passed: a.passed + b.passed, failed: a.failed + b.failed) }

    /// The counts of one replay run: its cases, the failed ones (at least one when it failed).
    init(_ r: ReplayRunResult) {
        let bad = r.passed ? 0 : max(1, r.failedCases)
        passed = max(r.cases - bad, 0)
        failed = bad
    }

    init(passed: Int = 0, failed: Int = 0) {
        self.passed = passed
        self.failed = failed
    }
}

/// `antgen verify --weight-format pwlq`.
extension VerifyCommand {
    func runPwlq() throws {
        let parameters = try PwlqArrayParameters(rows: rows, cols: cols, weightBits: codeWidth, accumulatorWidth: accWidth, int8: int8,
                                                 preload: psumPreload, codec: psumCodec)
        guard cases >= 1 else { throw HarnessError("invalid cases: \(cases) must be at least 1 for --weight-format pwlq") }
        let mutant = try namedMutant(PwlqMutant.self, context: "for --weight-format pwlq")
        let counts = try runPwlqConfiguration(parameters, cases: cases, mutant: mutant, simulators: simulators())
        print("\(counts.passed) passed, \(counts.failed) failed")
        if counts.failed > 0 { throw ExitCode(1) }
    }

    /// Runs one configuration; prints one line per simulator (and a reproduce line per failure).
    func runPwlqConfiguration(_ p: PwlqArrayParameters, cases: Int, mutant: PwlqMutant?, simulators: [SimulatorKind]) throws -> CaseCounts {
        let start = Date()
        let results = try PwlqVerification(parameters: p, cases: cases, seed: seed, mutant: mutant)
            .run(on: simulators, in: FileManager.default.temporaryDirectory)
        let psum = p.codec ? " psum-codec" : p.preload ? " psum-preload" : ""
        let name = "pwlq \(p.rows)x\(p.cols) b=\(p.weightBits) W=\(p.accumulatorWidth)\(p.int8 ? " int8" : "")\(psum)\(mutant.map { " mutant \($0)" } ?? "")"
        let options = "--weight-format pwlq --rows \(p.rows) --cols \(p.cols) --code-width \(p.weightBits) --acc-width \(p.accumulatorWidth) \(p.int8 ? "--int8" : "--no-int8")"
            + (p.codec ? " --psum-codec" : p.preload ? " --psum-preload" : "")
        let counts = report(results, name: name, reproduce: "antgen verify \(options) --cases \(cases) --seed \(seed)\(mutant.map { " --mutation \($0)" } ?? "")")
        print(String(format: "pwlq: %.1f s", Date().timeIntervalSince(start)))
        return counts
    }

    /// Prints one line per simulator result and, for a failure, its first mismatches and
    /// the reproduce line (`command` plus `--sim`); returns the case counts.
    func report(_ results: [ReplayRunResult], name: String, reproduce command: String) -> CaseCounts {
        var counts = CaseCounts()
        for r in results {
            print("\(r.passed ? "PASS" : "FAIL") \(name) \(r.simulator): \(r.rows) of \(r.expectedRows) output rows, \(r.mismatches) mismatches (\(r.cases) cases)")
            for line in r.problems.prefix(5) { print("  \(line)") }
            if !r.passed { print("  reproduce: \(command) --sim \(r.simulator)") }
            counts = counts + CaseCounts(r)
        }
        return counts
    }
}
