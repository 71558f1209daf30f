import AntgenNumerics
import AntgenSupport
import ArgumentParser
import Foundation

/// The options of `antgen quantize --mode mx…` (spec §5.3).
struct MxQuantizeOptions: ParsableArguments {
    @Option(name: .customLong("block-size"), help: "MX elements per block along the last axis (OCP MX v1.0: 32).")
    var blockSize: Int = 32

    @Option(name: .customLong("mx-rounding"), help: "even (round to nearest, ties to even; the spec's required mode) or away (ties away from zero, as the emulation library's default).")
    var rounding: String = "even"

    @Option(name: .customLong("mx-overflow"), help: "FP8 overflow mode: saturate (SAT) or overflow (OVF: E5M2 to ±Inf, E4M3 to NaN).")
    var overflow: String = "saturate"

    @Option(name: .customLong("mx-int8-range"), help: "symmetric (codes −127…127) or full (also 0x80 = −2.0).")
    var int8Range: String = "symmetric"

    @Option(name: .customLong("mx-compare"), help: "The ANT mode reported next to the MX result, at the MX element width.")
    var compare: String = "ant-int-pot-flint"
}

/// One tensor's MX result and the ANT result at the same width, as printed and as JSON.
struct MxTensorReport: Codable {
    let file: String
    let name: String
    let shape: [Int]
    let mode: String
    let blockSize: Int
    let rounding: String
    let overflow: String
    let mse: Double
    let meanSquare: Double
    let relativeError: Double
    let nanScales: Int
    let ant: TensorReport

    var table: String {
        let line = "  MX \(mode) (k = \(blockSize), \(rounding), \(overflow))  MSE " + String(format: "%.4e", mse)
            + "  MSE / mean x² " + String(format: "%.4e", relativeError) + (nanScales > 0 ? "  NaN scales: \(nanScales)" : "")
        return ant.table + "\n" + line
    }
}

extension QuantizeCommand {
    /// `--mode mx…`: blocks of `--block-size` along the last axis, E8M0 scales, the element
    /// format's codes; the report shows the ANT candidates at the same width beside it.
    func executeMx() throws(CommandFailure) {
        guard let format = MxElementFormat.allCases.first(where: { $0.modeName == mode }) else {
            let names = MxElementFormat.allCases.map(\.modeName).joined(separator: ", ")
            throw CommandFailure(message: "unknown MX mode '\(mode)' (expected one of \(names))")
        }
        let options = try mxEncodingOptions()
        guard (1 ... 1 << 20).contains(mx.blockSize) else { throw CommandFailure(message: "--block-size must be 1…1048576, not \(mx.blockSize)") }
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        let antOptions = QuantizerOptions(bits: format.bits, mode: mx.compare, role: tensorRole)
        do {
            _ = try candidateTypes(forMode: mx.compare, referenceMatching: false)
        } catch {
            throw CommandFailure(message: "--mx-compare: " + error.description)
        }
        let jobs = try plannedJobs()
        let jsonTarget = try reportTarget()
        let staging = try out.map { out throws(CommandFailure) in try OutputStaging(folder: out) }
        let stagingURL = staging.map { URL(fileURLWithPath: $0.path) }
        if let stagingURL { InterruptCleanup.track(stagingURL) }
        defer {
            staging?.discard()
            if let stagingURL { InterruptCleanup.untrack(stagingURL) }
        }
        let quantizer = MxQuantizer(format: format, blockSize: mx.blockSize, options: options)
        var reports: [MxTensorReport] = []
        var opened: SafetensorsFile.OpenedFile?
        for job in jobs {
            let named = try load(job, reusing: &opened)
            if let index = named.tensor.firstNonFiniteIndex {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': element \(index) is \(named.tensor[index]) (NaN and infinite values cannot be quantized)")
            }
            let result = quantizer.quantize(named.tensor.doubles, shape: named.tensor.shape)
            let ant: QuantizationResult
            do {
                ant = try AntQuantizer(options: antOptions).quantize(named.tensor)
            } catch {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': \(error.description)")
            }
            let report = MxTensorReport(
                file: job.file, name: job.name, shape: named.tensor.shape, mode: mode, blockSize: mx.blockSize,
                rounding: options.rounding.rawValue, overflow: options.overflow.rawValue, mse: result.meanSquaredError,
                meanSquare: result.meanSquare, relativeError: result.relativeError,
                nanScales: result.scales.filter { $0 == 0xFF }.count,
                ant: TensorReport(file: job.file, name: job.name, shape: named.tensor.shape, result: ant))
            print(report.table + "\n")
            if let staging { try staging.writing { () throws(CommandFailure) in try writeMxOutputs(result, shape: named.tensor.shape, base: job.outputBase, directory: staging.path) } }
            reports.append(report)
        }
        // Staged with the tensors under --out, so the report and the files appear together.
        try finish(staging, report: jsonTarget) { path throws(CommandFailure) in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            do {
                let data = try encoder.encode(reports)
                try writeAtomically(data + Data([0x0A]), to: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure(message: "--json: cannot write \(json ?? path): \(error)")
            }
        }
    }

    private func mxEncodingOptions() throws(CommandFailure) -> MxEncodingOptions {
        guard let rounding = MxRounding(rawValue: mx.rounding) else {
            throw CommandFailure(message: "--mx-rounding must be even or away, not '\(mx.rounding)'")
        }
        guard let overflow = MxOverflow(rawValue: mx.overflow) else {
            throw CommandFailure(message: "--mx-overflow must be saturate or overflow, not '\(mx.overflow)'")
        }
        guard let range = MxInt8Range(rawValue: mx.int8Range) else {
            throw CommandFailure(message: "--mx-int8-range must be symmetric or full, not '\(mx.int8Range)'")
        }
        return MxEncodingOptions(rounding: rounding, overflow: overflow, int8Range: range)
    }

    /// `<base>.mx-codes.npy` (uint8, the input's shape), `<base>.mx-scales.npy` (uint8 E8M0
    /// codes, the last axis counted in blocks) and `<base>.mx-dequantized.npy` (float64).
    private func writeMxOutputs(_ result: MxQuantization, shape: [Int], base: String, directory: String) throws(CommandFailure) {
        let prefix = URL(fileURLWithPath: directory).appendingPathComponent(base).path
        do {
            try NpyFile.write(.uint8(result.codes), shape: shape, toPath: prefix + ".mx-codes.npy")
            try NpyFile.write(.uint8(result.scales), shape: result.scaleShape, toPath: prefix + ".mx-scales.npy")
            try NpyFile.write(.float64(result.dequantized), shape: shape, toPath: prefix + ".mx-dequantized.npy")
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}
