import AntgenGolden
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import Foundation

/// Runs a real float layer through the OCP MX array's RTL (`antgen run` for the MX array).
///
/// A is quantized to the activation format in blocks of k along each row, W to the weight
/// format in blocks of k along each column (the reduction axis of both, ``MxQuantizer``).
/// The GEMM is cut into R × C output tiles, row tiles outer (``MxLayerTiling``); a ragged
/// edge is padded with code 0 under scale 2^0 (its outputs are +0), and a tile of fewer than
/// R beats is padded to R with code-0 beats (the drain takes one row a cycle). Every tile's
/// expected binary32 outputs come from ``MxGoldenModel``; all tiles stream back to back
/// through one simulator process of the MX testbench, and every output word it presented
/// (padding included) is compared bit for bit.
public struct MxLayerRunner: Sendable {
    /// The array.
    public let parameters: MxArrayParameters
    /// The activations' element format.
    public let activationFormat: MxElementFormat
    /// The weights' element format.
    public let weightFormat: MxElementFormat
    /// A named defect built into the RTL (the run must then find mismatches).
    public let mutant: MxMutant?
    /// Rounding, FP8 overflow and INT8 range of the quantizer.
    public var encoding = MxEncodingOptions()

    /// A runner of `parameters` for one format pair.
    public init(_ parameters: MxArrayParameters, activationFormat: MxElementFormat, weightFormat: MxElementFormat,
                mutant: MxMutant? = nil) {
        self.parameters = parameters
        self.activationFormat = activationFormat
        self.weightFormat = weightFormat
        self.mutant = mutant
    }

    /// `a mxfp8e4m3, w mxint8, k32`.
    public var formatsLine: String {
        "a \(activationFormat.modeName), w \(weightFormat.modeName), k\(parameters.blockSize)"
    }

