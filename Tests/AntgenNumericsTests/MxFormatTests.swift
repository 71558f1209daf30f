import Foundation
import Testing
@testable import AntgenNumerics

/// Independent model of an OCP FP element from its bit fields: the IEEE-style fraction
/// formula (−1)^s · 2^(e−bias) · (1 + m/2^mb), subnormal 2^(1−bias) · m/2^mb.
private func fieldValue(code: Int, eb: Int, mb: Int) -> Double {
    let bits = 1 + eb + mb
    let s = (code >> (bits - 1)) & 1
    let e = (code >> mb) & ((1 << eb) - 1)
    let m = code & ((1 << mb) - 1)
    let bias = Double((1 << (eb - 1)) - 1)
    let fraction = Double(m) / pow(2, Double(mb))
    let magnitude = e == 0 ? pow(2, 1 - bias) * fraction : pow(2, Double(e) - bias) * (1 + fraction)
    return s == 1 ? -magnitude : magnitude
}

@Suite("MX element formats (spec §5.1–5.2)")
struct MxFormatTests {
    static let fields: [(MxElementFormat, Int, Int)] = [
        (.fp4e2m1, 2, 1), (.fp6e2m3, 2, 3), (.fp6e3m2, 3, 2), (.fp8e4m3, 4, 3), (.fp8e5m2, 5, 2),
    ]

    @Test("every FP code decodes to the bit-field value; (M, E) reproduces it", arguments: fields.indices)
    func exhaustiveDecode(index: Int) {
        let (format, eb, mb) = Self.fields[index]
        let unit = pow(2.0, Double(format.unitExponent))
        for code in 0 ..< (1 << format.bits) {
            let e = (code >> mb) & ((1 << eb) - 1)
            let m = code & ((1 << mb) - 1)
            let decoded = format.decode(code)
            if format == .fp8e5m2, e == 31 {
                #expect(decoded.kind == (m == 0 ? .infinity : .nan), "E5M2 code \(code)")
                continue
            }
            if format == .fp8e4m3, e == 15, m == 7 {
                #expect(decoded.kind == .nan, "E4M3 code \(code)")
                continue
            }
            let expected = fieldValue(code: code, eb: eb, mb: mb)
            #expect(decoded.kind == .finite)
            #expect(format.value(code) == expected, "\(format) code \(code)")
            let fromME = Double(decoded.mantissa) * pow(2, Double(decoded.shift)) * unit
            #expect(fromME == expected.magnitude, "\(format) code \(code) (M, E) = (\(decoded.mantissa), \(decoded.shift))")
            #expect(decoded.sign == (code >> (format.bits - 1) == 1))
            #expect(decoded.mantissa <= format.maxMantissa && decoded.shift <= format.maxShift)
        }
    }

    @Test("hand cases from the OCP MX v1.0 tables")
    func handCases() {
        #expect(MxElementFormat.fp8e4m3.value(0x7E) == 448)
        #expect(MxElementFormat.fp8e4m3.value(0x7F).isNaN && MxElementFormat.fp8e4m3.value(0xFF).isNaN)
        #expect(MxElementFormat.fp8e4m3.value(0x01) == 0x1p-9)
        #expect(MxElementFormat.fp8e4m3.value(0x78) == 256)   // S.1111.000 is finite in E4M3
        #expect(MxElementFormat.fp8e5m2.value(0x7B) == 57344)
        #expect(MxElementFormat.fp8e5m2.value(0x7C) == .infinity && MxElementFormat.fp8e5m2.value(0xFC) == -.infinity)
        #expect(MxElementFormat.fp8e5m2.value(0x7D).isNaN)
        #expect(MxElementFormat.fp8e5m2.value(0x01) == 0x1p-16)
        #expect(MxElementFormat.fp6e3m2.value(0x1F) == 28 && MxElementFormat.fp6e3m2.value(0x01) == 0.0625)
        #expect(MxElementFormat.fp6e2m3.value(0x1F) == 7.5 && MxElementFormat.fp6e2m3.value(0x01) == 0.125)
        let fp4: [Double] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
        for code in 0 ..< 8 {
            #expect(MxElementFormat.fp4e2m1.value(code) == fp4[code])
            #expect(MxElementFormat.fp4e2m1.value(code | 8) == -fp4[code])
        }
        #expect(MxElementFormat.fp4e2m1.value(8).sign == .minus)   // −0
        #expect(MxElementFormat.int8.value(0x80) == -2.0)
        #expect(MxElementFormat.int8.decode(0x80) == MxDecodedElement(sign: true, mantissa: 128, shift: 0))
        #expect(MxElementFormat.int8.value(0x7F) == 1.984375 && MxElementFormat.int8.value(0x01) == 1.0 / 64)
        #expect(MxElementFormat.int8.value(0xFF) == -1.0 / 64)
        let maxima = MxElementFormat.allCases.map(\.maxFinite)
        #expect(maxima == [6, 7.5, 28, 448, 57344, 1.984375])
        #expect(MxElementFormat.allCases.map(\.maxExponent) == [2, 2, 4, 8, 15, 0])
    }

