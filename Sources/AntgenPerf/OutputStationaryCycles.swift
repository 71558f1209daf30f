import AntgenHardware

/// One tile as the array's input stage sees it: `beats` accepted beats (the tile's K), each
/// issued as `terms` reduction steps (T = 1, 2 or 4).
public struct TileStream: Sendable, Equatable {
    /// Beats (k values) of the tile, K ≥ 1.
    public let beats: Int
    /// Reduction steps per beat.
    public let terms: Int
    /// Creates the tile.
    public init(beats: Int, terms: Int) {
        self.beats = beats
        self.terms = terms
    }
    /// Reduction steps of the tile, K · T.
    public var steps: Int { beats * terms }
}

/// When one tile's events happen, in cycles counted from the cycle the first beat of the
/// stream is offered (cycle 0, right after reset).
public struct TileEvents: Sendable, Equatable {
    /// The cycle its first beat is accepted.
    public let firstAccept: Int
    /// The cycle its last reduction step is issued (t0 in docs/architecture.md §5).
    public let lastStep: Int
    /// The cycle its first result row (`out_row = rows − 1`) is presented.
    public let firstRow: Int
    /// The cycle its last result row (`out_row = 0`) is presented.
    public let lastRow: Int
}

/// The exact cycle model of the output-stationary array's top level (docs/architecture.md
/// §4–§7), for a stream of tiles offered back to back with `in_valid` always high.
///
/// The input stage holds one beat and issues its T steps in the next T cycles; the next beat
/// is accepted in the cycle of the held beat's last step. A tile's last step waits until at
/// least R cycles after the previous tile's (the drain chains). So with L_n the cycle of tile
/// n's last step: L_0 = K_0·T_0 and L_n = L_{n−1} + max(K_n·T_n, R); the first result row
/// appears at L_n + R + C and the last at L_n + 2R + C − 1 (the manifest's T + 2R + C − 1
/// after the last beat's acceptance, L_n − T when the tile did not stall).
public struct OutputStationaryCycles: Sendable, Equatable {
    /// PE rows R.
    public let rows: Int
    /// PE columns C.
    public let cols: Int

    /// The model of an R × C array.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// The hardware's timing these cycles come from (``StreamTiming/skewed(rows:cols:)``).
    public var timing: StreamTiming { .skewed(rows: rows, cols: cols) }

    /// Every tile's events for `tiles` offered back to back.
    public func schedule(_ tiles: [TileStream]) -> [TileEvents] {
        var events: [TileEvents] = []
        events.reserveCapacity(tiles.count)
        var previousLast: Int?
        for tile in tiles {
            let accept = previousLast ?? 0
            let natural = accept + tile.steps
            let last = previousLast.map { max(natural, $0 + rows) } ?? natural
            // The last beat is accepted T cycles before the last step (when the tile did not stall).
            let lastAccept = last - tile.terms
            events.append(TileEvents(firstAccept: accept, lastStep: last, firstRow: lastAccept + timing.firstRowLatency(stepsPerBeat: tile.terms),
                                     lastRow: lastAccept + timing.lastRowLatency(stepsPerBeat: tile.terms)))
            previousLast = last
        }
        return events
    }

    /// Cycles of the whole stream: from cycle 0 through the cycle of the last result row
    /// (what the harness's `SUMMARY cycles=` counts for a run without a mid-stream reset).
    public func cycles(_ tiles: [TileStream]) -> Int {
        guard let last = schedule(tiles).last else { return 0 }
        return last.lastRow + 1
    }

    /// The closed form for `count` identical tiles of K beats and T terms:
    /// K·T + (count − 1)·max(K·T, R) + 2R + C (``StreamTiming/streamCycles(tiles:beats:stepsPerBeat:)``);
    /// nil when it overflows `Int`.
    public func cycles(tiles count: Int, beats: Int, terms: Int) -> Int? {
        timing.streamCycles(tiles: count, beats: beats, stepsPerBeat: terms)
    }
}
