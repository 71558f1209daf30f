import Foundation
import Testing
@testable import AntgenNumerics

/// Truncated samples of a unit-variance model on [−m, m] (rejection), seeded.
private func truncatedSamples(_ model: PwlqDistribution, range m: Double, count: Int, seed: UInt64) -> [Double] {
    var generator = SplitMix64(seed: seed)
    var samples: [Double] = []
    samples.reserveCapacity(count)
    while samples.count < count {
        let x: Double
        switch model {
        case .gaussian: x = generator.gaussian()
        case .laplace:
            // Inverse CDF of Laplace with scale √0.5.
            let u = generator.unitInterval() - 0.5
            x = -0.5.squareRoot() * (u < 0 ? -1 : 1) * log(1 - 2 * abs(u))
        }
        if abs(x) <= m { samples.append(x) }
    }
    return samples
}

/// The element-wise squared error of a channel's quantizer (the brute-force reference).
private func directError(_ values: [Double], _ channel: PwlqChannel) -> Double {
    values.reduce(0) { total, x in
        let d = channel.value(of: channel.encode(x)) - x
        return total + d * d
    }
}

@Suite("PWLQ reference quantizer (spec §7)")
struct PwlqTests {
    @Test("eq. 4's expected error matches Monte Carlo on truncated Gaussian and Laplace data",
          arguments: [PwlqDistribution.gaussian, .laplace])
    func expectedErrorMatchesMonteCarlo(model: PwlqDistribution) throws {
        let m = 4.0
        let samples = truncatedSamples(model, range: m, count: 200_000, seed: model == .gaussian ? 11 : 12)
        let mass = model.cdf(m) - model.cdf(-m)
        let truncatedCDF = { (x: Double) in (model.cdf(x) - model.cdf(-m)) / mass }
        for (bits, p) in [(4, 1.4), (6, 1.0), (5, 1.8)] {
            let channel = try PwlqChannel(bits: bits, variant: .paper, range: m, breakpoint: p)
            let measured = directError(samples, channel) / Double(samples.count)
            let predicted = PwlqErrorModel.expectedError(breakpoint: p, range: m, bits: bits, cdf: truncatedCDF)
            #expect(abs(measured / predicted - 1) < 0.03, "b=\(bits) p=\(p): measured \(measured), model \(predicted)")
        }
    }

    @Test("bisection and closed forms reproduce the reference optima (p̃ = p/σ)")
    func breakpointOptima() {
        // Roots of g on (0, m̃/2) and the fitted closed forms, computed independently (reference table).
        let table: [(m: Double, gaussRoot: Double, gaussFit: Double, laplaceRoot: Double, laplaceFit: Double)] = [
            (3, 1.158, 1.161, 1.068, 1.074), (4, 1.392, 1.400, 1.291, 1.289),
            (6, 1.755, 1.754, 1.660, 1.650), (10, 2.210, 2.222, 2.202, 2.223),
        ]
        for row in table {
            #expect(abs(PwlqErrorModel.bisect(normalizedRange: row.m, model: .gaussian, variant: .paper) - row.gaussRoot) < 3e-3)
            #expect(abs(PwlqErrorModel.bisect(normalizedRange: row.m, model: .laplace, variant: .paper) - row.laplaceRoot) < 3e-3)
            #expect(abs(PwlqDistribution.gaussian.closedFormBreakpoint(normalizedRange: row.m) - row.gaussFit) < 1e-3)
            #expect(abs(PwlqDistribution.laplace.closedFormBreakpoint(normalizedRange: row.m) - row.laplaceFit) < 1e-3)
        }
    }

    @Test("the sorted-channel error equals the element-wise error for every variant", arguments: PwlqVariant.allCases)
    func fastErrorMatchesDirect(variant: PwlqVariant) throws {
        var generator = SplitMix64(seed: 21)
        let values = (0 ..< 3000).map { _ in generator.gaussian() * 0.3 }
        let m = values.map(abs).max()!
        let sorted = values.withUnsafeBufferPointer { PwlqSortedChannel($0) }
        for bits in [2, 4, 8] {
            for ratio in [0.05, 0.2, 0.37, 0.5, 0.81] {
                let channel = try PwlqChannel(bits: bits, variant: variant, range: m, breakpoint: ratio * m)
                let direct = directError(values, channel)
                #expect(abs(sorted.squaredError(channel) - direct) <= 1e-9 * direct, "b=\(bits) ratio=\(ratio)")
            }
        }
    }

