import AntgenHardware
import Foundation
import Testing
@testable import AntgenHarness

/// The PWLQ array end to end on both simulators, and its named mutants.
@Suite struct PwlqVerificationTests {
    @Test func pwlqArrayIsBitExactOnBothSimulators() throws {
        let p = try PwlqArrayParameters(rows: 2, cols: 3, weightBits: 4, accumulatorWidth: 16, int8: true)
        let results = try PwlqVerification(parameters: p, cases: 24, seed: 3).run(on: [.verilator, .icarus], in: FileManager.default.temporaryDirectory)
        #expect(results.count == 2)
        for r in results {
            #expect(r.passed, "\(r.simulator): \(r.problems.first ?? "")")
            #expect(r.expectedRows == 48 && r.rows == 48)
        }
    }

    /// The array's own mutants (the codec-rounding mutant needs a `--psum-codec` build).
    @Test(arguments: [PwlqMutant.regionIgnored, .offsetDropped])
    func namedMutantsFail(mutant: PwlqMutant) throws {
        let p = try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 4, accumulatorWidth: 16, int8: false)
        let results = try PwlqVerification(parameters: p, cases: 24, seed: 4, mutant: mutant).run(on: [.icarus], in: FileManager.default.temporaryDirectory)
        #expect(results.allSatisfy { !$0.passed && $0.mismatches > 0 })
    }
}
