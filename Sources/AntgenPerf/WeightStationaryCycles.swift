import AntgenHardware

/// One weight tile as the weight-stationary array's input stage sees it: R load beats, then
/// `vectors` compute beats (the layer's M activation vectors), each issued as `terms`
/// reduction steps (T = 1, 2 or 4).
public struct WeightTile: Sendable, Equatable {
    /// Compute beats (activation vectors) of the tile, M ≥ 1.
    public let vectors: Int
    /// Reduction steps per compute beat.
    public let terms: Int
    /// Creates the tile.
    public init(vectors: Int, terms: Int) {
        self.vectors = vectors
        self.terms = terms
    }
    /// Compute steps of the tile, M · T.
    public var steps: Int { vectors * terms }
}

/// When one weight tile's events happen, in cycles counted from the cycle the stream's first
/// load beat is accepted (cycle 0, right after reset). A later tile's `firstLoad` is the
/// model's tile start: the cycle its first load beat would be accepted if the array took it
/// only when the mesh is empty (the RTL takes it earlier and holds it; the issue is the same).
public struct WeightTileEvents: Sendable, Equatable {
    /// The tile's start: the cycle its first load beat counts as accepted (see the type).
    public let firstLoad: Int
    /// The cycle its last compute beat is accepted.
    public let lastCompute: Int
    /// The cycle its first output row is presented.
    public let firstRow: Int
    /// The cycle its last output row is presented.
    public let lastRow: Int
}

/// The exact cycle model of the weight-stationary array's top level (docs/architecture.md
/// §12), for weight tiles offered back to back with `in_valid` always high, as `antgen run
/// --dataflow ws` drives them.
///
/// A tile's R load beats take one cycle each and its compute beats follow at once, one every
/// T cycles: with s the cycle of the first load beat, compute beat m is accepted in cycle
/// s + R + m·T and its row is presented T + R + C + 1 cycles later. The next tile's first load
/// step has to wait until the mesh is empty (R + C − 1 cycles after the last compute step), so
/// it starts as if its first load beat were accepted in cycle s + R + M·T + R + C − 2 (the RTL
/// accepts it in s + R + M·T and holds it with `in_ready` low). Hence n tiles of M vectors
/// take (n − 1)·(M·T + 2R + C − 2) + M·T + 2R + C + 2 cycles from the first load beat to the
/// last output row, both included (the array's documented `streamCycles`).
public struct WeightStationaryCycles: Sendable, Equatable {
    /// PE rows R.
    public let rows: Int
    /// PE columns C.
    public let cols: Int

    /// The model of an R × C array.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// The hardware's timing these cycles come from (``StreamTiming/weightStationary(rows:cols:)``).
    public var timing: StreamTiming { .weightStationary(rows: rows, cols: cols) }

    /// Every tile's events for `tiles` offered back to back.
    public func schedule(_ tiles: [WeightTile]) -> [WeightTileEvents] {
        var events: [WeightTileEvents] = []
        events.reserveCapacity(tiles.count)
        var start = 0
        for tile in tiles {
            let firstCompute = start + timing.loadBeats
            let lastCompute = firstCompute + (tile.vectors - 1) * tile.terms
            let latency = timing.firstRowLatency(stepsPerBeat: tile.terms)
            events.append(WeightTileEvents(firstLoad: start, lastCompute: lastCompute, firstRow: firstCompute + latency,
                                           lastRow: lastCompute + latency))
            start = firstCompute + tile.steps + rows + cols - 2
        }
        return events
    }

    /// Cycles of the whole stream: from cycle 0 through the cycle of the last output row
    /// (what the WS harness's `SUMMARY cycles=` and `antgen run --dataflow ws` count).
    public func cycles(_ tiles: [WeightTile]) -> Int {
        guard let last = schedule(tiles).last else { return 0 }
        return last.lastRow + 1
    }

    /// The closed form for `count` identical tiles of M vectors and T terms:
    /// (count − 1)·(M·T + 2R + C − 2) + M·T + 2R + C + 2
    /// (``StreamTiming/streamCycles(tiles:beats:stepsPerBeat:)``); nil when it overflows `Int`.
    public func cycles(tiles count: Int, vectors: Int, terms: Int) -> Int? {
        timing.streamCycles(tiles: count, beats: vectors, stepsPerBeat: terms)
    }
}

/// How a GEMM layer is cut into weight tiles of an R × C weight-stationary array, as `antgen
/// run --dataflow ws` cuts it (AntgenGolden's `WsGemmTiling`): K in chunks of R reduction
/// indices, N in blocks of C columns, each tile holding one chunk × block of W (code 0 beyond
/// K and N) and streaming all M activation vectors through it; the chunks' partial sums are
/// added outside the array. Ragged K and N cost a whole tile; M costs exactly M beats.
public struct WeightStationaryTiling: Sendable, Equatable {
    /// Chunks of R along K, ⌈k / R⌉.
    public let kChunks: Int
    /// Blocks of C along N, ⌈n / C⌉.
    public let nBlocks: Int
    /// Compute beats per tile (the layer's M).
    public let vectors: Int
    /// Reduction steps per compute beat (T).
    public let terms: Int

    /// The tiling of `layer` on an R × C array.
    public init(_ layer: GemmLayer, rows: Int, cols: Int) {
        kChunks = ceilDiv(layer.k, rows)
        nBlocks = ceilDiv(layer.n, cols)
        vectors = layer.m
        terms = layer.terms
    }

    /// All weight tiles, ⌈k/R⌉ · ⌈n/C⌉.
    public var tileCount: Int { kChunks * nBlocks }

    /// The (K chunk, N block) of every tile in the order `antgen run` issues them (N blocks
    /// outer, K chunks inner: tile t is chunk t mod kChunks of block t / kChunks).
    public var order: [(kChunk: Int, nBlock: Int)] {
        (0..<nBlocks).flatMap { b in (0..<kChunks).map { (kChunk: $0, nBlock: b) } }
    }
}
