import AntgenNumerics
import AntgenSupport
import Foundation

/// One tensor's MX result and the ANT result at the same width, as printed and as JSON.
public struct MxTensorReport: Codable, Sendable {
    public let file: String
    public let name: String
    public let shape: [Int]
    public let mode: String
    public let blockSize: Int
    public let rounding: String
    public let overflow: String
    public let mse: Double
    public let meanSquare: Double
    public let relativeError: Double
    public let nanScales: Int
    /// mxint8's code range (`symmetric` or `full`).
    public let int8Range: String
    /// The ANT mode of the comparison above the MX line (`--mx-compare`).
    public let compare: String
    public let ant: TensorReport

    /// The printed text: the ANT candidates, then the MX line.
    public var table: String {
        // Only the encoding options that apply to this format (overflow: FP8; range: int8).
        var encoding = ["k = \(blockSize)", rounding]
        if mode.hasPrefix("mxfp8") { encoding.append(overflow) }
        if mode == "mxint8" { encoding.append("\(int8Range) int8 range") }
        let head = "  MX \(mode) (\(encoding.joined(separator: ", ")); ANT above: \(compare))  "
        let line: String
        if nanScales > 0 || !mse.isFinite || !relativeError.isFinite {
            // E8M0 scales stop at 2^127: a block beyond gets the NaN scale (OCP MX v1.0 §5.3).
            line = head + "MSE —  MSE / mean x² —  (\(nanScales) block(s) need a scale above E8M0's 2^127 and get its reserved 0xFF code: MX cannot represent their values)"
        } else if meanSquare == 0 {
            line = head + "MSE 0  MSE / mean x² — (the tensor is all zero: exact)"
        } else {
            line = head + "MSE " + String(format: "%.4e", mse) + "  MSE / mean x² " + String(format: "%.4e", relativeError)
        }
        return ant.table + "\n" + line
    }
}

/// `antgen quantize --mode mx…` (spec §5.3): blocks of `blockSize` along the last axis,
/// E8M0 scales, the element format's codes; the report shows the ANT candidates at the same
/// width beside it. `--out` gets `<base>.mx-codes.npy` (uint8, the input's shape),
/// `.mx-scales.npy` (uint8 E8M0 codes, the last axis counted in blocks) and
/// `.mx-dequantized.npy` (float64).
public struct MxTensorQuantizer: TensorQuantizing {
    /// The element format.
    public let format: MxElementFormat
    /// Elements per block.
    public let blockSize: Int
    /// Rounding, overflow and int8 range.
    public let options: MxEncodingOptions
    /// The ANT comparison's options (at the element width).
    public let antOptions: QuantizerOptions

    /// Creates the mode (the options checked by the caller).
    public init(format: MxElementFormat, blockSize: Int, options: MxEncodingOptions, antOptions: QuantizerOptions) {
        self.format = format
        self.blockSize = blockSize
        self.options = options
        self.antOptions = antOptions
    }

    public func quantize(_ tensor: Tensor, job: QuantizeJob) throws(QuantizeFailure) -> QuantizedTensor<MxTensorReport> {
        if let index = tensor.firstNonFiniteIndex {
            throw .tensor(job, "element \(index) is \(tensor[index]) (NaN and infinite values cannot be quantized)")
        }
        let result = MxQuantizer(format: format, blockSize: blockSize, options: options).quantize(tensor.doubles, shape: tensor.shape)
        let ant: QuantizationResult
        do {
            ant = try AntQuantizer(options: antOptions).quantize(tensor)
        } catch {
            throw .tensor(job, error)
        }
        let report = MxTensorReport(
            file: job.file, name: job.name, shape: tensor.shape, mode: format.modeName, blockSize: blockSize,
            rounding: options.rounding.rawValue, overflow: options.overflow.rawValue, mse: result.meanSquaredError,
            meanSquare: result.meanSquare, relativeError: result.relativeError,
            nanScales: result.scales.filter { $0 == 0xFF }.count, int8Range: options.int8Range.rawValue, compare: antOptions.mode,
            ant: TensorReport(file: job.file, name: job.name, shape: tensor.shape, result: ant))
        return QuantizedTensor(report: report, table: report.table) {
            [TensorOutput(".mx-codes.npy", .uint8(result.codes), shape: tensor.shape),
             TensorOutput(".mx-scales.npy", .uint8(result.scales), shape: result.scaleShape),
             TensorOutput(".mx-dequantized.npy", .float64(result.dequantized), shape: tensor.shape)]
        }
    }

    public func writeReport(_ reports: [MxTensorReport], toPath path: String, shownAs: String) throws(QuantizeFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            let data = try encoder.encode(reports)
            try writeAtomically(data + Data([0x0A]), to: URL(fileURLWithPath: path))
        } catch {
            throw QuantizeFailure(message: "--json: cannot write \(shownAs): \(error)")
        }
    }
}
