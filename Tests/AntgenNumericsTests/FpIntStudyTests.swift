import Foundation
import Testing
@testable import AntgenNumerics

@Suite("FP-on-INT layer study: the all-S fast path equals the reference per S")
struct FpIntStudyTests {
    @Test("FpIntLayerDots = FpIntDotProduct.dot for every S and exact, on Gaussian data with outliers",
          arguments: [FpIntFloatFormat.fp16, .bf16])
    func fastPathMatches(format: FpIntFloatFormat) throws {
        var rng = SplitMix64(seed: 2027)
        let tokens = 3, outputs = 4, k = 37, lanes = 8
        func value(_ i: Int) -> Double {
            let u = Double(rng.next() % 1_000_000) / 1_000_000 - 0.5
            return i % 11 == 0 ? u * 300 : (i % 7 == 0 ? u * 1e-6 : (i % 13 == 0 ? 0 : u))
        }
        let x = (0 ..< tokens * k).map(value), w = (0 ..< outputs * k).map(value)
        let xc = try FpIntDotProduct.codes(x, format: format, cast: true), wc = try FpIntDotProduct.codes(w, format: format, cast: true)
        let shifts: [Int?] = [1, 4, 8, 16, nil]
        let dots = FpIntLayerDots(x: xc.map(format.decode), w: wc.map(format.decode), tokens: tokens, outputs: outputs, k: k,
                                  format: format, lanes: lanes, shifts: shifts)
        for (i, s) in shifts.enumerated() {
            let unit = try FpIntUnit(lanes: lanes, shiftCapacity: s)
            for t in 0 ..< tokens {
                for n in 0 ..< outputs {
                    let want = try FpIntDotProduct.dot(a: Array(xc[t * k ..< (t + 1) * k]), b: Array(wc[n * k ..< (n + 1) * k]), format: format, unit: unit)
                    #expect(dots.values[i][t * outputs + n].bitPattern == want.bitPattern, "S = \(String(describing: s)) t = \(t) n = \(n)")
                }
            }
        }
        #expect(dots.flushed[0] > dots.flushed[3] && dots.flushed[4] == 0)
        #expect(dots.groups == tokens * outputs * 5)
    }

    @Test("study rows: exact alignment reaches the cast floor; a non-finite tensor is one line")
    func rows() throws {
        let x: [Double] = [1, 0.5, -0.25, 1e-5], w: [Double] = [0.5, 1, 2, 3, -1, 0.125, 0.25, 1e-6]
        let rows = try FpIntStudy.rows(layer: "l", x: x, w: w, tokens: 1, outputs: 2, k: 4, formats: [.fp16], lanes: 4, shifts: [4, nil])
        #expect(rows.count == 2 && rows[1].shift == nil && rows[1].flushedFraction == 0)
        #expect(rows[0].flushedFraction > 0)
        #expect(throws: FpIntError.self) {
            try FpIntStudy.rows(layer: "l", x: [.nan], w: [1], tokens: 1, outputs: 1, k: 1, formats: [.fp16], lanes: 4, shifts: [8])
        }
    }
}
