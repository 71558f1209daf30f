import AntgenDSL
import Foundation

/// `manifest.json` of an SDP build (`antgen emit --sdp`): the same `top`/`modules` keys as the
/// ANT array's manifest (so `antgen lint` and the output-folder rules read it), plus the SDP
/// parameters, ports, latency and bus layout.
public struct SdpManifest: Codable, Sendable, Equatable {
    /// `antgen <version>`.
    public let generator: String
    /// Always `sdp`.
    public let kind: String
    /// Top module name.
    public let top: String
    /// Every module, dependencies first.
    public let modules: [String]
    /// rows, cols, group, terms, weight types, W.
    public let parameters: [String: String]
    /// The top-level ports.
    public let ports: [ArrayManifest.Port]
    /// Latency formulas and the numbers for this build.
    public let latency: [String: String]
    /// How the packed buses are laid out.
    public let layout: [String: String]
    /// The exact stream timing every latency above comes from (the performance model counts
    /// cycles with the same value); absent in manifests written before it.
    public var streamTiming: StreamTiming? = nil

    /// Builds the manifest of an elaborated SDP top.
    public init(parameters p: SdpArrayParameters, top: HardwareModule, modules: [String], version: String) {
        generator = "antgen \(version)"
        kind = "sdp"
        self.top = top.name
        self.modules = modules
        parameters = ["rows": "\(p.rows)", "cols": "\(p.cols)", "group": "\(p.group)", "terms": "\(p.terms)",
                      "weightTypes": p.weight.typeList, "weightInt8": p.weight.int8 ? "on" : "off",
                      "accumulatorWidth": "\(p.accumulatorWidth)", "weightCodeWidth": "\(p.weight.codeInputWidth)"]
        ports = ArrayManifest.Port.list(of: top)
        var latency = ["firstRowFormula": "S + rows + cols (S = T, or 2T with int8 weights)",
                       "lastRowFormula": "S + 2*rows + cols - 1",
                       "cyclesPerGroup": "S (one term step per cycle)",
                       "first_S\(p.terms)": "\(p.firstRowLatency(weightInt8: false))", "last_S\(p.terms)": "\(p.lastRowLatency(weightInt8: false))"]
        if p.weight.int8 {
            latency["first_S\(2 * p.terms)"] = "\(p.firstRowLatency(weightInt8: true))"
            latency["last_S\(2 * p.terms)"] = "\(p.lastRowLatency(weightInt8: true))"
        }
        self.latency = latency
        streamTiming = p.streamTiming
        layout = ["a_group": "row i value e in bits 8*(i*G+e) +: 8",
                  "w_group": "column j entry e in bits c*(j*G+e) +: c, c = weightCodeWidth",
                  "issue_terms": "row i in bits \(p.termWidth)*i +: \(p.termWidth) = {sign, M[4], E[3], index[\(p.indexWidth)]}",
                  "out_data": "column j in bits W*j +: W (two's complement)"]
    }

    /// Deterministic JSON: sorted keys, pretty-printed, trailing newline.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
