import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenPerf
import Testing

/// The SDP cycle model against the RTL: the SDP array's golden cases (every tile exactly
/// `groups` groups, the weight modes in turn, int8 weights among them) back to back through
/// the Verilated array (the fixed-length tiles of SdpVerificationSpec), whose total cycles must
/// equal the model's schedule of ⌈K/G⌉-beat tiles of T (4-bit weights) or 2T (int8 weights)
/// steps; and a layer of identical tiles, as `antgen perf --array sdp` counts it.
@Suite struct SdpCycleTests {
    /// Runs `cases` golden cases of `groups` groups on an R × C SDP build; returns the RTL's
    /// total cycles and the model's.
    static func compare(rows: Int, cols: Int, group: Int, terms: Int, int8: Bool, groups: Int, cases: Int) throws -> (rtl: Int, model: Int) {
        let p = try SdpArrayParameters(rows: rows, cols: cols, group: group, terms: terms, weightTypes: [.int], weightInt8: int8,
                                       accumulatorWidth: 32)
        var spec = SdpVerificationSpec(parameters: p, cases: cases, seed: 14)
        spec.fixedBeats = groups
        let results = try SdpVerifier().run(spec)
        let result = try #require(results.first)
        #expect(result.passed, "the SDP array disagrees with the golden model")
        let shape = try SdpShape(group: group, terms: terms)
        let tiles = try spec.generator.cases(count: cases, seed: 14, fixedBeats: groups).map { c in
            TileStream(beats: groups, terms: shape.steps(weightBits: c.weight.int8 ? .eight : .four))
        }
        return (result.outcome.cycles, OutputStationaryCycles(rows: rows, cols: cols).cycles(tiles))
    }

    /// One 4 × 2 build, G = 2, T = 1, int8 weights among the modes: 2-group tiles of 2 steps
    /// (4-bit weights, stalling on R = 4) or 4 steps (int8 weights, = R), mixed in one stream.
    /// A layer of identical tiles is the same schedule in closed form (`antgen perf --array sdp`).
    @Test func modelCyclesEqualRTLCycles() throws {
        let (rtl, model) = try Self.compare(rows: 4, cols: 2, group: 2, terms: 1, int8: true, groups: 2, cases: 8)
        #expect(rtl == model)
        let array = try PerfArray(rows: 4, cols: 2, shape: try SdpShape(group: 2, terms: 1))
        let layer = try GemmLayer(name: "l", m: 4, k: 3, n: 12, activationBits: .four, weightBits: .four)
        // ⌈3/2⌉ = 2 group beats of 1 step, 6 tiles: 2 + 5·max(2, 4) + 2·4 + 2 cycles.
        #expect(try PerformanceModel(array: array).cycles(of: layer) == 2 + 5 * 4 + 8 + 2)
        #expect(OutputStationaryCycles(rows: 4, cols: 2).cycles(Array(repeating: TileStream(beats: 2, terms: 1), count: 6)) == 2 + 5 * 4 + 8 + 2)
    }
}
