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

    /// The partial-sum mutants against the builds that have their sites: preload ignored on a
    /// `--psum-preload` build, the encoder's rounding flip on a `--psum-codec` build.
    @Test(arguments: [(PwlqMutant.preloadIgnored, false), (.codecRounding, true)])
    func partialSumMutantsFail(mutant: PwlqMutant, codec: Bool) throws {
        let p = try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 4, accumulatorWidth: 24, int8: false, preload: true, codec: codec)
        let results = try PwlqVerification(parameters: p, cases: 16, seed: 7, mutant: mutant).run(on: [.icarus], in: FileManager.default.temporaryDirectory)
        #expect(results.allSatisfy { !$0.passed && $0.mismatches > 0 })
        let control = try PwlqVerification(parameters: p, cases: 16, seed: 7).run(on: [.icarus], in: FileManager.default.temporaryDirectory)
        #expect(control.allSatisfy { $0.passed }, "\(control.first?.problems.first ?? "")")
    }

    /// The array's own mutants (the partial-sum mutants need a preload or codec build, above).
    @Test(arguments: [PwlqMutant.regionIgnored, .offsetDropped])
    func namedMutantsFail(mutant: PwlqMutant) throws {
        let p = try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 4, accumulatorWidth: 16, int8: false)
        let results = try PwlqVerification(parameters: p, cases: 24, seed: 4, mutant: mutant).run(on: [.icarus], in: FileManager.default.temporaryDirectory)
        #expect(results.allSatisfy { !$0.passed && $0.mismatches > 0 })
    }
}
