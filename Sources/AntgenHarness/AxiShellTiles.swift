import AntgenGolden
import AntgenHardware
import AntgenNumerics

extension AxiShellTile {
    /// The SDP golden case `c` as a tile of the SDP shell's `format`: beat g holds group g,
    /// row i's G int8 activations (value e in bits 8e… of its field) and column j's G weight
    /// codes (entry e in bits `codeWidth`·e…); the header says int8 activations of `c`'s
    /// signedness and `c`'s weight mode.
    public init(sdp c: SdpGoldenCase, format: AxiShellFormat, group: Int, codeWidth: Int) {
        let beats = c.w.count / group
        let header = format.header(k: beats, activation: (.int, c.actSigned, true),
                                   weight: (c.weight.type, c.weight.signed, c.weight.int8))
        let items = (0..<beats).map { g -> [Bool] in
            let ks = (g * group)..<((g + 1) * group)
            let a = c.a.flatMap { row in ks.flatMap { AxiShellBench.bits(UInt64(UInt8(truncatingIfNeeded: row[$0])), count: 8) } }
            let w = (0..<format.cols).flatMap { j in ks.flatMap { AxiShellBench.bits(c.w[$0][j], count: codeWidth) } }
            return a + w
        }
        self.init(header: header, beats: items, results: c.expected)
    }
}

extension AxiShellTile {
    /// The ANT golden case `c` (`a[k][i]`, `w[k][j]` codes) as a tile of the ANT shell's
    /// `format`: beat k holds A[i, k] per row and W[k, j] per column, the header `c`'s modes.
    public init(ant c: GoldenCase, format: AxiShellFormat) {
        let header = format.header(k: c.a.count, activation: (c.activation.type, c.activation.signed, c.activation.int8),
                                   weight: (c.weight.type, c.weight.signed, c.weight.int8))
        let beats = zip(c.a, c.w).map { a, w in
            a.flatMap { AxiShellBench.bits($0, count: format.activationWidth) } + w.flatMap { AxiShellBench.bits($0, count: format.weightWidth) }
        }
        self.init(header: header, beats: beats, results: c.expected)
    }
}

extension SdpLayerRunner {
    /// The tiles of `layer` (quantized as ``run(_:_:)`` quantizes it) for the SDP shell's
    /// `format`, each with its golden results.
    public func shellTiles(_ layer: FloatLayer, format: AxiShellFormat) throws -> [AxiShellTile] {
        let p = parameters
        let q = try SdpLayerOperands(layer, parameters: p, weightInt8: weightInt8)
        let blocks = LayerBlocks(m: layer.m, n: layer.n, rows: p.rows, cols: p.cols)
        let paddedK = (layer.k + p.group - 1) / p.group * p.group
        return try (0..<blocks.tileCount).map { t in
            let (a, w) = Self.tile(t, q, blocks: blocks, paddedK: paddedK)
            let c = try generator.makeCase(id: t, source: "shell-tile-\(t)", actSigned: q.activationSigned, weight: q.weightMode, a: a, w: w)
            return AxiShellTile(sdp: c, format: format, group: p.group, codeWidth: p.weight.codeInputWidth)
        }
    }
}
