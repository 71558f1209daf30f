import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation
import Testing

/// Reset and X hunting: a build with `--x-assign unique --x-initial unique`, run under
/// several `+verilator+seed` values with `+verilator+rand+reset+2`; with the reset in the
/// middle of the stream, results must not depend on the seed.
@Suite struct XHuntingTests {
    @Test func resultsDoNotDependOnTheSeed() throws {
        var spec = try MutationTests.spec(nil)
        spec.simulators = []
        spec.xSeeds = [1, 7, 123456]
        let report = try verifier().run([spec])
        expectPassed(report, "x hunting")
        #expect(Set(report.results.compactMap(\.job.xSeed)) == [1, 7, 123456])
        // Every seed simulated the same number of cycles: nothing depended on initial values.
        #expect(Set(report.results.map(\.cycles)).count == 1)
    }
}
