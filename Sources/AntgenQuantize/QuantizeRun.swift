import AntgenNumerics
import AntgenSupport
import Foundation

/// A quantize failure already phrased for the user: one line.
public struct QuantizeFailure: Error, CustomStringConvertible {
    /// The line shown to the user.
    public let message: String
    /// Creates the failure.
    public init(message: String) { self.message = message }
    /// The line shown to the user.
    public var description: String { message }

    /// `FILE: tensor 'NAME': PROBLEM`, the failure of one tensor.
    public static func tensor(_ job: QuantizeJob, _ problem: Any) -> QuantizeFailure {
        QuantizeFailure(message: "\(job.file): tensor '\(job.name)': \(problem)")
    }
}

/// One tensor to quantize: where it lives and what its outputs are called.
public struct QuantizeJob: Sendable, Equatable {
    /// The tensor file (.npy or .safetensors).
    public let file: String
    /// The tensor's name (an .npy file's tensor is named after the file).
    public let name: String
    /// The prefix of its output files in `--out` (`<stem>` or `<stem>.<tensor>`, `/` → `_`).
    public let outputBase: String
}

/// One .npy array a tensor's quantization writes into `--out`: `<base><suffix>`.
public struct TensorOutput {
    /// The file name's ending, e.g. `.codes.npy`.
    public let suffix: String
    /// The values.
    public let contents: NpyFile.Contents
    /// The array's shape.
    public let shape: [Int]

    /// Creates the output.
    public init(_ suffix: String, _ contents: NpyFile.Contents, shape: [Int]) {
        self.suffix = suffix
        self.contents = contents
        self.shape = shape
    }
}

/// One tensor's result as the job loop needs it: the report entry, its printed table and
/// its `--out` files (computed only when `--out` is given).
public struct QuantizedTensor<Report> {
    /// The entry of the JSON report.
    public let report: Report
    /// The text printed for the tensor.
    public let table: String
    /// The files written into `--out`.
    public let outputs: () -> [TensorOutput]

    /// Creates the result.
    public init(report: Report, table: String, outputs: @escaping () -> [TensorOutput]) {
        self.report = report
        self.table = table
        self.outputs = outputs
    }
}

/// A quantization mode (ANT, PWLQ, MX) that ``QuantizeRun/run(_:print:progress:)`` drives.
public protocol TensorQuantizing {
    /// One tensor's entry of the JSON report.
    associatedtype Report
    /// Quantizes one loaded tensor of `job`.
    /// - Throws: ``QuantizeFailure`` naming the file and tensor.
    func quantize(_ tensor: Tensor, job: QuantizeJob) throws(QuantizeFailure) -> QuantizedTensor<Report>
    /// Writes the JSON report of every tensor to `path`; `shownAs` is `--json` as given.
    func writeReport(_ reports: [Report], toPath path: String, shownAs: String) throws(QuantizeFailure)
    /// True to print a progress line (at most one a second) on runs longer than a second.
    var reportsProgress: Bool { get }
}

extension TensorQuantizing {
    public var reportsProgress: Bool { false }
}

/// The inputs and outputs of one `antgen quantize` run: the tensor files, the `--tensors`
/// selection, the `--out` folder and the `--json` report. ``run(_:print:progress:)`` is the
/// one job loop of every mode: every tensor is listed and every output path checked before
/// any work, the outputs are staged, and nothing appears unless every tensor and the report
/// succeeded (Ctrl-C or SIGTERM removes the staging folder).
public struct QuantizeRun {
    /// Tensor files (.npy or .safetensors).
    public let files: [String]
    /// `--tensors`: comma-separated names, or nil for every tensor.
    public let tensors: String?
    /// `--out`: the folder of the .npy outputs.
    public let out: String?
    /// `--json`: the report file.
    public let json: String?

    /// Creates the run.
    public init(files: [String], tensors: String?, out: String?, json: String?) {
        self.files = files
        self.tensors = tensors
        self.out = out
        self.json = json
    }

