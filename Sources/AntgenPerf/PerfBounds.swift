import AntgenHardware

extension PerfArray {
    /// Padding the bound allows along K: more than any shape pads a tile (R ≤ 256 load or
    /// drain beats, an SDP group of ≤ 16, an MX block).
    static let reductionSlack = 1024
    /// Bits per (padded) multiply-accumulate the bound allows: above every count the model
    /// derives per MAC (≤ 256-bit accumulators × 3 PWLQ sums, read and written, per-step cycles).
    static let countsPerMAC = 1 << 12

    /// A bound on every count the model derives for `layer` (cycles, steps, traffic bits):
    /// (m + R)·(k + 1024)·(n + C)·2^12. ``PerformanceModel/evaluate(_:)`` checks it, and the
    /// sum over the layers, before any other arithmetic, so no count can overflow.
    /// - Throws: ``PerfError`` (one line) when the bound itself overflows 64 bits.
    public func checkBounds(_ layer: GemmLayer) throws(PerfError) -> Int {
        guard let m = Checked.sum(layer.m, rows), let k = Checked.sum(layer.k, Self.reductionSlack), let n = Checked.sum(layer.n, cols),
              let bound = Checked.product(m, k, n, Self.countsPerMAC) else {
            throw PerfError.overflow(layer, on: self)
        }
        return bound
    }
}

extension PerfError {
    /// `layer 'x' (m x k x n) is too large to model on a R x C array: …`.
    static func overflow(_ layer: GemmLayer, on array: PerfArray) -> PerfError {
        PerfError("layer '\(layer.name)' (\(layer.m)x\(layer.k)x\(layer.n)) is too large to model on a \(array.rows)x\(array.cols) array: its cycle and traffic counts would overflow 64 bits")
    }
}

/// ⌈a / b⌉ for a ≥ 0, b ≥ 1, without the overflow of (a + b − 1) / b.
func ceilDiv(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
