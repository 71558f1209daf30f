import AntgenGolden
import AntgenHardware
import AntgenNumerics
import Foundation

/// `body(i)` for every i in 0..<count on every core (Dispatch), the results in order.
/// - Throws: the first error (by index) a call threw.
public func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let slots = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, Result { try body(i) }) }
    return try slots.values.map { try $0.get() }
}

/// One slot per index, filled once each by concurrent iterations.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<T, any Error>) { lock.withLock { slots[index] = value } }

    var values: [Result<T, any Error>] { lock.withLock { slots.map { $0 ?? .failure(HarnessError("a parallel slot was never filled")) } } }
}

// The golden half of the layer runners: the same quantization, the same per-tile golden
// results and the same dequantisation `run` checks the RTL against and dequantises the RTL's
// words with, computed without a simulator, the tiles in parallel.

extension PwlqLayerRunner {
    /// Tile t's golden sums (centre, tail, offset), the words `run` expects from the RTL.
    func goldenSums(tile t: Int, _ q: (layer: PwlqLayer, weights: PwlqResult), blocks: LayerBlocks) -> PwlqTileSums {
        let (a, codes) = Self.tile(t, q, blocks: blocks)
        return PwlqGoldenCase(activationCodes: a, weightCodes: codes, signed: true, int8: activation == .int8,
                              accumulatorWidth: parameters.accumulatorWidth).sums
    }

    /// C's elements of tile t from the tile's sums (the host's combine, no bias correction).
    func dequantise(tile t: Int, sums: PwlqTileSums, _ q: (layer: PwlqLayer, weights: PwlqResult), blocks: LayerBlocks,
                    into output: inout [Double]) {
        let p = parameters
        let (m0, n0) = blocks.origin(of: t)
        let inside = min(p.cols, blocks.n - n0)
        let channels = Array(q.weights.channels[n0..<(n0 + inside)])
        let y = sums.combine(channels: channels, activationScale: q.layer.activationScale, width: p.accumulatorWidth)
        for i in 0..<min(p.rows, blocks.m - m0) {
            for j in 0..<inside { output[(m0 + i) * blocks.n + n0 + j] = y[i][j] }
        }
    }

    /// The golden path of `layer` without a simulator: quantized as ``run(_:_:)`` quantizes
    /// it, every tile's golden sums (tiles in parallel), C (M × N, row-major) dequantised as
    /// `run` dequantises the RTL's sums; bit-identical to `run`'s output when the RTL agrees.
    /// - Throws: as ``run(_:_:)`` for the build and the quantizers.
    /// `weights`: ``quantizeWeights(_:)`` of this layer's W, when kept across calls.
    public func compute(_ layer: FloatLayer, weights: PwlqResult? = nil) throws -> [Double] {
        let p = parameters
        guard !p.preload else { throw HarnessError("the PWLQ layer path takes a build without the partial-sum stage (preload/codec)") }
        guard activation == .int4 || p.int8 else { throw HarnessError("int8 activations need a PWLQ build with int8") }
        let q = try quantize(layer, weights: weights)
        let blocks = LayerBlocks(m: layer.m, n: layer.n, rows: p.rows, cols: p.cols)
        let sums = try concurrentMap(blocks.tileCount) { t in goldenSums(tile: t, q, blocks: blocks) }
        var output = [Double](repeating: 0, count: layer.m * layer.n)
        for (t, s) in sums.enumerated() { dequantise(tile: t, sums: s, q, blocks: blocks, into: &output) }
        return output
    }
}

extension SdpLayerRunner {
    /// Tile t's golden W-bit results `[row][col]`, the words `run` expects from the RTL.
    func goldenTile(_ t: Int, _ q: SdpLayerOperands, blocks: LayerBlocks, paddedK: Int) throws -> [[UInt64]] {
        let (a, w) = Self.tile(t, q, blocks: blocks, paddedK: paddedK)
        return try generator.makeCase(id: t, source: "layer", actSigned: q.activationSigned, weight: q.weightMode, a: a, w: w).expected
    }