    @Test("RNE encoding agrees with a brute-force nearest search over every code", arguments: fields.indices)
    func bruteForceNearest(index: Int) {
        let format = Self.fields[index].0
        // Every finite non-negative code with its value, for the nearest search.
        let grid = (0 ..< (1 << (format.bits - 1))).filter { format.decode($0).kind == .finite }.map { ($0, format.value($0)) }
        var rng = SplitMix64(seed: UInt64(index) + 7)
        for trial in 0 ..< 3000 {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            // Log-uniform magnitudes over the whole range, plus exact midpoints every 5th trial.
            var x = format.maxFinite * 1.2 * pow(2, -u * 14)
            if trial % 5 == 0 {
                let i = Int(rng.next() % UInt64(grid.count - 1))
                x = (grid[i].1 + grid[i + 1].1) / 2
            }
            let best = grid.min { a, b in
                let da = abs(a.1 - x), db = abs(b.1 - x)
                return da < db || (da == db && a.0 & 1 == 0 && b.0 & 1 == 1)
            }!
            let expected = x > format.maxFinite ? grid.last!.0 : best.0
            #expect(format.encode(x) == expected, "\(format) x = \(x)")
            #expect(format.encode(-x) == expected | (1 << (format.bits - 1)), "\(format) x = \(-x)")
        }
    }

    @Test("overflow modes, ties away from zero, INT8 range")
    func roundingAndOverflow() {
        let sat = MxEncodingOptions()
        let ovf = MxEncodingOptions(overflow: .overflow)
        #expect(MxElementFormat.fp8e4m3.encode(464, options: sat) == 0x7E)   // tie to even: 448
        #expect(MxElementFormat.fp8e4m3.encode(464, options: ovf) == 0x7E)
        #expect(MxElementFormat.fp8e4m3.encode(465, options: ovf) == 0x7F)   // NaN
        #expect(MxElementFormat.fp8e4m3.encode(1e9, options: sat) == 0x7E)
        #expect(MxElementFormat.fp8e5m2.encode(-70000, options: ovf) == 0xFC)   // −Inf
        #expect(MxElementFormat.fp8e5m2.encode(-70000, options: sat) == 0xFB)
        #expect(MxElementFormat.fp8e5m2.encode(.infinity, options: ovf) == 0x7C)
        #expect(MxElementFormat.fp6e3m2.encode(1000, options: ovf) == 0x1F)   // FP6 always saturates
        let away = MxEncodingOptions(rounding: .nearestAway)
        #expect(MxElementFormat.fp4e2m1.encode(2.5) == 0x4 && MxElementFormat.fp4e2m1.encode(2.5, options: away) == 0x5)
        #expect(MxElementFormat.fp4e2m1.encode(0.25) == 0x0 && MxElementFormat.fp4e2m1.encode(0.25, options: away) == 0x1)
        #expect(MxElementFormat.fp4e2m1.encode(5) == 0x6 && MxElementFormat.fp4e2m1.encode(5, options: away) == 0x7)
        #expect(MxElementFormat.int8.encode(1.9921875) == 0x7F)
        #expect(MxElementFormat.int8.encode(-1.9921875) == 0x81)
        #expect(MxElementFormat.int8.encode(-1.9921875, options: MxEncodingOptions(int8Range: .full)) == 0x80)
        #expect(MxElementFormat.int8.encode(1.5 / 64) == 2 && MxElementFormat.int8.encode(2.5 / 64) == 2)
        #expect(MxElementFormat.int8.encode(2.5 / 64, options: away) == 3)
    }

    @Test("shared exponent, E8M0 and blocks along the last axis")
    func blocks() {
        #expect(MxScale(code: 0xFF).isNaN && MxScale(code: 0xFF).value.isNaN)
        #expect(MxScale(code: 127).value == 1 && MxScale(code: 0).value == 0x1p-127 && MxScale(code: 254).value == 0x1p127)
        #expect(MxScale(exponent: 128).isNaN && MxScale(exponent: -200).code == 0)
        #expect(MxScale.shared(amax: 5.9, format: .fp4e2m1).exponent == 0)
        #expect(MxScale.shared(amax: 0.5, format: .int8).exponent == -1)
        #expect(MxScale.shared(amax: 448, format: .fp8e4m3).exponent == 0)
        #expect(MxScale.shared(amax: 0, format: .fp8e4m3).code == 0)
        let quantizer = MxQuantizer(format: .fp4e2m1)
        let block = quantizer.quantizeBlock([0.3, -5.9, 1, 12.5][...])
        // amax 12.5: ⌊log2⌋ = 3, minus emax 2: X = 2; scaled 0.15, −2.95, 0.5, 6.25.
        #expect(block.scale.code == 128)
        #expect(block.codes == [0x0, 0x8 | 0x5, 0x1, 0x7])
        let zero = quantizer.quantizeBlock([0, 0, 0][...])
        #expect(zero.scale.code == 0 && zero.codes == [0, 0, 0])
        // Two rows of 40: blocks of 32 and 8 per row, four scales.
        let values = (0 ..< 80).map { Double($0 % 40) - 20 }
        let result = quantizer.quantize(values, shape: [2, 40])
        #expect(result.scaleShape == [2, 2] && result.scales.count == 4 && result.codes.count == 80)
        // Row 0, block 1 holds 12 … 19: amax 19 → X = 2^(4 − 2) = 4.
        #expect(result.scales[1] == 129)
        #expect(result.dequantized[39] == 16)   // 19 / 4 = 4.75 → 4 (FP4 has 4 and 6), times 4
    }
}
