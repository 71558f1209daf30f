import AntgenDSL
import Foundation

/// The cycle-level timing of the weight-stationary array (docs/architecture.md §12), exact
/// for beats offered back to back: the contract the harness checks and the manifest
/// records. Cycle n is the n-th clock cycle after reset; "accepted" means `in_valid &
/// in_ready` in that cycle; T is the compute beat's steps (1, 2 or 4 with int8).
public struct WsTiming: Sendable, Equatable {
    /// Array size.
    public let rows: Int, cols: Int

    /// Creates the timing of an R × C array.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// Cycles from the acceptance of a compute beat to its output row: T + R + C + 1.
    public func outputLatency(termsPerBeat t: Int) -> Int { stream.firstRowLatency(stepsPerBeat: t) }
    /// Load beats that fill the array: R (one cycle each).
    public var loadBeats: Int { stream.loadBeats }
    /// The exact stream timing these formulas come from.
    public var stream: StreamTiming { .weightStationary(rows: rows, cols: cols) }
    /// The least number of cycles from a compute step's issue to the next load step's
    /// issue (the mesh must be empty before weights move): R + C − 1.
    public var drainBeforeLoad: Int { rows + cols - 1 }
    /// One weight tile of M vectors: R loads, then M·T compute steps. Cycles from its first
    /// load beat's acceptance to its last output row, both included: M·T + 2R + C + 2 for
    /// the first tile of a stream; M·T + 3R + 2C for a tile whose first load beat is
    /// accepted as the previous tile's last step issues (it waits R + C − 1 cycles).
    public func tileCycles(vectors m: Int, termsPerBeat t: Int, first: Bool) -> Int {
        first ? m * t + 2 * rows + cols + 2 : m * t + 3 * rows + 2 * cols
    }
    /// A whole stream of `tiles` weight tiles of M vectors each, back to back: from the first
    /// load beat to the last output row, (tiles − 1)·(M·T + 2R + C − 2) + M·T + 2R + C + 2.
    public func streamCycles(tiles: Int, vectors m: Int, termsPerBeat t: Int) -> Int {
        stream.streamCycles(tiles: tiles, beats: m, stepsPerBeat: t) ?? Int.max
    }

    /// The formulas as the manifest states them.
    public var manifestFields: [String: String] {
        [
            "dataflow": "ws (weight-stationary): PE(r, j) holds W[k0 + r][j]; activations stream from the left, partial sums down the columns",
            "loadBeats": "rows (\(rows)) load beats (in_load = 1) fill the array; load beat p carries W[k0 + rows - 1 - p][j] on w_code_j",
            "drainBeforeLoad": "a load step issues >= rows + cols - 1 (\(drainBeforeLoad)) cycles after the last compute step (in_ready low meanwhile)",
            "outputLatency": "T + rows + cols + 1 cycles from the acceptance of a compute beat to its output row (\(outputLatency(termsPerBeat: 1)) for 4x4)",
            "tileCycles": "first weight tile: M*T + 2*rows + cols + 2; each later one (from its first load beat): M*T + 3*rows + 2*cols",
            "streamCycles": "(tiles - 1)*(M*T + 2*rows + cols - 2) + M*T + 2*rows + cols + 2, beats back to back",
            "outputOrder": "one row per compute beat, in order: out_data_j = sum_r A[m][k0 + r] * W[k0 + r][j] mod 2^W; no back-pressure",
            "T": "reduction steps per compute beat: 1 (4x4), 2 (8x4, 4x8), 4 (8x8)",
        ]
    }
}

extension ArrayManifest {
    /// The manifest of a ``WsArray`` build: the OS manifest's fields for the same parameters,
    /// with the weight-stationary latency (every mode's first and last row latency is its
    /// output latency T + R + C + 1) and the `dataflow` section.
    public init(wsParameters p: ArrayParameters, top: HardwareModule, modules: [String], version: String) {
        let base = ArrayManifest(parameters: p, top: top, modules: modules, version: version)
        let timing = WsTiming(rows: p.rows, cols: p.cols)
        let modes = base.modes.map { mode in
            Mode(precision: mode.precision, actInt8: mode.actInt8, weightInt8: mode.weightInt8, stepsPerBeat: mode.stepsPerBeat,
                 macsPerCycle: mode.macsPerCycle, firstRowLatency: timing.outputLatency(termsPerBeat: mode.stepsPerBeat),
                 lastRowLatency: timing.outputLatency(termsPerBeat: mode.stepsPerBeat))
        }
        generator = base.generator
        self.top = base.top
        self.modules = base.modules
        parameters = base.parameters.merging(["dataflow": "ws"]) { $1 }
        accumulator = base.accumulator
        activation = base.activation
        weight = base.weight
        ports = base.ports
        configuration = base.configuration
        latency = [
            "output": "T + rows + cols + 1",
            "reference": "cycles after the cycle in which the compute beat is accepted",
            "outputCycles4x4": "\(timing.outputLatency(termsPerBeat: 1))",
        ]
        self.modes = modes
        plan = nil
        dataflow = timing.manifestFields
        streamTiming = p.streamTiming(dataflow: .ws)
    }
}

/// The dataflow of an array, the one type every command, the harness and the performance
/// model share.
public enum ArrayDataflow: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Output-stationary: every PE owns one output and reduces the whole K (``AntArray``).
    case os
    /// Weight-stationary: a K × N weight tile is preloaded into the PEs, activations stream
    /// through and partial sums flow down the columns (``WsArray``).
    case ws

    /// The command-line name.
    public var description: String { rawValue }
    /// `output-stationary` or `weight-stationary`.
    public var longName: String { self == .os ? "output-stationary" : "weight-stationary" }
}
