import AntgenGolden
import AntgenNumerics
import AntgenQuantize
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen pwlq-report`: the figures of docs/pwlq.md on a real model. Per weight tensor the
/// MSE of b-bit PWLQ (closed form and search) against b-bit uniform and ANT; one layer's
/// output SQNR with the array's integer activations; and that layer with K split into passes
/// joined by 12-bit partial sums. Prints markdown tables.
struct PwlqReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pwlq-report",
        abstract: "PWLQ against uniform and ANT on a model: tensor MSE, one layer's output SQNR, K split with 12-bit partial sums.",
        discussion: "WEIGHTS holds <layer>.weight ([out, in]); ACTIVATIONS holds <layer>.input ([tokens, in]), as `make fetch-model` writes them.")

    @Argument(help: "The weight file (.safetensors).") var weights: String
    @Argument(help: "The activation file (.safetensors).") var activations: String
    @Option(help: "Weight tensors of the MSE table (comma-separated; default: every 2-D tensor whose name ends in .weight and contains encoder.layer.).")
    var tensors: String?
    @Option(help: "The layer of the SQNR and K-split figures (without .weight / .input).") var layer: String = "encoder.layer.0.attention.self.query"
    @Option(help: "Weight code width b (2…8; the PWLQ code has a region bit on top).") var bits: Int = 4
    @Option(help: "Activation width: 8 (int8, nibble terms on the array) or 4.") var actBits: Int = 8
    @Option(help: "Pass counts of the K split (comma-separated).") var passes: String = "2,4,8"
    @Option(help: "Also write the results as JSON here.") var json: String?

    func run() throws {
        try reportingErrors {
            if let json { try checkWritable(json, what: "--json") }
            let passCounts = try passes.split(separator: ",").map { text -> Int in
                guard let p = Int(text), p >= 1 else { throw CLIError("invalid --passes: '\(text)' (a positive pass count)") }
                return p
            }
            guard !passCounts.isEmpty else { throw CLIError("invalid --passes: '\(passes)' lists no pass count (e.g. 2,4,8)") }
            let tensorNames = tensors.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            if let tensorNames, tensorNames.isEmpty { throw CLIError("invalid --tensors: '\(tensors ?? "")' names no tensor") }
            try PwlqLayerReportJob(weights: weights, activations: activations, tensors: tensorNames,
                                   layer: layer, bits: bits, activationBits: actBits, passes: passCounts, json: json).run { print($0) }
        }
    }
}
