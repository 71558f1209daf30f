import AntgenNumerics
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen fpint-study`: the alignment study of issue 27 (docs/fp-on-int.md): real layers cast
/// to FP16/BF16, the FP-on-INT unit for each local shift capacity S and exact alignment,
/// against float64.
struct FpIntStudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fpint-study",
        abstract: "Sweep the FP-on-INT unit's alignment capacity S on real layers cast to FP16/BF16: dot-product error and output SQNR.",
        discussion: "WEIGHTS holds <layer>.weight ([out, in]); ACTIVATIONS holds <layer>.input ([tokens, in]), as `make fetch-model` writes them.")

    @Argument(help: "The weight file (.safetensors).") var weights: String
    @Argument(help: "The activation file (.safetensors).") var activations: String
    @Option(help: "Layers (comma-separated, without .weight); default: layer 0's query, key, value, attention output and FFN.") var layers: String?
    @Option(help: "Use only the first N tokens (rows of the activation).") var tokens: Int?
    @Option(help: "Lanes N per adder tree (the group e_max is taken over).") var lanes: Int = 16
    @Option(help: "Local shift capacities S (comma-separated; 'exact' for unbounded alignment).") var shifts: String = "4,6,8,10,12,16,exact"
    @Option(help: "Operand formats (comma-separated: fp16, bf16, fp8e4m3, fp8e5m2).") var formats: String = "fp16,bf16"
    @Option(help: "Also write the rows as JSON here.") var json: String?

    func run() throws {
        try reportingErrors {
            if let json { try checkWritable(json, what: "--json") }
            let capacities = try shifts.split(separator: ",").map { text -> Int? in
                if text == "exact" { return nil }
                guard let s = Int(text) else { throw CLIError("invalid --shifts: '\(text)' (an integer S or 'exact')") }
                return s
            }
            let kinds = try formats.split(separator: ",").map { text -> FpIntFloatFormat in
                guard let f = FpIntFloatFormat(rawValue: String(text)) else { throw CLIError("invalid --formats: '\(text)' (fp16, bf16, fp8e4m3, fp8e5m2)") }
                return f
            }
            let names = layers.map { $0.split(separator: ",").map(String.init) } ?? FpIntStudyJob.defaultLayers
            let job = FpIntStudyJob(weights: weights, activations: activations, layers: names, tokens: tokens, lanes: lanes,
                                    shifts: capacities, formats: kinds)
            let rows = try job.run { print($0) }
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                try writeAtomically(try encoder.encode(rows) + Data([0x0A]), to: URL(fileURLWithPath: json))
            }
        }
    }
}
