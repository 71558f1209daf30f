import AntgenArrays
import AntgenNumerics
import AntgenQuantize
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
        try reportingErrors {
            if let json { try checkWritable(json, what: "--json") }
            let sizes = try windows.split(separator: ",").map { text -> Int in
                guard let s = Int(text), (0...32).contains(s) else { throw CLIError("invalid --windows: '\(text)' (0…32)") }
                return s
            }
            guard !sizes.isEmpty else { throw CLIError("invalid --windows: '\(windows)' lists no window size (e.g. 4,8,16)") }
            if let tokens, tokens < 1 { throw CLIError("invalid --tokens: \(tokens) (a positive token count)") }
            try MxLayerReportJob(weights: weights, activations: activations, layer: layer, tokens: tokens, windows: sizes,
                                 formats: try MxOptions.parseFormats(accFormats), json: json).run { print($0) }
        }
    }
}
