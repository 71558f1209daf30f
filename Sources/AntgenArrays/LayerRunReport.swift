import AntgenHarness
import Foundation

/// What `antgen run` reports for a layer on any array: agreement with the golden model,
/// error against the float product, and the RTL's cycles (terminal and `--json`).
public struct LayerRunReport: Codable, Sendable, Equatable {
    /// The array's `--array` name and its full selector.
    public let array: String, selector: String
    /// The layer's and the array's shapes.
    public let m: Int, k: Int, n: Int, rows: Int, cols: Int
    /// `os` or `ws`.
    public let dataflow: String
    /// The simulator.
    public let simulator: String
    /// Tiles streamed.
    public let tiles: Int
    /// The formats the layer was quantized to.
    public let formats: String
    /// True when every compared element equals the golden model.
    public let bitExact: Bool
    /// Elements compared and elements that differ.
    public let comparedElements: Int, mismatches: Int
    /// ‖C − C_float‖ / ‖C_float‖ and the cosine of C and C_float (float64 A·W).
    public let relativeError: Double, cosine: Double
    /// First accepted beat to last output row, as the RTL counts them.
    public let cycles: Int
    /// M·K·N / (rows·cols·cycles·MACs per PE cycle): the share of the array's MAC capacity used.
    public let utilization: Double
    /// Seconds building (0 when cached) and simulating.
    public let buildSeconds: Double, simulationSeconds: Double

    /// The report of `outcome`, the run of `layer` on `variant`.
    public init(variant: any ArrayVariant, layer: FloatLayer, outcome: LayerRunOutcome, simulator: SimulatorKind) {
        array = type(of: variant).name
        selector = variant.selectorArguments.joined(separator: " ")
        m = layer.m; k = layer.k; n = layer.n
        rows = variant.rows; cols = variant.cols
        dataflow = variant.dataflow.rawValue
        self.simulator = simulator.rawValue
        tiles = outcome.tiles
        formats = outcome.formats
        bitExact = outcome.bitExact
        comparedElements = outcome.comparedElements
        mismatches = outcome.mismatchCount
        let reference = layer.exactProduct()
        var diff = 0.0, refNorm = 0.0, outNorm = 0.0, dot = 0.0
        for (y, r) in zip(outcome.output, reference) {
            diff += (y - r) * (y - r); refNorm += r * r; outNorm += y * y; dot += y * r
        }
        relativeError = refNorm > 0 ? (diff / refNorm).squareRoot() : (diff == 0 ? 0 : 1)
        cosine = refNorm > 0 && outNorm > 0 ? dot / (refNorm * outNorm).squareRoot() : (refNorm == outNorm ? 1 : 0)
        cycles = outcome.cycles
        let macs = Double(layer.m) * Double(layer.k) * Double(layer.n)
        utilization = outcome.cycles > 0 ? macs / (Double(rows * cols) * Double(outcome.cycles) * (outcome.macsPerPECycle ?? 1)) : 0
        buildSeconds = outcome.buildSeconds
        simulationSeconds = outcome.simulationSeconds
    }

    /// The terminal report.
    public var text: String {
        var lines = ["antgen run: \(m)×\(k) · \(k)×\(n) on \(rows)×\(cols) \(array) (\(dataflow), \(simulator)), \(tiles) tiles; \(formats)"]
        lines.append(bitExact
            ? "  bit-exact: all \(comparedElements) output elements (padding included) agree with the Swift reference"
            : "  MISMATCH: \(mismatches) of \(comparedElements) output elements differ from the Swift reference")
        lines.append(String(format: "  vs float64 A·W: relative error %.4g, cosine %.6f", relativeError, cosine))
        lines.append(String(format: "  RTL: %d cycles (first beat to last output row); utilization %.1f %%", cycles, utilization * 100))
        lines.append(String(format: "  time: build %.1f s, simulation %.2f s", buildSeconds, simulationSeconds))
        return lines.joined(separator: "\n")
    }

    /// The JSON report.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