    @Test("the coarse-to-fine grid search is within 1 % of a brute-force scan over every p/m in thousandths",
          arguments: PwlqVariant.allCases)
    func gridSearchAgainstBruteForce(variant: PwlqVariant) throws {
        var generator = SplitMix64(seed: 31)
        let values = (0 ..< 2000).map { _ in generator.gaussian() }
        let m = values.map(abs).max()!
        let bruteForce = try (1 ..< 1000).map { thousandths in
            directError(values, try PwlqChannel(bits: 4, variant: variant, range: m, breakpoint: Double(thousandths) / 1000 * m))
        }.min()!
        let quantizer = PwlqQuantizer(options: PwlqOptions(bits: 4, variant: variant, breakpoint: .gridSearch, role: .activation))
        let fitted = quantizer.fitChannel(values)
        let found = directError(values, fitted)
        #expect(found >= bruteForce * (1 - 1e-12))
        #expect(found <= bruteForce * 1.01, "grid \(found) vs brute force \(bruteForce)")
    }

    @Test("Lemma 2: at the optimum E(p*) < C(b−1)/(16 C(b)) · E_uni ≤ 9/16 · E_uni (model, b = 2…8)")
    func lemmaTwoBoundOnTheModel() {
        for bits in 2 ... 8 {
            let bound = PwlqErrorModel.uniformConstant(bits: bits - 1) / (16 * PwlqErrorModel.uniformConstant(bits: bits))
            #expect(bound <= 9.0 / 16 + 1e-15)
            for m in [3.0, 4, 6, 10] {
                let mass = PwlqDistribution.gaussian.cdf(m) - PwlqDistribution.gaussian.cdf(-m)
                let cdf = { (x: Double) in (PwlqDistribution.gaussian.cdf(x) - PwlqDistribution.gaussian.cdf(-m)) / mass }
                let p = PwlqErrorModel.bisect(normalizedRange: m, model: .gaussian, variant: .paper)
                let uniform = PwlqErrorModel.uniformConstant(bits: bits) * 4 * m * m
                #expect(PwlqErrorModel.expectedError(breakpoint: p, range: m, bits: bits, cdf: cdf) < bound * uniform)
            }
        }
    }

    @Test("Lemma 2 on data: Gaussian samples, the bisection breakpoint's MSE is at most 9/16 of b-bit uniform",
          arguments: [2, 3, 4, 6])
    func lemmaTwoBoundOnData(bits: Int) throws {
        var generator = SplitMix64(seed: 41)
        let values = (0 ..< 20_000).map { _ in generator.gaussian() }
        let tensor = try Tensor(shape: [values.count], float64: values)
        let pwlq = try PwlqQuantizer(options: PwlqOptions(bits: bits, breakpoint: .bisection(.gaussian), role: .activation)).quantize(tensor)
        let uniform = try UniformBaseline(bits: bits, role: .activation).meanSquaredError(tensor)
        #expect(pwlq.meanSquaredError <= 9.0 / 16 * uniform, "b=\(bits): \(pwlq.meanSquaredError) vs uniform \(uniform)")
    }

