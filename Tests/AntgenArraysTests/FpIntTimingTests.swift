import AntgenArrays
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import Foundation
import Testing

/// The FP-on-INT array's cycle model: window-2 beats counted from the data equal the RTL's
/// cycles on both simulators, perf's assumed rate and its utilization per N lanes, and
/// INT8 layers through run. Every expected number is worked by hand in the comments.
@Suite struct FpIntTimingTests {
    /// 2 × 2 PEs, N = 2 lanes, S = 4: window 1 reaches d ≤ 4, window 2 4 < d ≤ 8.
    static let small = FpIntVariant.Configuration(rows: 2, cols: 2, lanes: 2, shiftCapacity: 4)
    static let cache = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".antgen-cache")

    /// A 2 × 4 · 4 × 4 FP16 layer, two tiles (columns 0–1, 2–3) of two beats (k 0–1, 2–3):
    /// - row 0, beat 0: products 1 and 2⁻⁹ (d = 9 > 2S: flushed, no window 2) at every column;
    /// - row 1, beat 1: products 2⁻⁴ and 1 at columns 0, 1, 3 (d = 4 = S: window 1);
    /// - row 0, beat 1, column 2: products 1 and 2⁻⁵ (d = 5: window 2), so tile 1's beat 1
    ///   takes 18 passes; row 1 there has 2⁻⁴ and 2⁻⁵ (d = 1).
    /// Tile passes 9 + 9 = 18 and 9 + 18 = 27; cycles 18 + 27 + latency 3 + R − 1 = 49.
    static func windowTwoLayer() throws -> FloatLayer {
        let t9 = 1.0 / 512, t4 = 1.0 / 16, t5 = 1.0 / 32
        let a = [1, t9, 1, 1,
                 1, 1, t4, 1]
        let w = [1, 1, 1, 1,
                 1, 1, 1, 1,
                 1, 1, 1, 1,
                 1, 1, t5, 1]
        return try FloatLayer(m: 2, k: 4, n: 4, a: a, w: w)
    }

    @Test func beatPassesFollowTheSecondWindowOfAnyPE() throws {
        let h = { (v: Double) in try! FpIntFloatFormat.fp16.encode(v, cast: false) }
        let unit = try FpIntUnit(lanes: 2, shiftCapacity: 4)
        // One PE: d = 6 in beat 0 (window 2), d = 4 in beat 1 (window 1), d = 9 in beat 2 (flushed).
        let one = FpIntTile(format: .fp16, a: [[h(1), h(1.0 / 64), h(1), h(1.0 / 16), h(1), h(1.0 / 512)]],
                            w: [[h(1), h(1), h(1), h(1), h(1), h(1)]])
        #expect(try one.beatPasses(unit: unit) == [18, 9, 9])
        // Two PEs (one row, two columns): only column 1 has d = 8 = 2S, in beat 0; beat 1 is one
        // product and an idle lane (K = 3).
        let two = FpIntTile(format: .fp16, a: [[h(1), h(1), h(2)]], w: [[h(1), h(1), h(1)], [h(1), h(1.0 / 256), h(1)]])
        #expect(try two.beatPasses(unit: unit) == [18, 9])
        // BF16 4 passes a window; integers never take window 2.
        #expect(try FpIntTile(format: .int8, a: [[127, 1, 200]], w: [[1, 127, 3]]).beatPasses(unit: unit) == [4, 4])
    }

    @Test func tilePassesGiveTheStreamCycles() {
        let timing = StreamTiming.broadcast(rows: 2, cols: 2, latency: 3)
        // max(27, 2) + max(1, 2) + max(45, 2) + 3 + 2 − 1.
        #expect(FpIntShape.cycles(tilePasses: [27, 1, 45], timing: timing) == 78)
        #expect(FpIntShape.cycles(tilePasses: [], timing: timing) == 0)
        // The first tile waits for no drain, so it is never padded to R: 1 + max(1, 2) + 3 + 2 − 1.
        #expect(FpIntShape.cycles(tilePasses: [1, 1], timing: timing) == 7)
        #expect(FpIntShape.cycles(tiles: 2, passes: 1, timing: timing) == 7)
        #expect(FpIntShape.cycles(tiles: 3, passes: 9, timing: timing) == 27 + 4)
    }

    @Test(arguments: [SimulatorKind.verilator, .icarus])
    func runCountsTheSecondWindowExactly(_ simulator: SimulatorKind) throws {
        let variant = try FpIntVariant(Self.small, dataflow: .os)
        let outcome = try variant.run(try Self.windowTwoLayer(), precision: .standard,
                                      LayerRunRequest(cacheDirectory: Self.cache, simulator: simulator), defect: nil)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors)")
        #expect(outcome.cycles == 49)
        #expect(outcome.tiles == 2)
        #expect(outcome.formats.contains("window 2 in 1 of 4 beats"))
        // perf without data counts window 1 only: 2 · 18 + 4 = 40, a lower bound.
        let perf = try variant.perfArray(clockMHz: 500, buffers: .standard)
        #expect(try PerformanceModel(array: perf).cycles(of: try GemmLayer(name: "l", m: 2, k: 4, n: 4)) == 40)
    }

    /// FP16 on 2 × 2 PEs of N = 4: a 2 × 8 · 8 × 2 layer is one tile of 2 beats, 18 passes,
    /// 18 + 3 + 1 = 22 cycles. Capacity 2·2·4 / 9 MACs a cycle, 32 MACs: 32 / (22 · 16/9) = 9/11.
    /// At rate 0.5: 18 + ⌈9⌉ = 27 passes, 31 cycles, utilization 288 / (31 · 16) = 18/31.
    @Test func perfUtilizationCountsTheLanes() throws {
        let layer = try GemmLayer(name: "l", m: 2, k: 8, n: 2)
        for (rate, cycles, utilization) in [(0.0, 22, 9.0 / 11), (0.5, 31, 18.0 / 31)] {
            var c = FpIntVariant.Configuration(rows: 2, cols: 2, lanes: 4)
            c.window2Rate = rate
            let array = try FpIntVariant(c, dataflow: .os).perfArray(clockMHz: 500, buffers: .standard)
            let result = try PerformanceModel(array: array).evaluate([layer]).layers[0]
            #expect(result.cycles == cycles)
            #expect(abs(result.utilization - utilization) < 1e-12, "rate \(rate): \(result.utilization)")
        }
        let best = try FpIntVariant(.init(rows: 2, cols: 2, lanes: 4), dataflow: .os).perfArray(clockMHz: 500, buffers: .standard)
        #expect(best.description.contains("window 2 rate 0 (best case: a lower bound"))
    }

    @Test func windowTwoRateIsCheckedAndRefusedByRun() throws {
        var c = Self.small
        c.window2Rate = 1.5
        #expect(throws: VariantError.self) { try FpIntVariant(c, dataflow: .os) }
        c.window2Rate = 0.3
        let variant = try FpIntVariant(c, dataflow: .os)
        #expect(variant.arguments.suffix(2) == ["--fpint-window2-rate", "0.3"])
        #expect(throws: VariantError.self) {
            try variant.run(try Self.windowTwoLayer(), precision: .standard, LayerRunRequest(cacheDirectory: Self.cache), defect: nil)
        }
    }

    /// INT8 with scales of exactly 1 (max |a| = max |w_j| = 127, so the clip search keeps the
    /// full range with zero error): C = A · W exactly.
    /// C[0] = [127·127 − 64·2 − 3, 127 + 64·127] = [15998, 8255];
    /// C[1] = [3·127 + 5·2 + 7·3 + 127·4, 3 − 5·127 + 127·5] = [920, 3].
    /// One tile of 2 beats of 4 passes: 8 + 3 + 1 = 12 cycles.
    @Test func int8LayerRunsBitExactThroughTheQuantizer() throws {
        var c = Self.small
        c.layerFormat = .int8
        let variant = try FpIntVariant(c, dataflow: .os)
        let layer = try FloatLayer(m: 2, k: 4, n: 2, a: [127, -64, 1, 0, 3, 5, -7, 127], w: [127, 1, 2, -127, -3, 0, 4, 5])
        let computed = try variant.computeLayer(layer, precision: .standard, weights: nil)
        #expect(computed.output == [15998, 8255, 920, 3])
        #expect(computed.activationBits == 8)
        let outcome = try variant.run(layer, precision: .standard, LayerRunRequest(cacheDirectory: Self.cache), defect: nil)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors)")
        #expect(outcome.output == [15998, 8255, 920, 3])
        #expect(outcome.cycles == 12)
        // run's utilization per N lanes too: 16 MACs / (12 cycles · 2·2 PEs · 2 lanes / 4 passes) = 2/3.
        let report = LayerRunReport(variant: variant, layer: layer, outcome: outcome, simulator: .verilator)
        #expect(abs(report.utilization - 2.0 / 3) < 1e-12)
    }

    /// INT4: a = [7, −7], w = [[7, 1], [−3, 7]] scale 1 (max 7 = 2³ − 1); one tile of one beat
    /// of 1 pass, not padded to R (no earlier drain to wait for): 1 + 3 + 2 − 1 = 5 cycles.
    /// C = [7·7 + 7·3, 7 − 49] = [70, −42].
    @Test func int4LayerRunsBitExact() throws {
        var c = Self.small
        c.layerFormat = .int4
        let variant = try FpIntVariant(c, dataflow: .os)
        let layer = try FloatLayer(m: 1, k: 2, n: 2, a: [7, -7], w: [7, 1, -3, 7])
        let outcome = try variant.run(layer, precision: .standard, LayerRunRequest(cacheDirectory: Self.cache), defect: nil)
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors)")
        #expect(outcome.output == [70, -42])
        #expect(outcome.cycles == 5)
        let perf = try variant.perfArray(clockMHz: 500, buffers: .standard)
        #expect(try PerformanceModel(array: perf).cycles(of: try GemmLayer(name: "l", m: 1, k: 2, n: 2)) == 5)
    }
}
