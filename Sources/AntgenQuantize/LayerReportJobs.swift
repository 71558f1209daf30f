import AntgenGolden
import AntgenNumerics
import AntgenSupport
import Foundation

/// A report job that cannot run: one line naming the problem (the CLI prints it as is).
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// The line.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// Reads named tensors of .safetensors files, turning every problem into one ``ReportError`` line.
enum ReportTensors {
    static func open(_ path: String) throws -> SafetensorsFile.OpenedFile {
        do { return try SafetensorsFile.OpenedFile(atPath: path) } catch { throw ReportError(error.description) }
    }

    static func tensor(_ file: SafetensorsFile.OpenedFile, _ name: String) throws -> Tensor {
        do { return try file.tensor(named: name).tensor } catch { throw ReportError(error.description) }
    }

    /// JSON with non-finite values as strings, a final newline, written atomically.
    static func writeJSON(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try writeAtomically(try encoder.encode(value) + Data([0x0A]), to: URL(fileURLWithPath: path))
    }
}

/// `antgen mx-report`: MX against ANT on one real linear layer (docs/mx.md): per-tensor
/// relative MSE and output SQNR, and the bounded-window accumulator against FP32.
public struct MxLayerReportJob {
    /// The weight and activation files, the layer, the tokens used (nil: all).
    public var weights: String, activations: String, layer: String, tokens: Int?
    /// Window sizes S of the fixed-point accumulator and the formats of that study.
    public var windows: [Int], formats: [MxElementFormat]
    /// Where the JSON goes (nil: nowhere).
    public var json: String?

    /// Creates a job.
    public init(weights: String, activations: String, layer: String, tokens: Int?, windows: [Int], formats: [MxElementFormat], json: String?) {
        self.weights = weights
        self.activations = activations
        self.layer = layer
        self.tokens = tokens
        self.windows = windows
        self.formats = formats
        self.json = json
    }

    /// Loads the layer, prints both tables through `print`, and writes the JSON.
    /// - Throws: ``ReportError`` for a missing tensor, mismatched shapes or bad options.
    public func run(print: (String) -> Void) throws {
        let w = try ReportTensors.tensor(try ReportTensors.open(weights), layer + ".weight")
        let x = try ReportTensors.tensor(try ReportTensors.open(activations), layer + ".input")
        guard w.shape.count == 2, x.shape.count == 2, w.shape[1] == x.shape[1] else {
            throw ReportError("\(layer): weight \(w.shapeDescription) and activation \(x.shapeDescription) are not [out, in] and [tokens, in]")
        }
        let k = w.shape[1], outputs = w.shape[0]
        let t = min(tokens ?? x.shape[0], x.shape[0])
        guard t >= 1 else { throw ReportError("--tokens must be at least 1") }
        let xs = Array(x.doubles.prefix(t * k)), ws = w.doubles
        print("layer \(layer): X [\(t), \(k)] · W[\(outputs), \(k)]ᵀ, MX k = 32 along the reduction axis")
        print("scheme                            W MSE/mean x²   X MSE/mean x²   output SQNR (dB)")
        let schemes = try MxLayerStudy.schemes(x: xs, w: ws, tokens: t, outputs: outputs, k: k)
        for s in schemes {
            print(s.scheme.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + reportNumber(s.weightRelativeMSE, "%-16.4e", width: 16) + reportNumber(s.activationRelativeMSE, "%-16.4e", width: 16)
                  + reportNumber(s.outputSQNR, "%.2f", width: 0))
        }
        print("\naccumulator (MX codes of X and W)   ‖Y − Y_exact‖/‖Y_exact‖   outputs ≠ FP32   dropped blocks / output")
        var windowResults: [MxWindowResult] = []
        for format in formats {
            let results = MxLayerStudy.windows(x: xs, w: ws, tokens: t, outputs: outputs, k: k, format: format, windows: windows)
            windowResults += results
            for r in results {
                let name = "\(r.format) " + (r.window.map { "window S=\($0)" } ?? "FP32")
                print(name.padding(toLength: 36, withPad: " ", startingAt: 0)
                      + reportNumber(r.relativeError, "%-26.3e", width: 26) + reportNumber(r.differsFromFP32, "%-17.4f", width: 17)
                      + reportNumber(r.droppedBlocksPerOutput, "%.3f", width: 0))
            }
        }
        if let json {
            struct Report: Codable { let layer: String; let tokens: Int; let schemes: [MxSchemeResult]; let accumulators: [MxWindowResult] }
            try ReportTensors.writeJSON(Report(layer: layer, tokens: t, schemes: schemes, accumulators: windowResults), to: json)
        }
    }
}

