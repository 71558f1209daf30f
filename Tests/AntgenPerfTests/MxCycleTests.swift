import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenPerf
import AntgenSynth
import Foundation
import Testing

/// The MX array in the performance model: its cycle model against the RTL's own count
/// (`MxLayerRunner`, tiles back to back), its traffic in element and scale bits, and energy
/// from the synthesized MX array's cells.
@Suite("MX performance model", .serialized)
struct MxCycleTests {
    /// The build MxLayerRunTests uses too (one Verilator build for both).
    static let array = MxArrayParameters(rows: 3, cols: 2, formats: [.fp4e2m1, .fp8e4m3, .int8], blockSize: 8)
    static let cache = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".antgen-cache")

    static func layer(m: Int, k: Int, n: Int) throws -> FloatLayer {
        var rng = SplitMix64(seed: UInt64(m * 1000 + k * 10 + n))
        return try FloatLayer(m: m, k: k, n: n, a: (0..<(m * k)).map { _ in rng.gaussian() }, w: (0..<(k * n)).map { _ in rng.gaussian() })
    }

    /// Shapes: one tile; ragged M, N and K (a short last block); K below R (padded beats);
    /// many tiles with K spanning several blocks.
    @Test("the model's cycles equal the RTL's count", arguments: [(1, 8, 1), (5, 19, 3), (3, 2, 2), (7, 33, 5)])
    func cyclesEqualTheRtl(m: Int, k: Int, n: Int) throws {
        let runner = MxLayerRunner(Self.array, activationFormat: .fp8e4m3, weightFormat: .int8)
        let outcome = try runner.run(try Self.layer(m: m, k: k, n: n), LayerRunRequest(cacheDirectory: Self.cache))
        #expect(outcome.bitExact, "\(outcome.firstMismatch ?? "") \(outcome.protocolErrors)")
        let perf = try PerfArray(rows: 3, cols: 2, shape: try MxShape(activationFormat: .fp8e4m3, weightFormat: .int8, blockSize: 8))
        let layer = try GemmLayer(name: "l", m: m, k: k, n: n)
        #expect(try PerformanceModel(array: perf).cycles(of: layer) == outcome.cycles)
        #expect(MxCycles(rows: 3, cols: 2).cycles(m: m, k: k, n: n) == outcome.cycles)
        #expect(try PerformanceModel(array: perf).evaluate([layer]).layers[0].tiles == outcome.tiles)
    }

    /// Hand-counted: 5 × 19 · 19 × 3 on 3 × 2, MXFP8 activations, MXFP4 weights, k = 8:
    /// 2 × 2 tiles of 19 beats (3 blocks of scales per line).
    @Test func trafficCountsElementsAndScales() throws {
        let shape = try MxShape(activationFormat: .fp8e4m3, weightFormat: .fp4e2m1, blockSize: 8)
        let perf = try PerfArray(rows: 3, cols: 2, shape: shape)
        let result = try PerformanceModel(array: perf).evaluate([try GemmLayer(name: "l", m: 5, k: 19, n: 3)]).layers[0]
        let t = result.traffic
        #expect(t.activationBufferReadBits == 4 * 3 * (19 * 8 + 3 * 8))
        #expect(t.weightBufferReadBits == 4 * 2 * (19 * 4 + 3 * 8))
        #expect(t.outputBufferWriteBits == 4 * 3 * 2 * 32)
        #expect(t.outputBufferReadBits == 5 * 3 * 32)
        // Everything fits the buffers: A and W once each; results requantized to MXFP8 along N.
        #expect(t.dramReadBits == 5 * (19 * 8 + 3 * 8) + 3 * (19 * 4 + 3 * 8))
        #expect(t.dramWriteBits == 5 * (3 * 8 + 8))
        #expect(result.cycles == 4 * 19 + 3 + 2)
        #expect(abs(result.utilization - Double(5 * 19 * 3) / Double(6 * result.cycles)) < 1e-12)
        #expect(result.layer.precisionLabel == "a8w4")
    }

    @Test func mxArrayIsOutputStationaryAndAlone() throws {
        let shape = try MxShape(activationFormat: .int8, weightFormat: .int8)
        #expect(try PerfArray(rows: 2, cols: 2, shape: shape).dataflow == .os)
        // The MX shape counts with broadcast timing only.
        #expect(throws: PerfError.self) { try PerfArray(rows: 2, cols: 2, shape: shape, timing: .weightStationary(rows: 2, cols: 2)) }
        #expect(throws: PerfError.self) { try PerfArray(rows: 2, cols: 2, shape: shape, timing: .skewed(rows: 2, cols: 2)) }
        #expect(throws: PerfError.self) { try MxShape(activationFormat: .int8, weightFormat: .int8, blockSize: 0) }
        #expect(throws: PerfError.self) { try PerfArray(rows: 5, cols: 2, shape: try MxShape(activationFormat: .int8, weightFormat: .int8, blockSize: 4)) }
        #expect(try PerfArray(rows: 2, cols: 2, shape: shape).description.contains("MX a int8 w int8 k32"))
    }

    /// A 2 × 2 MXFP4 array synthesized with Yosys: ArrayCells finds the MX PE, and the energy
    /// model prices every cell type Yosys produced, per PE step = per beat per PE.
    @Test func energyFromTheSynthesizedMxArray() throws {
        let p = MxArrayParameters(rows: 2, cols: 2, formats: [.fp4e2m1], blockSize: 4)
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try ArraySynthesis.mx(p, synthesizer: Synthesizer(), options: options)
        let cells = try ArrayCells(report: report, processingElement: "MxProcessingElement")
        #expect(cells.rows == 2 && cells.cols == 2)
        let pe = try #require(report.modules.first { $0.generator == "MxProcessingElement" })
        #expect(cells.processingElement == pe.total.genericCells.byType && !cells.rest.isEmpty)
        let perf = try PerfArray(rows: 2, cols: 2, shape: try MxShape(activationFormat: .fp4e2m1, weightFormat: .fp4e2m1, blockSize: 4))
        let model = PerformanceModel(array: perf, cells: cells)
        let result = try model.evaluate([try GemmLayer(name: "l", m: 3, k: 5, n: 2)]).layers[0]
        let energy = try EnergyModel(array: perf, table: .standard, cells: cells)
        // 2 × 1 tiles of 5 beats, every one of the 4 PEs stepping on each.
        #expect(abs(result.energy.processingElements - 2 * 5 * 4 * energy.picojoulesPerPEStep) < 1e-9)
        #expect(abs(result.energy.arrayLogic - Double(result.cycles) * energy.picojoulesPerArrayCycle) < 1e-9)
        #expect(energy.picojoulesPerPEStep > 0 && energy.picojoulesPerArrayCycle > 0)
    }
}
