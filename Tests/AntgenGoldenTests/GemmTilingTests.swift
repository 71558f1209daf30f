import AntgenGolden
import AntgenNumerics
import Foundation
import Testing

/// `antgen run`'s tiling and whole-GEMM reference: the beats of a padded tile by hand, the
/// whole-matrix reference against per-tile GEMMs of the golden model (a different route:
/// padded tiles, the model's own `expected`), spec §3's minimum W by hand, dequantisation.
@Suite struct GemmTilingTests {
    static func model(_ rows: Int, _ cols: Int, w: Int = 32) throws -> GoldenModel {
        try GoldenModel(configuration: ArrayConfiguration(rows: rows, cols: cols, codeWidth: 4, accumulatorWidth: w,
                                                          activationTypes: [.int, .flint, .pot], weightTypes: [.int, .flint, .pot], int8: true))
    }

    /// A 3 × 2 by 2 × 3 GEMM on a 2 × 2 array: 2 × 2 tiles; tile 3 (M block 1, N block 1)
    /// holds A row 2 and W column 2, everything else code 0.
    @Test func beatsArePaddedWithCodeZero() throws {
        let a = try QuantizedMatrix(rows: 3, cols: 2, codes: [1, 2, 3, 4, 5, 6], mode: OperandMode(type: .int, signed: false), scales: [1])
        let w = try QuantizedMatrix(rows: 2, cols: 3, codes: [7, 8, 9, 10, 11, 12], mode: OperandMode(type: .int, signed: false), scales: [1])
        let tiling = GemmTiling(m: 3, k: 2, n: 3, rows: 2, cols: 2)
        #expect(tiling.tileCount == 4 && tiling.mBlocks == 2 && tiling.nBlocks == 2)
        #expect(tiling.blocks(of: 3) == (1, 1) && tiling.blocks(of: 1) == (0, 1))
        let t0 = tiling.beats(of: 0, a: a, w: w)
        #expect(t0.a == [[1, 3], [2, 4]] && t0.w == [[7, 8], [10, 11]])
        let t3 = tiling.beats(of: 3, a: a, w: w)
        #expect(t3.a == [[5, 0], [6, 0]] && t3.w == [[9, 0], [12, 0]])
    }

    /// The whole-matrix reference equals the golden model's GEMM of every padded tile, for
    /// mixed modes (int8 activations × signed flint weights) and random codes; padding
    /// positions are 0.
    @Test func wholeReferenceMatchesPerTileGemms() throws {
        let model = try Self.model(3, 4)
        var rng = SplitMix64(seed: 7)
        let m = 7, k = 9, n = 6
        let actMode = OperandMode(type: .int, signed: true, int8: true), weightMode = OperandMode(type: .flint, signed: true)
        let a = try QuantizedMatrix(rows: m, cols: k, codes: (0..<(m * k)).map { _ in UInt8(rng.next() % 256) }, mode: actMode, scales: [1])
        let w = try QuantizedMatrix(rows: k, cols: n, codes: (0..<(k * n)).map { _ in UInt8(rng.next() % 16) }, mode: weightMode, scales: [1])
        let whole = GemmReference.expected(model, a: a, w: w)
        let tiling = GemmTiling(m: m, k: k, n: n, rows: 3, cols: 4)
        for t in 0..<tiling.tileCount {
            let beats = tiling.beats(of: t, a: a, w: w)
            let tile = model.expected(a: beats.a, w: beats.w, activation: actMode, weight: weightMode)
            let (mb, nb) = tiling.blocks(of: t)
            for i in 0..<3 {
                for j in 0..<4 {
                    let row = mb * 3 + i, col = nb * 4 + j
                    #expect(tile[i][j] == (row < m && col < n ? whole[row * n + col] : 0), "tile \(t) [\(i)][\(j)]")
                }
            }
        }
    }

    /// One element by hand: unsigned int 3·2 + 1·5 = 11, and int8s −1 · int4s −8 = 8.
    @Test func referenceByHand() throws {
        let model = try Self.model(1, 1)
        let u = OperandMode(type: .int, signed: false)
        let a = try QuantizedMatrix(rows: 1, cols: 2, codes: [3, 1], mode: u, scales: [0.5])
        let w = try QuantizedMatrix(rows: 2, cols: 1, codes: [2, 5], mode: u, scales: [0.25])
        let c = GemmReference.expected(model, a: a, w: w)
        #expect(c == [11])
        #expect(GemmReference.dequantized(model, results: c, a: a, w: w) == [11 * 0.5 * 0.25])
        let a8 = try QuantizedMatrix(rows: 1, cols: 1, codes: [255], mode: OperandMode(type: .int, signed: true, int8: true), scales: [1])
        let w4 = try QuantizedMatrix(rows: 1, cols: 1, codes: [8], mode: OperandMode(type: .int, signed: true), scales: [1])
        #expect(model.signedValue(GemmReference.expected(model, a: a8, w: w4)[0]) == 8)
    }

    /// W = bitLength(K·P_max) + 1: K = 2000, P_max = 64 → 128 000 has 17 bits → 18;
    /// K = 1, P_max = 1 → 2; pot4u × pot4u (2^14 · 2^14) at K = 4608 → 28 + 13 + 1 = 42.
    @Test func minimumAccumulatorWidthByHand() throws {
        #expect(GemmReference.minimumAccumulatorWidth(maxProduct: 64, k: 2000) == 18)
        #expect(GemmReference.minimumAccumulatorWidth(maxProduct: 1, k: 1) == 2)
        let model = try Self.model(1, 1)
        let pot = GemmReference.maxMagnitude(model, mode: OperandMode(type: .pot, signed: false))
        #expect(pot == 1 << 14)
        #expect(GemmReference.minimumAccumulatorWidth(maxProduct: pot * pot, k: 4608) == 42)
        #expect(GemmReference.maxMagnitude(model, mode: OperandMode(type: .int, signed: true, int8: true)) == 128)
    }

    @Test func operandShapesAreChecked() {
        #expect(throws: ConfigurationError.self) {
            try QuantizedMatrix(rows: 2, cols: 2, codes: [1, 2, 3], mode: OperandMode(type: .int, signed: false), scales: [1])
        }
        #expect(throws: ConfigurationError.self) {
            try QuantizedMatrix(rows: 2, cols: 3, codes: [1, 2, 3, 4, 5, 6], mode: OperandMode(type: .int, signed: false), scales: [1, 2])
        }
    }
}
