import AntgenGolden
import AntgenHardware
import AntgenSupport
import Foundation

/// One output element where the RTL and the Swift reference disagree.
public struct GemmMismatch: Sendable, Equatable {
    /// The tile and the position inside it.
    public let tile: Int, row: Int, col: Int
    /// The element of C (nil for a padding row or column, which must be 0).
    public let m: Int?, n: Int?
    /// The reference's and the RTL's W-bit values.
    public let expected: UInt64, got: UInt64
}

/// What running a whole GEMM on the RTL produced.
public struct GemmRunOutcome: Sendable {
    /// C = A·W modulo 2^W as the RTL computed it, row-major M × N.
    public let results: [UInt64]
    /// Every disagreement with the reference (empty: bit-exact).
    public let mismatches: [GemmMismatch]
    /// Elements compared (M·N plus the padding positions of the tiles).
    public let comparedElements: Int
    /// Per tile: cycles from its first beat to its last result row, both included.
    public let tileCycles: [Int]
    /// First beat of the first tile to the last row of the last tile, both included.
    public let cycles: Int
    /// Seconds spent building the simulator (0 when cached).
    public let buildSeconds: Double
    /// True when the simulator came from the cache.
    public let cached: Bool
    /// Seconds spent simulating (including streaming the tiles).
    public let simulationSeconds: Double
    /// The simulator's protocol errors (`ERROR` lines).
    public let protocolErrors: [String]
}

/// Runs C = A·W through one build of an R × C array: every tile of ``GemmTiling`` through
/// ONE simulator process (Verilator: the harness's streaming mode; Icarus: the streaming
/// testbench over one tile file), each answer checked against ``GemmReference`` as it
/// arrives.
public struct GemmRunner: Sendable {
    /// The array build.
    public let parameters: ArrayParameters
    /// The build cache folder.
    public let cacheDirectory: URL
    /// The simulators (timeouts).
    public let tools: SimulatorTools
    /// A deliberate defect (nil for the real hardware): shows that the check can fail.
    public let mutant: Mutant?
    /// The array's dataflow.
    public let dataflow: ArrayDataflow

    /// Creates a runner.
    public init(parameters: ArrayParameters, cacheDirectory: URL, tools: SimulatorTools = .standard, mutant: Mutant? = nil,
                dataflow: ArrayDataflow = .os) {
        self.parameters = parameters
        self.cacheDirectory = cacheDirectory
        self.tools = tools
        self.mutant = mutant
        self.dataflow = dataflow
    }

    /// The golden model's view of the build.
    public func goldenModel() throws -> GoldenModel {
        let p = parameters
        return try GoldenModel(configuration: ArrayConfiguration(
            rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, accumulatorWidth: p.accumulatorWidth,
            activationTypes: p.activation.types, weightTypes: p.weight.types, int8: p.int8))
    }

    /// Runs the GEMM on `simulator`; `progress(done, total)` is called after every tile.
    /// - Throws: ``HarnessError`` / ``ToolError`` when a build or the simulator fails (a
    ///   mismatch is not an error: it is in the outcome).
    public func run(a: QuantizedMatrix, w: QuantizedMatrix, simulator: SimulatorKind,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> GemmRunOutcome {
        if dataflow == .ws { return try runWeightStationary(a: a, w: w, simulator: simulator, progress: progress) }
        let model = try goldenModel()
        let tiling = GemmTiling(m: a.rows, k: a.cols, n: w.cols, rows: parameters.rows, cols: parameters.cols)
        let reference = GemmReference.expected(model, a: a, w: w)
        let tileOf: @Sendable (Int) -> StreamTile = { t in
            let beats = tiling.beats(of: t, a: a, w: w)
            return StreamTile(id: t, a: beats.a, w: beats.w, activation: a.mode, weight: w.mode)
        }
        var results = [UInt64](repeating: 0, count: a.rows * w.cols)
        var mismatches: [GemmMismatch] = []
        var tileCycles: [Int] = []
        var compared = 0
        let check: (TileAnswer) -> Void = { answer in
            let (mb, nb) = tiling.blocks(of: answer.id)
            for i in 0..<tiling.rows {
                let m = mb * tiling.rows + i
                for j in 0..<tiling.cols {
                    let n = nb * tiling.cols + j
                    let inside = m < tiling.m && n < tiling.n
                    let want = inside ? reference[m * tiling.n + n] : 0
                    let got = answer.results[i][j]
                    compared += 1
                    if inside { results[m * tiling.n + n] = got }
                    if got != want {
                        mismatches.append(GemmMismatch(tile: answer.id, row: i, col: j, m: inside ? m : nil, n: inside ? n : nil,
                                                       expected: want, got: got))
                    }
                }
            }
            tileCycles.append(answer.cycles)
            progress(tileCycles.count, tiling.tileCount)
        }
        let summary: StreamSummary
        var buildSeconds = 0.0, cached = true
        let start: Date
        switch simulator {
        case .verilator:
            let builder = VerilatorBuilder(cacheDirectory: cacheDirectory, testbenches: try TestbenchSources.locate(),
                                           verilator: tools.verilator, simulationTimeout: tools.simulationTimeout)
            let binary = try builder.binary(for: BuildRequest(parameters: parameters, mutant: mutant))
            buildSeconds = binary.buildSeconds
            cached = binary.cached
            start = Date()
            summary = try binary.stream(count: tiling.tileCount, rows: tiling.rows, cols: tiling.cols, tile: tileOf, answer: check)
        case .icarus:
            try tools.require(.icarus)
            let design = try GeneratedDesign(BuildRequest(parameters: parameters, mutant: mutant))
            let runner = IcarusRunner(testbenches: try TestbenchSources.locate(), tools: tools)
            let work = cacheDirectory.appendingPathComponent(".tmp-run-icarus-\(getpid())-\(UUID().uuidString.prefix(8))")
            try createFolder(cacheDirectory)
            start = Date()
            summary = try runner.stream(design: design, tiles: (0..<tiling.tileCount).map(tileOf), rows: tiling.rows,
                                        cols: tiling.cols, work: work, answer: check)
        }
        return GemmRunOutcome(results: results, mismatches: mismatches, comparedElements: compared, tileCycles: tileCycles,
                              cycles: summary.cycles, buildSeconds: buildSeconds, cached: cached,
                              simulationSeconds: Date().timeIntervalSince(start), protocolErrors: summary.errors)
    }

    /// A golden vector file holding tile `t` alone, with the reference's expected values:
    /// `antgen verify … --vectors FILE` reruns exactly that tile (the reproducer of a
    /// mismatch).
    public func reproducer(tile t: Int, a: QuantizedMatrix, w: QuantizedMatrix) throws -> VectorFile {
        let model = try goldenModel()
        let tiling = GemmTiling(m: a.rows, k: a.cols, n: w.cols, rows: parameters.rows, cols: parameters.cols)
        let beats = tiling.beats(of: t, a: a, w: w)
        let golden = model.makeCase(source: "run-tile-\(t)", activation: a.mode, weight: w.mode, a: beats.a, w: beats.w)
        return VectorFile(configuration: model.configuration, seed: 0, source: nil, cases: [golden])
    }
}
