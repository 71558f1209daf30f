import AntgenGolden
import AntgenNumerics
import Foundation
import Testing

/// The MX golden model against an independent float64 computation, and the coverage of
/// the MX case sources (docs/mx.md).
@Suite("MX golden model and cases")
struct MxGoldenTests {
    static let configuration = MxGoldenConfiguration(rows: 2, cols: 2, formats: MxElementFormat.allCases, blockSize: 32,
                                                     codeWidth: 8, accumulation: .float32)

    /// The dot product from element values: each block summed in float64 (exact for these
    /// formats when the sum needs ≤ 53 bits), converted to Float, added in Float from −0.
    static func independent(_ a: [Int], _ aScales: [Int], _ fa: MxElementFormat, _ w: [Int], _ wScales: [Int], _ fw: MxElementFormat) -> Float {
        var acc = -Float.zero
        for block in 0..<((a.count + 31) / 32) {
            var sum = 0.0
            for i in (block * 32)..<min(block * 32 + 32, a.count) { sum += fa.value(a[i]) * fw.value(w[i]) }
            let scaled = sum * MxScale(code: aScales[block]).value * MxScale(code: wScales[block]).value
            acc += Float(scaled)
        }
        return acc
    }

    @Test("FP32 results equal the float64 block sums for FP4, FP6 and INT8 random tiles")
    func independentModel() {
        let model = MxGoldenModel(Self.configuration)
        let cases = MxCaseGenerator(model: model, maxBlocks: 8, seed: 3).cases()
        let small: Set<MxElementFormat> = [.fp4e2m1, .fp6e2m3, .fp6e3m2, .int8]
        var checked = 0
        for item in cases where item.source == "random" && small.contains(item.aFormat) && small.contains(item.wFormat) {
            for i in 0..<2 {
                for j in 0..<2 {
                    let want = Self.independent(item.a[i], item.aScales[i], item.aFormat, item.w[j], item.wScales[j], item.wFormat)
                    #expect(item.expected[i][j] == want.bitPattern, "case \(item.id) C[\(i)][\(j)]")
                    checked += 1
                }
            }
        }
        #expect(checked == 16 * 8 * 4)
    }

    @Test("the cases cover every pair, 1…8 blocks, NaN, ±Inf, saturation, INT8 −2.0, zero blocks, subnormal FP32 results")
    func coverage() {
        let cases = MxCaseGenerator(model: MxGoldenModel(Self.configuration), maxBlocks: 8, seed: 1).cases()
        #expect(cases.count == 36 * 13)
        let pairs = Set(cases.map { "\($0.aFormat)-\($0.wFormat)" })
        #expect(pairs.count == 36)
        let blockCounts = Set(cases.filter { $0.source == "random" }.map { ($0.beats + 31) / 32 })
        #expect(blockCounts == Set(1...8))
        let results = cases.flatMap { $0.expected.flatMap { $0 } }.map { Float(bitPattern: $0) }
        #expect(results.contains { $0.isNaN } && results.contains { $0 == .infinity } && results.contains { $0 == -.infinity })
        #expect(results.contains { $0.isSubnormal })
        #expect(results.filter { $0.isFinite && !$0.isZero }.count > results.count / 2)
        #expect(cases.contains { $0.aScales.contains { $0.contains(0xFF) } })
        #expect(cases.contains { $0.aFormat == .int8 && $0.a.contains { $0.contains(0x80) } })
        #expect(cases.contains { c in c.a.contains { row in row.count >= 64 && row[32..<64].allSatisfy { $0 == 0 } } })
        // Runs of max-magnitude codes: the widest block sums.
        #expect(cases.contains { c in c.aFormat == .fp8e5m2 && c.a.contains { $0.filter { $0 & 0x7F == 0x7B }.count >= 20 } })
    }

    @Test("the vector file's word count and layout")
    func vectorFile() {
        let model = MxGoldenModel(Self.configuration)
        let one = model.makeCase(id: 0, source: "hand", aFormat: .fp4e2m1, wFormat: .int8, a: [[3, 1], [0xF, 0]], aScales: [[127], [128]],
                                 w: [[64, 0x80], [1, 2]], wScales: [[127], [0xFF]])
        // Row 0 · column 0: 1.5·1 + 0.5·(−2) = 0.5.
        #expect(one.expected[0][0] == Float(0.5).bitPattern)
        #expect(one.expected[0][1] == MxFloat32.canonicalNaN)
        let file = MxVectorFile(configuration: Self.configuration, cases: [one])
        let words = file.render().split(separator: "\n").filter { !$0.hasPrefix("//") }.map { $0.split(separator: " ")[0] }
        #expect(words.count == 12 + 4 + 2 * 4 + 4 && words.count == file.wordCount)
        #expect(words[0] == "4d585631" && words[16] == "7f03" && words[17] == "800f")   // scale << 8 | code
    }
}
