import AntgenSupport
import Foundation

/// Why one run of the user's evaluation command produced no score.
public enum EvaluationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command ran longer than the timeout and was killed (with its process group).
    case timedOut(seconds: Double)
    /// The command exited with a non-zero status; the last line of its standard error.
    case failed(status: Int32, lastError: String)
    /// The command was killed by a signal.
    case killed(signal: Int32)
    /// The last non-empty line of standard output is not one finite number.
    case notANumber(output: String)
    /// The command could not be started.
    case cannotStart(String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .timedOut(let seconds):
            return "timed out after \(shortNumber(seconds)) s (killed)"
        case .failed(let status, let lastError):
            return "exited with status \(status)" + (lastError.isEmpty ? "" : ": \(lastError)")
        case .killed(let signal):
            return "killed by signal \(signal)"
        case .notANumber(let output):
            return output.isEmpty ? "printed no number (expected one number on the last line of standard output)"
                : "printed '\(output.prefix(80))', not a number (expected one number on the last line of standard output)"
        case .cannotStart(let reason):
            return "cannot be started: \(reason)"
        }
    }
}

/// The user's evaluation command: given a plan's path, it prints one number, the score
/// (higher is better, e.g. top-1 accuracy).
///
/// The command is run by `/bin/sh -c`. `{plan}` in the command is replaced by the plan's
/// path (shell-quoted); without `{plan}` the path is appended as the last argument. The path
/// is also in the environment as `ANTGEN_PLAN`. It runs through antgen's process runner
/// (`ProcessRunner` in AntgenSupport): standard input is /dev/null, the command runs in its
/// own process group, which is killed at the timeout and after the command exits (so a
/// command that leaves background children cannot stall the tuner), and Ctrl-C stops it.
public struct EvaluationCommand: Sendable, Equatable {
    /// The shell command.
    public let command: String
    /// Seconds before the command is killed.
    public let timeout: Double

    /// Creates the command.
    public init(command: String, timeout: Double) {
        self.command = command
        self.timeout = timeout
    }

    /// The shell script run for a plan path.
    public func script(planPath: String) -> String {
        let quoted = "'" + planPath.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return command.contains("{plan}") ? command.replacingOccurrences(of: "{plan}", with: quoted) : command + " " + quoted
    }

    /// Runs the command on the plan at `planPath` and parses its score.
    public func score(planPath: String) -> Result<Double, EvaluationFailure> {
        var environment = ProcessInfo.processInfo.environment
        environment["ANTGEN_PLAN"] = planPath
        let result: ToolResult
        do {
            result = try ProcessRunner.run(program: "/bin/sh", ["-c", script(planPath: planPath), "antgen-evaluate"], timeout: timeout,
                                           name: "the evaluation command", environment: environment, separateErrors: true)
        } catch ToolError.timedOut {
            return .failure(.timedOut(seconds: timeout))
        } catch {
            return .failure(.cannotStart("\(error)"))
        }
        if let signal = result.signal { return .failure(.killed(signal: signal)) }
        if result.status != 0 { return .failure(.failed(status: result.status, lastError: Self.lastLine(result.errors))) }
        let line = Self.lastLine(result.output)
        guard let value = Double(line), value.isFinite else { return .failure(.notANumber(output: line)) }
        return .success(value)
    }

    static func lastLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty } ?? ""
    }
}
