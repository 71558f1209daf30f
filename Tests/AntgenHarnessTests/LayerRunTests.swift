import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// A random float layer: Gaussian A (M × K) and W (K × N) from `seed`.
func randomFloatLayer(m: Int, k: Int, n: Int, seed: UInt64) throws -> FloatLayer {
    var rng = SplitMix64(seed: seed)
    let a = (0..<(m * k)).map { _ in rng.gaussian() }
    let w = (0..<(k * n)).map { _ in rng.gaussian() * 0.1 }
    return try FloatLayer(m: m, k: k, n: n, a: a, w: w)
}

/// W (K × N row-major) as [N, K] row-major, the layout of the float references.
func transposed(_ layer: FloatLayer) -> [Double] {
    (0..<(layer.n * layer.k)).map { layer.w[($0 % layer.k) * layer.n + $0 / layer.k] }
}

/// Real layers through the SDP and PWLQ arrays' RTL: ragged shapes (M, K, N not multiples
/// of the array or of G) bit-exact against the golden models, the dequantised C equal to
/// the float references' own integer paths (``SdpLayer``, ``PwlqLayerStudy``: independent
/// of the runners and of the RTL) and close to the float product, a named mutant caught.
@Suite struct LayerRunTests {
    static let request = LayerRunRequest(cacheDirectory: sharedCache)

    /// 3 × 2, G = 4, T = 5 (T/G = 1.25), int8 weights: 2 steps per group over a padded K.
    static func sdpParameters() throws -> SdpArrayParameters {
        try SdpArrayParameters(rows: 3, cols: 2, group: 4, terms: 5, weightTypes: [.int], weightInt8: true, accumulatorWidth: 32)
    }

    static func pwlqParameters() throws -> PwlqArrayParameters {
        try PwlqArrayParameters(rows: 3, cols: 2, weightBits: 4, accumulatorWidth: 32, int8: true)
    }

