import AntgenGolden
import AntgenNumerics
import Foundation
import Testing

/// The golden generator: value semantics against the spec's (s, M, E) decode and nibble
/// split (a structurally different path), wrap, coverage of the case sources, determinism.
@Suite struct GoldenModelTests {
    static func config(_ rows: Int = 4, _ cols: Int = 4, w: Int = 32, int8: Bool = true, bits: Int = 4,
                       types: [AntType] = AntType.allCases) throws -> ArrayConfiguration {
        try ArrayConfiguration(rows: rows, cols: cols, codeWidth: bits, accumulatorWidth: w, activationTypes: types,
                               weightTypes: types, int8: int8)
    }

    /// Spec §3 by the hardware's own route: (−1)^(sa⊕sw)·Ma·Mw·2^(Ea+Ew), and int8 as four
    /// nibble-term products; must equal the model's decode-and-multiply for every pair.
    @Test func productsMatchTheStructuralDecode() throws {
        let model = try GoldenModel(configuration: Self.config(1, 1))
        let c = model.configuration
        for a in c.activationModes where !a.int8 {
            for w in c.weightModes where !w.int8 {
                let fa = try a.format(codeWidth: 4), fw = try w.format(codeWidth: 4)
                for x in 0..<16 {
                    for y in 0..<16 {
                        let da = try fa.hardwareDecode(code: x), dw = try fw.hardwareDecode(code: y)
                        var p = (da.mantissa * dw.mantissa) << (da.shift + dw.shift)
                        if da.sign != dw.sign { p = -p }
                        let got = model.signedValue(model.expected(a: [[UInt64(x)]], w: [[UInt64(y)]], activation: a, weight: w)[0][0])
                        #expect(Int(got) == p, "\(a) \(x) × \(w) \(y)")
                    }
                }
            }
        }
        for sa in [false, true] {
            for sw in [false, true] {
                let a = OperandMode(type: .int, signed: sa, int8: true), w = OperandMode(type: .int, signed: sw, int8: true)
                for x in stride(from: 0, to: 256, by: 3) {
                    for y in stride(from: 0, to: 256, by: 5) {
                        let vx = sa && x > 127 ? x - 256 : x, vy = sw && y > 127 ? y - 256 : y
                        let tx = try nibbleTerms(of: vx, signed: sa), ty = try nibbleTerms(of: vy, signed: sw)
                        var sum = 0
                        for p in [tx.high, tx.low] { for q in [ty.high, ty.low] { sum += (p.value * q.value) << (p.shift + q.shift) } }
                        let got = model.expected(a: [[UInt64(x)]], w: [[UInt64(y)]], activation: a, weight: w)[0][0]
                        #expect(Int(model.signedValue(got)) == sum)
                    }
                }
            }
        }
    }

    /// The W-bit wrap: a sum past 2^(W−1) comes back modulo 2^W.
    @Test func accumulatorWraps() throws {
        let model = try GoldenModel(configuration: Self.config(1, 1, w: 8, int8: false, types: [.int]))
        let u = OperandMode(type: .int, signed: false)
        // 15 · 15 · 3 = 675 ≡ 675 − 512 = 163 ≡ −93 (8 bits).
        let e = model.expected(a: [[15], [15], [15]], w: [[15], [15], [15]], activation: u, weight: u)[0][0]
        #expect(e == 675 & 0xFF)
        #expect(model.signedValue(e) == -93)
        #expect(model.wraps(a: [[15], [15], [15]], w: [[15], [15], [15]], activation: u, weight: u))
        // Native codes ignore the upper bits of an 8-bit port.
        let model8 = try GoldenModel(configuration: Self.config(1, 1, w: 16))
        #expect(model8.value(of: 0xF3, mode: u) == 3)
    }

