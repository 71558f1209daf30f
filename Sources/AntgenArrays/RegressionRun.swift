import AntgenHarness
import AntgenSupport
import Foundation

extension VariantRegistry {
    /// `antgen verify --regress`: every entry of ``regressionCatalogue(seed:)`` in `shard`,
    /// with `base`'s cache, tools and jobs. Prints one line per defect entry (KILLED or
    /// SURVIVED) and each real entry's report, the reproduce line of every failure, then the
    /// totals; writes JUnit XML to `junit` if given.
    /// - Returns: false when an entry failed or a defect survived.
    /// - Throws: ``HarnessError`` when the shard holds no entry, or the harness's error.
    public static func runRegression(seed: UInt64, shard: Shard, request base: VerifyRequest, junit: String?) throws -> Bool {
        var total = VerifyOutcome(runs: [])
        var failures = 0
        for (index, entry) in try regressionCatalogue(seed: seed).enumerated() where shard.contains(index) {
            let outcome = try entry.variant.verifyRegression(entry, base)
            let killedExpected = entry.defect != nil
            let reproduce = "antgen verify " + entry.variant.selectorArguments.joined(separator: " ")
                + " --cases \(entry.cases) --seed \(seed)" + (entry.defect.map { " --mutation \($0)" } ?? "")
            if killedExpected {
                let killed = !outcome.passed
                print("\(killed ? "KILLED  " : "SURVIVED") \(entry.name)")
                if !killed { print("  reproduce: \(reproduce) --sim verilator"); failures += 1 }
                total.runs.append(VerifyRun(name: entry.name, simulator: .verilator, cases: 1, failedCases: killed ? 0 : 1,
                                            problems: killed ? [] : ["the defect survived"]))
            } else {
                for line in outcome.reportLines(reproduce: reproduce) { print(line) }
                total.runs += outcome.runs
            }
        }
        guard !total.runs.isEmpty else {
            throw HarnessError("nothing was checked: shard \(shard) holds no entry of the regression catalogue")
        }
        if let junit { try writeAtomically(total.junitXML(shard: shard), to: URL(fileURLWithPath: junit)) }
        print("\(total.passedCases) passed, \(total.failedCases) failed")
        return total.passed && failures == 0
    }
}
