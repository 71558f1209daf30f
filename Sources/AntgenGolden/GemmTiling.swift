import AntgenNumerics

/// A quantized GEMM operand: codes as they are driven on the array's code ports, in one
/// operand mode, with the scale that turns an integer value into a real number.
///
/// The activation operand is A (M × K, row-major); the weight operand is W (K × N,
/// row-major: `antgen run` transposes PyTorch's N × K layout before it gets here). A real
/// element is `scale × decode(code)`, `decode` being spec §1's integer value in units
/// (`NumberFormat.decode(code:)`); `scales` has one entry (per tensor) or, for weights, one
/// per output column n.
public struct QuantizedMatrix: Sendable, Equatable {
    /// Rows (M for A, K for W).
    public let rows: Int
    /// Columns (K for A, N for W).
    public let cols: Int
    /// Codes, row-major, `rows × cols`.
    public let codes: [UInt8]
    /// The operand mode (type, signedness, int8).
    public let mode: OperandMode
    /// Real value of one unit: one entry, or one per column.
    public let scales: [Double]

    /// Creates an operand.
    /// - Throws: ``ConfigurationError`` when the code count or the scale count does not fit.
    public init(rows: Int, cols: Int, codes: [UInt8], mode: OperandMode, scales: [Double]) throws {
        guard rows >= 1, cols >= 1, codes.count == rows * cols else {
            throw ConfigurationError("a \(rows) × \(cols) operand needs \(rows * cols) codes, not \(codes.count)")
        }
        guard scales.count == 1 || scales.count == cols else {
            throw ConfigurationError("a \(rows) × \(cols) operand needs 1 or \(cols) scales, not \(scales.count)")
        }
        self.rows = rows
        self.cols = cols
        self.codes = codes
        self.mode = mode
        self.scales = scales
    }

    /// The scale of column `j`.
    public func scale(column j: Int) -> Double { scales.count == 1 ? scales[0] : scales[j] }
}

/// How a GEMM C = A·W (M × K by K × N) is cut into tiles of an R × C output-stationary
/// array: M in blocks of R rows, N in blocks of C columns, the whole K streamed through each
/// tile as K beats. Rows and columns beyond M and N are padded with code 0, which decodes to
/// 0 in every mode, so padding adds nothing. Tiles are numbered row-block-major:
/// tile t covers M block t / nBlocks and N block t mod nBlocks.
public struct GemmTiling: Sendable, Equatable {
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

    /// Blocks of R rows along M.
    public var mBlocks: Int { m / rows + (m % rows == 0 ? 0 : 1) }
    /// Blocks of C columns along N.
    public var nBlocks: Int { n / cols + (n % cols == 0 ? 0 : 1) }
    /// Number of tiles.
    public var tileCount: Int { mBlocks * nBlocks }

    /// The (M block, N block) of tile `t`.
    public func blocks(of t: Int) -> (m: Int, n: Int) { (t / nBlocks, t % nBlocks) }

    /// The beats of tile `t`: `a[k][i]` = A[mb·R + i, k] and `w[k][j]` = W[k, nb·C + j], code 0
    /// outside the matrices.
    public func beats(of t: Int, a: QuantizedMatrix, w: QuantizedMatrix) -> (a: [[UInt64]], w: [[UInt64]]) {
        let (mb, nb) = blocks(of: t)
        var av: [[UInt64]] = [], wv: [[UInt64]] = []
        av.reserveCapacity(k)
        wv.reserveCapacity(k)
        for kk in 0..<k {
            av.append((0..<rows).map { i in
                let row = mb * rows + i
                return row < m ? UInt64(a.codes[row * k + kk]) : 0
            })
            wv.append((0..<cols).map { j in
                let col = nb * cols + j
                return col < n ? UInt64(w.codes[kk * n + col]) : 0
            })
        }
        return (av, wv)
    }
}

/// The golden result of a whole GEMM, computed on the unpadded matrices (no tiling), and
/// the dequantisation of W-bit results.
public enum GemmReference {
    /// C = A·W modulo 2^W, row-major M × N, each entry masked to W bits: the integer values
    /// of the codes (`GoldenModel.value(of:mode:)`), products and sums modulo 2^64.
    public static func expected(_ model: GoldenModel, a: QuantizedMatrix, w: QuantizedMatrix) -> [UInt64] {
        let m = a.rows, k = a.cols, n = w.cols
        let av = a.codes.map { UInt64(bitPattern: Int64(model.value(of: UInt64($0), mode: a.mode))) }
        let wv = w.codes.map { UInt64(bitPattern: Int64(model.value(of: UInt64($0), mode: w.mode))) }
        var c = [UInt64](repeating: 0, count: m * n)
        for i in 0..<m {
            for kk in 0..<k {
                let x = av[i * k + kk]
                if x == 0 { continue }
                let base = kk * n
                for j in 0..<n { c[i * n + j] = c[i * n + j] &+ x &* wv[base + j] }
            }
        }
        let mask = model.mask
        return c.map { $0 & mask }
    }

    /// Largest |integer value| of any code in `mode` (P_max's factor for one operand).
    public static func maxMagnitude(_ model: GoldenModel, mode: OperandMode) -> Int {
        let bits = mode.codeBits(codeWidth: model.configuration.codeWidth)
        return (0..<(1 << bits)).map { abs(model.value(of: UInt64($0), mode: mode)) }.max() ?? 0
    }

    /// Spec §3's W = ⌈log2(K·P_max + 1)⌉ + 1 for a reduction of `k` products of at most
    /// `maxProduct` in magnitude (nil when K·P_max overflows 63 bits: more than 64 bits).
    public static func minimumAccumulatorWidth(maxProduct: Int, k: Int) -> Int? {
        let (total, overflow) = maxProduct.multipliedReportingOverflow(by: k)
        guard !overflow else { return nil }
        return (Int.bitWidth - total.leadingZeroBitCount) + 1
    }

    /// The operand mode that carries codes of `format` (a native type at the code width, or
    /// 8-bit int as int8 nibble terms).
    /// - Throws: ``ConfigurationError`` when the array cannot decode the format.
    public static func operandMode(of format: NumberFormat, codeWidth: Int) throws -> OperandMode {
        try QuantizedCaseGenerator.mode(of: format, codeWidth: codeWidth)
    }

    /// Real results: `scaleA × scaleW[j] × signed(C[i, j])`, row-major M × N.
    public static func dequantized(_ model: GoldenModel, results: [UInt64], a: QuantizedMatrix, w: QuantizedMatrix) -> [Double] {
        let n = w.cols
        return results.enumerated().map { index, raw in
            a.scales[0] * w.scale(column: index % n) * Double(model.signedValue(raw))
        }
    }
}