    /// M = 5, K = 10, N = 5 on 3 × 2, G = 4: 2 × 3 tiles, the last row and column blocks and
    /// the last group padded. The SDP reference (int8 per tensor / per channel, the mask,
    /// s_a·s_w·sum) gives the same C bit for bit. SQNR floor 15 dB: T/G = 1.25 keeps 5 of the
    /// 8 nibble parts of a group, which docs/sdp.md measures at 22–30 dB against FP32 on
    /// MiniLM; this seed gives 25.7 dB. 15 dB leaves room for another seed while a
    /// dequantisation slip (a wrong scale, sign or channel: at most a few dB) fails.
    @Test func sdpLayerIsBitExactAndMatchesTheReference() throws {
        let p = try Self.sdpParameters()
        let layer = try randomFloatLayer(m: 5, k: 10, n: 5, seed: 31)
        let outcome = try SdpLayerRunner(parameters: p).run(layer, Self.request)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors.prefix(2))")
        #expect(outcome.tiles == 6)
        #expect(outcome.comparedElements == 6 * 3 * 2)
        let reference = try SdpLayer(activations: layer.a, tokens: 5, features: 10, weights: transposed(layer), outputs: 5)
        let sdp = try SdpParameters(group: 4, terms: 5)
        let masked = try sdpMask(reference.activationCodes.codes, rows: 5, cols: 10, signed: reference.activationCodes.signed, parameters: sdp)
        #expect(outcome.output == reference.output(masked.values, scale: reference.activationCodes.scale))
        let sqnr = LayerMath.sqnr(layer.exactProduct(), outcome.output)
        #expect(sqnr > 15, "SQNR \(sqnr) dB")
    }

    /// Non-negative activations (post-ReLU) quantize unsigned (0…255, `cfg_act_signed` low):
    /// still bit-exact and equal to the reference.
    @Test func sdpUnsignedActivations() throws {
        let given = try randomFloatLayer(m: 4, k: 9, n: 3, seed: 35)
        let layer = try FloatLayer(m: 4, k: 9, n: 3, a: given.a.map { max($0, 0) }, w: given.w)
        let seen = ProgressLog()
        var request = Self.request
        request.progress = { done, all in seen.add(done, all) }
        let outcome = try SdpLayerRunner(parameters: try Self.sdpParameters()).run(layer, request)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "")")
        #expect(seen.calls == [(1, 4), (2, 4), (3, 4), (4, 4)].map { [$0.0, $0.1] })
        #expect(outcome.formats.hasPrefix("a int8u"))
        let reference = try SdpLayer(activations: layer.a, tokens: 4, features: 9, weights: transposed(layer), outputs: 3)
        #expect(!reference.activationCodes.signed)
        let masked = try sdpMask(reference.activationCodes.codes, rows: 4, cols: 9, signed: false, parameters: try SdpParameters(group: 4, terms: 5))
        #expect(outcome.output == reference.output(masked.values, scale: reference.activationCodes.scale))
    }

    /// The same layer on Icarus: bit-exact with the same cycle count as Verilator.
    @Test func sdpLayerOnIcarusCountsAsVerilator() throws {
        let p = try Self.sdpParameters()
        let layer = try randomFloatLayer(m: 4, k: 6, n: 3, seed: 32)
        var request = Self.request
        let verilator = try SdpLayerRunner(parameters: p).run(layer, request)
        request.simulator = .icarus
        let icarus = try SdpLayerRunner(parameters: p).run(layer, request)
        #expect(verilator.bitExact && icarus.bitExact)
        #expect(icarus.cycles == verilator.cycles)
        #expect(icarus.output == verilator.output)
    }

    /// A second run of the same build starts from the cache (no build), with the same answer;
    /// a mutant is a different build.
    @Test func verilatorBenchesAreCached() throws {
        let dir = try temporaryDirectory("layer-cache")
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = LayerRunRequest(cacheDirectory: dir)
        let layer = try randomFloatLayer(m: 2, k: 4, n: 2, seed: 34)
        let runner = PwlqLayerRunner(parameters: try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 3, accumulatorWidth: 20, int8: false),
                                     activation: .int4)
        let first = try runner.run(layer, request)
        let second = try runner.run(layer, request)
        #expect(first.buildSeconds > 0)
        #expect(second.buildSeconds == 0)
        #expect(first.bitExact && second.bitExact)
        #expect(second.output == first.output && second.cycles == first.cycles)
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }
        let builds = entries.filter { !$0.hasPrefix("verilator-runtime-") }
        #expect(builds.count == 1, "\(builds)")
        #expect(entries.count == 2, "the first build keeps Verilator's run-time objects: \(entries)")
    }

    @Test func sdpMutantReportsMismatches() throws {
        let layer = try randomFloatLayer(m: 4, k: 8, n: 3, seed: 33)
        let outcome = try SdpLayerRunner(parameters: try Self.sdpParameters(), mutant: .keepsFewer).run(layer, Self.request)
        #expect(outcome.mismatchCount > 0)
        #expect(outcome.firstMismatch != nil)
    }

    /// M = 5, K = 7, N = 5 on 3 × 2 with int8 and int4 activations: bit-exact, and C equal to
    /// ``PwlqLayerStudy/pwlq(_:bits:rule:)`` (W = 32, the study's width). SQNR floors: 4-bit
    /// PWLQ weights bound the output near 25 dB on Gaussian data (this seed: 25.5 dB with int8
    /// activations), int4 activations (±7 levels) cost about 7 dB more (this seed: 18.0 dB);
    /// the floors, 15 and 10 dB, leave room for another seed and fail a wrong dequantisation.
    @Test(arguments: [PwlqActivationWidth.int8, .int4])
    func pwlqLayerIsBitExactAndMatchesTheReference(activation: PwlqActivationWidth) throws {
        let p = try Self.pwlqParameters()
        let layer = try randomFloatLayer(m: 5, k: 7, n: 5, seed: 41)
        let runner = PwlqLayerRunner(parameters: p, activation: activation)
        let outcome = try runner.run(layer, Self.request)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors.prefix(2))")
        #expect(outcome.tiles == 6)
        #expect(outcome.comparedElements == 6 * 3 * 2)
        let x = try Tensor(shape: [5, 7], float64: layer.a)
        let w = try Tensor(shape: [5, 7], float64: transposed(layer))
        let study = try PwlqLayer(activations: x, weight: w, activationBits: activation.rawValue)
        let reference = try PwlqLayerStudy.pwlq(study, bits: 4, rule: .closedForm(.gaussian)).output
        #expect(outcome.output == reference)
        let sqnr = LayerMath.sqnr(layer.exactProduct(), outcome.output)
        #expect(sqnr > (activation == .int8 ? 15 : 10), "SQNR \(sqnr) dB")
    }

    @Test func pwlqMutantReportsMismatches() throws {
        let layer = try randomFloatLayer(m: 4, k: 6, n: 3, seed: 43)
        let outcome = try PwlqLayerRunner(parameters: try Self.pwlqParameters(), mutant: .regionIgnored).run(layer, Self.request)
        #expect(outcome.mismatchCount > 0)
        #expect(outcome.firstMismatch != nil)
    }

    @Test func pwlqLayerOnIcarusCountsAsVerilator() throws {
        let layer = try randomFloatLayer(m: 4, k: 5, n: 3, seed: 44)
        var request = Self.request
        let runner = PwlqLayerRunner(parameters: try Self.pwlqParameters())
        let verilator = try runner.run(layer, request)
        request.simulator = .icarus
        let icarus = try runner.run(layer, request)
        #expect(verilator.bitExact && icarus.bitExact)
        #expect(icarus.cycles == verilator.cycles)
        #expect(icarus.output == verilator.output)
    }

    @Test func pwlqRejectsWhatTheBuildCannotRun() throws {
        let layer = try randomFloatLayer(m: 2, k: 2, n: 2, seed: 45)
        let no8 = try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 4, accumulatorWidth: 32, int8: false)
        #expect(throws: HarnessError.self) { try PwlqLayerRunner(parameters: no8, activation: .int8).run(layer, Self.request) }
        let preload = try PwlqArrayParameters(rows: 2, cols: 2, weightBits: 4, accumulatorWidth: 32, preload: true)
        #expect(throws: HarnessError.self) { try PwlqLayerRunner(parameters: preload).run(layer, Self.request) }
    }
}

/// The progress calls of a run, in order.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [[Int]] = []
    func add(_ done: Int, _ all: Int) { lock.lock(); log.append([done, all]); lock.unlock() }
    var calls: [[Int]] { lock.lock(); defer { lock.unlock() }; return log }
}
