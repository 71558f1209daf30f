import AntgenArrays
import AntgenGolden
import AntgenHarness
import Testing

/// The Int16-lane kernel (int8 × int8 signed, the a8w8 golden path) against the one-thread
/// UInt64 reference: shapes that cross the 256-column tile and the row blocks, K of MiniLM's
/// FFN, zero-heavy activations, and W = 16 where the exact sums wrap.
@Suite struct ShortGemmTests {
    @Test(arguments: [(1, 384, 300, 32), (37, 1536, 257, 32), (130, 64, 520, 32), (40, 1536, 100, 16)])
    func shortGemmEqualsTheReference(_ shape: (Int, Int, Int, Int)) throws {
        let (m, k, n, width) = shape
        let model = try GoldenModel(configuration: ArrayConfiguration(rows: 4, cols: 4, codeWidth: 4, accumulatorWidth: width,
                                                                      activationTypes: [.int], weightTypes: [.int], int8: true))
        var state: UInt64 = UInt64(m * 7919 + n)
        func next() -> UInt8 { state = state &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: state >> 33) }
        let mode = OperandMode(type: .int, signed: true, int8: true)
        // A third of A's codes are 0 (the kernel skips them); the extremes −128 and 127 occur.
        let aCodes = (0..<m * k).map { i -> UInt8 in i % 3 == 0 ? 0 : (i % 11 == 0 ? 0x80 : next()) }
        let wCodes = (0..<k * n).map { i -> UInt8 in i % 13 == 0 ? 0x80 : next() }
        let a = try QuantizedMatrix(rows: m, cols: k, codes: aCodes, mode: mode, scales: [1])
        let w = try QuantizedMatrix(rows: k, cols: n, codes: wCodes, mode: mode, scales: [1])
        #expect(try AntVariant.parallelGemm(model, a: a, w: w) == GemmReference.expected(model, a: a, w: w))
    }
}
