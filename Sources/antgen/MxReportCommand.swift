import AntgenArrays
import AntgenNumerics
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen mx-report`: MX against ANT on one real linear layer (docs/mx.md): per-tensor
/// relative MSE and output SQNR, and the bounded-window accumulator against FP32.
struct MxReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mx-report",
        abstract: "Compare MX formats with ANT 4-bit types on one linear layer: tensor MSE, output SQNR, window-accumulator error.",
        discussion: "WEIGHTS holds <layer>.weight ([out, in]); ACTIVATIONS holds <layer>.input ([tokens, in]), as `make fetch-model` writes them.")

    @Argument(help: "The weight file (.safetensors).") var weights: String
    @Argument(help: "The activation file (.safetensors).") var activations: String
    @Option(help: "The layer name (without .weight / .input).") var layer: String = "encoder.layer.0.attention.self.query"
    @Option(help: "Use only the first N tokens (rows of the activation).") var tokens: Int?
    @Option(help: "Window sizes S of the fixed-point accumulator (comma-separated).") var windows: String = "4,8,16"
    @Option(help: "MX formats for the accumulator study (comma-separated).") var accFormats: String = "fp4,int8,fp8e4m3"
    @Option(help: "Also write the results as JSON here.") var json: String?

    func run() throws {
        try reportingErrors(execute)
    }

    private func load(_ path: String, _ name: String) throws -> Tensor {
        do {
            return try SafetensorsFile.OpenedFile(atPath: path).tensor(named: name).tensor
        } catch {
            throw CLIError("\(path): \(error.description)")
        }
    }

    private func execute() throws {
        if let json { try checkWritable(json, what: "--json") }
        let w = try load(weights, layer + ".weight"), x = try load(activations, layer + ".input")
        guard w.shape.count == 2, x.shape.count == 2, w.shape[1] == x.shape[1] else {
            throw CLIError("\(layer): weight \(w.shapeDescription) and activation \(x.shapeDescription) are not [out, in] and [tokens, in]")
        }
        let k = w.shape[1], outputs = w.shape[0]
        let t = min(tokens ?? x.shape[0], x.shape[0])
        guard t >= 1 else { throw CLIError("--tokens must be at least 1") }
        let xs = Array(x.doubles.prefix(t * k)), ws = w.doubles
        let sizes = try windows.split(separator: ",").map { text -> Int in
            guard let s = Int(text), (0...32).contains(s) else { throw CLIError("invalid --windows: '\(text)' (0…32)") }
            return s
        }
        let formats = try MxOptions.parseFormats(accFormats)
        print("layer \(layer): X [\(t), \(k)] · W[\(outputs), \(k)]ᵀ, MX k = 32 along the reduction axis")
        print("scheme                            W MSE/mean x²   X MSE/mean x²   output SQNR (dB)")
        let schemes = try MxLayerStudy.schemes(x: xs, w: ws, tokens: t, outputs: outputs, k: k)
        for s in schemes {
            print(s.scheme.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%-16.4e%-16.4e%.2f", s.weightRelativeMSE, s.activationRelativeMSE, s.outputSQNR))
        }
        print("\naccumulator (MX codes of X and W)   ‖Y − Y_exact‖/‖Y_exact‖   outputs ≠ FP32   dropped blocks / output")
        var windowResults: [MxWindowResult] = []
        for format in formats {
            let results = MxLayerStudy.windows(x: xs, w: ws, tokens: t, outputs: outputs, k: k, format: format, windows: sizes)
            windowResults += results
            for r in results {
                let name = "\(r.format) " + (r.window.map { "window S=\($0)" } ?? "FP32")
                print(name.padding(toLength: 36, withPad: " ", startingAt: 0)
                      + String(format: "%-26.3e%-17.4f%.3f", r.relativeError, r.differsFromFP32, r.droppedBlocksPerOutput))
            }
        }
        if let json {
            struct Report: Codable { let layer: String; let tokens: Int; let schemes: [MxSchemeResult]; let accumulators: [MxWindowResult] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = try encoder.encode(Report(layer: layer, tokens: t, schemes: schemes, accumulators: windowResults))
            try writeAtomically(data + Data([0x0A]), to: URL(fileURLWithPath: json))
        }
    }
}