    /// Source (a) covers every code pair of every mode pair exactly as the outer-product packing promises.
    @Test func exhaustiveCoversEveryPair() throws {
        let generator = try GoldenGenerator(configuration: Self.config(3, 5))
        let cases = try generator.cases(.exhaustive, count: 0, seed: 0)
        var seen: [String: Set<Int>] = [:]
        for g in cases {
            #expect(g.reduction == 1)
            for x in g.a[0] { for y in g.w[0] { seen["\(g.activation)|\(g.weight)", default: []].insert(Int(x) << 8 | Int(y)) } }
        }
        #expect(seen.count == 100)
        for (key, pairs) in seen {
            let expected = (key.hasPrefix("int/s/int8") || key.hasPrefix("int/u/int8") ? 256 : 16)
                * (key.hasSuffix("/int8") ? 256 : 16)
            #expect(pairs.count == expected, "\(key)")
        }
    }

    /// Source (b): all K classes, all precision pairs, corner codes and wraps occur.
    @Test func randomCasesCoverTheClasses() throws {
        let generator = try GoldenGenerator(configuration: Self.config(4, 6, w: 16))
        let cases = try generator.cases(.random, count: 200, seed: 42)
        #expect(cases.contains { $0.reduction == 1 })
        #expect(cases.contains { $0.reduction > 1 && $0.reduction < 4 })
        #expect(cases.contains { $0.reduction >= 24 })
        #expect(Set(cases.map { "\($0.activation.int8)\($0.weight.int8)" }).count == 4)
        #expect(cases.contains { $0.source == "corner" && $0.a.joined().contains(8) })
        let wraps = cases.filter { $0.source == "wrap" }
        #expect(!wraps.isEmpty)
        #expect(wraps.allSatisfy { generator.model.wraps(a: $0.a, w: $0.w, activation: $0.activation, weight: $0.weight) })
        #expect(cases.map(\.id) == Array(0..<200))
    }

    /// Source (c): real quantization picks types per operand and the dequantised GEMM
    /// tracks the FP32 GEMM (4-bit: within 35 %; int8: within 5 %).
    @Test func quantizedCasesReportFloatError() throws {
        let generator = try GoldenGenerator(configuration: Self.config(4, 4, w: 32))
        let cases = try generator.cases(.quantized, count: 24, seed: 3)
        #expect(cases.count == 24)
        for g in cases {
            let error = try #require(g.floatError)
            let limit = g.activation.int8 && g.weight.int8 ? 0.05 : 0.35
            #expect(error >= 0 && error < limit, "\(g.source) \(g.activation) × \(g.weight): \(error)")
        }
        #expect(cases.contains { !$0.activation.signed })
        #expect(cases.contains { $0.source == "quant-laplace" } && cases.contains { $0.source == "quant-gaussian" })
        let tags = Set(cases.flatMap { [$0.activation.tag(codeWidth: 4), $0.weight.tag(codeWidth: 4)] })
        #expect(tags.count >= 4, "ANT picked only \(tags)")
    }

    @Test func vectorFileRoundTrip() throws {
        let config = try Self.config(2, 3, w: 20)
        let generator = try GoldenGenerator(configuration: config)
        let cases = try generator.cases(.random, count: 20, seed: 8)
        let file = VectorFile(configuration: config, seed: 8, source: .random, cases: cases)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-golden-\(UUID().uuidString).hex")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let back = try VectorFile.read(from: url)
        #expect(back.configuration == config && back.seed == 8)
        #expect(back.cases.map(\.expected) == cases.map(\.expected))
        #expect(back.cases.map(\.a) == cases.map(\.a) && back.cases.map(\.w) == cases.map(\.w))
        #expect(generator.inconsistency(in: back) == nil)
        let text = file.text()
        #expect(text.hasPrefix("// antgen golden vectors, format v1"))
        #expect(text.contains("414e5447 // magic ANTG"))
    }

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        // Reference output of SplitMix64 for seed 0.
        var z = SplitMix64(seed: 0)
        #expect(z.next() == 0xE220_A839_7B1D_CDAF)
    }
}
