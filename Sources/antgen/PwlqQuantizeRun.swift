import AntgenNumerics
import AntgenSupport
import Foundation

/// `antgen quantize --mode pwlq`: PWLQ per tensor, reported next to b-bit uniform and the
/// ANT types at the same width, with staged `--out` and `--json` outputs.
extension QuantizeCommand {
    /// The PWLQ options named on the command line.
    func pwlqOptions() throws(CommandFailure) -> PwlqOptions {
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        guard let variant = PwlqVariant(rawValue: pwlqVariant) else {
            throw CommandFailure(message: "--pwlq-variant must be paper, nonoverlap or overlap, not '\(pwlqVariant)'")
        }
        guard (2 ... 8).contains(bits) else { throw CommandFailure(message: "--bits must be 2…8, not \(bits)") }
        guard !compat, scale == "alpha" else { throw CommandFailure(message: "--mode pwlq takes neither --compat nor --scale bias") }
        let rule: PwlqBreakpointRule
        if let breakpointRatio {
            rule = .fixedRatio(breakpointRatio)
        } else {
            guard let named = Self.breakpointRules[breakpoint] else {
                throw CommandFailure(message: "--breakpoint must be one of \(Self.breakpointRules.keys.sorted().joined(separator: ", ")), not '\(breakpoint)'")
            }
            rule = named
        }
        let options = PwlqOptions(bits: bits, variant: variant, breakpoint: rule, role: tensorRole, biasCorrection: biasCorrection)
        do {
            try PwlqQuantizer(options: options).validate()
        } catch {
            throw CommandFailure(message: error.description)
        }
        return options
    }

    /// `--breakpoint` names.
    static let breakpointRules: [String: PwlqBreakpointRule] = [
        "closed-form": .closedForm(.gaussian), "closed-form-laplace": .closedForm(.laplace),
        "gaussian": .bisection(.gaussian), "laplace": .bisection(.laplace), "search": .gridSearch,
    ]

    /// Rejects PWLQ-only options without `--mode pwlq`.
    func checkPwlqOptionsUnused() throws(CommandFailure) {
        if biasCorrection || breakpointRatio != nil || breakpoint != "closed-form" || pwlqVariant != "paper" {
            throw CommandFailure(message: "--breakpoint, --breakpoint-ratio, --pwlq-variant and --bias-correction need --mode pwlq")
        }
    }

    func executePwlq() throws(CommandFailure) {
        let options = try pwlqOptions()
        let jobs = try plannedJobs()
        let jsonTarget = try reportTarget()
        let staging = try out.map { out throws(CommandFailure) in try OutputStaging(folder: out) }
        let stagingURL = staging.map { URL(fileURLWithPath: $0.path) }
        if let stagingURL { InterruptCleanup.track(stagingURL) }
        defer {
            staging?.discard()
            if let stagingURL { InterruptCleanup.untrack(stagingURL) }
        }
        let quantizer = PwlqQuantizer(options: options)
        let ant = AntQuantizer(options: QuantizerOptions(bits: bits, role: options.role))
        var reports: [PwlqTensorReport] = []
        var opened: SafetensorsFile.OpenedFile?
        for job in jobs {
            let named = try load(job, reusing: &opened)
            let report: PwlqTensorReport
            let result: PwlqResult
            do {
                result = try quantizer.quantize(named.tensor)
                let uniform = try UniformBaseline(bits: bits, role: options.role).meanSquaredError(named.tensor)
                let antResult = try ant.quantize(named.tensor)
                report = PwlqTensorReport(file: job.file, name: job.name, shape: named.tensor.shape, result: result,
                                          uniformMSE: uniform, ant: antResult)
            } catch let error as PwlqError {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': \(error.description)")
            } catch let error as QuantizerError {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': \(error.description)")
            } catch {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': \(error)")
            }
            print(report.table + "\n")
            if let staging { try staging.writing { () throws(CommandFailure) in try writePwlqOutputs(result, shape: named.tensor.shape, base: job.outputBase, directory: staging.path) } }
            reports.append(report)
        }
        try finish(staging, report: jsonTarget) { path throws(CommandFailure) in
            do throws(TensorFileError) {
                try PwlqReport(tensors: reports).writeJSON(toPath: path)
            } catch {
                throw CommandFailure(message: error.description)
            }
        }
    }

    private func writePwlqOutputs(_ result: PwlqResult, shape: [Int], base: String, directory: String) throws(CommandFailure) {
        let prefix = URL(fileURLWithPath: directory).appendingPathComponent(base).path
        let dequantized: NpyFile.Contents
        switch result.dequantized.storage {
        case .float32(let values): dequantized = .float32(values)
        case .float64(let values): dequantized = .float64(values)
        }
        let mask = UInt16((1 << result.options.bits) - 1)
        let channels = result.channels.count
        do {
            try NpyFile.write(dequantized, shape: shape, toPath: prefix + ".dequantized.npy")
            try NpyFile.write(.uint8(result.codes.map { UInt8($0 & mask) }), shape: shape, toPath: prefix + ".codes.npy")
            try NpyFile.write(.uint8(result.regionBits), shape: shape, toPath: prefix + ".region.npy")
            try NpyFile.write(.float64(result.channels.map(\.range)), shape: [channels], toPath: prefix + ".range.npy")
            try NpyFile.write(.float64(result.channels.map(\.breakpoint)), shape: [channels], toPath: prefix + ".breakpoint.npy")
            if result.options.biasCorrection {
                try NpyFile.write(.float64(result.channels.map(\.biasShift)), shape: [channels], toPath: prefix + ".bias-shift.npy")
                try NpyFile.write(.float64(result.channels.map(\.biasScale)), shape: [channels], toPath: prefix + ".bias-scale.npy")
            }
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}
