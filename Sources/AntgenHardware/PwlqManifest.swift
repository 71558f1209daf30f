import AntgenDSL
import Foundation

/// `manifest.json` of a PWLQ array build (`antgen emit --weight-format pwlq`): the same
/// `generator`/`top`/`modules`/`ports` keys as ``ArrayManifest`` plus the PWLQ weight code,
/// the three-sum drain protocol and the latencies (docs/architecture.md §13).
public struct PwlqManifest: Codable, Sendable, Equatable {
    public let generator: String
    public let top: String
    public let modules: [String]
    public let parameters: [String: String]
    public let weightCode: [String: String]
    public let drain: [String: String]
    public let latency: [String: String]
    public let accumulator: [String: String]
    public let ports: [ArrayManifest.Port]
    /// With `--psum-preload`/`--psum-codec` (docs/architecture.md §14); absent otherwise.
    public var partialSums: [String: String]? = nil
    /// The exact stream timing every latency above comes from (the performance model counts
    /// cycles with the same value); absent in manifests written before it.
    public var streamTiming: StreamTiming? = nil

    public init(parameters p: PwlqArrayParameters, top: HardwareModule, modules: [String], version: String) {
        generator = "antgen \(version)"
        self.top = top.name
        self.modules = modules
        parameters = ["rows": "\(p.rows)", "cols": "\(p.cols)", "weightFormat": "pwlq", "weightBits": "\(p.weightBits)",
                      "activations": p.int8 ? "int4, int8 (nibble terms)" : "int4", "accumulatorWidth": "\(p.accumulatorWidth)",
                      "maxReduction": "\(p.maxReduction)"]
        weightCode = ["width": "\(p.weightCodeWidth)",
                      "layout": "{region, sign, magnitude[\(p.weightBits - 2):0]}: region 0 = centre (R1), 1 = tail (R2); variants paper and nonoverlap (spec §7.1)"]
        drain = ["protocol": "all three accumulators drain together: out_centre_j, out_tail_j, out_offset_j carry A1, A2, A3 of row out_row in the same cycle (a 3W-bit drain link per PE)",
                 "extraCycles": "0", "rowsPerTile": "\(p.rows)",
                 "host": "y[i, j] = s_x * (s1_j * A1 + s2_j * A2 + p_j * A3), float64 (spec §7.6)"]
        latency = ["firstRowFormula": "a + T + R + C", "lastRowFormula": "a + T + 2R + C - 1",
                   "int4FirstRow": "\(p.firstRowLatency(int8Activations: false))",
                   "int8FirstRow": p.int8 ? "\(p.firstRowLatency(int8Activations: true))" : "n/a",
                   "int4LastRow": "\(p.lastRowLatency(int8Activations: false))",
                   "int8LastRow": p.int8 ? "\(p.lastRowLatency(int8Activations: true))" : "n/a",
                   "stepsPerBeat": p.int8 ? "1 (int4), 2 (int8)" : "1"]
        var acc = ["width": "\(p.accumulatorWidth)", "minimumWidth": "\(p.minimumAccumulatorWidth)",
                   "arithmetic": "three two's-complement accumulators, each wraps modulo 2^W"]
        if p.accumulatorWidth < p.minimumAccumulatorWidth {
            acc["warning"] = "W = \(p.accumulatorWidth) is below the \(p.minimumAccumulatorWidth) bits K = \(p.maxReduction) needs; sums wrap"
        }
        accumulator = acc
        streamTiming = p.streamTiming
        partialSums = p.partialSumStage?.manifestFields(streamNames: ["centre", "tail", "offset"])
        ports = ArrayManifest.Port.list(of: top)
    }

    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
