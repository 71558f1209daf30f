import AntgenNumerics
import ArgumentParser
import Foundation

/// A user-facing failure: ArgumentParser prints it as one line (`Error: …`) and
/// exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    /// The line shown to the user.
    let description: String

    /// Creates the error.
    init(_ description: String) { self.description = description }
}

/// Throws `CLIError` when `path` cannot be written (`outputPathProblem`), before the work
/// that would produce it starts; `what` names the output ("the JSON report").
func checkWritable(_ path: String, what: String) throws {
    if let problem = outputPathProblem(path) { throw CLIError("\(what): \(problem)") }
}

/// Runs `body`; any error but an exit code is printed as `antgen: error: …` lines on
/// standard error (one per line of its description) and exits with status 1. A Foundation
/// or POSIX error is phrased as one line by `describeFileError` (never Foundation's dump).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let nsError = error as NSError
        let isFoundation = nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain
        let message = isFoundation ? describeFileError(error, path: nil, action: "write") : "\(error)"
        let text = message.split(separator: "\n").map { "antgen: error: \($0)" }.joined(separator: "\n")
        FileHandle.standardError.write(Data((text + "\n").utf8))
        throw ExitCode.failure
    }
}

/// `--tool-timeout`, checked: nil (each tool's default) or a positive finite number of seconds.
func checkedToolTimeout(_ seconds: Double?) throws -> Double? {
    guard let seconds else { return nil }
    guard seconds > 0, seconds.isFinite else {
        throw CLIError("invalid tool-timeout: \(seconds) must be a positive number of seconds")
    }
    return seconds
}