    /// Quantizes every tensor with `quantizer`, printing each one's table with `print` and
    /// progress lines with `progress`, then writes the outputs and the report.
    /// - Throws: ``QuantizeFailure``, one line; nothing is written then.
    public func run<Q: TensorQuantizing>(_ quantizer: Q, print: (String) -> Void = { Swift.print($0) },
                                         progress: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) throws(QuantizeFailure) {
        let jobs = try plannedJobs()
        // Output paths are checked before any work, and every output is staged: nothing
        // appears unless every tensor and the JSON succeeded.
        let jsonTarget = try reportTarget()
        let staging = try out.map { out throws(QuantizeFailure) in try OutputStaging(folder: out) }
        // Ctrl-C or kill (SIGTERM) removes the staging folder instead of leaving it behind
        // (antgen's interrupt clean-up); the commit holds interrupts off until it is whole.
        let stagingURL = staging.map { URL(fileURLWithPath: $0.path) }
        if let stagingURL { InterruptCleanup.track(stagingURL) }
        defer {
            staging?.discard()
            if let stagingURL { InterruptCleanup.untrack(stagingURL) }
        }
        let start = Date()
        var reports: [Q.Report] = []
        var opened: SafetensorsFile.OpenedFile?
        var lastProgress = 0.0
        for (position, job) in jobs.enumerated() {
            let named = try load(job, reusing: &opened)
            let result = try quantizer.quantize(named.tensor, job: job)
            print(result.table + "\n")
            if let staging {
                try staging.writing { () throws(QuantizeFailure) in try Self.write(result.outputs(), base: job.outputBase, directory: staging.path) }
            }
            reports.append(result.report)
            let elapsed = Date().timeIntervalSince(start)
            // At most one progress line a second (a file of 3,000 tiny tensors must not print 3,000).
            if quantizer.reportsProgress, jobs.count > 1, elapsed > 1, elapsed - lastProgress >= 1 || position + 1 == jobs.count {
                lastProgress = elapsed
                progress(String(format: "antgen: quantized %d/%d tensors (%@) in %.1f s\n", position + 1, jobs.count, job.name, elapsed))
            }
        }
        try finish(staging, report: jsonTarget) { path throws(QuantizeFailure) in
            try quantizer.writeReport(reports, toPath: path, shownAs: json ?? path)
        }
    }

    /// Lists the tensors of every file (honouring `--tensors`) and checks the output names
    /// are distinct, before any work starts.
    /// - Throws: ``QuantizeFailure`` for an unreadable file, a missing tensor, no tensor, or
    ///   two tensors whose outputs would share a name.
    public func plannedJobs() throws(QuantizeFailure) -> [QuantizeJob] {
        let wanted = tensors.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var jobs: [QuantizeJob] = []
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
                throw QuantizeFailure(message: error.description)
            }
            let isNpy = file.lowercased().hasSuffix(".npy")
            for name in names where wanted?.contains(name) ?? true {
                let base = isNpy ? stem : stem + "." + name
                jobs.append(QuantizeJob(file: file, name: name, outputBase: base.replacingOccurrences(of: "/", with: "_")))
            }
        }
        if let wanted, let missing = wanted.first(where: { name in !jobs.contains { $0.name == name } }) {
            throw QuantizeFailure(message: "no tensor named '\(missing)' in \(files.joined(separator: ", "))")
        }
        guard !jobs.isEmpty else { throw QuantizeFailure(message: "no tensors to quantize") }
        var seen = Set<String>()
        for job in jobs where out != nil {
            guard seen.insert(job.outputBase).inserted else {
                throw QuantizeFailure(message: "two tensors would write the same output files '\(job.outputBase).*' (rename one input file)")
            }
        }
        return jobs
    }

    /// Loads one tensor; a .safetensors file's header is read once for all its tensors (jobs
    /// of one file are consecutive), not once per tensor.
    func load(_ job: QuantizeJob, reusing opened: inout SafetensorsFile.OpenedFile?) throws(QuantizeFailure) -> NamedTensor {
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
            throw QuantizeFailure(message: error.description)
        }
    }

    /// Writes one tensor's files into `directory` (the staging folder).
    static func write(_ outputs: [TensorOutput], base: String, directory: String) throws(QuantizeFailure) {
        let prefix = URL(fileURLWithPath: directory).appendingPathComponent(base).path
        do {
            for output in outputs { try NpyFile.write(output.contents, shape: output.shape, toPath: prefix + output.suffix) }
        } catch {
            throw QuantizeFailure(message: error.description)
        }
    }
}
