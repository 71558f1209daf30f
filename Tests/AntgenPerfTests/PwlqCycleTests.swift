import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenPerf
import Foundation
import Testing

/// The PWLQ cycle model against the RTL: the PWLQ array's golden cases (K = 1…2R beats, so
/// some tiles stall on the drain; int4 and int8 activations mixed, 1 or 2 steps a beat) back
/// to back through the replay testbench (`antgen verify --array pwlq`'s run), whose
/// count from the first beat to the last row must equal ``OutputStationaryCycles``'s. The
/// same count on an ANT build with the partial-sum stage checks that the bench counts as the
/// OS harness does (its schedule is the ANT array's, with no extra cycle).
@Suite struct PwlqCycleTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pwlq-cycles-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func pwlqArrayCyclesEqualTheModel() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try PwlqArrayParameters(rows: 4, cols: 3, weightBits: 4, accumulatorWidth: 24, int8: true)
        let run = PwlqVerification(parameters: p, cases: 12, seed: 21)
        let golden = run.goldenCases()
        #expect(Set(golden.map(\.activationInt8)) == [false, true], "both step counts appear")
        #expect(golden.contains { $0.reduction * ($0.activationInt8 ? 2 : 1) < p.rows }, "some tile stalls on the drain")
        let results = try run.run(on: [.verilator], in: dir)
        let result = try #require(results.first)
        #expect(result.passed, "the PWLQ array disagrees with the golden model: \(result.problems)")
        let tiles = golden.map { TileStream(beats: $0.reduction, terms: $0.activationInt8 ? 2 : 1) }
        #expect(result.cycles == OutputStationaryCycles(rows: p.rows, cols: p.cols).cycles(tiles))
        #expect(result.cycles > 0)
    }

    @Test func antArrayWithPreloadCountsAsTheOutputStationaryHarness() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try ArrayParameters(rows: 3, cols: 4, codeWidth: 4, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 24,
                                    int8: true, preload: true)
        let run = PartialSumVerification(parameters: p, cases: 10, seed: 5)
        let golden = try run.goldenCases()
        let result = try #require(try run.run(golden, on: [.verilator], in: dir).first)
        #expect(result.passed, "\(result.problems)")
        let tiles = golden.map { TileStream(beats: $0.tile.reduction, terms: ($0.tile.activation.int8 ? 2 : 1) * ($0.tile.weight.int8 ? 2 : 1)) }
        #expect(Set(tiles.map(\.terms)).count > 1, "precision pairs of more than one step count")
        #expect(result.cycles == OutputStationaryCycles(rows: p.rows, cols: p.cols).cycles(tiles))
    }

    /// A layer through `antgen perf --array pwlq`'s model: int8 activations take 2
    /// steps whatever the weights, and the weight stream carries b + 1 bits.
    @Test func perfModelUsesTheActivationSteps() throws {
        let array = try PerfArray(rows: 4, cols: 3, shape: try PwlqShape(weightBits: 4))
        let layer = try GemmLayer(name: "l", m: 5, k: 6, n: 7, activationBits: .eight, weightBits: .eight)
        // 2 × 3 tiles of 6 beats × 2 steps: 12 + 5·max(12, 4) + 2·4 + 3.
        let report = try PerformanceModel(array: array).evaluate([layer])
        #expect(report.cycles == 12 + 5 * 12 + 8 + 3)
        #expect(report.layers[0].traffic.weightBufferReadBits == 6 * 6 * 3 * 5)
        #expect(report.layers[0].traffic.outputBufferWriteBits == 6 * 4 * 3 * 32 * 3)
        #expect(array.dataflow == .os)
        #expect(throws: PerfError.self) { try PerfArray(rows: 4, cols: 3, shape: try PwlqShape(weightBits: 4), timing: .weightStationary(rows: 4, cols: 3)) }
        #expect(throws: PerfError.self) { try PerfArray(rows: 4, cols: 3, shape: try PwlqShape(weightBits: 4), timing: .skewed(rows: 3, cols: 3)) }
        #expect(throws: PerfError.self) { try PwlqShape(weightBits: 9) }
    }
}
