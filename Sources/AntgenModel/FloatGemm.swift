import Dispatch

/// Float32 matrix products for the model: `left (M × K) · right (N × K)ᵀ (+ bias)`, with
/// float32 accumulation in SIMD lanes, spread over all cores when the product is large.
public enum FloatGemm {
    /// Products with fewer multiply-adds than this run on the calling thread.
    static let parallelThreshold = 1 << 18

    /// Errors of a product whose operands do not fit.
    public struct ShapeMismatch: Error, CustomStringConvertible, Sendable {
        /// One line naming both shapes.
        public let description: String
    }

    /// `left · rightᵀ + bias`: left is M × K, right is N × K (row-major), bias has N values
    /// or is empty; the result is M × N.
    ///
    /// - Throws: ``ShapeMismatch`` when the K dimensions or the bias length disagree.
    public static func multiply(_ left: ModelMatrix, transposed right: ModelMatrix, bias: [Float] = []) throws -> ModelMatrix {
        guard left.columns == right.columns else {
            throw ShapeMismatch(description: "matrix product: left is \(left.rows) × \(left.columns) but right is \(right.rows) × \(right.columns) (K differs)")
        }
        guard bias.isEmpty || bias.count == right.rows else {
            throw ShapeMismatch(description: "matrix product: \(bias.count) bias values for \(right.rows) outputs")
        }
        let (m, n, k) = (left.rows, right.rows, left.columns)
        var out = [Float](repeating: 0, count: m * n)
        if m == 0 || n == 0 { return ModelMatrix(rows: m, columns: n, values: out) }
        // Column blocks of 32 weight rows: each task keeps its block of the right operand in cache
        // while it streams every left row past it.
        let blockColumns = 32
        let blocks = (n + blockColumns - 1) / blockColumns
        left.values.withUnsafeBufferPointer { a in
            right.values.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    let pointers = Pointers(a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    let run: @Sendable (Int) -> Void = { block in
                        let n0 = block * blockColumns
                        kernelBlock(pointers, m: m, n: n, k: k, columns: n0 ..< min(n, n0 + blockColumns))
                    }
                    if m * n * k < parallelThreshold || blocks == 1 {
                        for block in 0 ..< blocks { run(block) }
                    } else {
                        DispatchQueue.concurrentPerform(iterations: blocks, execute: run)
                    }
                }
            }
        }
        if !bias.isEmpty {
            for row in 0 ..< m {
                for column in 0 ..< n { out[row * n + column] += bias[column] }
            }
        }
        return ModelMatrix(rows: m, columns: n, values: out)
    }

    /// Raw operand pointers, shared read-only (a, b) or written at disjoint indices (c) by the
    /// concurrent tasks.
    private struct Pointers: @unchecked Sendable {
        let a: UnsafePointer<Float>
        let b: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>
    }

    /// Every row of the output, for the given output columns: 4 × 4 tiles, then the edges.
    private static func kernelBlock(_ p: Pointers, m: Int, n: Int, k: Int, columns: Range<Int>) {
        var column = columns.lowerBound
        while column + 4 <= columns.upperBound {
            var row = 0
            while row + 4 <= m {
                tile4x4(p, row: row, column: column, n: n, k: k)
                row += 4
            }
            for r in row ..< m {
                for c in column ..< column + 4 { p.c[r * n + c] = dot(p.a + r * k, p.b + c * k, k) }
            }
            column += 4
        }
        for c in column ..< columns.upperBound {
            for r in 0 ..< m { p.c[r * n + c] = dot(p.a + r * k, p.b + c * k, k) }
        }
    }

    /// One 4 × 4 tile of the output: 16 SIMD accumulators over K.
    @inline(__always)
    private static func tile4x4(_ p: Pointers, row: Int, column: Int, n: Int, k: Int) {
        typealias V = SIMD8<Float>
        let a0 = p.a + row * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        let b0 = p.b + column * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
        var s00 = V(), s01 = V(), s02 = V(), s03 = V()
        var s10 = V(), s11 = V(), s12 = V(), s13 = V()
        var s20 = V(), s21 = V(), s22 = V(), s23 = V()
        var s30 = V(), s31 = V(), s32 = V(), s33 = V()
        var i = 0
        while i + 8 <= k {
            let x0 = load(a0 + i), x1 = load(a1 + i), x2 = load(a2 + i), x3 = load(a3 + i)
            let w0 = load(b0 + i), w1 = load(b1 + i), w2 = load(b2 + i), w3 = load(b3 + i)
            s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3
            s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3
            s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3
            s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3
            i += 8
        }
        let sums: [[V]] = [[s00, s01, s02, s03], [s10, s11, s12, s13], [s20, s21, s22, s23], [s30, s31, s32, s33]]
        let aRows = [a0, a1, a2, a3], bRows = [b0, b1, b2, b3]
        for r in 0 ..< 4 {
            for c in 0 ..< 4 {
                var total = sums[r][c].sum()
                for j in i ..< k { total += aRows[r][j] * bRows[c][j] }
                p.c[(row + r) * n + column + c] = total
            }
        }
    }

    /// One dot product of length `k`.
    @inline(__always)
    private static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ k: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= k {
            acc += load(x + i) * load(y + i)
            i += 8
        }
        var total = acc.sum()
        while i < k {
            total += x[i] * y[i]
            i += 1
        }
        return total
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
}
