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
        let report: PwlqTensorReport
        let result: PwlqResult
        do {
            result = try PwlqQuantizer(options: options).quantize(tensor)
            let uniform = try UniformBaseline(bits: options.bits, role: options.role).meanSquaredError(tensor)
            let ant = try AntQuantizer(options: QuantizerOptions(bits: options.bits, role: options.role)).quantize(tensor)
            report = PwlqTensorReport(file: job.file, name: job.name, shape: tensor.shape, result: result, uniformMSE: uniform, ant: ant)
        } catch {
            throw .tensor(job, error)
        }
        return QuantizedTensor(report: report, table: report.table) {
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

    public func writeReport(_ reports: [PwlqTensorReport], toPath path: String, shownAs: String) throws(QuantizeFailure) {
        do throws(TensorFileError) {
            try PwlqReport(tensors: reports).writeJSON(toPath: path)
        } catch {
            throw QuantizeFailure(message: error.description)
        }
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
