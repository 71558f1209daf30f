import AntgenHarness
import AntgenHardware
import AntgenNumerics
import AntgenPerf
import Foundation

/// A layer as the FP-on-INT array runs it: R × C tiles of codes in the layer format, and how
/// an output word becomes the layer's value.
struct FpIntLayerTiles {
    /// The tiles, row-tile major (padded rows and columns are code 0).
    let tiles: [FpIntTile]
    /// `fp16 × fp16, N=4 S=8` or `int8 × int8 (…)`.
    let formats: String
    /// Integer layers: the activations' per-tensor scale and the weights' per-output-channel
    /// scales (nil for float layers, whose words are the binary32 value itself).
    let activationScale: Double?, weightScales: [Double]

    /// Output column j's value of an output word.
    func value(_ word: UInt32, column j: Int) -> Double {
        guard let s = activationScale else { return Double(Float(bitPattern: word)) }
        return Double(Int32(bitPattern: word)) * s * weightScales[j]
    }
}

/// The FP-on-INT array's layer paths (docs/fp-on-int.md, "Layers"): float layers cast A and W
/// to the layer format (RNE, or refused with `--fpint-no-cast`), every output the
/// reference's binary32 value; INT4/INT8 layers quantize A per tensor (symmetric, clip search,
/// ``uniformQuantize(_:bits:signed:candidates:)``) and W per output channel (symmetric, max
/// |w|), every output the exact integer sum times the two scales.
extension FpIntVariant {
    /// The codes of a layer in the layer format, as R × C tiles.
    /// - Throws: ``VariantError`` for a precision other than standard or a refused value.
    func tiles(_ layer: FloatLayer, precision: LayerPrecision) throws -> FpIntLayerTiles {
        guard precision == .standard else {
            throw VariantError("precision \(precision): --array fpint runs a layer in its layer format (--fpint-layer-format); use standard")
        }
        let shape = "N=\(parameters.lanes) S=\(parameters.shiftCapacity)"
        guard let format = layerFormat.float else {
            let bits = layerFormat.bits
            let q = Self.quantizeInteger(layer, bits: bits)
            let mask = (1 << bits) - 1
            return FpIntLayerTiles(tiles: cut(layer, a: q.a.map { $0 & mask }, w: q.w.map { $0 & mask }),
                                   formats: "int\(bits) × int\(bits) (a per tensor, w per output channel, symmetric), \(shape)",
                                   activationScale: q.activationScale, weightScales: q.weightScales)
        }
        let cast = configuration.cast
        func codes(_ values: [Double], _ what: String) throws -> [Int] {
            do { return try FpIntDotProduct.codes(values, format: format, cast: cast) } catch {
                throw VariantError("\(what): \(error.description) (give no --fpint-no-cast to round it)")
            }
        }
        let a = try codes(layer.a, "activations"), w = try codes(layer.w, "weights")
        return FpIntLayerTiles(tiles: cut(layer, a: a, w: w), formats: "\(format.rawValue) × \(format.rawValue), \(shape)",
                               activationScale: nil, weightScales: [])
    }

    /// Symmetric integer quantization of a layer: A per tensor (signed, clip search), W per
    /// output channel (scale max |w_j| / (2^(b−1) − 1), round half away from zero).
    static func quantizeInteger(_ layer: FloatLayer, bits: Int) -> (a: [Int], activationScale: Double, w: [Int], weightScales: [Double]) {
        let activations = uniformQuantize(layer.a, bits: bits, signed: true)
        let top = Double((1 << (bits - 1)) - 1), n = layer.n
        let scales = (0 ..< n).map { j in
            let largest = (0 ..< layer.k).reduce(0.0) { max($0, layer.w[$1 * n + j].magnitude) }
            return largest > 0 ? largest / top : 1
        }
        let w = layer.w.indices.map { i in Int(min(max((layer.w[i] / scales[i % n]).rounded(.toNearestOrAwayFromZero), -top), top)) }
        return (activations.codes, activations.scale, w, scales)
    }

