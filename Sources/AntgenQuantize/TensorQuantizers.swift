import AntgenNumerics
import AntgenSupport
import Foundation

/// `antgen quantize --mode ant-…` (or one type): ANT's adaptive types per tensor. `--out`
/// gets `<base>.dequantized.npy`, `.codes.npy` (uint8), `.alpha.npy` (float64 per channel)
/// and, with a power-of-two scale, `.bias.npy`.
public struct AntTensorQuantizer: TensorQuantizing {
    /// The quantizer's options (checked by the caller).
    public let options: QuantizerOptions

    /// Creates the mode.
    public init(options: QuantizerOptions) { self.options = options }

    public var reportsProgress: Bool { true }

    public func quantize(_ tensor: Tensor, job: QuantizeJob) throws(QuantizeFailure) -> QuantizedTensor<TensorReport> {
        let result: QuantizationResult
        do {
            result = try AntQuantizer(options: options).quantize(tensor)
        } catch {
            throw .tensor(job, error)
        }
        let report = TensorReport(file: job.file, name: job.name, shape: tensor.shape, result: result)
        return QuantizedTensor(report: report, table: report.table) {
            var outputs = [TensorOutput(".dequantized.npy", result.dequantized.npyContents, shape: tensor.shape),
                           TensorOutput(".codes.npy", .uint8(result.codes), shape: tensor.shape),
                           TensorOutput(".alpha.npy", .float64(result.alphas), shape: [result.alphas.count])]
            if let biases = result.biases { outputs.append(TensorOutput(".bias.npy", .float64(biases.map(Double.init)), shape: [biases.count])) }
            return outputs
        }
    }

    public func writeReport(_ reports: [TensorReport], toPath path: String, shownAs: String) throws(QuantizeFailure) {
        do throws(TensorFileError) {
            try QuantizationReport(tensors: reports).writeJSON(toPath: path)
        } catch {
            throw QuantizeFailure(message: error.description)
        }
    }
}

/// `antgen quantize --mode pwlq`: PWLQ per tensor, reported next to b-bit uniform and the
/// ANT types at the same width. `--out` gets `<base>.dequantized.npy`, `.codes.npy`
/// (sign-magnitude uint8), `.region.npy`, `.range.npy` and `.breakpoint.npy` (float64 per
/// channel), with bias correction also `.bias-shift.npy` and `.bias-scale.npy`.
public struct PwlqTensorQuantizer: TensorQuantizing {
    /// The PWLQ options (validated by the caller).
    public let options: PwlqOptions

    /// Creates the mode.
    public init(options: PwlqOptions) { self.options = options }

    public func quantize(_ tensor: Tensor, job: QuantizeJob) throws(QuantizeFailure) -> QuantizedTensor<PwlqTensorReport> {
        var report: PwlqTensorReport
        let result: PwlqResult
        var note = ""
        do {
            result = try PwlqQuantizer(options: options).quantize(tensor)
            report = try comparison(tensor, job: job, result: result)
            if !report.isFinite, let (scaled, exponent) = Self.normalised(tensor) {
                // The data's own MSEs leave float64's range (max |x| near 1e±154 or beyond): the
                // report compares the tensor scaled by 2^−E instead, as the ANT path does.
                report = try comparison(scaled, job: job, result: try PwlqQuantizer(options: options).quantize(scaled))
                note = "\n  (MSEs in units of 2^\(2 * exponent): the tensor was scaled by 2^\(-exponent) for the report, its own MSEs leave float64's range)"
            }
        } catch {
            throw .tensor(job, error)
        }
        return QuantizedTensor(report: report, table: report.table + note) {
            let mask = UInt16((1 << result.options.bits) - 1)
            let channels = [result.channels.count]
            var outputs = [TensorOutput(".dequantized.npy", result.dequantized.npyContents, shape: tensor.shape),
                           TensorOutput(".codes.npy", .uint8(result.codes.map { UInt8($0 & mask) }), shape: tensor.shape),
                           TensorOutput(".region.npy", .uint8(result.regionBits), shape: tensor.shape),
                           TensorOutput(".range.npy", .float64(result.channels.map(\.range)), shape: channels),
                           TensorOutput(".breakpoint.npy", .float64(result.channels.map(\.breakpoint)), shape: channels)]
            if result.options.biasCorrection {
                outputs += [TensorOutput(".bias-shift.npy", .float64(result.channels.map(\.biasShift)), shape: channels),
                            TensorOutput(".bias-scale.npy", .float64(result.channels.map(\.biasScale)), shape: channels)]
            }
            return outputs
        }
    }

    /// PWLQ's result next to b-bit uniform and the ANT types on `tensor`.
    func comparison(_ tensor: Tensor, job: QuantizeJob, result: PwlqResult) throws -> PwlqTensorReport {
        let uniform = try UniformBaseline(bits: options.bits, role: options.role).meanSquaredError(tensor)
        let ant = try AntQuantizer(options: QuantizerOptions(bits: options.bits, role: options.role)).quantize(tensor)
        return PwlqTensorReport(file: job.file, name: job.name, shape: tensor.shape, result: result, uniformMSE: uniform, ant: ant)
    }

    /// The tensor times 2^−E, E the exponent of its largest |x| (so max |x| lies in [1, 2)),
    /// as float64; nil for an all-zero tensor.
    static func normalised(_ tensor: Tensor) -> (Tensor, Int)? {
        let values = tensor.doubles
        guard let largest = values.map(abs).max(), largest > 0 else { return nil }
        let exponent = Int(largest.exponent)
        guard let scaled = try? Tensor(shape: tensor.shape, float64: values.map { Double(sign: .plus, exponent: -exponent, significand: $0) }) else { return nil }
        return (scaled, exponent)
    }

    public func writeReport(_ reports: [PwlqTensorReport], toPath path: String, shownAs: String) throws(QuantizeFailure) {
        do throws(TensorFileError) {
            try PwlqReport(tensors: reports).writeJSON(toPath: path)
        } catch {
            throw QuantizeFailure(message: error.description)
        }
    }
}

extension PwlqTensorReport {
    /// True when every MSE of the report is a finite number (no overflow to ∞, no NaN).
    var isFinite: Bool {
        ([mse, meanSquare, uniformMSE, antChosenMSE] + Array(antMSE.values)).allSatisfy(\.isFinite)
    }
}

extension Tensor {
    /// The tensor's values as an .npy array of its own precision.
    var npyContents: NpyFile.Contents {
        switch storage {
        case .float32(let values): return .float32(values)
        case .float64(let values): return .float64(values)
        }
    }
}
