import Foundation
import Testing
@testable import AntgenNumerics

/// FP16 codes from literal values (Swift's Float16 rounds Double → binary16 itself).
private func h(_ values: [Double]) -> [Int] { values.map { Int(Float16($0).bitPattern) } }
/// BF16 codes of values exact in bfloat16 (the top half of the binary32 pattern).
private func bf(_ values: [Double]) -> [Int] { values.map { Int(Float($0).bitPattern >> 16) } }

private func unit(_ n: Int, _ s: Int?) throws -> FpIntUnit { try FpIntUnit(lanes: n, shiftCapacity: s) }

@Suite("FP-on-INT unit: hand-worked cases and every special class (numeric-formats §9)")
struct FpIntUnitTests {
    @Test("second window: d = 5 with S = 4 goes through the auxiliary shifter, value exact")
    func secondWindow() throws {
        // Products 1·1 (P = 1024·1024 = 2^20, e = 0) and 1·2^-5 (P = 2^20, e = -5); e_max = 0.
        let g = try FpIntDotProduct.group(a: h([1, 1]), b: h([1, 0x1p-5]), format: .fp16, unit: unit(2, 4))
        #expect(g.maxExponent == 0)
        #expect(g.lanes.map(\.placement) == [.first, .second])
        #expect(g.lanes.map(\.localShift) == [0, 1])
        #expect(g.passes.count == 18)  // 9 nibble passes per window
        // Window 1: 2^20 · 2^4 >> 0; window 2: 2^20 · 2^4 >> 1. Accumulator = w1 · 2^S + w2.
        #expect(g.windowSums == [Int128(1) << 24, Int128(1) << 23])
        #expect(g.accumulator == (Int128(1) << 28) + (Int128(1) << 23))
        #expect(g.accumulatorExponent == 0 - 8 - 20)
        #expect(g.result == 1.03125)
    }

    @Test("beyond 2S the product is flushed; at exactly 2S it is kept")
    func flush() throws {
        let flushed = try FpIntDotProduct.group(a: h([1, 1]), b: h([1, 0x1p-9]), format: .fp16, unit: unit(2, 4))
        #expect(flushed.lanes[1].placement == .flushed)
        #expect(flushed.result == 1)
        let kept = try FpIntDotProduct.group(a: h([1, 1]), b: h([1, 0x1p-8]), format: .fp16, unit: unit(2, 4))
        #expect(kept.lanes[1].placement == .second && kept.lanes[1].localShift == 4)
        #expect(kept.result == 1 + 0x1p-8)
        // Exactly S stays in the first window.
        let first = try FpIntDotProduct.group(a: h([1, 1]), b: h([1, 0x1p-4]), format: .fp16, unit: unit(2, 4))
        #expect(first.lanes[1].placement == .first && first.passes.count == 9)
    }

    @Test("FP16 nibble passes: 1.5 × 1.25 uses only pass (2,2): 6 · 5 at weight 16")
    func nibblePass() throws {
        // M(1.5) = 0x600 → nibbles [0, 0, 6]; M(1.25) = 0x500 → [0, 0, 5].
        let g = try FpIntDotProduct.group(a: h([1.5]), b: h([1.25]), format: .fp16, unit: unit(1, 8))
        #expect(g.passes.map(\.pass) == FpIntPass.schedule(nibblesA: 3, nibblesB: 3))
        let nonzero = g.passes.filter { $0.treeSum != 0 }
        #expect(nonzero.map(\.pass) == [FpIntPass(a: 2, b: 2)])
        #expect(nonzero.first?.treeSum == 30 << 8)
        #expect(g.windowSums[0] == Int128(30) << 24)
        #expect(g.result == 1.875)
    }

    @Test("schedules: FP16 9, BF16 4, FP8 1, INT8 4, INT16 16 passes; weights 0…16 for FP16")
    func schedules() {
        let counts = FpIntFloatFormat.allCases.map { FpIntPass.schedule(nibblesA: $0.nibbles, nibblesB: $0.nibbles).count }
        #expect(counts == [9, 4, 1, 1])
        #expect(FpIntIntegerFormat.allCases.map { FpIntPass.schedule(nibblesA: $0.nibbles, nibblesB: $0.nibbles).count } == [1, 4, 16])
        let weights = FpIntPass.schedule(nibblesA: 3, nibblesB: 3).map(\.weight)
        #expect(weights.sorted() == [0, 4, 4, 8, 8, 8, 12, 12, 16])
        #expect(FpIntFloatFormat.allCases.map(\.productExponentSpread) == [58, 506, 28, 58])
    }

    @Test("widths: term 9 + S, tree 9 + S + ⌈log2 N⌉, accumulator 2p + 2S + ⌈log2 N⌉ + 1")
    func widths() throws {
        let u = try unit(16, 8)
        #expect(u.termWidth(8) == 17 && u.treeWidth(8) == 21)
        #expect(u.accumulatorWidth(8, format: .fp16) == 22 + 16 + 4 + 1)
        #expect(try unit(1, 8).laneBits == 0 && unit(17, 8).laneBits == 5)
    }

