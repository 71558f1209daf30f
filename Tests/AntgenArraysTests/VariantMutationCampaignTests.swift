import AntgenArrays
import AntgenHarness
import Foundation
import Testing

/// `--mutants N` on the arrays other than the ANT vector harness: drawn IR mutations of the
/// array's own design through its own verifier (Icarus here, for quick builds).
@Suite struct VariantMutationCampaignTests {
    static let request = VerifyRequest(cases: 12, seed: 5, simulators: [.icarus],
                                       cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("antgen-campaign-cache"))

    @Test(arguments: ["pwlq", "sdp", "mx"])
    func drawnMutantsRunThroughTheArraysOwnVerifier(_ name: String) throws {
        let variant = try VariantRegistry.type(named: name).small(dataflow: .os)
        let campaign = try VariantMutationCampaign(variant: variant, count: 3, seed: 7)
        #expect(campaign.mutations.count == 3 && campaign.candidateCount > 100, "\(name): \(campaign.candidateCount) sites")
        let again = try VariantMutationCampaign(variant: variant, count: 3, seed: 7)
        #expect(again.mutations.map(\.description) == campaign.mutations.map(\.description), "\(name): the draw is seeded")
        let report = try campaign.run(Self.request)
        #expect(report.outcomes.map(\.number) == [1, 2, 3])
        #expect(report.errors.isEmpty, "\(name): \(report.errors.map { $0.error ?? "" })")
        for o in report.outcomes where o.killed { #expect(o.failedCases > 0 && o.failedCases <= o.cases) }
        let lines = VariantMutationCampaign.lines(report) { "reproduce \($0)" }
        #expect(lines.last?.hasPrefix("kill rate: \(report.killed) of 3 mutants killed") == true, "\(lines)")
    }

    @Test func aMutationOfTheDesignIsCaughtWhereANamedDefectWouldBe() throws {
        // The SDP selector's kept-count comparison, drawn as an IR mutation rather than named:
        // the same site `sdp-keeps-fewer` rewrites must fail the verification.
        let variant = try SdpVariant.small(dataflow: .os)
        let design = try variant.elaborate()
        let named = try SdpMutant.keepsFewer.mutations(in: design)
        let drawn = Mutant.drawn(number: 1, try #require(named.first))
        let outcome = try variant.verify(Self.request, injecting: drawn)
        #expect(!outcome.passed)
    }
}
