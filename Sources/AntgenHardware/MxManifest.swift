import AntgenNumerics
import Foundation

/// The manifest.json of an MX array build (`antgen emit --mx`): what the MX harness and
/// software need to drive it without reading the RTL.
public struct MxManifest: Codable, Sendable, Equatable {
    /// `antgen <version>`.
    public let generator: String
    /// `mx`.
    public let kind: String
    /// The top module.
    public let top: String
    /// Every module, dependencies first.
    public let modules: [String]
    /// rows, cols, blockSize, accumulation, window, accumulatorWidth, maxBlocks.
    public let parameters: [String: String]
    /// The enabled formats with their run-time codes (`cfg_*_format`).
    public let formats: [String: Int]
    /// Element code port width.
    public let codeWidth: Int
    /// Decoded M and E widths and the exact block-sum width.
    public let widths: [String: Int]
    /// Cycles from accepting a tile's last beat to its first and last output rows.
    public let latency: [String: Int]
    /// The exact stream timing every latency above comes from (the performance model counts
    /// cycles with the same value); absent in manifests written before it.
    public var streamTiming: StreamTiming? = nil

    /// The manifest of `parameters` built as `top` with `modules`.
    public init(parameters p: MxArrayParameters, top: String, modules: [String], version: String) {
        generator = "antgen \(version)"
        kind = "mx"
        self.top = top
        self.modules = modules
        var list = ["rows": "\(p.rows)", "cols": "\(p.cols)", "blockSize": "\(p.blockSize)"]
        switch p.accumulation {
        case .float32:
            list["accumulation"] = "fp32"
        case .window(let s):
            list["accumulation"] = "window"
            list["window"] = "\(s)"
            list["accumulatorWidth"] = "\(p.windowAccumulatorWidth)"
            list["maxBlocks"] = "\(p.maxBlocks)"
        }
        parameters = list
        formats = Dictionary(uniqueKeysWithValues: p.formats.map { ($0.modeName, $0.code) })
        codeWidth = p.codeWidth
        widths = ["mantissa": p.mantissaWidth, "shift": p.shiftWidth, "blockSum": p.blockSumWidth]
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

extension MxArrayParameters {
    /// The exact stream timing: broadcast operands, a beat every cycle, at least R beats a
    /// tile, the first row ``MxArray/firstRowLatency`` cycles after the last beat.
    public var streamTiming: StreamTiming { .broadcast(rows: rows, cols: cols, latency: MxArray.firstRowLatency) }
}
