import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// `antgen verify --weight-format pwlq` and the PWLQ part of `--regress`.
extension VerifyCommand {
    /// The PWLQ regression configurations (both simulators each; about 10 s apiece).
    static func pwlqRegression() throws -> [(PwlqArrayParameters, Int)] {
        [
            (try PwlqArrayParameters(rows: 1, cols: 1, weightBits: 4, accumulatorWidth: 24, int8: true), 300),
            (try PwlqArrayParameters(rows: 3, cols: 5, weightBits: 4, accumulatorWidth: 16, int8: true), 200),
            (try PwlqArrayParameters(rows: 4, cols: 4, weightBits: 8, accumulatorWidth: 32, int8: false), 200),
            (try PwlqArrayParameters(rows: 8, cols: 8, weightBits: 3, accumulatorWidth: 20, int8: true), 100),
            (try PwlqArrayParameters(rows: 3, cols: 4, weightBits: 4, accumulatorWidth: 24, int8: true, preload: true), 150),
            (try PwlqArrayParameters(rows: 4, cols: 3, weightBits: 4, accumulatorWidth: 32, int8: true, codec: true), 150),
        ]
    }

    func runPwlq() throws {
        let parameters = try PwlqArrayParameters(rows: rows, cols: cols, weightBits: codeWidth, accumulatorWidth: accWidth, int8: int8,
                                                 preload: psumPreload, codec: psumCodec)
        guard cases >= 1 else { throw HarnessError("invalid cases: \(cases) must be at least 1 for --weight-format pwlq") }
        let mutant: PwlqMutant?
        if mutation == "none" {
            mutant = nil
        } else if let named = PwlqMutant(rawValue: mutation) {
            mutant = named
        } else {
            throw HarnessError("invalid mutation: '\(mutation)' for --weight-format pwlq (use none, \(PwlqMutant.allCases.map(\.description).joined(separator: ", ")))")
        }
        guard try runPwlqConfiguration(parameters, cases: cases, mutant: mutant, simulators: simulators()) else { throw ExitCode(1) }
    }

    /// Runs one configuration; prints one line per simulator; true when all passed.
    func runPwlqConfiguration(_ p: PwlqArrayParameters, cases: Int, mutant: PwlqMutant?, simulators: [SimulatorKind]) throws -> Bool {
        let start = Date()
        let results = try PwlqVerification(parameters: p, cases: cases, seed: seed, mutant: mutant)
            .run(on: simulators, in: FileManager.default.temporaryDirectory)
        var passed = true
        for r in results {
            let psum = p.codec ? " psum-codec" : p.preload ? " psum-preload" : ""
            let name = "pwlq \(p.rows)x\(p.cols) b=\(p.weightBits) W=\(p.accumulatorWidth)\(p.int8 ? " int8" : "")\(psum)\(mutant.map { " mutant \($0)" } ?? "")"
            print("\(r.passed ? "PASS" : "FAIL") \(name) \(r.simulator): \(r.rows) of \(r.expectedRows) output rows, \(r.mismatches) mismatches (\(cases) cases)")
            for line in r.problems.prefix(5) { print("  \(line)") }
            if !r.passed {
                passed = false
                print("  reproduce: antgen verify --weight-format pwlq --rows \(p.rows) --cols \(p.cols) --code-width \(p.weightBits) --acc-width \(p.accumulatorWidth) \(p.int8 ? "--int8" : "--no-int8") --cases \(cases) --seed \(seed) --sim \(r.simulator)\(p.codec ? " --psum-codec" : p.preload ? " --psum-preload" : "")\(mutant.map { " --mutation \($0)" } ?? "")")
            }
        }
        print(String(format: "pwlq: %.1f s", Date().timeIntervalSince(start)))
        return passed
    }

    /// The PWLQ configurations of `--regress` on Verilator and Icarus, and its two mutants
    /// (which must fail) on the 3 × 5 build.
    func runPwlqRegression() throws {
        var passed = true
        for (p, count) in try Self.pwlqRegression() {
            passed = try runPwlqConfiguration(p, cases: count, mutant: nil, simulators: [.verilator, .icarus]) && passed
        }
        for mutant in PwlqMutant.allCases {
            let (p, count) = try Self.pwlqRegression()[mutant == .codecRounding ? 5 : 1]
            let caught = try !runPwlqConfiguration(p, cases: count, mutant: mutant, simulators: [.verilator])
            print("\(caught ? "KILLED" : "SURVIVED") pwlq mutant \(mutant)")
            passed = passed && caught
        }
        if !passed { throw ExitCode(1) }
    }
}
