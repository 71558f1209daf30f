import AntgenNumerics
import Foundation

/// The manifest.json of an FP-on-INT array build (`antgen emit --array fpint`): what a
/// driver needs without reading the RTL.
public struct FpIntManifest: Codable, Sendable, Equatable {
    /// `antgen <version>`.
    public let generator: String
    /// `fpint`.
    public let kind: String
    /// The top module and every module, dependencies first.
    public let top: String
    public let modules: [String]
    /// rows, cols, lanes, shiftCapacity.
    public let parameters: [String: Int]
    /// The carried formats with their `cfg_format` codes.
    public let formats: [String: Int]
    /// Passes per beat (window 1; twice that when window 2 is issued).
    public let passesPerWindow: [String: Int]
    /// Lane code width and the datapath widths.
    public let widths: [String: Int]
    /// Cycles from the issue of a tile's last pass to its first and last output rows.
    public let latency: [String: Int]
    /// The stream timing the latencies come from (a beat's passes count as its beats).
    public let streamTiming: StreamTiming

    /// The manifest of `p` built as `top` with `modules`.
    public init(parameters p: FpIntArrayParameters, top: String, modules: [String], version: String) {
        generator = "antgen \(version)"
        kind = "fpint"
        self.top = top
        self.modules = modules
        parameters = ["rows": p.rows, "cols": p.cols, "lanes": p.lanes, "shiftCapacity": p.shiftCapacity]
        formats = Dictionary(uniqueKeysWithValues: p.formats.map { ($0.rawValue, $0.code) })
        passesPerWindow = Dictionary(uniqueKeysWithValues: p.formats.map { ($0.rawValue, $0.passesPerWindow) })
        widths = ["laneCode": p.codeWidth, "significand": p.significandWidth, "term": p.termWidth, "tree": p.treeWidth,
                  "groupAccumulator": p.accumulatorWidth]
        let timing = p.streamTiming
        latency = ["firstRow": timing.firstRowLatency(stepsPerBeat: 1), "lastRow": timing.lastRowLatency(stepsPerBeat: 1)]
        streamTiming = timing
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
