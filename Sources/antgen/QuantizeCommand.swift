import AntgenNumerics
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen quantize`: runs the ANT reference quantizer on .npy / .safetensors tensors and
/// prints, per tensor, the chosen type, every candidate's MSE, the relative error and the
/// α range.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize tensors with ANT adaptive types and report the error of every candidate.",
        discussion: """
        FILE is a .npy (float16/32/64, C order) or .safetensors (F16, BF16, F32, F64) file.
        Weights get one α per output channel (first axis) and are signed; activations get one α
        per tensor and are signed only if they contain a negative value. Above 6 bits the type is
        always int. --out writes <name>.dequantized.npy, <name>.codes.npy (uint8) and
        <name>.alpha.npy (float64, per channel) for every tensor, and with --scale bias also
        <name>.bias.npy (the bias per channel: a code of q units means q · 2^−bias).
        --mode pwlq runs piecewise-linear quantization (docs/numeric-formats.md §7) and reports
        its MSE next to b-bit uniform and the ANT types; --out then writes <name>.codes.npy
        (sign-magnitude, uint8), <name>.region.npy (uint8), <name>.range.npy and
        <name>.breakpoint.npy (float64 per channel), with --bias-correction also
        <name>.bias-shift.npy and <name>.bias-scale.npy.
        """
    )

    @Argument(help: "Tensor files (.npy or .safetensors).")
    var files: [String]

    @OptionGroup var sdpOptions: SdpQuantizeOptions

    @Option(help: "Code width in bits (2…8).")
    var bits: Int = 4

    @Option(help: "ant-<types> for adaptive selection among int, flint, pot, float, float1…float4, apot; or one type name.")
    var mode: String = "ant-int-pot-flint"

    @Option(help: "weight (signed, per-channel α) or activation (per-tensor α).")
    var role: String = "weight"

    @Option(help: "alpha (free α: ANT's clip search) or bias (power-of-two scale: libnumber's bias, searched per channel; exact arithmetic only).")
    var scale: String = "alpha"

    @Flag(help: "Emulate the reference's float32 arithmetic (and its selection quirks) instead of exact arithmetic.")
    var compat = false

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    @Option(help: "Write dequantised tensors, codes and α as .npy files into this directory.")
    var out: String?

    @Option(help: "Only these tensors (comma-separated names; an .npy file's tensor is named after the file).")
    var tensors: String?

    @Option(help: "PWLQ breakpoint rule (--mode pwlq): closed-form (Gaussian fit, the default), closed-form-laplace, gaussian or laplace (bisection), search (grid search).")
    var breakpoint: String = "closed-form"

    @Option(name: .customLong("pwlq-variant"), help: "PWLQ quantizer (--mode pwlq): paper (eq. 3), nonoverlap (released pw-2) or overlap (released pw-1).")
    var pwlqVariant: String = "paper"

    @Option(name: .customLong("breakpoint-ratio"), help: "PWLQ: a fixed breakpoint p = ratio · max|x| for every channel, ratio in (0, 1) (overrides --breakpoint).")
    var breakpointRatio: Double?

    @Flag(name: .customLong("bias-correction"), help: "PWLQ: apply the per-channel bias correction (q + Δμ)·ρ.")
    var biasCorrection = false
    @OptionGroup(title: "MX modes (--mode mxfp4|mxfp6e2m3|mxfp6e3m2|mxfp8e4m3|mxfp8e5m2|mxint8)")
    var mx: MxQuantizeOptions

    func run() throws {
        if mode == "sdp" { return try reportingErrors { try quantizeSdp(files: files, tensors: tensors, options: sdpOptions) } }
        try reportingErrors(execute)
    }

    /// A failure already phrased for the user.
    struct CommandFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// One tensor to quantize: where it lives and what the outputs are called.
    struct Job {
        let file: String
        let name: String
        let outputBase: String
    }

    private func execute() throws(CommandFailure) {
        if mode == "pwlq" { return try executePwlq() }
        try checkPwlqOptionsUnused()
        if mode.hasPrefix("mx") { return try executeMx() }
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        guard let scaleKind = ScaleKind(rawValue: scale) else {
            throw CommandFailure(message: "--scale must be alpha or bias, not '\(scale)'")
        }
        guard !(compat && scaleKind == .bias) else { throw CommandFailure(message: QuantizerError.biasNeedsExactArithmetic.description) }
        let options = QuantizerOptions(bits: bits, mode: mode, role: tensorRole, arithmetic: compat ? .compat : .exact, scale: scaleKind)
        guard (2 ... 8).contains(bits) else { throw CommandFailure(message: "--bits must be 2…8, not \(bits)") }
        do {
            _ = try candidateTypes(forMode: mode, referenceMatching: compat)
        } catch {
            throw CommandFailure(message: error.description)
        }
        let jobs = try plannedJobs()
        // Output paths are checked before any work, and every output is staged: nothing
        // appears unless every tensor and the JSON succeeded.
        let jsonTarget = try reportTarget()
        let staging = try out.map { out throws(CommandFailure) in try OutputStaging(folder: out) }
        // Ctrl-C or kill (SIGTERM) removes the staging folder instead of leaving it behind
        // (antgen's interrupt clean-up); the commit holds interrupts off until it is whole.
        let stagingURL = staging.map { URL(fileURLWithPath: $0.path) }
        if let stagingURL { InterruptCleanup.track(stagingURL) }
        defer {
            staging?.discard()
            if let stagingURL { InterruptCleanup.untrack(stagingURL) }
        }
        let quantizer = AntQuantizer(options: options)
        let start = Date()
        var reports: [TensorReport] = []
        var opened: SafetensorsFile.OpenedFile?
        var lastProgress = 0.0
        for (position, job) in jobs.enumerated() {
            let named = try load(job, reusing: &opened)
            let result: QuantizationResult
            do {
                result = try quantizer.quantize(named.tensor)
            } catch {
                throw CommandFailure(message: "\(job.file): tensor '\(job.name)': \(error.description)")
            }
            let report = TensorReport(file: job.file, name: job.name, shape: named.tensor.shape, result: result)
            print(report.table + "\n")
            if let staging { try staging.writing { () throws(CommandFailure) in try writeOutputs(result, shape: named.tensor.shape, base: job.outputBase, directory: staging.path) } }
            reports.append(report)
            let elapsed = Date().timeIntervalSince(start)
            // At most one progress line a second (a file of 3,000 tiny tensors must not print 3,000).
            if jobs.count > 1, elapsed > 1, elapsed - lastProgress >= 1 || position + 1 == jobs.count {
                lastProgress = elapsed
                FileHandle.standardError.write(Data(String(format: "antgen: quantized %d/%d tensors (%@) in %.1f s\n", position + 1, jobs.count, job.name, elapsed).utf8))
            }
        }
        try finish(staging, report: jsonTarget) { path throws(CommandFailure) in
            do throws(TensorFileError) {
                try QuantizationReport(tensors: reports).writeJSON(toPath: path)
            } catch {
                throw CommandFailure(message: error.description)
            }
        }
    }

    /// Renames the staged outputs into place with interrupts held off (no staging: nothing to do).
    func commit(_ staging: OutputStaging?, extra: (String, String)?) throws(CommandFailure) {
        guard let staging else { return }
        try InterruptCleanup.committing(URL(fileURLWithPath: staging.path)) { () throws(CommandFailure) in
            try staging.commit(extra: extra)
        }
    }

    /// Lists the tensors of every file (honouring --tensors) and checks the output names
    /// are distinct, before any work starts.
    func plannedJobs() throws(CommandFailure) -> [Job] {
        let wanted = tensors.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var jobs: [Job] = []
        for file in files {
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let names: [String]
            do throws(TensorFileError) {
                if file.lowercased().hasSuffix(".safetensors") {
                    names = try SafetensorsFile.tensorNames(atPath: file)
                } else if file.lowercased().hasSuffix(".npy") {
                    names = [stem]
                } else {
                    throw TensorFileError(path: file, kind: .unknownExtension, problem: "unknown tensor file type (expected a .npy or .safetensors file)")
                }
            } catch {
                throw CommandFailure(message: error.description)
            }
            let isNpy = file.lowercased().hasSuffix(".npy")
            for name in names where wanted?.contains(name) ?? true {
                let base = isNpy ? stem : stem + "." + name
                jobs.append(Job(file: file, name: name, outputBase: base.replacingOccurrences(of: "/", with: "_")))
            }
        }
        if let wanted, let missing = wanted.first(where: { name in !jobs.contains { $0.name == name } }) {
            throw CommandFailure(message: "no tensor named '\(missing)' in \(files.joined(separator: ", "))")
        }
        guard !jobs.isEmpty else { throw CommandFailure(message: "no tensors to quantize") }
        var seen = Set<String>()
        for job in jobs where out != nil {
            guard seen.insert(job.outputBase).inserted else {
                throw CommandFailure(message: "two tensors would write the same output files '\(job.outputBase).*' (rename one input file)")
            }
        }
        return jobs
    }

    /// Loads one tensor; a .safetensors file's header is read once for all its tensors (jobs
    /// of one file are consecutive), not once per tensor.
    func load(_ job: Job, reusing opened: inout SafetensorsFile.OpenedFile?) throws(CommandFailure) -> NamedTensor {
        do throws(TensorFileError) {
            if job.file.lowercased().hasSuffix(".safetensors") {
                if opened?.path != job.file { opened = try SafetensorsFile.OpenedFile(atPath: job.file) }
                return try opened!.tensor(named: job.name)
            }
            guard let tensor = try readTensorFile(atPath: job.file, names: [job.name]).first else {
                throw TensorFileError(path: job.file, kind: .noSuchTensor, problem: "no tensor named '\(job.name)'")
            }
            return tensor
        } catch {
            throw CommandFailure(message: error.description)
        }
    }

    /// Writes one tensor's files into `directory` (the staging folder).
    private func writeOutputs(_ result: QuantizationResult, shape: [Int], base: String, directory: String) throws(CommandFailure) {
        let prefix = URL(fileURLWithPath: directory).appendingPathComponent(base).path
        let dequantized: NpyFile.Contents
        switch result.dequantized.storage {
        case .float32(let values): dequantized = .float32(values)
        case .float64(let values): dequantized = .float64(values)
        }
        do {
            try NpyFile.write(dequantized, shape: shape, toPath: prefix + ".dequantized.npy")
            try NpyFile.write(.uint8(result.codes), shape: shape, toPath: prefix + ".codes.npy")
            try NpyFile.write(.float64(result.alphas), shape: [result.alphas.count], toPath: prefix + ".alpha.npy")
            if let biases = result.biases {
                try NpyFile.write(.float64(biases.map(Double.init)), shape: [biases.count], toPath: prefix + ".bias.npy")
            }
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}

/// `quantize --out`'s target, staged (a ``StagedFolder``): every output is written into
/// `path` first; `commit` moves the files into the target only once every tensor succeeded,
/// and `discard` removes whatever a failed run staged.
struct OutputStaging {
    /// The target folder.
    let folder: String
    /// The staging folder (a sibling of the target, so renames stay on one file system).
    let path: String
    private let staged: StagedFolder

    /// Creates the staging folder after checking the target can be a folder.
    init(folder: String) throws(QuantizeCommand.CommandFailure) {
        if let problem = folderProblem(folder) { throw QuantizeCommand.CommandFailure(message: "--out: " + problem) }
        do {
            staged = try StagedFolder(target: URL(fileURLWithPath: folder))
        } catch {
            throw QuantizeCommand.CommandFailure(message: "--out: \(error)")
        }
        self.folder = folder
        path = staged.staging.path
    }

    /// Moves every staged file into the target, then `extra` (staged path, final path): the
    /// `--json` report when it lies outside the target (staged as `.report.json`).
    func commit(extra: (String, String)?) throws(QuantizeCommand.CommandFailure) {
        let wholeFolder: Bool
        do {
            wholeFolder = try staged.moveIntoPlace(excluding: [".report.json"])
        } catch {
            throw QuantizeCommand.CommandFailure(message: "--out: \(error)")
        }
        var extraSource = extra?.0
        if wholeFolder {
            extraSource = extra.map { URL(fileURLWithPath: folder).appendingPathComponent(URL(fileURLWithPath: $0.0).lastPathComponent).path }
        }
        if let extraSource, let to = extra?.1, rename(extraSource, to) != 0 {
            throw QuantizeCommand.CommandFailure(message: "--json: cannot write \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `body`, which writes into `path`; its error names the file as it will be in the
    /// target, not the hidden staging folder (e.g. on a full disk).
    func writing(_ body: () throws(QuantizeCommand.CommandFailure) -> Void) throws(QuantizeCommand.CommandFailure) {
        do {
            try body()
        } catch {
            throw QuantizeCommand.CommandFailure(message: error.message.replacingOccurrences(of: path, with: folder))
        }
    }

    /// Removes the staging folder and anything left in it.
    func discard() { staged.discard() }
}
