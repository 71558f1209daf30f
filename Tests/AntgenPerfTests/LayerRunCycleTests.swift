import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import Foundation
import Testing

/// `antgen run`'s cycles on the SDP and PWLQ arrays against `antgen perf`: a ragged float
/// layer through the RTL (tiles back to back, first accepted beat to last output row) must
/// count exactly what ``PerformanceModel`` computes for the same shape on the same array.
/// The shapes make tiles both longer and shorter than R steps, so the drain stall is in play.
@Suite struct LayerRunCycleTests {
    /// The repository's build cache (`.antgen-cache`, as the harness tests use).
    static let request = LayerRunRequest(cacheDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".antgen-cache"))

    static func layer(m: Int, k: Int, n: Int, seed: UInt64) throws -> FloatLayer {
        var rng = SplitMix64(seed: seed)
        return try FloatLayer(m: m, k: k, n: n, a: (0..<(m * k)).map { _ in rng.gaussian() },
                              w: (0..<(k * n)).map { _ in rng.gaussian() })
    }

    /// SDP 4 × 2, G = 2: T = 1 with 4-bit weights (a K = 3 tile is 2 steps < R = 4: stalls),
    /// T = 3 with int8 weights (K = 9: 5 groups × 6 steps).
    @Test(arguments: [(1, false, 3), (3, true, 9)])
    func sdpRunCyclesEqualThePerfModel(terms: Int, int8: Bool, k: Int) throws {
        let p = try SdpArrayParameters(rows: 4, cols: 2, group: 2, terms: terms, weightTypes: [.int], weightInt8: int8, accumulatorWidth: 32)
        let outcome = try SdpLayerRunner(parameters: p).run(try Self.layer(m: 6, k: k, n: 5, seed: 7), Self.request)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors.prefix(2))")
        let array = try PerfArray(rows: 4, cols: 2, shape: try SdpShape(group: 2, terms: terms), accumulatorWidth: 32, int8: int8)
        let shape = try GemmLayer(name: "l", m: 6, k: k, n: 5, activationBits: .eight, weightBits: int8 ? .eight : .four)
        let report = try PerformanceModel(array: array).evaluate([shape])
        #expect(outcome.tiles == report.layers[0].tiles)
        #expect(outcome.cycles == report.cycles)
    }

    /// PWLQ 3 × 4: int4 activations with K = 2 (1 step a beat, stalling on R = 3) and int8
    /// with K = 5 (2 steps a beat).
    @Test(arguments: [(PwlqActivationWidth.int4, 2), (.int8, 5)])
    func pwlqRunCyclesEqualThePerfModel(activation: PwlqActivationWidth, k: Int) throws {
        let p = try PwlqArrayParameters(rows: 3, cols: 4, weightBits: 4, accumulatorWidth: 24, int8: true)
        let outcome = try PwlqLayerRunner(parameters: p, activation: activation).run(try Self.layer(m: 7, k: k, n: 6, seed: 8), Self.request)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors.prefix(2))")
        let array = try PerfArray(rows: 3, cols: 4, shape: try PwlqShape(weightBits: 4), accumulatorWidth: 24, int8: true)
        let shape = try GemmLayer(name: "l", m: 7, k: k, n: 6, activationBits: activation == .int8 ? .eight : .four, weightBits: .four)
        let report = try PerformanceModel(array: array).evaluate([shape])
        #expect(outcome.tiles == report.layers[0].tiles)
        #expect(outcome.cycles == report.cycles)
    }
}
