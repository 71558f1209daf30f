import Foundation
import Testing
@testable import AntgenNumerics

@Suite("MX block sums and accumulation (spec §5.5–5.6)")
struct MxDotProductTests {
    @Test("exact block-sum widths match the spec table")
    func widths() {
        let same = MxElementFormat.allCases.map { MxDotProduct.blockSumWidth($0, $0) }
        #expect(same == [14, 18, 24, 42, 70, 21])
        // Mixed: E2M1 × INT8: 32 · 12 · 128 = 49152 → 16 bits + sign.
        #expect(MxDotProduct.blockSumWidth(.fp4e2m1, .int8) == 17)
    }

    @Test("binary32 rounding of S · 2^e equals one Double rounding when S fits 53 bits")
    func roundingAgainstDouble() {
        var rng = SplitMix64(seed: 11)
        for trial in 0 ..< 20000 {
            let bits = Int(rng.next() % 53)
            var s = Int64(bitPattern: rng.next() >> UInt64(64 - max(bits, 1)))
            if trial % 2 == 0 { s = -s }
            let e = Int(rng.next() % 420) - 300
            // S and 2^e are exact doubles, so is their product (|e| < 1000); Float(Double) rounds once.
            let exact = Double(s) * pow(2, Double(e))
            let expected = Float(exact)
            let got = MxFloat32.rounded(Int128(s), exponent: e)
            #expect(got.bitPattern == expected.bitPattern || (s == 0 && got == 0), "S = \(s) e = \(e)")
        }
        // Ties to even at the subnormal boundary and overflow.
        #expect(MxFloat32.rounded(3, exponent: -151) == Float(bitPattern: 1))       // 0.75 ulp → 1 ulp
        #expect(MxFloat32.rounded(1, exponent: -150) == 0)                         // 0.5 ulp → 0 (even)
        #expect(MxFloat32.rounded(3, exponent: -150) == Float(bitPattern: 2))       // 1.5 ulp → 2
        #expect(MxFloat32.rounded(-1, exponent: -151).bitPattern == 0x8000_0000)   // −0
        #expect(MxFloat32.rounded(Int128(1) << 100, exponent: 28) == .infinity)
        #expect(MxFloat32.rounded((Int128(1) << 24) - 1, exponent: 104) == Float.greatestFiniteMagnitude)
        // 2^70 − 1 needs rounding with a carry into the next binade.
        #expect(MxFloat32.rounded((Int128(1) << 70) - 1, exponent: 0) == 0x1p70)
    }

    @Test("block sum by hand: FP4 × INT8 with scales, specials")
    func blockSums() {
        // a = [1.5, −6, 0.5] (E2M1 codes 3, 0xF, 1), b = [1, 1, −2] (INT8 64, 64, 0x80).
        let block = MxBlockSum(a: [3, 0xF, 1], formatA: .fp4e2m1, scaleA: MxScale(code: 128),
                               b: [64, 64, 0x80], formatB: .int8, scaleB: MxScale(code: 126))
        // Σ = 1.5 − 6 − 1 = −5.5, times X_A·X_B = 2 · 0.5 = 1.
        #expect(Double(block.sum) * pow(2, Double(block.exponent)) == -5.5)
        #expect(block.float == -5.5)
        let nanScale = MxBlockSum(a: [3], formatA: .fp4e2m1, scaleA: .nan, b: [64], formatB: .int8, scaleB: MxScale(code: 127))
        #expect(nanScale.float.isNaN)
        let infTimesZero = MxBlockSum(a: [0x7C], formatA: .fp8e5m2, scaleA: MxScale(code: 127), b: [0], formatB: .fp8e5m2, scaleB: MxScale(code: 127))
        #expect(infTimesZero.float.isNaN)
        let inf = MxBlockSum(a: [0x7C, 0x01], formatA: .fp8e5m2, scaleA: MxScale(code: 127), b: [0xBC, 0x01], formatB: .fp8e5m2, scaleB: MxScale(code: 127))
        #expect(inf.float == -.infinity)
        let both = MxBlockSum(a: [0x7C, 0xFC], formatA: .fp8e5m2, scaleA: MxScale(code: 127), b: [0x3C, 0x3C], formatB: .fp8e5m2, scaleB: MxScale(code: 127))
        #expect(both.float.isNaN)
        let e4m3NaN = MxBlockSum(a: [0x7F], formatA: .fp8e4m3, scaleA: MxScale(code: 127), b: [0], formatB: .fp8e4m3, scaleB: MxScale(code: 127))
        #expect(e4m3NaN.float.isNaN)
    }

    @Test("FP32 accumulation is left to right from −0; the window accumulator matches exact sums inside its window")
    func accumulation() {
        func block(_ value: Int, scale: Int) -> MxBlockSum {
            MxBlockSum(a: [value], formatA: .int8, scaleA: MxScale(code: scale), b: [64], formatB: .int8, scaleB: MxScale(code: 127))
        }
        // 2^24 + 1 + 1: left to right each +1 is lost to RNE; the exact sum is 2^24 + 2.
        let blocks = [block(64, scale: 127 + 24), block(64, scale: 127), block(64, scale: 127)]
        #expect(MxDotProduct.float32(blocks) == 0x1p24)
        #expect(MxDotProduct.windowed(blocks, window: 24, width: 64) == 0x1p24 + 2)
        // Beyond the window the small blocks are dropped.
        #expect(MxDotProduct.windowed(blocks, window: 16, width: 64) == 0x1p24)
        // An all-zero block gives −0 + +0 = +0; no block gives −0.
        #expect(MxDotProduct.float32([block(0, scale: 127)]).bitPattern == 0)
        #expect(MxDotProduct.float32([]).bitPattern == 0x8000_0000)
        // A rising exponent truncates the accumulator toward −∞: −1 · 2^−12, then 4 (exponent −10).
        let tiny = MxBlockSum(a: [0xFF], formatA: .int8, scaleA: MxScale(code: 127), b: [1], formatB: .int8, scaleB: MxScale(code: 127))
        let rising = [tiny, block(64, scale: 129)]
        // A = −1, r = −12; then A >> 2 = −1 (floor), r = −10, A + 4096 = 4095: 4095 · 2^−10.
        #expect(MxDotProduct.windowed(rising, window: 0, width: 32) == 4095.0 / 1024)
        #expect(MxDotProduct.windowed(rising, window: 2, width: 32) == 4 - 0x1p-12)
        // Specials are sticky.
        #expect(MxDotProduct.windowed([tiny, MxBlockSum(a: [1], formatA: .int8, scaleA: .nan, b: [1], formatB: .int8, scaleB: MxScale(code: 1))], window: 4, width: 32).isNaN)
    }
}
