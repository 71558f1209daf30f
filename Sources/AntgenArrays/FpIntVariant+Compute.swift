import AntgenHarness
import AntgenHardware
import AntgenNumerics
import Foundation

/// The FP-on-INT array's layer paths: A and W cast to the layer format (RNE, or refused with
/// `--fpint-no-cast`), every output the reference's binary32 value (docs/fp-on-int.md).
extension FpIntVariant {
    /// The codes of a layer in the layer format, as R × C tiles (padded rows and columns are +0).
    /// - Throws: ``VariantError`` for a precision other than standard, an integer layer format
    ///   (integer layers need a quantizer the array does not carry), or a refused value.
    func tiles(_ layer: FloatLayer, precision: LayerPrecision) throws -> (tiles: [FpIntTile], format: FpIntFloatFormat) {
        guard precision == .standard else {
            throw VariantError("precision \(precision): --array fpint runs a layer in its layer format (--fpint-layer-format); use standard")
        }
        guard let format = layerFormat.float else {
            throw VariantError("--array fpint runs float layers in fp16, bf16 or fp8; \(layerFormat.rawValue) layers are not supported by run")
        }
        let cast = configuration.cast
        func codes(_ values: [Double], _ what: String) throws -> [Int] {
            do { return try FpIntDotProduct.codes(values, format: format, cast: cast) } catch {
                throw VariantError("\(what): \(error.description) (give no --fpint-no-cast to round it)")
            }
        }
        let a = try codes(layer.a, "activations"), w = try codes(layer.w, "weights")
        let r = parameters.rows, c = parameters.cols
        var tiles: [FpIntTile] = []
        for i0 in stride(from: 0, to: layer.m, by: r) {
            for j0 in stride(from: 0, to: layer.n, by: c) {
                let rowsA = (0 ..< r).map { i in i0 + i < layer.m ? Array(a[(i0 + i) * layer.k ..< (i0 + i + 1) * layer.k]) : [Int](repeating: 0, count: layer.k) }
                let colsW = (0 ..< c).map { j in j0 + j < layer.n ? (0 ..< layer.k).map { w[$0 * layer.n + j0 + j] } : [Int](repeating: 0, count: layer.k) }
                tiles.append(FpIntTile(format: layerFormat, a: rowsA, w: colsW))
            }
        }
        return (tiles, format)
    }

    /// The reference output of `tiles` as the layer's M × N values.
    func output(_ tiles: [FpIntTile], m: Int, n: Int) throws -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        let r = parameters.rows, c = parameters.cols, tilesPerRow = (n + c - 1) / c
        for (t, tile) in tiles.enumerated() {
            let i0 = t / tilesPerRow * r, j0 = t % tilesPerRow * c
            for i in 0 ..< r where i0 + i < m {
                for j in 0 ..< c where j0 + j < n {
                    out[(i0 + i) * n + j0 + j] = Double(Float(bitPattern: try tile.expected(row: i, col: j, unit: parameters.unit)))
                }
            }
        }
        return out
    }

    /// (No weight memo: casting is cheap.)
    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights: WeightMemo?) throws -> LayerComputation {
        let (tiles, format) = try tiles(layer, precision: precision)
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: try output(tiles, m: layer.m, n: layer.n),
                                formats: "\(format.rawValue) × \(format.rawValue), N=\(parameters.lanes) S=\(parameters.shiftCapacity)",
                                precision: precision, activationBits: format.bits <= 4 ? 4 : 8, weightBits: format.bits <= 4 ? 4 : 8)
    }

    /// The layer through the RTL on the request's simulator (the replay bench compares every
    /// output word with the reference; `output` is the reference's, equal to the RTL's when bit-exact).
    public func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome {
        let (tiles, format) = try tiles(layer, precision: precision)
        let start = Date()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-fpint-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try FpIntVerification(parameters: parameters, tiles: tiles, mutant: defect).run(on: [request.simulator], in: work, tools: request.tools)[0]
        let words = tiles.count * parameters.rows * parameters.cols
        return LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: try output(tiles, m: layer.m, n: layer.n), comparedElements: words,
                               mismatchCount: result.passed ? 0 : max(result.mismatches, 1) , firstMismatch: result.problems.first,
                               protocolErrors: result.rows == result.expectedRows ? [] : ["\(result.rows) of \(result.expectedRows) output rows came"],
                               cycles: result.cycles, tiles: tiles.count, buildSeconds: 0, simulationSeconds: Date().timeIntervalSince(start),
                               formats: "\(format.rawValue) × \(format.rawValue), N=\(parameters.lanes) S=\(parameters.shiftCapacity)",
                               activationBits: 8, weightBits: 8)
    }
}
