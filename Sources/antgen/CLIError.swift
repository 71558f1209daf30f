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

/// Runs `body`; any error but an exit code is printed as `antgen: error: …` lines on
/// standard error (one per line of its description) and exits with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let text = "\(error)".split(separator: "\n").map { "antgen: error: \($0)" }.joined(separator: "\n")
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
