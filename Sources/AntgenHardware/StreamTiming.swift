/// The exact cycle model of an array's top level for a stream of tiles offered back to back
/// with `in_valid` always high: the one source of every latency and cycle formula. The
/// hardware parameters own it (``ArrayParameters/streamTiming(dataflow:)``,
/// ``SdpArrayParameters/streamTiming``, ``PwlqArrayParameters/streamTiming``,
/// ``MxArrayParameters/streamTiming``), the manifests serialise it and state its numbers, and
/// the performance model counts cycles with it, so the two cannot disagree.
///
/// Cycle 0 is the cycle the stream's first beat is offered (right after reset); "accepted"
/// means `in_valid & in_ready`; S is the reduction steps one beat is issued as (T for the
/// ANT array, the SDP group's steps, 1 for MX).
public struct StreamTiming: Sendable, Equatable, Hashable, Codable {
    /// How beats travel through the mesh.
    public enum Pipeline: String, Sendable, Hashable, Codable, CaseIterable {
        /// Output-stationary with skewed operands and a drain chain (ANT, PWLQ, SDP): a
        /// tile's last step issues at least R cycles after the previous tile's.
        case skewed
        /// Weight-stationary (ANT `--dataflow ws`): R load beats, then compute beats; the next
        /// tile's load waits until the mesh is empty.
        case weightStationary
        /// Output-stationary with broadcast operands (MX): a beat every cycle, at least R
        /// beats per tile (the drain shows one row a cycle), fixed latency.
        case broadcast
    }

    /// The pipeline.
    public let pipeline: Pipeline
    /// PE rows R and columns C.
    public let rows: Int, cols: Int
    /// For ``Pipeline/broadcast``: cycles from the acceptance of a tile's last beat to its
    /// first output row (0 for the other pipelines, whose latency follows from R, C and S).
    public let fixedLatency: Int

    /// The skewed output-stationary timing of an R × C array.
    public static func skewed(rows: Int, cols: Int) -> StreamTiming { StreamTiming(.skewed, rows: rows, cols: cols, fixedLatency: 0) }
    /// The weight-stationary timing of an R × C array.
    public static func weightStationary(rows: Int, cols: Int) -> StreamTiming {
        StreamTiming(.weightStationary, rows: rows, cols: cols, fixedLatency: 0)
    }
    /// The broadcast timing of an R × C array whose first row leaves `latency` cycles after the last beat.
    public static func broadcast(rows: Int, cols: Int, latency: Int) -> StreamTiming {
        StreamTiming(.broadcast, rows: rows, cols: cols, fixedLatency: latency)
    }

    init(_ pipeline: Pipeline, rows: Int, cols: Int, fixedLatency: Int) {
        self.pipeline = pipeline
        self.rows = rows
        self.cols = cols
        self.fixedLatency = fixedLatency
    }

    /// Cycles from the acceptance of a tile's last beat (WS: of a compute beat) to its first
    /// output row: S + R + C (skewed), S + R + C + 1 (weight-stationary), the fixed latency (broadcast).
    public func firstRowLatency(stepsPerBeat s: Int) -> Int {
        switch pipeline {
        case .skewed: s + rows + cols
        case .weightStationary: s + rows + cols + 1
        case .broadcast: fixedLatency
        }
    }

    /// Cycles from the acceptance of a tile's last beat to its last output row: S + 2R + C − 1
    /// (skewed), the first-row latency (weight-stationary: one row per compute beat), the
    /// fixed latency + R − 1 (broadcast).
    public func lastRowLatency(stepsPerBeat s: Int) -> Int {
        switch pipeline {
        case .skewed: s + 2 * rows + cols - 1
        case .weightStationary: firstRowLatency(stepsPerBeat: s)
        case .broadcast: fixedLatency + rows - 1
        }
    }

    /// Load beats before a tile's compute beats: R (weight-stationary), else 0.
    public var loadBeats: Int { pipeline == .weightStationary ? rows : 0 }

    /// Beats a tile of `beats` operand beats occupies: max(beats, R) on the broadcast
    /// pipeline (shorter tiles are padded), else `beats`.
    public func tileBeats(_ beats: Int) -> Int { pipeline == .broadcast ? max(beats, rows) : beats }

    /// Cycles of `tiles` identical tiles of `beats` beats (WS: compute beats, M) of S steps
    /// each, from cycle 0 through the last output row, both included (what the harness's
    /// `SUMMARY cycles=` and `antgen run` count); nil when the count overflows `Int`.
    ///
    /// - skewed: B·S + (n − 1)·max(B·S, R) + 2R + C;
    /// - weight-stationary: (n − 1)·(B·S + 2R + C − 2) + B·S + 2R + C + 2;
    /// - broadcast: n·max(B, R) + latency + R − 1.
    public func streamCycles(tiles n: Int, beats b: Int, stepsPerBeat s: Int) -> Int? {
        guard n > 0 else { return 0 }
        let (r, c) = (rows, cols)
        switch pipeline {
        case .skewed:
            guard let steps = Checked.product(b, s), let rest = Checked.product(n - 1, max(steps, r)) else { return nil }
            return Checked.sum(steps, rest, 2 * r + c)
        case .weightStationary:
            guard let steps = Checked.product(b, s), let period = Checked.sum(steps, 2 * r + c - 2),
                  let rest = Checked.product(n - 1, period) else { return nil }
            return Checked.sum(rest, steps, 2 * r + c + 2)
        case .broadcast:
            guard let beats = Checked.product(n, tileBeats(b)) else { return nil }
            return Checked.sum(beats, fixedLatency + r - 1)
        }
    }

    /// The cycles of one tile of one beat (WS: one compute beat after its R load beats) from
    /// cycle 0 through its last output row: loadBeats + lastRowLatency + 1, the number a
    /// manifest's latency states for a single tile.
    public func singleBeatTileCycles(stepsPerBeat s: Int) -> Int {
        loadBeats + tileBeats(1) - 1 + lastRowLatency(stepsPerBeat: s) + 1
    }

    /// The formulas as a manifest states them.
    public var formulas: [String: String] {
        switch pipeline {
        case .skewed:
            ["firstRow": "S + rows + cols", "lastRow": "S + 2*rows + cols - 1",
             "stream": "B*S + (tiles - 1)*max(B*S, rows) + 2*rows + cols"]
        case .weightStationary:
            ["firstRow": "T + rows + cols + 1", "lastRow": "T + rows + cols + 1",
             "stream": "(tiles - 1)*(M*T + 2*rows + cols - 2) + M*T + 2*rows + cols + 2"]
        case .broadcast:
            ["firstRow": "\(fixedLatency)", "lastRow": "\(fixedLatency) + rows - 1",
             "stream": "tiles*max(K, rows) + \(fixedLatency) + rows - 1"]
        }
    }
}

/// Overflow-checked `Int` arithmetic for counts derived from user input: nil instead of a trap.
public enum Checked {
    /// a · b, or nil on overflow.
    public static func product(_ values: Int...) -> Int? {
        var result = 1
        for v in values {
            let (p, overflow) = result.multipliedReportingOverflow(by: v)
            if overflow { return nil }
            result = p
        }
        return result
    }

    /// a + b + …, or nil on overflow.
    public static func sum(_ values: Int...) -> Int? {
        var result = 0
        for v in values {
            let (s, overflow) = result.addingReportingOverflow(v)
            if overflow { return nil }
            result = s
        }
        return result
    }
}