    @Test("INT8 by hand: [-128, 127] · [127, -1] = -16383; pass (1,1) sums (-8)(7) + (7)(-1)")
    func int8ByHand() throws {
        let g = try FpIntIntegerDot.group(a: [-128, 127], b: [127, -1], format: .int8, unit: unit(2, 8))
        #expect(g.accumulator == -16383)
        let top = g.passes.first { $0.pass == FpIntPass(a: 1, b: 1) }
        #expect(top?.products == [-56, -7] && top?.treeSum == -63)
        #expect(FpIntIntegerFormat.int16.nibbles(of: -2) == [14, 15, 15, -1])
    }

    @Test("signed zeros: all −0 products give −0, a mix gives +0, exact cancellation +0")
    func signedZeros() throws {
        let u = try unit(2, 8)
        #expect(try FpIntDotProduct.dot(a: h([-0.0, -0.0]), b: h([1, 2]), format: .fp16, unit: u).bitPattern == 0x8000_0000)
        #expect(try FpIntDotProduct.dot(a: h([-0.0, 0.0]), b: h([1, 2]), format: .fp16, unit: u).bitPattern == 0)
        #expect(try FpIntDotProduct.dot(a: h([1, 1]), b: h([1, -1]), format: .fp16, unit: u).bitPattern == 0)
        // Across K-tiles: −0 + (−0) stays −0 (N = 1, three groups).
        #expect(try FpIntDotProduct.dot(a: h([-0.0, 0, -0.0]), b: h([1, -1, 1]), format: .fp16, unit: unit(1, 8)).bitPattern == 0x8000_0000)
        // An empty dot product is the accumulator's initial −0.
        #expect(try FpIntDotProduct.dot(a: [], b: [], format: .fp16, unit: u).bitPattern == 0x8000_0000)
    }

    @Test("subnormals align at the minimum exponent with a zero hidden bit")
    func subnormals() throws {
        // 2^-14 (normal, M = 1024, e = -14) and 2^-24 (subnormal, M = 1, e = -14): d = 0.
        let g = try FpIntDotProduct.group(a: h([0x1p-14, 0x1p-24]), b: h([1, 1]), format: .fp16, unit: unit(2, 2))
        #expect(g.lanes.map(\.distance) == [0, 0])
        #expect(g.result == 0x1p-14 + 0x1p-24)
        // Subnormal × subnormal: 2^-48, exact in binary32.
        #expect(try FpIntDotProduct.dot(a: h([0x1p-24]), b: h([-0x1p-24]), format: .fp16, unit: unit(1, 4)) == -0x1p-48)
        // BF16 products below binary32's range round to signed zero; beyond it to ±Inf.
        #expect(try FpIntDotProduct.dot(a: bf([-0x1p-100]), b: bf([0x1p-100]), format: .bf16, unit: unit(1, 8)).bitPattern == 0x8000_0000)
        #expect(try FpIntDotProduct.dot(a: bf([0x1p100]), b: bf([0x1p100]), format: .bf16, unit: unit(1, 8)) == .infinity)
    }

    @Test("Inf and NaN: Inf·x = ±Inf, Inf·0 = NaN, Inf − Inf = NaN, NaN propagates, NaN is canonical")
    func specials() throws {
        let u = try unit(2, 8)
        func dot(_ a: [Double], _ b: [Double], _ n: FpIntUnit? = nil) throws -> Float {
            try FpIntDotProduct.dot(a: h(a), b: h(b), format: .fp16, unit: n ?? u)
        }
        #expect(try dot([.infinity, 1], [2, 1]) == .infinity)
        #expect(try dot([.infinity, 1], [-2, 1]) == -.infinity)
        #expect(try dot([.infinity, 0x1p-24], [1, 1]) == .infinity)
        #expect(try dot([.infinity, 1], [0, 1]).isNaN)
        #expect(try dot([.infinity, .infinity], [1, -1]).isNaN)
        #expect(try dot([.nan, 1], [1, 1]).isNaN)
        #expect(try dot([.nan, .infinity], [0, 1]).isNaN)
        // +Inf in one K-tile and −Inf in the next: the FP32 accumulator gives NaN.
        #expect(try dot([.infinity, .infinity], [1, -1], unit(1, 8)).isNaN)
        #expect(MxFloat32.bits(try dot([.nan], [1])) == 0x7FC0_0000)
        let g = try FpIntDotProduct.group(a: h([.infinity, 1]), b: h([0, 1]), format: .fp16, unit: u)
        #expect(g.lanes.map(\.kind) == [.nan, .finite] && g.passes.isEmpty)
        // E4M3: 0x7F is NaN, there is no Inf; E5M2 0x7C is +Inf.
        #expect(FpIntFloatFormat.fp8e4m3.decode(0x7F).kind == .nan && FpIntFloatFormat.fp8e4m3.value(0x7E) == 448)
        #expect(FpIntFloatFormat.fp8e5m2.decode(0x7C).kind == .infinity)
    }

