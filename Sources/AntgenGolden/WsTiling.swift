import AntgenNumerics

/// How a GEMM C = A·W (M × K by K × N) is cut into weight tiles of an R × C weight-stationary
/// array (docs/architecture.md §12): K in chunks of R reduction indices, N in blocks of C
/// columns; each weight tile holds W[k0 … k0 + R − 1][n0 … n0 + C − 1] (code 0 beyond K and
/// N) and streams all M activation vectors A[m][k0 … k0 + R − 1] through it, producing the
/// partial sums of that chunk. Tile t is N block t / kChunks, K chunk t mod kChunks, so an
/// N block's chunks are consecutive; C is the sum of the chunks' partial sums modulo 2^W.
public struct WsGemmTiling: Sendable, Equatable {
    /// GEMM sizes.
    public let m: Int, k: Int, n: Int
    /// Array size.
    public let rows: Int, cols: Int

    /// Creates the tiling.
    public init(m: Int, k: Int, n: Int, rows: Int, cols: Int) {
        self.m = m
        self.k = k
        self.n = n
        self.rows = rows
        self.cols = cols
    }

    /// Chunks of R along K.
    public var kChunks: Int { k / rows + (k % rows == 0 ? 0 : 1) }
    /// Blocks of C along N.
    public var nBlocks: Int { n / cols + (n % cols == 0 ? 0 : 1) }
    /// Number of weight tiles.
    public var tileCount: Int { kChunks * nBlocks }

    /// The (K chunk, N block) of tile `t`.
    public func blocks(of t: Int) -> (k: Int, n: Int) { (t % kChunks, t / kChunks) }

    /// Tile t's weights `w[r][j]` = W[k0 + r][n0 + j] and activations `a[m][r]` = A[m][k0 + r].
    public func codes(of t: Int, a: QuantizedMatrix, w: QuantizedMatrix) -> (w: [[UInt64]], a: [[UInt64]]) {
        let (kc, nb) = blocks(of: t)
        let k0 = kc * rows, n0 = nb * cols
        let weights = (0..<rows).map { r in
            (0..<cols).map { j in k0 + r < k && n0 + j < n ? UInt64(w.codes[(k0 + r) * n + n0 + j]) : 0 }
        }
        let acts = (0..<m).map { i in
            (0..<rows).map { r in k0 + r < k ? UInt64(a.codes[i * k + k0 + r]) : 0 }
        }
        return (weights, acts)
    }

    /// The reference partial sums of K chunk `kc` (M × N, row-major, modulo 2^W): the golden
    /// GEMM of A's and W's slices of that chunk.
    public func chunkReference(_ model: GoldenModel, chunk kc: Int, a: QuantizedMatrix, w: QuantizedMatrix) throws -> [UInt64] {
        let k0 = kc * rows, len = min(rows, k - k0)
        var aSlice: [UInt8] = []
        aSlice.reserveCapacity(m * len)
        for i in 0..<m { aSlice += a.codes[(i * k + k0)..<(i * k + k0 + len)] }
        let wSlice = Array(w.codes[(k0 * n)..<((k0 + len) * n)])
        return GemmReference.expected(model, a: try QuantizedMatrix(rows: m, cols: len, codes: aSlice, mode: a.mode, scales: a.scales),
                                      w: try QuantizedMatrix(rows: len, cols: n, codes: wSlice, mode: w.mode, scales: w.scales))
    }
}
