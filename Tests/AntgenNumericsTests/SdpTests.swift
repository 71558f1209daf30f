import Testing
@testable import AntgenNumerics

/// An independent statement of the tie order (spec §8.3) as a tuple comparison:
/// (magnitude, −position, high) compared lexicographically, larger first.
private func key(_ t: SdpTerm) -> (Int, Int, Int) { (t.magnitude, -t.position, t.isHigh ? 1 : 0) }

/// All 2G parts of a group built by hand arithmetic (not through `sdpParts`).
private func handParts(_ values: [Int], group: Int) -> [SdpTerm] {
    (0..<group).flatMap { p -> [SdpTerm] in
        let x = p < values.count ? values[p] : 0
        let m = abs(x)
        return [SdpTerm(position: p, isHigh: true, negative: x < 0, digit: m / 16, shift: 4),
                SdpTerm(position: p, isHigh: false, negative: x < 0, digit: m % 16, shift: 0)]
    }
}

@Suite("SDP term selection (spec §8)")
struct SdpSelectionTests {
    @Test("sign-magnitude split by hand")
    func split() throws {
        let (h1, l1) = try sdpParts(of: -1, position: 0, signed: true)
        #expect(h1.digit == 0 && l1.digit == 1 && l1.negative && l1.value == -1 && h1.value == 0)
        let (h2, l2) = try sdpParts(of: -128, position: 3, signed: true)
        #expect(h2.digit == 8 && h2.shift == 4 && h2.value == -128 && l2.digit == 0)
        let (h3, l3) = try sdpParts(of: 0xAB, position: 1, signed: false)
        #expect(h3.digit == 10 && l3.digit == 11 && h3.value + l3.value == 0xAB)
        #expect(throws: SdpError.self) { try sdpParts(of: 128, position: 0, signed: true) }
        #expect(throws: SdpError.self) { try sdpParts(of: -1, position: 0, signed: false) }
    }

    @Test("hand-computed selections, ties and zero parts")
    func handCases() throws {
        let p3 = try SdpParameters(group: 4, terms: 3)
        // Parts: 32 (H@1), 16 (−H@2), 8 (L@1), 3 (L@0), 1 (−L@2), zeros.
        let kept = try sdpSelect([3, 40, -17, 0], signed: true, parameters: p3)
        #expect(kept.map(\.value) == [32, -16, 8])
        #expect(kept.map(\.position) == [1, 2, 1])
        #expect(try sdpKeptValues([3, 40, -17, 0], signed: true, parameters: p3) == [0, 40, -16, 0])
        // Equal magnitudes: the lower position wins.
        let p2 = try SdpParameters(group: 4, terms: 2)
        #expect(try sdpKeptValues([5, 5, 5, 5], signed: false, parameters: p2) == [5, 5, 0, 0])
        // A value with H = 0 keeps its low part while a larger value loses its own.
        #expect(try sdpKeptValues([18, 3, 0, 0], signed: false, parameters: p2) == [16, 3, 0, 0])
        #expect(try sdpKeptValues([20, 3, 0, 0], signed: false, parameters: p2) == [20, 0, 0, 0])
        // Fewer nonzero parts than T: zero parts fill the budget (high part of position 0 first).
        let zeros = try sdpSelect([0, 0], signed: true, parameters: SdpParameters(group: 2, terms: 1))
        #expect(zeros == [SdpTerm(position: 0, isHigh: true, negative: false, digit: 0, shift: 4)])
        // Zero parts tie: position before part kind, so L@0 (zero) precedes H@1 (zero).
        let one = try sdpSelect([16, 0], signed: false, parameters: SdpParameters(group: 2, terms: 2))
        #expect(one.map(\.isHigh) == [true, false] && one.map(\.position) == [0, 0])
    }

    @Test("brute force over every T-subset: exactly one subset dominates, and it is the selection")
    func bruteForce() throws {
        var rng = SplitMix64(seed: 18)
        for trial in 0..<300 {
            let g = [2, 4][trial % 2]
            let signed = trial % 3 != 0
            // Small ranges make many ties.
            let values = (0..<g).map { _ in
                signed ? Int.random(in: (trial % 5 == 0 ? -20 : -128)...(trial % 5 == 0 ? 20 : 127), using: &rng)
                       : Int.random(in: 0...(trial % 5 == 0 ? 40 : 255), using: &rng)
            }
            let parts = handParts(values, group: g)
            for t in 1...(2 * g) {
                var dominating: [Int] = []
                for mask in 0..<(1 << (2 * g)) where mask.nonzeroBitCount == t {
                    let kept = parts.indices.filter { mask >> $0 & 1 == 1 }
                    let dropped = parts.indices.filter { mask >> $0 & 1 == 0 }
                    if kept.allSatisfy({ k in dropped.allSatisfy { key(parts[k]) > key(parts[$0]) } }) { dominating.append(mask) }
                }
                #expect(dominating.count == 1)
                let expected = Set(parts.indices.filter { dominating[0] >> $0 & 1 == 1 }.map { parts[$0] })
                let got = try sdpSelect(values, signed: signed, parameters: SdpParameters(group: g, terms: t))
                #expect(Set(got) == expected, "values \(values) T \(t)")
                #expect(got.count == t)
            }
        }
    }