    /// A (M × K) and W (K × N) codes as R × C tiles (padded rows and columns are code 0).
    private func cut(_ layer: FloatLayer, a: [Int], w: [Int]) -> [FpIntTile] {
        let r = parameters.rows, c = parameters.cols
        var tiles: [FpIntTile] = []
        for i0 in stride(from: 0, to: layer.m, by: r) {
            for j0 in stride(from: 0, to: layer.n, by: c) {
                let rowsA = (0 ..< r).map { i in i0 + i < layer.m ? Array(a[(i0 + i) * layer.k ..< (i0 + i + 1) * layer.k]) : [Int](repeating: 0, count: layer.k) }
                let colsW = (0 ..< c).map { j in j0 + j < layer.n ? (0 ..< layer.k).map { w[$0 * layer.n + j0 + j] } : [Int](repeating: 0, count: layer.k) }
                tiles.append(FpIntTile(format: layerFormat, a: rowsA, w: colsW))
            }
        }
        return tiles
    }

    /// The reference output of `layer`'s tiles as the layer's M × N values.
    func output(_ layer: FpIntLayerTiles, m: Int, n: Int) throws -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        let r = parameters.rows, c = parameters.cols, tilesPerRow = (n + c - 1) / c
        for (t, tile) in layer.tiles.enumerated() {
            let i0 = t / tilesPerRow * r, j0 = t % tilesPerRow * c
            for i in 0 ..< r where i0 + i < m {
                for j in 0 ..< c where j0 + j < n {
                    out[(i0 + i) * n + j0 + j] = layer.value(try tile.expected(row: i, col: j, unit: parameters.unit), column: j0 + j)
                }
            }
        }
        return out
    }

    /// The exact cycles of `tiles` on this build: each beat's passes from the reference's
    /// placement of every PE's lanes (window 2 when any PE needs it, as the sequencer does),
    /// through the stream timing; nil on overflow.
    func exactCycles(_ tiles: [FpIntTile]) throws -> (cycles: Int?, secondWindowBeats: Int, beats: Int) {
        var tilePasses: [Int] = [], second = 0, beats = 0
        let p = layerFormat.passesPerWindow
        for tile in tiles {
            let passes = try tile.beatPasses(unit: parameters.unit)
            tilePasses.append(passes.reduce(0, +))
            second += passes.filter { $0 > p }.count
            beats += passes.count
        }
        return (FpIntShape.cycles(tilePasses: tilePasses, timing: streamTiming), second, beats)
    }

    private var operandBits: Int { layerFormat.bits <= 4 ? 4 : 8 }

    /// (No weight memo: casting and quantizing are cheap.)
    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights: WeightMemo?) throws -> LayerComputation {
        let quantized = try tiles(layer, precision: precision)
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: try output(quantized, m: layer.m, n: layer.n),
                                formats: quantized.formats, precision: precision, activationBits: operandBits, weightBits: operandBits)
    }

    /// The layer through the RTL on the request's simulator (the replay bench compares every
    /// output word with the reference; `output` is the reference's, equal to the RTL's when
    /// bit-exact). The RTL's cycles must equal the exact cycle model (window 2 counted from
    /// the data, ``exactCycles(_:)``); a difference is reported as a protocol error.
    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        if configuration.window2Rate != nil {  // `antgen run` refuses it earlier (layerOptions); library callers here
            throw VariantError("--fpint-window2-rate is perf's assumption without data; run counts the second window from the tensors")
        }
        let quantized = try tiles(layer, precision: precision)
        let model = try exactCycles(quantized.tiles)
        let start = Date()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-fpint-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let verification = FpIntVerification(parameters: parameters, tiles: quantized.tiles, mutant: defect)
        let result = try verification.run(on: [request.simulator], in: work, tools: request.tools, runtimeCache: request.cacheDirectory)[0]
        let words = quantized.tiles.count * parameters.rows * parameters.cols
        var errors = result.rows == result.expectedRows ? [] : ["\(result.rows) of \(result.expectedRows) output rows came"]
        if model.cycles != result.cycles {
            errors.append("the RTL took \(result.cycles) cycles, the exact cycle model \(model.cycles.map(String.init) ?? "overflow")")
        }
        let window2 = layerFormat.float == nil ? "" : "; window 2 in \(model.secondWindowBeats) of \(model.beats) beats (from the data)"
        var outcome = LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: try output(quantized, m: layer.m, n: layer.n), comparedElements: words,
                               mismatchCount: result.passed ? 0 : max(result.mismatches, 1), firstMismatch: result.problems.first,
                               protocolErrors: errors, cycles: result.cycles, tiles: quantized.tiles.count, buildSeconds: 0,
                               simulationSeconds: Date().timeIntervalSince(start), formats: quantized.formats + window2,
                               activationBits: operandBits, weightBits: operandBits)
        outcome.macsPerPECycle = Double(parameters.lanes) / Double(layerFormat.passesPerWindow)
        return outcome
    }
}