    @Test("every reachable code round-trips through its value (and exactly, except ±0 and the duplicated ±p)",
          arguments: PwlqVariant.allCases)
    func everyCodeRoundTrips(variant: PwlqVariant) throws {
        for bits in 2 ... 8 {
            let channel = try PwlqChannel(bits: bits, variant: variant, range: 2.0, breakpoint: 0.7)
            #expect(channel.allCodes().count == 1 << (bits + 1))
            for code in channel.allCodes() {
                let value = channel.value(of: code)
                // Overlap tail levels below p are never produced (|x| < p is the centre's).
                if variant == .overlap, code.region == 1, abs(value) < 0.7 { continue }
                let again = channel.encode(value)
                #expect(channel.value(of: again) == value, "b=\(bits) code \(code.packed)")
                let duplicate = value == 0 || abs(value) == 0.7 || (variant == .overlap && code.region == 1)
                if !duplicate { #expect(again == code, "b=\(bits) code \(code.packed) -> \(again.packed)") }
            }
        }
    }

    @Test("hand-computed codes of b = 4 for each variant")
    func handComputedCodes() throws {
        let paper = try PwlqChannel(bits: 4, variant: .paper, range: 1, breakpoint: 0.35)
        // Centre step 0.35/7 = 0.05: 0.1 → q 2; tail step 0.65/7: (0.5 − 0.35)/0.092857 = 1.615 → q 2.
        #expect(paper.encode(0.1) == PwlqCode(region: 0, sign: 0, magnitude: 2, bits: 4))
        #expect(paper.encode(-0.5) == PwlqCode(region: 1, sign: 1, magnitude: 2, bits: 4))
        #expect(abs(paper.value(of: paper.encode(-0.5)) + (0.35 + 2 * 0.65 / 7)) < 1e-15)
        #expect(paper.encode(0.35).region == 0 && paper.encode(0.35).magnitude == 7)
        let nonoverlap = try PwlqChannel(bits: 4, variant: .nonoverlap, range: 1, breakpoint: 0.35)
        // Centre step 0.7/15: 0.1 → 2.14 → 2; x = p goes to the tail (magnitude 0).
        #expect(nonoverlap.encode(0.1) == PwlqCode(region: 0, sign: 0, magnitude: 2, bits: 4))
        #expect(nonoverlap.encode(0.35) == PwlqCode(region: 1, sign: 0, magnitude: 0, bits: 4))
        // Negative tail: (−0.5 + 1)/0.092857 = 5.38 → k 5, magnitude 7 − 5 = 2.
        #expect(nonoverlap.encode(-0.5) == PwlqCode(region: 1, sign: 1, magnitude: 2, bits: 4))
        let overlap = try PwlqChannel(bits: 4, variant: .overlap, range: 1, breakpoint: 0.35)
        // Whole-range step 2/15: −1 → −7.5 → −8 (half to even), 0.5 → 3.75 → 4.
        #expect(overlap.encode(-1).twosComplement == -8 && overlap.encode(-1).region == 1)
        #expect(overlap.encode(0.5).twosComplement == 4)
        #expect(abs(overlap.value(of: overlap.encode(-1)) + 16.0 / 15) < 1e-15)
    }

    @Test("the uniform baseline saturates asymmetrically like the released code")
    func uniformBaseline() {
        let uniform = UniformBaseline(bits: 4)
        #expect(uniform.code(1, range: 1) == 7 && uniform.code(-1, range: 1) == -8)
        #expect(abs(uniform.value(7, range: 1) - 14.0 / 15) < 1e-15)
        #expect(uniform.code(0.5 * 2 / 15, range: 1) == 0)  // a tie goes to even
    }

    @Test("weights get per-channel parameters; bias correction restores each channel's std")
    func perChannelAndBiasCorrection() throws {
        var generator = SplitMix64(seed: 51)
        let first = (0 ..< 500).map { _ in generator.gaussian() * 0.01 + 0.002 }
        let second = (0 ..< 500).map { _ in generator.gaussian() * 3 }
        let tensor = try Tensor(shape: [2, 500], float64: first + second)
        let plain = try PwlqQuantizer(options: PwlqOptions(bits: 3)).quantize(tensor)
        #expect(plain.channels.count == 2)
        #expect(plain.channels[0].range == first.map(abs).max()!)
        #expect(plain.channels[1].range == second.map(abs).max()!)
        let corrected = try PwlqQuantizer(options: PwlqOptions(bits: 3, biasCorrection: true)).quantize(tensor)
        let values = corrected.dequantized.doubles
        for (channel, original) in [first, second].enumerated() {
            let stats = Array(values[channel * 500 ..< (channel + 1) * 500]).withUnsafeBufferPointer { PwlqChannelStatistics($0) }
            let target = original.withUnsafeBufferPointer { PwlqChannelStatistics($0) }
            #expect(abs(stats.deviation / target.deviation - 1) < 1e-9)
        }
        // Activations: one parameter set for the whole tensor.
        let activation = try PwlqQuantizer(options: PwlqOptions(role: .activation)).quantize(tensor)
        #expect(activation.channels.count == 1)
    }

    @Test("bad parameters are one clear error each")
    func badParameters() throws {
        let one = try Tensor(shape: [1], float64: [1]), empty = try Tensor(shape: [0], float64: [])
        let cases: [(() throws(PwlqError) -> Void, PwlqError)] = [
            ({ () throws(PwlqError) in _ = try PwlqChannel(bits: 4, variant: .paper, range: 1, breakpoint: 1) }, .breakpointOutOfRange(breakpoint: 1, range: 1)),
            ({ () throws(PwlqError) in _ = try PwlqChannel(bits: 4, variant: .paper, range: 1, breakpoint: -0.1) }, .breakpointOutOfRange(breakpoint: -0.1, range: 1)),
            ({ () throws(PwlqError) in _ = try PwlqChannel(bits: 9, variant: .paper, range: 1, breakpoint: 0.5) }, .unsupportedBitWidth(9)),
            ({ () throws(PwlqError) in _ = try PwlqChannel(bits: 1, variant: .paper, range: 1, breakpoint: 0.5) }, .unsupportedBitWidth(1)),
            ({ () throws(PwlqError) in _ = try PwlqChannel(bits: 4, variant: .paper, range: .infinity, breakpoint: 0.5) }, .invalidRange(.infinity)),
            ({ () throws(PwlqError) in _ = try PwlqQuantizer(options: PwlqOptions(breakpoint: .fixedRatio(1.5))).quantize(one) }, .invalidRatio(1.5)),
            ({ () throws(PwlqError) in _ = try PwlqQuantizer(options: PwlqOptions(variant: .overlap)).quantize(one) }, .closedFormNeedsTwoRegionModel),
            ({ () throws(PwlqError) in _ = try PwlqQuantizer().quantize(empty) }, .emptyTensor),
        ]
        for (run, expected) in cases {
            #expect(throws: expected) { try run() }
            #expect(!expected.description.contains("\n"))
        }
        #expect(throws: PwlqError.self) { try PwlqChannel(bits: 4, variant: .paper, range: 1, breakpoint: .nan) }
        #expect(throws: PwlqError.self) { try PwlqQuantizer().quantize(Tensor(shape: [2], float64: [1, .nan])) }
    }
}