    /// Quantizes `layer`, runs it through the RTL on `request.simulator` and checks every output.
    /// - Throws: ``HarnessError`` for parameters the array cannot build, a format it was not
    ///   built with, or a simulator that fails or prints no summary (a mismatch is not an
    ///   error: it is in the outcome).
    public func run(_ layer: FloatLayer, _ request: LayerRunRequest) throws -> LayerRunOutcome {
        try checkFormats()
        let operands = quantize(layer)
        let tiling = MxLayerTiling(m: layer.m, k: layer.k, n: layer.n, rows: parameters.rows, cols: parameters.cols)
        let design = try MxGeneratedDesign(parameters, mutant: mutant)
        let cases = try goldenCases(operands, tiling: tiling)
        let file = MxVectorFile(configuration: design.golden, cases: cases)

        let verifier = MxVerifier(cacheDirectory: request.cacheDirectory, testbenches: try TestbenchSources.locate(), tools: request.tools)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-mx-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        InterruptCleanup.track(work)
        defer {
            try? FileManager.default.removeItem(at: work)
            InterruptCleanup.untrack(work)
        }
        let dump = work.appendingPathComponent("mx-outputs.txt")
        request.progress?(0, tiling.tileCount)
        var buildSeconds = 0.0
        let result: MxRunResult
        switch request.simulator {
        case .verilator:
            let buildStart = Date()
            _ = try verifier.verilatorBinary(design)
            buildSeconds = Date().timeIntervalSince(buildStart)
            result = try verifier.runVerilator(design, file: file, work: work, dump: dump)
        case .icarus:
            try request.tools.require(.icarus)
            result = try verifier.runIcarus(design, file: file, work: work.appendingPathComponent("icarus"), dump: dump)
        }
        let rows = try MxOutputDump(contentsOf: dump, cols: parameters.cols)
        request.progress?(tiling.tileCount, tiling.tileCount)
        let check = MxLayerCheck(tiling: tiling, cases: cases, dump: rows, rowLabel: design.rowLabel)
        return LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: check.output, comparedElements: check.compared,
                               mismatchCount: check.mismatches, firstMismatch: check.firstMismatch,
                               protocolErrors: result.messages.filter { $0.hasPrefix("ERROR") } + check.labelErrors, cycles: result.span,
                               tiles: tiling.tileCount, buildSeconds: buildSeconds, simulationSeconds: result.seconds,
                               formats: formatsLine)
    }

    /// Refuses parameters the array cannot build and formats it was not built with.
    func checkFormats() throws {
        if let problem = parameters.problem() { throw HarnessError("MX array: \(problem)") }
        for (role, format) in [("activation", activationFormat), ("weight", weightFormat)] where !parameters.formats.contains(format) {
            throw HarnessError("the MX array is built for \(parameters.formats.map(\.rawValue).joined(separator: ", ")), not the \(role) format \(format.rawValue)")
        }
    }

    /// A and W as MX codes and scales, each operand row (A) or column (W) along K.
    func quantize(_ layer: FloatLayer) -> MxLayerOperands {
        let k = parameters.blockSize
        let a = MxQuantizer(format: activationFormat, blockSize: k, options: encoding).quantize(layer.a, shape: [layer.m, layer.k])
        var transposed = [Double](repeating: 0, count: layer.k * layer.n)
        for kk in 0..<layer.k {
            for j in 0..<layer.n { transposed[j * layer.k + kk] = layer.w[kk * layer.n + j] }
        }
        let w = MxQuantizer(format: weightFormat, blockSize: k, options: encoding).quantize(transposed, shape: [layer.n, layer.k])
        return MxLayerOperands(k: layer.k, blocks: (layer.k + k - 1) / k, a: a, w: w)
    }

    /// Tile `t` as an MX case with its expected outputs (id = t).
    func tileCase(_ t: Int, tiling: MxLayerTiling, operands: MxLayerOperands, model: MxGoldenModel) -> MxCase {
        let (rowTile, columnTile) = (t / tiling.columnTiles, t % tiling.columnTiles)
        let blocks = (tiling.beats + parameters.blockSize - 1) / parameters.blockSize
        func line(_ q: MxQuantization, _ index: Int, present: Bool) -> (codes: [Int], scales: [Int]) {
            guard present else { return ([Int](repeating: 0, count: tiling.beats), [Int](repeating: MxScale.bias, count: blocks)) }
            var codes = q.codes[index * operands.k ..< (index + 1) * operands.k].map(Int.init)
            var scales = q.scales[index * operands.blocks ..< (index + 1) * operands.blocks].map(Int.init)
            codes += [Int](repeating: 0, count: tiling.beats - codes.count)
            scales += [Int](repeating: MxScale.bias, count: blocks - scales.count)
            return (codes, scales)
        }
        let a = (0..<parameters.rows).map { i in
            let m = rowTile * parameters.rows + i
            return line(operands.a, m, present: m < tiling.m)
        }
        let w = (0..<parameters.cols).map { j in
            let n = columnTile * parameters.cols + j
            return line(operands.w, n, present: n < tiling.n)
        }
        return model.makeCase(id: t, source: "layer tile \(rowTile),\(columnTile)", aFormat: activationFormat, wFormat: weightFormat,
                              a: a.map(\.codes), aScales: a.map(\.scales), w: w.map(\.codes), wScales: w.map(\.scales))
    }
}

/// A layer's quantized operands: A's rows and Wᵀ's rows (W's columns), each K codes and
/// ⌈K/k⌉ scales.
struct MxLayerOperands: Sendable {
    /// The reduction length K and blocks along it.
    let k: Int, blocks: Int
    /// A, M × K codes, M × blocks scales.
    let a: MxQuantization
    /// Wᵀ, N × K codes, N × blocks scales.
    let w: MxQuantization
}

/// How `antgen run` cuts a GEMM for the MX array: ⌈M/R⌉ × ⌈N/C⌉ output tiles, row tiles
/// outer, each streaming max(K, R) beats (fewer than R would overrun the drain).
public struct MxLayerTiling: Sendable, Equatable {
    /// The layer's shape.
    public let m: Int, k: Int, n: Int
    /// Tiles along M and along N.
    public let rowTiles: Int, columnTiles: Int
    /// Beats per tile: max(K, R).
    public let beats: Int

    /// The tiling of an M × K · K × N GEMM on an R × C MX array.
    public init(m: Int, k: Int, n: Int, rows: Int, cols: Int) {
        self.m = m
        self.k = k
        self.n = n
        rowTiles = (m + rows - 1) / rows
        columnTiles = (n + cols - 1) / cols
        beats = max(k, rows)
    }

    /// All tiles.
    public var tileCount: Int { rowTiles * columnTiles }
}
