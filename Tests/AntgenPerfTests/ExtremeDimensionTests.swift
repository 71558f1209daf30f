import AntgenHardware
import AntgenPerf
import Testing

/// The model never traps on user dimensions: layers up to Int.max along any axis, products
/// near 2^63, on every array shape and on 1 × 1 and 256 × 256 arrays, give either a
/// ``PerfError`` or a report whose every count is non-negative and every energy finite.
@Suite struct ExtremeDimensionTests {
    static let edges = [1, 2, 3, 255, 256, 1 << 20, 1 << 31, (1 << 31) + 7, 1 << 40, 1 << 52, 1 << 61, 1 << 62, Int.max - 1, Int.max]

    /// Deterministic extreme and random dimensions.
    static func dimensions(count: Int, seed: UInt64) -> [(Int, Int, Int)] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let pick = Int(state >> 33)
            // Half edge values, half random magnitudes 2^0 … 2^63.
            if pick % 2 == 0 { return edges[(pick / 2) % edges.count] }
            let bits = (pick / 2) % 63
            return max(1, Int(truncatingIfNeeded: state >> 1) & ((1 << bits) - 1 | 1))
        }
        return (0..<count).map { _ in (next(), next(), next()) }
    }

    static func arrays() throws -> [PerfArray] {
        var list: [PerfArray] = []
        for (r, c) in [(1, 1), (256, 256), (3, 7)] {
            list.append(try PerfArray(rows: r, cols: c, dataflow: .os))
            list.append(try PerfArray(rows: r, cols: c, dataflow: .ws))
            list.append(try PerfArray(rows: r, cols: c, shape: try SdpShape(group: 16, terms: 32)))
            list.append(try PerfArray(rows: r, cols: c, shape: try PwlqShape(weightBits: 8)))
            list.append(try PerfArray(rows: r, cols: c, shape: try MxShape(activationFormat: .fp8e4m3, weightFormat: .int8, blockSize: 256)))
        }
        return list
    }

    static func check(_ report: PerformanceReport, _ label: String) {
        for r in report.layers {
            let t = r.traffic
            let counts = [r.cycles, r.tiles, r.macs, t.activationBufferReadBits, t.weightBufferReadBits, t.outputBufferWriteBits,
                          t.outputBufferReadBits, t.operandBufferFillBits, t.dramReadBits, t.dramWriteBits]
            #expect(counts.allSatisfy { $0 >= 0 }, "\(label): a negative count \(counts)")
            let doubles = [r.utilization, r.microseconds, r.energy.total]
            #expect(doubles.allSatisfy { $0.isFinite }, "\(label): \(doubles)")
        }
        #expect(report.energy.total.isFinite && report.microseconds.isFinite && report.cycles >= 0, "\(label)")
    }

    @Test func extremeLayersGiveAnErrorOrAFiniteReport() throws {
        let cells = ArrayCells(rows: 1, cols: 1, processingElement: ["$_NAND_": 1000], rest: ["$_DFF_P_": 10])
        var refused = 0, modelled = 0
        for array in try Self.arrays() {
            let sized = ArrayCells(rows: array.rows, cols: array.cols, processingElement: cells.processingElement, rest: cells.rest)
            let model = PerformanceModel(array: array, cells: sized)
            for (m, k, n) in Self.dimensions(count: 300, seed: UInt64(array.rows * 1000 + array.cols)) {
                for (a, w) in [(LayerBits.four, LayerBits.four), (.eight, .eight)] {
                    let label = "\(array) \(m)x\(k)x\(n)"
                    guard let layer = try? GemmLayer(name: "x", m: m, k: k, n: n, activationBits: a, weightBits: w) else { refused += 1; continue }
                    do {
                        let report = try model.evaluate([layer])
                        Self.check(report, label)
                        modelled += 1
                    } catch {
                        #expect(!"\(error)".contains("\n"), "\(label): one line")
                        refused += 1
                    }
                    // The tilings alone never trap either.
                    _ = LayerTiling(layer, rows: array.rows, cols: array.cols).tileCount
                    _ = WeightStationaryTiling(layer, rows: array.rows, cols: array.cols).tileCount
                    _ = MxCycles(rows: array.rows, cols: array.cols).cycles(m: m, k: k, n: n)
                }
            }
        }
        #expect(refused > 0 && modelled > 0, "both outcomes occur (\(refused) refused, \(modelled) modelled)")
    }

    /// The cases of issue 24: m = 2^62, and m·k·n near 2^60 on a 1 × 1 array, are one-line errors.
    @Test func knownTrapsAreOneLineErrors() throws {
        for array in [try PerfArray(rows: 1, cols: 1, dataflow: .os), try PerfArray(rows: 1, cols: 1, dataflow: .ws)] {
            for (m, k, n) in [(1 << 62, 1, 1), (1 << 20, 1 << 20, 1 << 20), (1, Int.max, 1)] {
                let layer = try GemmLayer(name: "big", m: m, k: k, n: n)
                #expect(throws: PerfError.self) { try PerformanceModel(array: array).evaluate([layer]) }
            }
        }
        // Layers that fit one by one but not together.
        let big = try GemmLayer(name: "big", m: 1 << 16, k: 1 << 16, n: 1 << 16)
        let array = try PerfArray(rows: 1, cols: 1)
        #expect(throws: PerfError.self) { try PerformanceModel(array: array).evaluate(Array(repeating: big, count: 5000)) }
        // Every stream timing returns nil rather than trap.
        for timing in [StreamTiming.skewed(rows: 1, cols: 1), .weightStationary(rows: 1, cols: 1), .broadcast(rows: 1, cols: 1, latency: 3)] {
            #expect(timing.streamCycles(tiles: Int.max, beats: Int.max, stepsPerBeat: 4) == nil)
            #expect(timing.streamCycles(tiles: 2, beats: 3, stepsPerBeat: 1) != nil)
        }
    }

    /// Clocks and energy entries outside a physical range are refused, never printed as inf.
    @Test func physicalRanges() throws {
        #expect(throws: PerfError.self) { try PerfArray(rows: 2, cols: 2, clockMHz: 1e-320) }
        #expect(throws: PerfError.self) { try PerfArray(rows: 2, cols: 2, clockMHz: 1e300) }
        let t = EnergyTable.standard
        let huge = EnergyTable(source: t.source, logicTechnology: t.logicTechnology, cellTransitionFemtojoules: t.cellTransitionFemtojoules,
                               activityFactor: t.activityFactor, memoryTechnology: t.memoryTechnology, sramReads: t.sramReads,
                               sramWriteFactor: t.sramWriteFactor, dramPicojoulesPer64Bits: 1e308)
        #expect(huge.problem?.contains("physical range") == true)
        let steep = EnergyTable(source: t.source, logicTechnology: t.logicTechnology, cellTransitionFemtojoules: t.cellTransitionFemtojoules,
                                activityFactor: t.activityFactor, memoryTechnology: t.memoryTechnology,
                                sramReads: [.init(bytes: 1, picojoulesPer64Bits: 1e-6), .init(bytes: 2, picojoulesPer64Bits: 1e6)],
                                sramWriteFactor: 1, dramPicojoulesPer64Bits: 1)
        #expect(steep.problem == nil)
        #expect(throws: PerfError.self) { try EnergyModel(array: try PerfArray(rows: 2, cols: 2), table: steep, cells: nil) }
        #expect(t.problem == nil)
    }
}