    /// C's elements of tile t from its W-bit results: s_a · s_w[n] · the signed sum.
    func dequantise(tile t: Int, results: [[UInt64]], _ q: SdpLayerOperands, blocks: LayerBlocks, into output: inout [Double]) {
        let width = parameters.accumulatorWidth
        let (m0, n0) = blocks.origin(of: t)
        for i in 0..<blocks.rows where m0 + i < q.m {
            for j in 0..<blocks.cols where n0 + j < q.n {
                let (m, n) = (m0 + i, n0 + j)
                output[m * q.n + n] = Double(PwlqTileSums.signed(results[i][j], width: width)) * q.activationScale * q.weightScales[n]
            }
        }
    }

    /// The golden path of `layer` without a simulator: quantized as ``run(_:_:)`` quantizes
    /// it (``SdpLayerOperands`` with ``weightInt8``), every tile's golden case (tiles in
    /// parallel), C dequantised as `run` dequantises the RTL's words.
    /// - Throws: ``HarnessError`` for weights the build does not decode.
    public func compute(_ layer: FloatLayer) throws -> [Double] {
        let p = parameters
        let q = try SdpLayerOperands(layer, parameters: p, weightInt8: weightInt8)
        let blocks = LayerBlocks(m: layer.m, n: layer.n, rows: p.rows, cols: p.cols)
        let paddedK = (layer.k + p.group - 1) / p.group * p.group
        let tiles = try concurrentMap(blocks.tileCount) { t in try goldenTile(t, q, blocks: blocks, paddedK: paddedK) }
        var output = [Double](repeating: 0, count: layer.m * layer.n)
        for (t, r) in tiles.enumerated() { dequantise(tile: t, results: r, q, blocks: blocks, into: &output) }
        return output
    }
}

extension MxLayerRunner {
    /// The golden model of the array (the configuration the MX testbench is generated for).
    var goldenModel: MxGoldenModel {
        let p = parameters
        return MxGoldenModel(MxGoldenConfiguration(rows: p.rows, cols: p.cols, formats: p.formats, blockSize: p.blockSize,
                                                   codeWidth: p.codeWidth, accumulation: p.reference))
    }

    /// Every tile of `operands` as an MX case with its expected binary32 words (tiles in parallel).
    func goldenCases(_ operands: MxLayerOperands, tiling: MxLayerTiling) throws -> [MxCase] {
        let model = goldenModel
        return try concurrentMap(tiling.tileCount) { t in tileCase(t, tiling: tiling, operands: operands, model: model) }
    }

    /// The golden path of `layer` without a simulator: quantized as ``run(_:_:)`` quantizes
    /// it, every tile's expected binary32 words (tiles in parallel), C as those words read
    /// as floats, exactly as `run` reads the RTL's.
    /// - Throws: ``HarnessError`` for parameters the array cannot build or a format it lacks.
    public func compute(_ layer: FloatLayer) throws -> [Double] {
        try checkFormats()
        let operands = quantize(layer)
        let tiling = MxLayerTiling(m: layer.m, k: layer.k, n: layer.n, rows: parameters.rows, cols: parameters.cols)
        let cases = try goldenCases(operands, tiling: tiling)
        var output = [Double](repeating: 0, count: layer.m * layer.n)
        for (t, c) in cases.enumerated() {
            let (rowTile, columnTile) = (t / tiling.columnTiles, t % tiling.columnTiles)
            for i in 0..<parameters.rows {
                let m = rowTile * parameters.rows + i
                guard m < layer.m else { break }
                for j in 0..<parameters.cols {
                    let n = columnTile * parameters.cols + j
                    guard n < layer.n else { break }
                    output[m * layer.n + n] = Double(Float(bitPattern: c.expected[i][j]))
                }
            }
        }
        return output
    }
}
