import Testing
@testable import AntgenNumerics

/// The fast clip search against the pre-speed-up implementation (`OracleSortedChannel`, the
/// old code kept verbatim in Tests): every candidate's squared error must be bit-identical,
/// so the chosen ratio, type and codes cannot change.
@Suite("Clip search: bit-identical to the old implementation")
struct ClipSearchOracleTests {
    /// Named tensors: random, heavy-tailed, duplicated, on-midpoint, signed zeros, extreme.
    static func tensors() -> [(name: String, values: [Double])] {
        var g = SeededGenerator(seed: 2026_12_07)
        var out: [(String, [Double])] = []
        for n in [1, 2, 7, 100, 1000, 4097] {
            out.append(("gaussian \(n)", (0 ..< n).map { _ in g.gaussian() }))
        }
        out.append(("relu 5000", (0 ..< 5000).map { _ in max(0, g.gaussian()) }))
        out.append(("cubed 5000", (0 ..< 5000).map { _ in pow3(g.gaussian()) }))
        out.append(("few levels 3000", (0 ..< 3000).map { _ in Double(Int(g.unitInterval() * 9) - 4) * 0.25 }))
        // Exactly on int8 midpoints at ratio 100: (k + 1/2) / 127 of the maximum 1.
        out.append(("midpoints", [1.0, -1.0] + (-127 ..< 127).map { (Double($0) + 0.5) / 127 }))
        out.append(("signed zeros", (0 ..< 500).map { i in i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : g.gaussian()) }))
        out.append(("all zero", [Double](repeating: 0, count: 64)))
        out.append(("constant", [Double](repeating: -3.5, count: 64)))
        out.append(("huge", (0 ..< 300).map { _ in g.gaussian() * 1e300 }))
        out.append(("subnormal", (0 ..< 300).map { _ in g.gaussian() * 1e-310 }))
        out.append(("float32-rounded 2000", (0 ..< 2000).map { _ in Double(Float(g.gaussian() * 7)) }))
        return out
    }

    static let grids: [PreparedGrid] = [
        (NumberKind.int, 8, true), (.int, 8, false), (.int, 4, true), (.int, 4, false), (.flint, 4, true),
        (.pot, 4, true), (.float(exponentBits: 2), 4, true), (.float(exponentBits: 4), 8, true),
    ].compactMap { kind, bits, signed in (try? NumberFormat(kind: kind, bits: bits, signed: signed)).map(PreparedGrid.init) }

    /// Whether two double-doubles are the same bits (both parts).
    static func same(_ a: DoubleDouble, _ b: DoubleDouble) -> Bool {
        a.high.bitPattern == b.high.bitPattern && a.low.bitPattern == b.low.bitPattern
    }

    /// Loads both implementations and compares every candidate's squared error bit for bit.
    static func mismatches<E: BinaryFloatingPoint & Sendable>(_ values: [E], grids: [PreparedGrid], ratios: Range<Int>,
                                                              denseLimit: Int? = nil) -> [String] {
        var fast = SortedChannel<E>()
        if let denseLimit { fast.denseLimit = denseLimit }
        var oracle = OracleSortedChannel<E>()
        values.withUnsafeBufferPointer {
            fast.load($0, tensorExponent: 3)
            oracle.load($0, tensorExponent: 3)
        }
        var bad: [String] = []
        if fast.base.bitPattern != oracle.base.bitPattern || !same(fast.sumOfSquares, oracle.sumOfSquares) { bad.append("load") }
        guard oracle.base > 0 else { return bad }
        for grid in grids {
            for percent in ratios where !same(fast.squaredError(grid: grid, percent: percent), oracle.squaredError(grid: grid, percent: percent)) {
                bad.append("\(grid.format) @ \(percent) %")
            }
        }
        return bad
    }

    @Test("every candidate's error is bit-identical on random and adversarial tensors", arguments: 0 ..< 16)
    func candidateErrors(index: Int) {
        let tensors = Self.tensors()
        guard index < tensors.count else { return }
        let (name, values) = tensors[index]
        #expect(Self.mismatches(values, grids: Self.grids, ratios: 75 ..< 150).isEmpty, "\(name) float64")
        #expect(Self.mismatches(values.map { Float($0) }, grids: Self.grids, ratios: 75 ..< 150).isEmpty, "\(name) float32")
    }

    @Test("any prefix block size gives the oracle's bits", arguments: [1, 7, 100, 999])
    func blockSizes(denseLimit: Int) {
        var g = SeededGenerator(seed: 77)
        let values = (0 ..< 1000).map { _ in Float(g.gaussian()) }
        #expect(Self.mismatches(values, grids: Self.grids, ratios: 75 ..< 150, denseLimit: denseLimit).isEmpty)
    }

    /// Activation-sized tensors: the old code kept blocked prefixes above 65,536 elements,
    /// the new one dense ones, so these cross the old threshold.
    @Test("long activation tensors (the old blocked path) are bit-identical", arguments: [65_536, 65_537, 200_003])
    func longTensors(count: Int) {
        var g = SeededGenerator(seed: UInt64(count))
        let values = (0 ..< count).map { i in Float(i % 5 == 0 ? max(0, g.gaussian()) : g.gaussian() * 0.3) }
        let int8 = Self.grids.filter { $0.format.bits == 8 }
        #expect(Self.mismatches(values, grids: int8, ratios: 95 ..< 150).isEmpty)
    }

    @Test("the quantizer picks the oracle's ratio on a long per-tensor activation")
    func quantizerChoice() throws {
        var g = SeededGenerator(seed: 5)
        let values = (0 ..< 100_000).map { _ in Float(g.gaussian() * 2 + 0.1) }
        let result = try AntQuantizer(options: QuantizerOptions(bits: 8, mode: "int", role: .activation))
            .quantize(try Tensor(shape: [100, 1000], float32: values))
        var oracle = OracleSortedChannel<Float>()
        values.withUnsafeBufferPointer { oracle.load($0) }
        let grid = PreparedGrid(format: result.chosenFormat)
        var best = 95
        var bestError = oracle.squaredError(grid: grid, percent: 95)
        for percent in 96 ..< 150 {
            let error = oracle.squaredError(grid: grid, percent: percent)
            if error < bestError { (best, bestError) = (percent, error) }
        }
        #expect(result.alphas == [PreparedGrid.normalizedAlpha(base: oracle.base, percent: best)])
    }
}

private func pow3(_ x: Double) -> Double { x * x * x }
