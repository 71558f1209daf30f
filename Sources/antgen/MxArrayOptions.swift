import AntgenHardware
import AntgenNumerics
import ArgumentParser
import Foundation

/// The MX array options `antgen emit`, `antgen verify` and `antgen synth` share
/// (`--mx FORMATS` selects the MX array instead of the ANT array).
struct MxArrayOptions: ParsableArguments {
    @Option(name: .customLong("mx"), help: "Build the OCP MX array with these element formats (comma-separated: fp4, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, int8, or all).")
    var formats: String?

    @Option(name: .customLong("mx-acc"), help: "MX accumulator: fp32 (FP32 adder) or window (fixed point with a bounded alignment window).")
    var accumulator: String = "fp32"

    @Option(name: .customLong("mx-window"), help: "Alignment window S in bits for --mx-acc window (0…32).")
    var window: Int = 8

    @Option(name: .customLong("mx-block-size"), help: "MX block size k (OCP MX v1.0: 32); rows must not exceed it.")
    var blockSize: Int = 32

    @Option(name: .customLong("mx-max-blocks"), help: "Blocks per tile the window accumulator is sized for (it wraps beyond).")
    var maxBlocks: Int = 128

    /// Parses a format list (`fp4,int8`, `mxfp4`, `all`).
    static func parseFormats(_ text: String) throws -> [MxElementFormat] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if names == ["all"] { return MxElementFormat.allCases }
        var formats: [MxElementFormat] = []
        for name in names {
            let bare = name.hasPrefix("mx") ? String(name.dropFirst(2)) : name
            guard let format = MxElementFormat(rawValue: bare) else {
                throw CLIError("invalid --mx: unknown format '\(name)' (expected fp4, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, int8 or all)")
            }
            formats.append(format)
        }
        guard !formats.isEmpty else { throw CLIError("invalid --mx: no format given") }
        return formats
    }

    /// The MX parameters for a `rows × cols` array, nil without `--mx`.
    func parameters(rows: Int, cols: Int) throws -> MxArrayParameters? {
        guard let formats else { return nil }
        let kind: MxAccumulatorKind
        switch accumulator {
        case "fp32": kind = .float32
        case "window": kind = .window(window)
        default: throw CLIError("invalid --mx-acc: '\(accumulator)' (expected fp32 or window)")
        }
        let p = MxArrayParameters(rows: rows, cols: cols, formats: try Self.parseFormats(formats), blockSize: blockSize,
                                  accumulation: kind, maxBlocks: maxBlocks)
        if let problem = p.problem() { throw CLIError("invalid MX configuration: \(problem)") }
        return p
    }
}
