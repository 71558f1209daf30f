import AntgenHardware
import AntgenPerf
import Testing

/// The weight-stationary cycle model against hand-worked timelines of docs/architecture.md
/// §12 and the array's own documented formulas (`WsTiming`); the RTL check is
/// AntgenCLITests' PerfExactnessTests.
@Suite struct WeightStationaryCycleTests {
    /// R = 2, C = 3, one tile of M = 2 vectors at T = 1: loads in cycles 0 and 1, compute
    /// beats in 2 and 3, rows 1 + 2 + 3 + 1 = 7 cycles later (9 and 10): 11 cycles.
    @Test func documentedSingleTile() {
        let model = WeightStationaryCycles(rows: 2, cols: 3)
        let e = model.schedule([WeightTile(vectors: 2, terms: 1)])
        #expect(e.count == 1 && e[0].firstLoad == 0 && e[0].lastCompute == 3 && e[0].firstRow == 9 && e[0].lastRow == 10)
        #expect(model.cycles([WeightTile(vectors: 2, terms: 1)]) == 2 + 2 * 2 + 3 + 2)
    }

    /// The second tile's first load waits for the mesh to drain: it starts (as if accepted)
    /// R + M·T + R + C − 2 cycles after the first's (2 + 4 + 2 + 3 − 2 = 9 at M = 2, T = 2).
    @Test func drainBeforeTheNextLoad() {
        let model = WeightStationaryCycles(rows: 2, cols: 3)
        let e = model.schedule(Array(repeating: WeightTile(vectors: 2, terms: 2), count: 3))
        #expect(e.map(\.firstLoad) == [0, 9, 18])
        #expect(e.map(\.lastCompute) == [4, 13, 22])
        // §12: a later tile takes M·T + 3R + 2C cycles from the cycle its first load beat is
        // offered (the previous tile's last step, lastCompute + T) to its last row.
        #expect(e[1].lastRow - (e[0].lastCompute + 2) + 1 == 4 + 6 + 6)
    }

    /// 32 × 32 at 4×4: a compute beat's row comes T + R + C + 1 = 66 cycles after it.
    @Test func documentedLatency() {
        let e = WeightStationaryCycles(rows: 32, cols: 32).schedule([WeightTile(vectors: 1, terms: 1)])[0]
        #expect(e.lastRow - e.lastCompute == 66)
    }

    /// The closed form equals the schedule and the array's `WsTiming.streamCycles` on a grid.
    @Test func closedFormMatchesScheduleAndHardwareContract() {
        for rows in [1, 2, 5, 16] {
            for cols in [1, 3, 16] {
                let model = WeightStationaryCycles(rows: rows, cols: cols)
                let contract = WsTiming(rows: rows, cols: cols)
                for vectors in [1, 2, 7, 40] {
                    for terms in [1, 2, 4] {
                        for count in [1, 2, 9] {
                            let tiles = Array(repeating: WeightTile(vectors: vectors, terms: terms), count: count)
                            let closed = model.cycles(tiles: count, vectors: vectors, terms: terms)
                            #expect(closed == model.cycles(tiles))
                            #expect(closed == contract.streamCycles(tiles: count, vectors: vectors, termsPerBeat: terms))
                        }
                    }
                }
            }
        }
    }

    /// A 10 × 7 × 11 layer on 3 × 5: ⌈7/3⌉ = 3 K chunks × ⌈11/5⌉ = 3 N blocks, M = 10 beats each.
    @Test func raggedTiling() throws {
        let layer = try GemmLayer(name: "l", m: 10, k: 7, n: 11, activationBits: .eight, weightBits: .eight)
        let t = WeightStationaryTiling(layer, rows: 3, cols: 5)
        #expect(t.kChunks == 3 && t.nBlocks == 3 && t.tileCount == 9 && t.vectors == 10 && t.terms == 4)
        #expect(t.order[1] == (kChunk: 1, nBlock: 0) && t.order[3] == (kChunk: 0, nBlock: 1))
        let array = try PerfArray(rows: 3, cols: 5, dataflow: .ws)
        #expect(try PerformanceModel(array: array).cycles(of: layer) == 8 * (40 + 6 + 5 - 2) + 40 + 6 + 5 + 2)
        #expect(PerformanceModel(array: array).tileCount(of: layer) == 9)
    }

    /// WS traffic, hand-computed: 10 × 7 × 11 a8w8 on 3 × 5, W = 24, roomy buffers.
    @Test func weightStationaryTraffic() throws {
        let layer = try GemmLayer(name: "l", m: 10, k: 7, n: 11, activationBits: .eight, weightBits: .eight)
        let t = LayerTraffic(layer, array: try PerfArray(rows: 3, cols: 5, dataflow: .ws, accumulatorWidth: 24))
        #expect(t.activationBufferReadBits == 9 * 10 * 3 * 8)        // tiles × M × R × 8
        #expect(t.weightBufferReadBits == 9 * 3 * 5 * 8)             // tiles × R × C × 8
        #expect(t.outputBufferWriteBits == 9 * 10 * 5 * 24)          // tiles × M × C × W
        #expect(t.outputBufferReadBits == 2 * 3 * 10 * 5 * 24 + 10 * 11 * 24)  // running sums + results
        #expect(t.dramReadBits == 10 * 7 * 8 + 7 * 11 * 8)           // A and W once
        #expect(t.dramWriteBits == 10 * 11 * 8)
    }
}
