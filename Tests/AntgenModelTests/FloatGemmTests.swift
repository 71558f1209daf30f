import Testing
@testable import AntgenModel

@Suite("Float GEMM")
struct FloatGemmTests {
    @Test("a 2×3 by (2×3)ᵀ product plus bias, worked by hand")
    func smallByHand() throws {
        let a = ModelMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let w = ModelMatrix(rows: 2, columns: 3, values: [1, 0, -1, 0.5, 0.5, 0.5])
        let c = try FloatGemm.multiply(a, transposed: w, bias: [10, -1])
        // row 0: 1-3 = -2 (+10), 3 (-1); row 1: 4-6 = -2 (+10), 7.5 (-1)
        #expect(c == ModelMatrix(rows: 2, columns: 2, values: [8, 2, 8, 6.5]))
    }

    @Test("tiled and parallel paths agree with a float64 triple loop on odd shapes")
    func oddShapes() throws {
        for (m, n, k) in [(1, 1, 1), (5, 7, 9), (13, 70, 37), (67, 130, 100)] {
            var seed: UInt64 = UInt64(m * 1000 + n * 10 + k)
            func next() -> Float {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int((seed >> 33) % 2001) - 1000) / 1000
            }
            let a = ModelMatrix(rows: m, columns: k, values: (0 ..< m * k).map { _ in next() })
            let b = ModelMatrix(rows: n, columns: k, values: (0 ..< n * k).map { _ in next() })
            let c = try FloatGemm.multiply(a, transposed: b)
            for i in 0 ..< m {
                for j in 0 ..< n {
                    var expected = 0.0
                    for t in 0 ..< k { expected += Double(a[i, t]) * Double(b[j, t]) }
                    #expect(abs(Double(c[i, j]) - expected) <= 1e-4 * Double(k), "\(m)x\(n)x\(k) at \(i),\(j)")
                }
            }
        }
    }

    @Test("mismatched K is refused in one line")
    func mismatch() {
        let a = ModelMatrix(zeros: 2, 3), b = ModelMatrix(zeros: 2, 4)
        #expect(throws: FloatGemm.ShapeMismatch.self) { try FloatGemm.multiply(a, transposed: b) }
    }
}