    @Test("dot products: T = 2G is exact; otherwise exact minus the dropped parts")
    func dotProducts() throws {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<200 {
            let g = [2, 4, 8, 16][trial % 4]
            let k = Int.random(in: 1...40, using: &rng)
            let a = (0..<k).map { _ in Int.random(in: -128...127, using: &rng) }
            let w = (0..<k).map { _ in Int.random(in: -128...127, using: &rng) }
            let exact = zip(a, w).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(try sdpDot(a, w, signed: true, parameters: SdpParameters(group: g, terms: 2 * g)) == exact)
            let t = Int.random(in: 1...(2 * g), using: &rng)
            let p = try SdpParameters(group: g, terms: t)
            // Independent: dropped parts of each group from the hand parts and the tuple order.
            var dropped = 0
            for start in stride(from: 0, to: k, by: g) {
                let chunk = Array(a[start..<min(k, start + g)])
                let ordered = handParts(chunk, group: g).sorted { key($0) > key($1) }
                for part in ordered.dropFirst(t) where part.position < chunk.count {
                    dropped += (part.negative ? -part.magnitude : part.magnitude) * w[start + part.position]
                }
            }
            #expect(try sdpDot(a, w, signed: true, parameters: p) == exact - dropped)
        }
    }

    @Test("the fast matrix mask equals the per-group reference on both axes")
    func matrixMask() throws {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<40 {
            let g = [2, 4, 8, 16][trial % 4]
            let rows = Int.random(in: 1...9, using: &rng), cols = Int.random(in: 1...37, using: &rng)
            let signed = trial % 2 == 0
            let m = (0..<(rows * cols)).map { _ in signed ? Int.random(in: -128...127, using: &rng) : Int.random(in: 0...255, using: &rng) }
            let p = try SdpParameters(group: g, terms: Int.random(in: 1...(2 * g), using: &rng))
            for axis in SdpGroupAxis.allCases {
                let masked = try sdpMask(m, rows: rows, cols: cols, signed: signed, parameters: p, axis: axis)
                var expected = Array(repeating: 0, count: m.count)
                var nonzeroParts = 0
                let lines = axis == .columns ? rows : cols, length = axis == .columns ? cols : rows
                for line in 0..<lines {
                    for start in stride(from: 0, to: length, by: g) {
                        let idx = (start..<min(length, start + g)).map { axis == .columns ? line * cols + $0 : $0 * cols + line }
                        let kept = try sdpKeptValues(idx.map { m[$0] }, signed: signed, parameters: p)
                        for (i, v) in zip(idx, kept) { expected[i] = v }
                    }
                }
                for x in m { nonzeroParts += (abs(x) / 16 != 0 ? 1 : 0) + (abs(x) % 16 != 0 ? 1 : 0) }
                #expect(masked.values == expected)
                let s = masked.statistics
                #expect(s.values == m.count && s.keptNonzero + s.droppedNonzero == nonzeroParts && s.keptHigh + s.keptLow == s.keptNonzero)
                #expect(s.keptNonzero <= s.slots && s.slots == s.groups * p.terms)
            }
        }
    }

    @Test("parameter validation")
    func validation() {
        #expect(throws: SdpError.self) { try SdpParameters(group: 8, terms: 17) }
        #expect(throws: SdpError.self) { try SdpParameters(group: 8, terms: 0) }
        #expect(throws: SdpError.self) { try SdpSplit(totalBits: 8, lowBits: 8) }
        #expect((try? SdpParameters(group: 8, terms: 12))?.averageBits == 6)
    }
}

@Suite("DRQ-style baseline and the uniform quantizer (spec §8.7)")
struct DrqBaselineTests {
    @Test("low precision is the rounded, saturated high part")
    func lowPrecision() {
        #expect(drqLowPrecision(23, signed: true) == 16)
        #expect(drqLowPrecision(24, signed: true) == 32)
        #expect(drqLowPrecision(-24, signed: true) == -32)
        #expect(drqLowPrecision(127, signed: true) == 112)
        #expect(drqLowPrecision(-128, signed: true) == -128)
        #expect(drqLowPrecision(250, signed: false) == 240)
        #expect(drqLowPrecision(7, signed: false) == 0)
    }

    @Test("threshold picks the highest-mean blocks to meet the terms target")
    func threshold() throws {
        // 1 × 2 blocks with means 1, 50, 10, 100 → half the values at 8 bits: blocks 100 and 50.
        let m = [1, 1, 50, 50, 10, 10, 100, 100]
        let r = try drqMask(m, rows: 1, cols: 8, signed: true, blockRows: 1, blockCols: 2, termsPerValue: 1.5)
        #expect(r.sensitiveBlocks == 2 && r.threshold == 50 && r.termsPerValue == 1.5)
        #expect(r.values == [0, 0, 50, 50, 16, 16, 100, 100])
        let all4 = try drqMask(m, rows: 1, cols: 8, signed: true, blockRows: 1, blockCols: 2, termsPerValue: 1)
        #expect(all4.sensitiveBlocks == 0 && all4.values == m.map { drqLowPrecision($0, signed: true) })
        let all8 = try drqMask(m, rows: 2, cols: 4, signed: true, blockRows: 2, blockCols: 2, termsPerValue: 2)
        #expect(all8.values == m && all8.termsPerValue == 2)
    }

    @Test("uniform quantizer: data on a grid is found exactly")
    func uniform() {
        let grid = (-127...127).map { Double($0) * 0.5 }
        let q = uniformQuantize(grid, bits: 8)
        #expect(q.signed && q.scale == 0.5 && q.codes == Array(-127...127))
        let positive = uniformQuantize([0, 1, 2, 3], bits: 2)
        #expect(!positive.signed && positive.codes == [0, 1, 2, 3])
    }
}
