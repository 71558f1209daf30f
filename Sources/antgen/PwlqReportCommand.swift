import AntgenGolden
import AntgenNumerics
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
        try reportingErrors(execute)
    }

    private struct Report: Codable {
        let bits: Int, activationBits: Int, layer: String
        let tensors: [PwlqTensorComparison]
        let schemes: [PwlqLayerScheme]
        let splits: [PwlqPassSplit]
    }

    private func execute() throws {
        if let json { try checkWritable(json, what: "--json") }
        guard (2 ... 8).contains(bits) else { throw CLIError("--bits must be 2…8, not \(bits)") }
        guard actBits == 4 || actBits == 8 else { throw CLIError("--act-bits must be 4 or 8 (the PWLQ array's activations), not \(actBits)") }
        let passCounts = try passes.split(separator: ",").map { text -> Int in
            guard let p = Int(text), p >= 1 else { throw CLIError("invalid --passes: '\(text)' (a positive pass count)") }
            return p
        }
        // Everything is read and checked before the first table is printed.
        let model = try open(weights), inputs = try open(activations)
        let selected = try selectedWeights(model)
        let prepared: PwlqLayer
        do {
            prepared = try PwlqLayer(activations: try tensor(inputs, layer + ".input"), weight: try tensor(model, layer + ".weight"), activationBits: actBits)
        } catch let error as PwlqStudyError {
            throw CLIError("\(layer): \(error.description)")
        }
        if let bad = passCounts.first(where: { $0 > prepared.reduction }) {
            throw CLIError("--passes: cannot split K = \(prepared.reduction) of \(layer) into \(bad) passes")
        }
        var comparisons: [PwlqTensorComparison] = []
        for (name, weight) in selected {
            comparisons.append(try described(name) { try PwlqLayerStudy.compare(name: name, weight: weight, bits: bits) })
        }
        print(PwlqReportTables.tensors(comparisons, bits: bits))
        let schemes = try described(layer) { try PwlqLayerStudy.schemes(prepared, bits: bits) }
        print(PwlqReportTables.schemes(schemes, layer: prepared, name: layer))
        let result = try described(layer) { try PwlqLayerStudy.pwlq(prepared, bits: bits, rule: .closedForm(.gaussian)).result }
        let splits = try described(layer) { try PwlqLayerStudy.passSplits(prepared, result: result, passCounts: passCounts) }
        print(PwlqReportTables.splits(splits, quantizationSQNR: schemes.first?.sqnr ?? .nan, layer: prepared, bits: bits))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = try encoder.encode(Report(bits: bits, activationBits: actBits, layer: layer, tensors: comparisons, schemes: schemes, splits: splits))
            try writeAtomically(data + Data([0x0A]), to: URL(fileURLWithPath: json))
        }
    }

    /// The weight tensors of the MSE table: `--tensors` (each must be 2-D), or every 2-D
    /// `.weight` tensor under `encoder.layer.`.
    private func selectedWeights(_ model: SafetensorsFile.OpenedFile) throws -> [(String, Tensor)] {
        let names = tensors.map { $0.split(separator: ",").map(String.init) } ?? model.names.filter {
            $0.hasSuffix(".weight") && $0.contains("encoder.layer.")
        }
        var selected: [(String, Tensor)] = []
        for name in names {
            let weight = try tensor(model, name)
            guard weight.shape.count == 2 else {
                if tensors == nil { continue }
                throw CLIError("\(weights): tensor '\(name)' is \(weight.shapeDescription), not a 2-D [out, in] weight")
            }
            selected.append((name, weight))
        }
        guard !selected.isEmpty else { throw CLIError("\(weights): no 2-D weight tensor selected (give --tensors)") }
        return selected
    }

    private func open(_ path: String) throws -> SafetensorsFile.OpenedFile {
        do { return try SafetensorsFile.OpenedFile(atPath: path) } catch { throw CLIError(error.description) }
    }

    private func tensor(_ file: SafetensorsFile.OpenedFile, _ name: String) throws -> Tensor {
        do { return try file.tensor(named: name).tensor } catch { throw CLIError(error.description) }
    }

    /// Runs a study step, naming the tensor or layer in any error.
    private func described<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CLIError {
            throw error
        } catch let error as CustomStringConvertible {
            throw CLIError("\(name): \(error.description)")
        }
    }
}
