import AntgenNumerics
import AntgenSupport
import Foundation

extension QuantizeRun {
    /// Where `quantize --json` goes, the same rule for every mode (ANT, PWLQ, MX): a report
    /// whose folder is `--out`'s target is staged with the tensors and appears with them
    /// (the folder need not exist yet); any other report is staged as `.report.json` and
    /// renamed into place after the tensors, or written directly without `--out`.
    struct ReportTarget {
        /// The path as given.
        let path: String
        /// The report's folder is `--out`'s target.
        let insideOut: Bool
    }

    /// `--json`'s target, checked before any work (nil without `--json`).
    /// - Throws: ``QuantizeFailure`` when a report outside `--out` cannot be written.
    func reportTarget() throws(QuantizeFailure) -> ReportTarget? {
        guard let json else { return nil }
        let folder = URL(fileURLWithPath: json).deletingLastPathComponent().standardizedFileURL.path
        let insideOut = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path == folder } ?? false
        if !insideOut, let problem = outputPathProblem(json) { throw QuantizeFailure(message: "--json: " + problem) }
        return ReportTarget(path: json, insideOut: insideOut)
    }

    /// Writes the report with `write(path)` where `target` says (nothing without `--json`),
    /// then moves the staged outputs into place (``commit(_:report:)``). A report outside
    /// `--out` is written to a temporary file beside its own target (never across file
    /// systems), so a report that cannot be written fails before any tensor file moves.
    func finish(_ staging: OutputStaging?, report target: ReportTarget?,
                write: (String) throws(QuantizeFailure) -> Void) throws(QuantizeFailure) {
        guard let target else { return try commit(staging, report: nil) }
        guard let staging else { return try write(target.path) }
        if target.insideOut {
            let staged = URL(fileURLWithPath: staging.path).appendingPathComponent(URL(fileURLWithPath: target.path).lastPathComponent).path
            try staging.writing { () throws(QuantizeFailure) in try write(staged) }  // errors name the target, not the stage
            return try commit(staging, report: nil)
        }
        let report = StagedFiles()
        let temporary = report.path(for: target.path)
        do {
            try write(temporary)
        } catch {
            report.discard()
            throw QuantizeFailure(message: error.message.replacingOccurrences(of: temporary, with: target.path))
        }
        try commit(staging, report: report)
    }

    /// Renames the staged outputs, then the staged report, into place with interrupts held
    /// off (no staging: nothing to do).
    func commit(_ staging: OutputStaging?, report: StagedFiles?) throws(QuantizeFailure) {
        guard let staging else { return }
        try InterruptCleanup.committing(URL(fileURLWithPath: staging.path)) { () throws(QuantizeFailure) in
            try staging.commit()
            do {
                try report?.commit()
            } catch {
                throw QuantizeFailure(message: "--json: \(error)")
            }
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
    init(folder: String) throws(QuantizeFailure) {
        if let problem = folderProblem(folder) { throw QuantizeFailure(message: "--out: " + problem) }
        do {
            staged = try StagedFolder(target: URL(fileURLWithPath: folder))
        } catch {
            // The staging folder is an implementation detail: the message names the target.
            let parent = URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent().path
            throw QuantizeFailure(message: "--out: cannot write \(folder): no folder can be created in \(parent) (check its permissions)")
        }
        self.folder = folder
        path = staged.staging.path
    }

    /// Moves every staged file into the target; a file that cannot be replaced (a folder in
    /// its way) fails before any file moves.
    func commit() throws(QuantizeFailure) {
        do {
            try staged.moveIntoPlace()
        } catch {
            throw QuantizeFailure(message: "--out: \(error)")
        }
    }

    /// Runs `body`, which writes into `path`; its error names the file as it will be in the
    /// target, not the hidden staging folder (e.g. on a full disk).
    func writing(_ body: () throws(QuantizeFailure) -> Void) throws(QuantizeFailure) {
        do {
            try body()
        } catch {
            throw QuantizeFailure(message: error.message.replacingOccurrences(of: path, with: folder))
        }
    }

    /// Removes the staging folder and anything left in it.
    func discard() { staged.discard() }
}