    @Test("exact alignment sums across a 233-binade BF16 spread; S = 8 flushes the small product")
    func wideSpread() throws {
        let a = bf([0x1p100, 0x1p-100, -0x1p100]), b = bf([0x1p27, 0x1p-33, 0x1p27])
        #expect(try FpIntDotProduct.dot(a: a, b: b, format: .bf16, unit: unit(3, nil)) == 0x1p-133)
        #expect(try FpIntDotProduct.dot(a: a, b: b, format: .bf16, unit: unit(3, 8)).bitPattern == 0)
        // A sticky bit far below decides a tie: 1 + 2^-24 + 2^-200 rounds up to 1 + 2^-23.
        let t = bf([1, 0x1p-24, 0x1p-100]), u = bf([1, 1, 0x1p-100])
        #expect(try FpIntDotProduct.dot(a: t, b: u, format: .bf16, unit: unit(3, nil)) == 1 + 0x1p-23)
        #expect(try FpIntDotProduct.dot(a: t, b: u, format: .bf16, unit: unit(3, 16)) == 1)
    }

    @Test("bad input is one line, never a crash")
    func badInput() throws {
        #expect(throws: FpIntError("S = 0 is out of range (1…48, or exact)")) { try FpIntUnit(lanes: 4, shiftCapacity: 0) }
        #expect(throws: FpIntError.self) { try FpIntUnit(lanes: 4, shiftCapacity: 49) }
        #expect(throws: FpIntError("N = 0 lanes is out of range (1…256)")) { try FpIntUnit(lanes: 0, shiftCapacity: 8) }
        #expect(throws: FpIntError.self) { try FpIntUnit(lanes: 257, shiftCapacity: 8) }
        let u = try unit(2, 8)
        #expect(throws: FpIntError.self) { try FpIntDotProduct.dot(a: [0x10000], b: [0], format: .fp16, unit: u) }
        #expect(throws: FpIntError.self) { try FpIntDotProduct.dot(a: [1, 2], b: [0], format: .fp16, unit: u) }
        #expect(throws: FpIntError.self) { try FpIntDotProduct.group(a: [1, 2, 3], b: [1, 2, 3], format: .fp16, unit: u) }
        #expect(throws: FpIntError.self) { try FpIntDotProduct.group(a: [1], b: [1], format: .fp16, unit: unit(2, nil)) }
        #expect(throws: FpIntError.self) { try FpIntIntegerDot.dot(a: [128], b: [1], format: .int8, unit: u) }
        // Refused when told the values are representable; cast (RNE) otherwise.
        #expect(throws: FpIntError.self) { try FpIntDotProduct.codes([0.1], format: .fp16, cast: false) }
        #expect(throws: FpIntError.self) { try FpIntDotProduct.codes([.infinity], format: .fp8e4m3, cast: false) }
        #expect(throws: FpIntError.self) { try FpIntDotProduct.codes([70000], format: .fp16, cast: false) }
        // An inexact value past the range is refused as out of range, never as rounding to a finite value.
        #expect { try FpIntDotProduct.codes([54102.3], format: .fp8e4m3, cast: false) } throws: {
            "\($0)".contains("beyond the largest finite value") }
        #expect { try FpIntDotProduct.codes([0.3], format: .fp8e4m3, cast: false) } throws: { "\($0)".contains("would round to 0.3125") }
        #expect(try FpIntDotProduct.codes([0.1, 70000, .nan], format: .fp16, cast: true) == [0x2E66, 0x7C00, 0x7E00])
        #expect(try FpIntDotProduct.codes([500, 464, 465], format: .fp8e4m3, cast: true) == [0x7F, 0x7E, 0x7F])
    }

    @Test("encode/decode round-trips every code; FP16 casts agree with Float16")
    func coding() throws {
        for format in FpIntFloatFormat.allCases {
            for code in 0 ..< 1 << format.bits where format.decode(code).kind != .nan {
                #expect(try format.encode(format.value(code), cast: false) == code, "\(format) \(code)")
            }
        }
        var rng = SplitMix64(seed: 27)
        for _ in 0 ..< 20000 {
            let x = Double(bitPattern: rng.next() & 0xBFFF_FFFF_FFFF_FFFF | 0x3E00_0000_0000_0000) // |x| in 2^-31 … 1, both signs
            #expect(try FpIntFloatFormat.fp16.encode(x, cast: true) == Int(Float16(x).bitPattern), "\(x)")
        }
    }
}
