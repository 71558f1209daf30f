import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// is also in the environment as `ANTGEN_PLAN`. Standard input is /dev/null; standard output
/// and error go to files, so a command that leaves background children cannot stall the
/// tuner. The command runs in its own process group, which is killed at the timeout and
/// after the command exits.
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
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("antgen-evaluate-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return .failure(.cannotStart("cannot create \(directory.path)"))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputPath = directory.appendingPathComponent("stdout").path
        let errorPath = directory.appendingPathComponent("stderr").path
        let run = runShell(script(planPath: planPath), planPath: planPath, outputPath: outputPath, errorPath: errorPath)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        switch run {
        case .failure(let failure):
            return .failure(failure)
        case .success(let status):
            if status != 0 { return .failure(.failed(status: status, lastError: Self.lastLine(errors))) }
            let line = Self.lastLine(output)
            guard let value = Double(line), value.isFinite else { return .failure(.notANumber(output: line)) }
            return .success(value)
        }
    }

    static func lastLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty } ?? ""
    }

    /// Spawns `/bin/sh -c script` in a new process group and waits up to `timeout`.
    /// Returns the exit status, or why there is none.
    private func runShell(_ script: String, planPath: String, outputPath: String, errorPath: String) -> Result<Int32, EvaluationFailure> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var environment = ProcessInfo.processInfo.environment
        environment["ANTGEN_PLAN"] = planPath
        let words: [String] = ["/bin/sh", "-c", script, "antgen-evaluate"]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) } + [nil]
        let assignments: [String] = environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        let variables: [UnsafeMutablePointer<CChar>?] = assignments.map { text in strdup(text) } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, variables)
        guard spawned == 0 else { return .failure(.cannotStart(String(cString: strerror(spawned)))) }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { return .failure(.cannotStart("waitpid failed: \(String(cString: strerror(errno)))")) }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return .failure(.timedOut(seconds: timeout))
            }
            usleep(5_000)
        }
        // Background children of the command would outlive it; end them.
        kill(-pid, SIGKILL)
        let signal = status & 0x7f
        if signal != 0 { return .failure(.killed(signal: signal)) }
        return .success((status >> 8) & 0xff)
    }
}
