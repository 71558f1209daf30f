import AntgenNumerics

/// One GEMM tile with its expected accumulators: the unit of a vector file.
public struct GoldenCase: Sendable, Equatable {
    /// Position in its vector file (0, 1, …).
    public var id: Int
    /// Where the case comes from (`exhaustive`, `random`, `corner`, `wrap`, `quant-gaussian`, …).
    public var source: String
    /// Activation configuration.
    public var activation: OperandMode
    /// Weight configuration.
    public var weight: OperandMode
    /// `a[k][i]`: the code driven on `a_code_i` in beat k.
    public var a: [[UInt64]]
    /// `w[k][j]`: the code driven on `w_code_j` in beat k.
    public var w: [[UInt64]]
    /// `expected[i][j]`: C[i, j] as W-bit two's complement, masked to W bits.
    public var expected: [[UInt64]]
    /// For quantized cases: the relative float error of the dequantised result vs FP32.
    public var floatError: Double?
    /// For quantized cases: true when an accumulator left the W-bit range (the float
    /// error then measures the wrap, not the quantization).
    public var accumulatorWrapped = false

    /// Creates a case.
    public init(id: Int, source: String, activation: OperandMode, weight: OperandMode, a: [[UInt64]], w: [[UInt64]],
                expected: [[UInt64]], floatError: Double? = nil) {
        self.id = id
        self.source = source
        self.activation = activation
        self.weight = weight
        self.a = a
        self.w = w
        self.expected = expected
        self.floatError = floatError
    }

    /// The reduction length K (beats).
    public var reduction: Int { a.count }
}

/// The golden integer model (spec §3): codes → integer values with the numerics module's
/// `decode`, an integer GEMM, and the W-bit two's-complement wrap. It never looks at the
/// hardware's (s, M, E) structure or nibble terms.
public struct GoldenModel: Sendable {
    /// The build the model computes for.
    public let configuration: ArrayConfiguration
    /// Code → value per mode, at ``tableIndex(_:)`` (an array, not a dictionary: this
    /// lookup is the inner loop of golden generation).
    private let tables: [[Int]]

    /// Precomputes the value of every code of every mode the build supports.
    public init(configuration: ArrayConfiguration) throws {
        self.configuration = configuration
        var tables = [[Int]](repeating: [], count: 16)
        for mode in Set(configuration.activationModes + configuration.weightModes) {
            let format = try mode.format(codeWidth: configuration.codeWidth)
            tables[Self.tableIndex(mode)] = try (0..<format.codeCount).map { try format.decode(code: $0) }
        }
        self.tables = tables
    }

    /// The slot of `mode` in `tables`: type, signedness and int8 as 4 + 1 + 1 bits.
    private static func tableIndex(_ mode: OperandMode) -> Int {
        Int(mode.type.rawValue) & 3 | (mode.signed ? 4 : 0) | (mode.int8 ? 8 : 0)
    }

    /// The integer value (in units) of `code` as driven on a port in `mode`; bits above
    /// the mode's code width are ignored, as the hardware contract says.
    public func value(of code: UInt64, mode: OperandMode) -> Int {
        let bits = mode.codeBits(codeWidth: configuration.codeWidth)
        return tables[Self.tableIndex(mode)][Int(code & ((1 << UInt64(bits)) - 1))]
    }

    /// The values of every code of a beat list (`codes[k][i]`), flattened row-major.
    private func values(_ codes: [[UInt64]], mode: OperandMode) -> [Int] {
        let bits = mode.codeBits(codeWidth: configuration.codeWidth)
        let table = tables[Self.tableIndex(mode)]
        let mask = (UInt64(1) << UInt64(bits)) - 1
        var out: [Int] = []
        out.reserveCapacity(codes.count * (codes.first?.count ?? 0))
        for beat in codes { for code in beat { out.append(table[Int(code & mask)]) } }
        return out
    }

    /// W-bit mask.
    public var mask: UInt64 {
        configuration.accumulatorWidth == 64 ? .max : (1 << UInt64(configuration.accumulatorWidth)) - 1
    }

    /// C = A·W modulo 2^W. Products and sums are taken modulo 2^64 (exact modulo 2^W for
    /// W ≤ 64), so even pot × pot products beyond Int64 wrap exactly as the spec says.
    public func expected(a: [[UInt64]], w: [[UInt64]], activation: OperandMode, weight: OperandMode) -> [[UInt64]] {
        let rows = configuration.rows, cols = configuration.cols
        let av = values(a, mode: activation), wv = values(w, mode: weight)
        var c = [UInt64](repeating: 0, count: rows * cols)
        c.withUnsafeMutableBufferPointer { c in
            for k in 0..<a.count {
                for i in 0..<rows {
                    let x = UInt64(bitPattern: Int64(av[k * rows + i]))
                    for j in 0..<cols {
                        c[i * cols + j] = c[i * cols + j] &+ x &* UInt64(bitPattern: Int64(wv[k * cols + j]))
                    }
                }
            }
        }
        let mask = self.mask
        return (0..<rows).map { i in (0..<cols).map { c[i * cols + $0] & mask } }
    }

    /// The exact, unwrapped sum as a Double check: true when any output of the tile
    /// left the W-bit range (so the expected value depends on the wrap).
    public func wraps(a: [[UInt64]], w: [[UInt64]], activation: OperandMode, weight: OperandMode) -> Bool {
        let limit = Double(sign: .plus, exponent: configuration.accumulatorWidth - 1, significand: 1)
        let rows = configuration.rows, cols = configuration.cols
        let av = values(a, mode: activation), wv = values(w, mode: weight)
        for i in 0..<rows {
            for j in 0..<cols {
                var sum = 0.0
                for k in 0..<a.count { sum += Double(av[k * rows + i]) * Double(wv[k * cols + j]) }
                if sum >= limit || sum < -limit { return true }
            }
        }
        return false
    }

    /// Builds a case with its expected values.
    public func makeCase(source: String, activation: OperandMode, weight: OperandMode, a: [[UInt64]], w: [[UInt64]],
                         floatError: Double? = nil) -> GoldenCase {
        GoldenCase(id: 0, source: source, activation: activation, weight: weight, a: a, w: w,
                   expected: expected(a: a, w: w, activation: activation, weight: weight), floatError: floatError)
    }

    /// Sign-extends a W-bit result to Int64 for printing.
    public func signedValue(_ raw: UInt64) -> Int64 {
        let w = configuration.accumulatorWidth
        if w == 64 { return Int64(bitPattern: raw) }
        return Int64(bitPattern: raw << UInt64(64 - w)) >> Int64(64 - w)
    }
}
