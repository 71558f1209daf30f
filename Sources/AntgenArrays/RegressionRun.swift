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
        let entries = try regressionCatalogue(seed: seed).enumerated().filter { shard.contains($0.offset) }.map(\.element)
        var outcomes = try AntVariant.verifyHarnessEntries(entries, base)
        for (index, entry) in entries.enumerated() {
            let shell = entry.detail as? ShellRegressionCheck
            let outcome = try outcomes.removeValue(forKey: index)
                ?? shell.map { try $0.verify(entry.variant, simulators: entry.simulators, tools: base.tools) }
                ?? entry.variant.verifyRegression(entry, base)
            let killedExpected = entry.defect != nil
            let reproduce = shell != nil ? "antgen verify --regress --seed \(seed) (the AXI shell entry \(entry.name))" : "antgen verify " + entry.variant.selectorArguments.joined(separator: " ")
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

extension AntVariant {
    /// The ANT vector-harness entries of `entries` (those planned as a ``VerificationSpec``),
    /// verified together in one ``Verifier`` so `request.jobs` simulations run at a time
    /// across all of them, as `verify --regress` ran before the registry; each entry's
    /// outcome is what ``verifyRegression(_:_:)`` gives it alone, keyed by its index in `entries`.
    static func verifyHarnessEntries(_ entries: [RegressionEntry], _ request: VerifyRequest) throws -> [Int: VerifyOutcome] {
        let planned = entries.enumerated().compactMap { index, entry -> (Int, VerificationSpec)? in
            guard entry.variant is AntVariant, let spec = entry.detail as? VerificationSpec else { return nil }
            return (index, spec)
        }
        guard !planned.isEmpty else { return [:] }
        let outcomes = try runSpecsApart(planned.map(\.1), request)
        return Dictionary(uniqueKeysWithValues: zip(planned.map(\.0), outcomes))
    }
}
