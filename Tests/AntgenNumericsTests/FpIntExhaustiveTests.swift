import Foundation
import Testing
@testable import AntgenNumerics

/// An FP8 decoder written independently of FpIntFloatFormat: (value, unbiased exponent).
private func fp8(_ c: Int, e4m3: Bool) -> (value: Double, exponent: Int) {
    let mbits = e4m3 ? 3 : 2, bias = e4m3 ? 7 : 15
    let field = (c & 0x7F) >> mbits, fraction = c & ((1 << mbits) - 1)
    let sign: Double = c & 0x80 != 0 ? -1 : 1
    if e4m3 && field == 15 && fraction == 7 { return (.nan, 0) }
    if !e4m3 && field == 31 { return (fraction == 0 ? sign * .infinity : .nan, 0) }
    let exponent = field == 0 ? 1 - bias : field - bias
    let significand = Double(field == 0 ? fraction : fraction + (1 << mbits))
    return (sign * significand * pow(2, Double(exponent - mbits)), exponent)
}

/// The documented group rule computed independently: Double products (exact for FP8 and
/// FP16); NaN/Inf and all-zero groups by IEEE Double addition from −0; otherwise the exact
/// sum (Int128 in units 2^-scale) of the nonzero products with e_max − e ≤ 2S, rounded once by
/// Float(Int128) and scaled (exact: every such sum is far from binary32's subnormal range).
private func expectedGroup(_ products: [(p: Double, e: Int)], s: Int?, scale: Int) -> Float {
    if products.contains(where: { !$0.p.isFinite }) || products.allSatisfy({ $0.p == 0 }) {
        return Float(products.map(\.p).reduce(-0.0, +))
    }
    let eMax = products.filter { $0.p != 0 }.map(\.e).max()!
    var sum: Int128 = 0
    for (p, e) in products where p != 0 && (s == nil || eMax - e <= 2 * s!) {
        sum += Int128(p * pow(2, Double(scale)))
    }
    return Float(sum) * Float(pow(2, Double(-scale)))
}

private func same(_ x: Float, _ y: Float) -> Bool { x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern }

/// One code pair per distinct lane product (class, sign, significand product, exponent):
/// a lane's whole contribution depends on nothing else for FP8 (one nibble).
private func productRepresentatives(e4m3: Bool) -> [(a: Int, b: Int)] {
    var seen = Set<String>(), out: [(a: Int, b: Int)] = []
    for a in 0 ..< 256 {
        for b in 0 ..< 256 {
            let x = fp8(a, e4m3: e4m3), y = fp8(b, e4m3: e4m3)
            let p = x.value * y.value
            let key = p.isNaN ? "nan" : (p == 0 || p.isInfinite) ? "\(p)" : "\(p) \(x.exponent + y.exponent)"
            if seen.insert(key).inserted { out.append((a, b)) }
        }
    }
    return out
}

@Suite("FP-on-INT unit: exhaustive FP8, INT4, sampled INT8/INT16 and FP16 (numeric-formats §9)")
struct FpIntExhaustiveTests {
    @Test("Float(Int128) rounds to nearest even (the oracle's one rounding)")
    func oracleRounding() {
        #expect(Float((Int128(1) << 70) + (Int128(1) << 46)) == 0x1p70)
        #expect(Float((Int128(1) << 70) + (Int128(3) << 46)) == 0x1p70 + 0x1p48)
        #expect(Float((Int128(1) << 70) + (Int128(1) << 46) + 1) == 0x1p70 + 0x1p47)
    }

    @Test("FP8 × FP8, N = 1: every code pair, stages and rule against the independent value", arguments: [true, false])
    func fp8Single(e4m3: Bool) throws {
        let format: FpIntFloatFormat = e4m3 ? .fp8e4m3 : .fp8e5m2
        let u = try FpIntUnit(lanes: 1, shiftCapacity: 3), exact = try FpIntUnit(lanes: 1, shiftCapacity: nil)
        var failures = 0
        for a in 0 ..< 256 {
            for b in 0 ..< 256 {
                let x = fp8(a, e4m3: e4m3), y = fp8(b, e4m3: e4m3)
                let want = expectedGroup([(x.value * y.value, x.exponent + y.exponent)], s: nil, scale: 40)
                let traced = try FpIntDotProduct.group(a: [a], b: [b], format: format, unit: u).result
                let rule = try FpIntDotProduct.dot(a: [a], b: [b], format: format, unit: exact)
                if !same(traced, want) || !same(rule, want) { failures += 1 }
            }
        }
        #expect(failures == 0)
    }

    @Test("FP8 × FP8, N = 2: every distinct lane product against every 7th, S = 3 (both windows, flushes)", arguments: [true, false])
    func fp8Pairs(e4m3: Bool) throws {
        let format: FpIntFloatFormat = e4m3 ? .fp8e4m3 : .fp8e5m2
        let reps = productRepresentatives(e4m3: e4m3)
        let u = try FpIntUnit(lanes: 2, shiftCapacity: 3)
        let lanes = reps.map { r in
            let x = fp8(r.a, e4m3: e4m3), y = fp8(r.b, e4m3: e4m3)
            return (p: x.value * y.value, e: x.exponent + y.exponent)
        }
        let x = reps.map { format.decode($0.a) }, y = reps.map { format.decode($0.b) }
        var failures = 0, traced = 0
        for i in reps.indices {
            for j in stride(from: i % 7, to: reps.count, by: 7) {
                let want = expectedGroup([lanes[i], lanes[j]], s: 3, scale: 40)
                let got = FpIntDotProduct.groupValue([x[i], x[j]][...], [y[i], y[j]][...], format: format, shiftCapacity: 3)
                if !same(got, want) { failures += 1 }
                if (i * reps.count + j) % 29 == 0 {  // the staged path on a spread-out sample
                    traced += 1
                    let g = try FpIntDotProduct.group(a: [reps[i].a, reps[j].a], b: [reps[i].b, reps[j].b], format: format, unit: u)
                    if !same(g.result, want) { failures += 1 }
                }
            }
        }
        #expect(reps.count > (e4m3 ? 3000 : 1800))
        #expect(traced > 5000)
        #expect(failures == 0)
    }

