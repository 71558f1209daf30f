import AntgenNumerics
import AntgenSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
    /// then moves the staged outputs into place (``commit(_:extra:)``).
    func finish(_ staging: OutputStaging?, report target: ReportTarget?,
                write: (String) throws(QuantizeFailure) -> Void) throws(QuantizeFailure) {
        guard let target else { return try commit(staging, extra: nil) }
        guard let staging else { return try write(target.path) }
        let name = target.insideOut ? URL(fileURLWithPath: target.path).lastPathComponent : ".report.json"
        let staged = URL(fileURLWithPath: staging.path).appendingPathComponent(name).path
        if target.insideOut {
            try staging.writing { () throws(QuantizeFailure) in try write(staged) }  // errors name the target, not the stage
        } else {
            try write(staged)
        }
        try commit(staging, extra: target.insideOut ? nil : (staged, target.path))
    }

    /// Renames the staged outputs into place with interrupts held off (no staging: nothing to do).
    func commit(_ staging: OutputStaging?, extra: (String, String)?) throws(QuantizeFailure) {
        guard let staging else { return }
        try InterruptCleanup.committing(URL(fileURLWithPath: staging.path)) { () throws(QuantizeFailure) in
            try staging.commit(extra: extra)
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
            throw QuantizeFailure(message: "--out: \(error)")
        }
        self.folder = folder
        path = staged.staging.path
    }

    /// Moves every staged file into the target, then `extra` (staged path, final path): the
    /// `--json` report when it lies outside the target (staged as `.report.json`).
    func commit(extra: (String, String)?) throws(QuantizeFailure) {
        let wholeFolder: Bool
        do {
            wholeFolder = try staged.moveIntoPlace(excluding: [".report.json"])
        } catch {
            throw QuantizeFailure(message: "--out: \(error)")
        }
        var extraSource = extra?.0
        if wholeFolder {
            extraSource = extra.map { URL(fileURLWithPath: folder).appendingPathComponent(URL(fileURLWithPath: $0.0).lastPathComponent).path }
        }
        if let extraSource, let to = extra?.1, rename(extraSource, to) != 0 {
            throw QuantizeFailure(message: "--json: cannot write \(to): \(String(cString: strerror(errno)))")
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
