import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// One array configuration of the `make test` random-GEMM sweep.
struct SweepConfiguration: CustomStringConvertible, Sendable {
    let rows: Int, cols: Int, act: [AntType], weight: [AntType], w: Int, int8: Bool
    var description: String { "\(rows)x\(cols) act \(act) weight \(weight) W\(w) int8 \(int8)" }
}

/// The array against golden vectors on Verilator: the exhaustive PE/decoder suite, random
/// and quantized GEMMs on every required shape, and one 32 × 32 run.
@Suite struct ArrayVerificationTests {
    static let all = AntType.allCases
    static let paper: [AntType] = [.int, .flint, .pot]

    /// Issue 5 item 7's shapes, several type configurations; every int8 build covers all
    /// four precision pairs (4×4, 8×4, 4×8, 8×8) through the random modes.
    static let sweep: [SweepConfiguration] = [
        SweepConfiguration(rows: 1, cols: 1, act: all, weight: all, w: 24, int8: true),
        SweepConfiguration(rows: 2, cols: 3, act: paper, weight: paper, w: 32, int8: true),
        SweepConfiguration(rows: 4, cols: 4, act: [.int, .pot], weight: [.flint, .float], w: 20, int8: false),
        SweepConfiguration(rows: 7, cols: 13, act: paper, weight: paper, w: 32, int8: true),
        SweepConfiguration(rows: 8, cols: 8, act: all, weight: all, w: 12, int8: true),
        SweepConfiguration(rows: 16, cols: 16, act: all, weight: all, w: 32, int8: true),
    ]

    /// Every code pair of every type pair and signedness, and every int8 × int8, int8 ×
    /// native pair (so every nibble-term pair), through the whole array: 16 × 16 packs a
    /// 4-bit pair into one K = 1 tile.
    @Test func exhaustiveCodePairs() throws {
        let spec = VerificationSpec(parameters: try parameters(16, 16, act: Self.all, w: 32), sources: [(.exhaustive, 0)],
                                    seed: 1, chunk: 400)
        let report = try verifier(jobs: 2).run([spec])
        expectPassed(report, "exhaustive")
        // 10 × 10 mode pairs: 64 native pairs × 1 tile, 32 mixed × 16, 4 int8 pairs × 256.
        #expect(report.passedCases == 64 + 32 * 16 + 4 * 256)
    }

    /// Random GEMMs (K = 1, K < rows, K ≈ rows, K ≫ rows/cols), corner codes, wrap cases and
    /// quantized Gaussian/Laplace tiles, back to back with a reset in the middle; the 4 × 4
    /// run also inserts random bubbles.
    @Test(arguments: sweep)
    func randomGEMMs(_ c: SweepConfiguration) throws {
        var spec = VerificationSpec(parameters: try parameters(c.rows, c.cols, act: c.act, weight: c.weight, w: c.w, int8: c.int8),
                                    sources: [(.random, 96), (.quantized, 16)], seed: 2026, chunk: 48)
        if c.rows == 4 { spec.bubbleSeed = 99 }
        let report = try verifier(jobs: 2).run([spec])
        expectPassed(report, c.description)
        #expect(report.passedCases == 112)
        #expect(report.floatErrors.count + report.wrappedQuantizedCases == 16)
        #expect(report.floatErrors.allSatisfy { $0 < 0.6 }, "\(report.floatErrors)")
        #expect(report.results.allSatisfy { $0.cycles > 0 })
        // Tiles with K·T ≥ rows had their first/last-row latency compared with the manifest.
        #expect(report.results.reduce(0) { $0 + $1.latencyChecks } > 0)
    }

    /// The paper's 32 × 32 build.
    @Test func thirtyTwoByThirtyTwo() throws {
        let spec = VerificationSpec(parameters: ArrayParameters.paperDefault, sources: [(.random, 24), (.quantized, 4)], seed: 32, chunk: 28)
        let report = try verifier().run([spec])
        expectPassed(report, "32x32")
        #expect(report.macs > 0)
    }
}
