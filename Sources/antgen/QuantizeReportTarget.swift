import AntgenNumerics
import Foundation

extension QuantizeCommand {
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
    /// - Throws: ``CommandFailure`` when a report outside `--out` cannot be written.
    func reportTarget() throws(CommandFailure) -> ReportTarget? {
        guard let json else { return nil }
        let folder = URL(fileURLWithPath: json).deletingLastPathComponent().standardizedFileURL.path
        let insideOut = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path == folder } ?? false
        if !insideOut, let problem = outputPathProblem(json) { throw CommandFailure(message: "--json: " + problem) }
        return ReportTarget(path: json, insideOut: insideOut)
    }

    /// Writes the report with `write(path)` where `target` says (nothing without `--json`),
    /// then moves the staged outputs into place (``commit(_:extra:)``).
    func finish(_ staging: OutputStaging?, report target: ReportTarget?,
                write: (String) throws(CommandFailure) -> Void) throws(CommandFailure) {
        guard let target else { return try commit(staging, extra: nil) }
        guard let staging else { return try write(target.path) }
        let name = target.insideOut ? URL(fileURLWithPath: target.path).lastPathComponent : ".report.json"
        let staged = URL(fileURLWithPath: staging.path).appendingPathComponent(name).path
        if target.insideOut {
            try staging.writing { () throws(CommandFailure) in try write(staged) }  // errors name the target, not the stage
        } else {
            try write(staged)
        }
        try commit(staging, extra: target.insideOut ? nil : (staged, target.path))
    }
}
