import AntgenArrays
import AntgenHardware
import AntgenHarness
import Testing

/// The AXI shell in `verify --regress`: an entry for every variant the shell wraps (ANT and
/// SDP, not PWLQ or MX), and those entries pass on the real shell and fail on its mutants.
@Suite struct ShellRegressionTests {
    static let entries: [RegressionEntry] = (try? ShellRegressionCheck.entries(seed: 1)) ?? []

    @Test func theCatalogueHoldsTheShellOfEveryVariantItWraps() throws {
        let catalogue = try VariantRegistry.regressionCatalogue(seed: 1)
        let shells = catalogue.filter { $0.detail is ShellRegressionCheck }
        let names = Set(shells.map { type(of: $0.variant).name })
        #expect(names == ["ant", "sdp"], "\(names)")
        for name in names {
            let defects = Set(shells.filter { type(of: $0.variant).name == name }.compactMap(\.defect))
            #expect(defects == Set(AxiShellMutant.allCases.map(\.rawValue)), "\(name): \(defects)")
        }
    }

    /// `verify --regress` on a shard holding only the SDP shell's TLAST mutant: the regression
    /// runner dispatches it to the shell check, which kills it.
    @Test func theRegressionRunnerRunsAShellEntry() throws {
        let catalogue = try VariantRegistry.regressionCatalogue(seed: 1)
        let index = try #require(catalogue.firstIndex {
            ($0.detail as? ShellRegressionCheck)?.mutant == .tlastOffByOne && type(of: $0.variant).name == "sdp"
        })
        let shard = try Shard(parsing: "\(index + 1)/\(catalogue.count)")
        let passed = try VariantRegistry.runRegression(seed: 1, shard: shard, request: VerifyRequest(cases: 1, seed: 1), junit: nil)
        #expect(passed, "the mutant of entry \(index) survived")
    }

    /// Each variant's first real entry passes on Icarus; each mutant entry of the SDP shell fails.
    @Test func realEntriesPassAndMutantsFail() throws {
        for entry in Self.entries {
            let check = try #require(entry.detail as? ShellRegressionCheck)
            let isSdp = type(of: entry.variant).name == "sdp"
            guard check.mutant == nil ? check.dataWidth == 32 : isSdp else { continue }
            let outcome = try check.verify(entry.variant, simulators: [.icarus], tools: .standard)
            #expect(outcome.passed == (check.mutant == nil), "\(entry.name): \(outcome.runs.flatMap(\.problems).prefix(3))")
        }
    }
}