    @Test("INT4: every pair (N = 1) and every pair of pairs (N = 2) equals Int arithmetic")
    func int4Exhaustive() throws {
        let one = try FpIntUnit(lanes: 1, shiftCapacity: 8), two = try FpIntUnit(lanes: 2, shiftCapacity: 8)
        let values = Array(-8 ... 7)
        var failures = 0
        for a in values {
            for b in values {
                if try FpIntIntegerDot.dot(a: [a], b: [b], format: .int4, unit: one) != a * b { failures += 1 }
                for c in values {
                    for d in values where try FpIntIntegerDot.dot(a: [a, c], b: [b, d], format: .int4, unit: two) != a * b + c * d {
                        failures += 1
                    }
                }
            }
        }
        #expect(failures == 0)
    }

    @Test("INT8 and INT16 sampled: random lengths and N against Int arithmetic", arguments: [FpIntIntegerFormat.int8, .int16])
    func integerSampled(format: FpIntIntegerFormat) throws {
        var rng = SplitMix64(seed: 2701)
        let span = UInt64(format.range.count)
        for trial in 0 ..< 3000 {
            let k = 1 + Int(rng.next() % 40), n = [1, 3, 4, 16][trial % 4]
            let a = (0 ..< k).map { _ in Int(rng.next() % span) + format.range.lowerBound }
            let b = (0 ..< k).map { _ in trial % 7 == 0 ? format.range.lowerBound : Int(rng.next() % span) + format.range.lowerBound }
            let want = zip(a, b).map { $0 * $1 }.reduce(0, +)
            #expect(try FpIntIntegerDot.dot(a: a, b: b, format: format, unit: FpIntUnit(lanes: n, shiftCapacity: 8)) == want)
        }
    }

    @Test("FP16, exact alignment (and S = 29 ≥ spread/2): the correctly rounded binary32 of the exact dot")
    func fp16Exact() throws {
        var rng = SplitMix64(seed: 16)
        var failures = 0
        for trial in 0 ..< 4000 {
            let n = 1 + trial % 8
            let a = (0 ..< n).map { _ in Int(rng.next() % 0x7C00) | (rng.next() % 2 == 0 ? 0 : 0x8000) }
            let b = (0 ..< n).map { _ in Int(rng.next() % 0x7C00) | (rng.next() % 2 == 0 ? 0 : 0x8000) }
            let products = zip(a, b).map { x, y -> (p: Double, e: Int) in
                let fx = Float16(bitPattern: UInt16(x)), fy = Float16(bitPattern: UInt16(y))
                func e(_ f: Float16) -> Int { f.isNormal ? Int(f.exponent) : -14 }
                return (Double(fx) * Double(fy), e(fx) + e(fy))
            }
            let want = expectedGroup(products, s: nil, scale: 48)
            let exact = try FpIntDotProduct.dot(a: a, b: b, format: .fp16, unit: FpIntUnit(lanes: n, shiftCapacity: nil))
            let wide = try FpIntDotProduct.group(a: a, b: b, format: .fp16, unit: FpIntUnit(lanes: n, shiftCapacity: 29)).result
            if !same(exact, want) || !same(wide, want) { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test("staged = rule, K-tiles accumulate in FP32, every stage fits its documented width",
          arguments: [FpIntFloatFormat.fp16, .bf16, .fp8e4m3, .fp8e5m2])
    func stagesAndWidths(format: FpIntFloatFormat) throws {
        var rng = SplitMix64(seed: 99)
        func code(_ base: Int) -> Int {
            let top = (1 << format.exponentBits) - 2
            let field = min(max(base + Int(rng.next() % 13) - 6, 0), top)
            return Int(rng.next() % 2) << (format.bits - 1) | field << format.fractionBits | Int(rng.next() % (1 << UInt64(format.fractionBits)))
        }
        func fits(_ v: Int128, _ w: Int) -> Bool { v >= -(Int128(1) << (w - 1)) && v < Int128(1) << (w - 1) }
        for trial in 0 ..< 400 {
            let s = [1, 4, 8, 13][trial % 4], n = [16, 5, 1][trial % 3], k = 1 + trial % 40
            let base = (1 << (format.exponentBits - 1)) - 1
            let a = (0 ..< k).map { _ in code(base) }, b = (0 ..< k).map { _ in code(base) }
            let u = try FpIntUnit(lanes: n, shiftCapacity: s)
            let t = try FpIntDotProduct.trace(a: a, b: b, format: format, unit: u)
            #expect(same(t.result, try FpIntDotProduct.dot(a: a, b: b, format: format, unit: u)))
            var acc: Float = -0.0
            for (g, partial) in zip(t.groups, t.partials) {
                acc += g.result
                #expect(same(acc, partial))
                #expect(g.passes.allSatisfy { p in p.terms.allSatisfy { fits($0, u.termWidth(s)) } && fits(p.treeSum, u.treeWidth(s)) })
                #expect(fits(g.accumulator, u.accumulatorWidth(s, format: format)))
            }
        }
    }
}
