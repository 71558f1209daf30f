import AntgenDSL
import AntgenGolden
import AntgenHarness
import Testing

/// A weight decoder whose `type_sel` lags `hold_weight_type` by a cycle only differs from the
/// correct array on a stream's first load beat; the random source's power-up case
/// (docs/verification.md, "Case sources") must catch it.
@Suite struct PowerUpTypeMutantTests {
    @Test func delayedWeightTypeSelectIsKilled() throws {
        var spec = VerificationSpec(parameters: try parameters(3, 3, act: [.int, .flint, .pot]), sources: [(.random, 8)], seed: 1,
                                    chunk: 8, simulators: [.verilator])
        spec.dataflow = .ws
        let probe = try MutationCampaign(spec: spec, count: 1, seed: 1)
        let every = try MutationCampaign(spec: spec, count: probe.candidateCount, seed: 1)
        let index = try #require(every.mutations.firstIndex {
            $0.operator == .delay && $0.site.circuitName == "WsArray" && $0.site.target.hasPrefix("weight_decoder_")
                && $0.site.target.hasSuffix("_type_sel")
        })
        let report = try every.run(with: verifier(), numbers: [index + 1])
        #expect(report.errors.isEmpty, "\(report.errors.map { $0.error ?? "" })")
        #expect(report.outcomes.map(\.killed) == [true], "\(every.mutations[index])")
    }
}
