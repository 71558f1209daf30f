@testable import AntgenArrays
import AntgenHardware
import AntgenHarness
import Foundation
import Testing

/// `verify --regress` runs the ANT harness entries together (--jobs across entries); each
/// entry's outcome is the one it gets alone.
@Suite struct RegressionBatchTests {
    @Test func batchedEntriesGiveEachEntrysOwnOutcome() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-walk-cache")
        let entries = try [(2, 2), (3, 2)].map { rows, cols in
            let p = try ArrayParameters(rows: rows, cols: cols, codeWidth: 4, activationTypes: [.int, .flint], weightTypes: [.int, .pot],
                                        accumulatorWidth: 24, int8: true)
            let spec = VerificationSpec(parameters: p, sources: [(.random, 20), (.quantized, 4)], seed: 5, chunk: 12, simulators: [.verilator])
            return RegressionEntry(try AntVariant(p), cases: 24, simulators: [.verilator], detail: spec)
        } + [RegressionEntry(try SdpVariant.small(dataflow: .os), cases: 4)]
        let request = VerifyRequest(cases: 4, seed: 5, simulators: [.verilator], cacheDirectory: cache, jobs: 2)
        let batched = try AntVariant.verifyHarnessEntries(entries, request)
        #expect(Set(batched.keys) == [0, 1], "only the ANT harness entries are batched")
        for index in 0..<2 {
            let alone = try entries[index].variant.verifyRegression(entries[index], request)
            let together = try #require(batched[index])
            func key(_ o: VerifyOutcome) -> [String] { o.runs.map { "\($0.name) \($0.simulator) \($0.cases) \($0.failedCases) \($0.problems) \($0.cycles)" } }
            #expect(key(together) == key(alone))
            #expect(together.passed && together.runs.count == 3, "random 20 in two files of 12, quantized 4 in one")
        }
    }
}
