import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSupport
import Foundation
import Testing

/// The cycle model against the RTL: random GEMM layers (ragged edges, every precision pair)
/// tiled as `antgen run` tiles them, driven back to back through the Verilated array by the
/// harness (no mid-stream reset), whose `SUMMARY cycles=` must equal the model's count.
@Suite struct RTLCycleTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A small int8 build: R = 4 so K·T < R tiles (K = 1, T = 1 or 2; K = 3, T = 1) stall.
    static func parameters(rows: Int, cols: Int) throws -> ArrayParameters {
        try ArrayParameters(rows: rows, cols: cols, codeWidth: 4, activationTypes: [.int], weightTypes: [.int],
                            accumulatorWidth: 24, int8: true)
    }

    /// The vector-file cases of `layer`: one case per tile in `LayerTiling.order`, random codes
    /// in the real rows and columns, code 0 in the padding, expected values from the golden model.
    static func cases(_ layer: GemmLayer, golden: GoldenModel, rng: inout SplitMix64) -> [GoldenCase] {
        let c = golden.configuration
        let act = OperandMode(type: .int, signed: true, int8: layer.activationBits == .eight)
        let wgt = OperandMode(type: .int, signed: true, int8: layer.weightBits == .eight)
        let aMask: UInt64 = act.int8 ? 0xFF : 0xF, wMask: UInt64 = wgt.int8 ? 0xFF : 0xF
        let a = (0..<layer.k).map { _ in (0..<layer.m).map { _ in rng.next() & aMask } }
        let w = (0..<layer.k).map { _ in (0..<layer.n).map { _ in rng.next() & wMask } }
        let tiling = LayerTiling(layer, rows: c.rows, cols: c.cols)
        return tiling.order.map { tile in
            let tileA = (0..<layer.k).map { k in
                (0..<c.rows).map { i in tile.rowTile * c.rows + i < layer.m ? a[k][tile.rowTile * c.rows + i] : 0 }
            }
            let tileW = (0..<layer.k).map { k in
                (0..<c.cols).map { j in tile.columnTile * c.cols + j < layer.n ? w[k][tile.columnTile * c.cols + j] : 0 }
            }
            return golden.makeCase(source: "random", activation: act, weight: wgt, a: tileA, w: tileW)
        }
    }

    /// Random layers with ragged M and N, K from 1 up, every precision pair.
    static func randomLayers(count: Int, seed: UInt64) throws -> [GemmLayer] {
        var rng = SplitMix64(seed: seed)
        let pairs: [(LayerBits, LayerBits)] = [(.four, .four), (.eight, .four), (.four, .eight), (.eight, .eight)]
        return try (0..<count).map { i in
            let (a, w) = pairs[i % pairs.count]
            let k = [1, 2, 3, 5, 9][Int(rng.next() % 5)]
            return try GemmLayer(name: "l\(i)", m: 1 + Int(rng.next() % 11), k: k, n: 1 + Int(rng.next() % 8),
                                 activationBits: a, weightBits: w)
        }
    }

    /// Runs `cases` through the harness without the mid-stream reset; returns the RTL's cycles.
    static func rtlCycles(_ cases: [GoldenCase], binary: SimulatorBinary, configuration: ArrayConfiguration,
                          folder: URL, name: String) throws -> Int {
        let numbered = cases.enumerated().map { i, c -> GoldenCase in var c = c; c.id = i; return c }
        let file = folder.appendingPathComponent("\(name).hex")
        try VectorFile(configuration: configuration, seed: 0, source: nil, cases: numbered).write(to: file)
        let result = try ExternalTool.run(program: binary.executable, [file.path, "--no-reset"] + binary.latencyArguments,
                                          timeout: 300, name: "the cycle-check simulation")
        let outcome = try SimulationOutcome.parse(result.output, status: result.status, seconds: 0,
                                                  expectedCases: numbered.count, simulator: "verilator")
        #expect(outcome.problems.isEmpty, "\(name): \(outcome.problems.prefix(3))")
        #expect(outcome.casePassed.allSatisfy { $0 }, "\(name): results differ from the golden model")
        return outcome.cycles
    }

    /// Each layer alone, and all layers in one back-to-back stream (precision changing between
    /// tiles), on a 4 × 3 build.
    @Test func modelCyclesEqualRTLCycles() throws {
        let parameters = try Self.parameters(rows: 4, cols: 3)
        let builder = VerilatorBuilder(cacheDirectory: Self.repositoryRoot.appendingPathComponent(".antgen-cache"),
                                       testbenches: try TestbenchSources.locate())
        let binary = try builder.binary(for: BuildRequest(parameters: parameters))
        let configuration = try ArrayConfiguration(rows: 4, cols: 3, codeWidth: 4, accumulatorWidth: 24,
                                                   activationTypes: [.int], weightTypes: [.int], int8: true)
        let golden = try GoldenModel(configuration: configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-perf-rtl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let model = OutputStationaryCycles(rows: 4, cols: 3)
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24)
        var rng = SplitMix64(seed: 14)
        var stream: [GoldenCase] = [], streamTiles: [TileStream] = []
        for layer in try Self.randomLayers(count: 12, seed: 2026) {
            let cases = Self.cases(layer, golden: golden, rng: &rng)
            let rtl = try Self.rtlCycles(cases, binary: binary, configuration: configuration, folder: folder, name: layer.name)
            let tiling = LayerTiling(layer, rows: 4, cols: 3)
            #expect(model.cycles(tiling.tiles) == rtl, "\(layer.name) \(layer.m)x\(layer.k)x\(layer.n) \(layer.precisionLabel)")
            #expect(try PerformanceModel(array: array).cycles(of: layer) == rtl, "\(layer.name)")
            stream += cases
            streamTiles += tiling.tiles
        }
        let rtl = try Self.rtlCycles(stream, binary: binary, configuration: configuration, folder: folder, name: "stream")
        #expect(model.cycles(streamTiles) == rtl)
    }
}
