import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Testing

/// The SDP array on Icarus against the golden selection and products (spec §8), and the
/// three named SDP mutants must fail. Small: 2 × 2, G = 4, T = 3, int8 and native weights.
@Suite("SDP array verification")
struct SdpVerificationTests {
    func spec(mutant: SdpMutant? = nil) throws -> SdpVerificationSpec {
        var s = SdpVerificationSpec(parameters: try SdpArrayParameters(rows: 2, cols: 2, group: 4, terms: 3, weightTypes: [.int, .flint, .pot],
                                                                      weightInt8: true, accumulatorWidth: 32), cases: 30, seed: 5)
        s.simulators = [.icarus]
        s.mutant = mutant
        return s
    }

    @Test("the real array passes every case")
    func passes() throws {
        let results = try SdpVerifier().run(try spec())
        #expect(results.count == 1)
        #expect(results[0].passed)
        #expect(results[0].outcome.casePassed.count == 30)
    }

    @Test("every named SDP mutant fails", arguments: SdpMutant.allCases)
    func mutantFails(_ mutant: SdpMutant) throws {
        let results = try SdpVerifier().run(try spec(mutant: mutant))
        #expect(results.allSatisfy { !$0.passed })
    }

    @Test("golden selection packs {sign, M, E, index} and sums to the reference dot product")
    func golden() throws {
        let g = SdpGoldenGenerator(rows: 1, cols: 1, group: 4, terms: 2, accumulatorWidth: 32, weightTypes: [.int], weightInt8: true)
        let c = try g.makeCase(id: 0, source: "hand", actSigned: true, weight: OperandMode(type: .int, signed: true, int8: true),
                               a: [[3, 40, -17, 0]], w: [[1], [2], [3], [4]])
        // Kept: +2·2^4 at 1 and −1·2^4 at 2 → 32·2 − 16·3 = 16.
        #expect(c.selection[0][0] == [0b0_0010_100_01] && c.selection[0][1] == [0b1_0001_100_10])
        #expect(c.expected == [[16]])
    }
}
