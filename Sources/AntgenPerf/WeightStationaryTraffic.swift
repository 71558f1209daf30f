extension LayerTraffic {
    /// The traffic of `layer` on a weight-stationary `array` (``WeightStationaryTiling``).
    ///
    /// Each weight tile reads R × C weight codes (its R load beats, padding included) and M
    /// compute beats of R activation codes, and writes M × C W-bit partial sums. The partial
    /// sums of K chunk c > 0 are added to those of the chunks before it: every chunk after the
    /// first reads the running sum back (M × C × W bits per tile), and the finished results
    /// (M × N × W) are read out once. DRAM: every weight is fetched once (each sits in exactly
    /// one tile); A once when it fits the activation buffer, else once per N block; an N
    /// block's running sums (M × C × W) that do not fit the output buffer go to DRAM and back
    /// for every chunk after the first. Results leave requantized to the activation bits.
    public init(weightStationary layer: GemmLayer, array: PerfArray) {
        let t = WeightStationaryTiling(layer, rows: array.rows, cols: array.cols)
        let (ab, wb, w) = (layer.activationBits.rawValue, layer.weightBits.rawValue, array.accumulatorWidth)
        let (r, c, m) = (array.rows, array.cols, layer.m)
        let tiles = t.tileCount
        let runningSums = (t.kChunks - 1) * t.nBlocks * m * c * w
        let a = m * layer.k * ab, weights = layer.k * layer.n * wb
        let activationsFit = (a + 7) / 8 <= array.buffers.activationBytes
        let sumsFit = (m * c * w + 7) / 8 <= array.buffers.outputBytes
        let operands = weights + (activationsFit ? a : a * t.nBlocks)
        self.init(activationBufferReadBits: tiles * m * r * ab, weightBufferReadBits: tiles * r * c * wb,
                  outputBufferWriteBits: tiles * m * c * w, outputBufferReadBits: runningSums + m * layer.n * w,
                  operandBufferFillBits: operands, dramReadBits: operands + (sumsFit ? 0 : runningSums),
                  dramWriteBits: m * layer.n * ab + (sumsFit ? 0 : runningSums))
    }
}
