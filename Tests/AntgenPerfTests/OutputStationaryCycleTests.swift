import AntgenPerf
import Testing

/// The cycle model against hand-worked timelines of docs/architecture.md (independent of the RTL).
@Suite struct OutputStationaryCycleTests {
    /// §4's example: R = 2, C = 2, K = 3, T = 1: last row in cycle 8, so 9 cycles.
    @Test func documentedExample() {
        let model = OutputStationaryCycles(rows: 2, cols: 2)
        let events = model.schedule([TileStream(beats: 3, terms: 1)])
        #expect(events.count == 1)
        #expect(events[0].firstAccept == 0 && events[0].lastStep == 3 && events[0].firstRow == 7 && events[0].lastRow == 8)
        #expect(model.cycles([TileStream(beats: 3, terms: 1)]) == 9)
    }

    /// §7's latencies: from the last beat's acceptance a = K·T − T, the first row comes at
    /// a + T + R + C and the last at a + T + 2R + C − 1 (32 × 32, 4×4: 65 and 96).
    @Test func documentedLatency() {
        let model = OutputStationaryCycles(rows: 32, cols: 32)
        for t in [1, 2, 4] {
            let k = 40
            let e = model.schedule([TileStream(beats: k, terms: t)])[0]
            let accept = (k - 1) * t
            #expect(e.firstRow - accept == t + 64)
            #expect(e.lastRow - accept == t + 95)
        }
    }

    /// Short tiles stall: on R = 8, tiles of K·T = 3 steps are spaced 8 cycles apart.
    @Test func shortTilesStall() {
        let model = OutputStationaryCycles(rows: 8, cols: 2)
        let events = model.schedule(Array(repeating: TileStream(beats: 3, terms: 1), count: 3))
        #expect(events.map(\.lastStep) == [3, 11, 19])
        #expect(events.map(\.firstAccept) == [0, 3, 11])
        #expect(model.cycles(Array(repeating: TileStream(beats: 3, terms: 1), count: 3)) == 19 + 2 * 8 + 2)
    }

    /// The closed form equals the event schedule for identical tiles, on a grid of shapes.
    @Test func closedFormMatchesSchedule() {
        for rows in [1, 2, 5, 16] {
            for cols in [1, 3, 16] {
                let model = OutputStationaryCycles(rows: rows, cols: cols)
                for beats in [1, 2, 7, 40] {
                    for terms in [1, 2, 4] {
                        for count in [1, 2, 9] {
                            let tiles = Array(repeating: TileStream(beats: beats, terms: terms), count: count)
                            #expect(model.cycles(tiles: count, beats: beats, terms: terms) == model.cycles(tiles))
                        }
                    }
                }
            }
        }
    }

    /// Ragged layers: a 10 × 5 × 7 layer on 4 × 3 has ⌈10/4⌉·⌈7/3⌉ = 9 tiles of 5 beats.
    @Test func raggedTiling() throws {
        let tiling = LayerTiling(try GemmLayer(name: "l", m: 10, k: 5, n: 7, activationBits: .eight), rows: 4, cols: 3)
        #expect(tiling.rowTiles == 3 && tiling.columnTiles == 3 && tiling.tileCount == 9)
        #expect(tiling.terms == 2 && tiling.beats == 5)
        #expect(tiling.order.count == 9)
        #expect(tiling.order[1].rowTile == 0 && tiling.order[1].columnTile == 1)
        #expect(tiling.order[3].rowTile == 1 && tiling.order[3].columnTile == 0)
    }
}
