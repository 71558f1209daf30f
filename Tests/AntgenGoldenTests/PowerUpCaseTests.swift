import AntgenGolden
import AntgenNumerics
import Testing

/// The random source's first case (docs/verification.md, "Case sources"): modes of another
/// type than the power-up type int, K = rows, every code decoding otherwise as an int.
@Suite struct PowerUpCaseTests {
    /// A 4-bit int code's value, by hand: plain binary, or two's complement when signed.
    static func int4(_ code: UInt64, signed: Bool) -> Int { signed && code >= 8 ? Int(code) - 16 : Int(code) }

    @Test func randomSourceStartsWithAPowerUpTypeCase() throws {
        let configuration = try GoldenModelTests.config(3, 3, types: [.int, .flint, .pot])
        let generator = try GoldenGenerator(configuration: configuration)
        let cases = try generator.cases(.random, count: 40, seed: 1)
        #expect(cases.count == 40 && cases.map(\.id) == Array(0..<40))
        let first = cases[0]
        #expect(first.source == "power-up" && first.reduction == 3)
        for (mode, codes) in [(first.weight, first.w.joined()), (first.activation, first.a.joined())] {
            #expect(mode.type != .int && !mode.int8)
            #expect(!codes.contains(0), "code 0 is 0 in every type")
            for code in codes {
                #expect(generator.model.value(of: code, mode: mode) != Self.int4(code, signed: mode.signed), "\(mode) code \(code)")
            }
        }
        #expect(cases.dropFirst().allSatisfy { $0.source != "power-up" })
    }

    /// Without a weight type other than int there is no such case: case 0 stays a plain
    /// random case (index 0 of the K cycle: K = 1).
    @Test func intOnlyBuildsKeepThePlainFirstCase() throws {
        let generator = try GoldenGenerator(configuration: try GoldenModelTests.config(3, 3, types: [.int]))
        let cases = try generator.cases(.random, count: 8, seed: 1)
        #expect(cases[0].source == "random" && cases[0].reduction == 1)
        #expect(cases.allSatisfy { $0.source != "power-up" })
    }
}