/// `antgen pwlq-report`: the figures of docs/pwlq.md on a real model. Per weight tensor the
/// MSE of b-bit PWLQ (closed form and search) against b-bit uniform and ANT; one layer's
/// output SQNR with the array's integer activations; and that layer with K split into passes
/// joined by 12-bit partial sums. Markdown tables.
public struct PwlqLayerReportJob {
    /// The weight and activation files; the MSE table's tensors (nil: every 2-D
    /// `encoder.layer.*.weight`); the layer of the SQNR and K-split figures.
    public var weights: String, activations: String, tensors: [String]?, layer: String
    /// Weight bits b, activation bits (4 or 8), and the K-split pass counts.
    public var bits: Int, activationBits: Int, passes: [Int]
    /// Where the JSON goes (nil: nowhere).
    public var json: String?

    /// Creates a job.
    public init(weights: String, activations: String, tensors: [String]?, layer: String, bits: Int, activationBits: Int, passes: [Int], json: String?) {
        self.weights = weights
        self.activations = activations
        self.tensors = tensors
        self.layer = layer
        self.bits = bits
        self.activationBits = activationBits
        self.passes = passes
        self.json = json
    }

    private struct Report: Codable {
        let bits: Int, activationBits: Int, layer: String
        let tensors: [PwlqTensorComparison]
        let schemes: [PwlqLayerScheme]
        let splits: [PwlqPassSplit]
    }

    /// Reads and checks everything, then prints the three tables through `print` and writes the JSON.
    /// - Throws: ``ReportError`` naming the tensor, layer or option at fault.
    public func run(print: (String) -> Void) throws {
        guard (2 ... 8).contains(bits) else { throw ReportError("--bits must be 2…8, not \(bits)") }
        guard activationBits == 4 || activationBits == 8 else {
            throw ReportError("--act-bits must be 4 or 8 (the PWLQ array's activations), not \(activationBits)")
        }
        // Everything is read and checked before the first table is printed.
        let model = try ReportTensors.open(weights), inputs = try ReportTensors.open(activations)
        let selected = try selectedWeights(model)
        let prepared: PwlqLayer
        do {
            prepared = try PwlqLayer(activations: try ReportTensors.tensor(inputs, layer + ".input"),
                                     weight: try ReportTensors.tensor(model, layer + ".weight"), activationBits: activationBits)
        } catch let error as PwlqStudyError {
            throw ReportError("\(layer): \(error.description)")
        }
        if let bad = passes.first(where: { $0 > prepared.reduction }) {
            throw ReportError("--passes: cannot split K = \(prepared.reduction) of \(layer) into \(bad) passes")
        }
        var comparisons: [PwlqTensorComparison] = []
        for (name, weight) in selected {
            comparisons.append(try described(name) { try PwlqLayerStudy.compare(name: name, weight: weight, bits: bits) })
        }
        print(PwlqReportTables.tensors(comparisons, bits: bits))
        let schemes = try described(layer) { try PwlqLayerStudy.schemes(prepared, bits: bits) }
        print(PwlqReportTables.schemes(schemes, layer: prepared, name: layer))
        let result = try described(layer) { try PwlqLayerStudy.pwlq(prepared, bits: bits, rule: .closedForm(.gaussian)).result }
        let splits = try described(layer) { try PwlqLayerStudy.passSplits(prepared, result: result, passCounts: passes) }
        print(PwlqReportTables.splits(splits, quantizationSQNR: schemes.first?.sqnr ?? .nan, layer: prepared, bits: bits))
        if let json {
            try ReportTensors.writeJSON(Report(bits: bits, activationBits: activationBits, layer: layer, tensors: comparisons,
                                               schemes: schemes, splits: splits), to: json)
        }
    }

    /// The weight tensors of the MSE table: `tensors` (each must be 2-D), or every 2-D
    /// `.weight` tensor under `encoder.layer.`.
    private func selectedWeights(_ model: SafetensorsFile.OpenedFile) throws -> [(String, Tensor)] {
        let names = tensors ?? model.names.filter { $0.hasSuffix(".weight") && $0.contains("encoder.layer.") }
        var selected: [(String, Tensor)] = []
        for name in names {
            let weight = try ReportTensors.tensor(model, name)
            guard weight.shape.count == 2 else {
                if tensors == nil { continue }
                throw ReportError("\(weights): tensor '\(name)' is \(weight.shapeDescription), not a 2-D [out, in] weight")
            }
            selected.append((name, weight))
        }
        guard !selected.isEmpty else { throw ReportError("\(weights): no 2-D weight tensor selected (give --tensors)") }
        return selected
    }

    /// Runs a study step, naming the tensor or layer in any error.
    private func described<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ReportError {
            throw error
        } catch let error as CustomStringConvertible {
            throw ReportError("\(name): \(error.description)")
        }
    }
}

/// A report figure: `format` for a finite value; an SQNR of +∞ (no error at all) is "exact",
/// anything else undefined (0/0 on an all-zero output) is "—"; padded to `width`.
func reportNumber(_ x: Double, _ format: String, width: Int) -> String {
    let text = x.isFinite ? String(format: format, x) : x == .infinity ? "exact" : "—"
    return text.count >= width ? text : text.padding(toLength: width, withPad: " ", startingAt: 0)
}
