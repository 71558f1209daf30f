import AntgenSupport

/// Why a synthesis run failed, always one line.
public enum SynthesisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tool is not installed: its name and how to install it.
    case missingTool(String)
    /// A tool exited with an error: the tool, its status and the first relevant log line.
    case toolFailed(tool: String, status: Int32, line: String)
    /// A tool could not be started or ran past its timeout: the runner's one line.
    case toolStopped(String)
    /// A report file could not be read or parsed: which report and what was seen.
    case unreadableReport(String, String)
    /// The design cannot be elaborated or written: the reason.
    case invalidDesign(String)

    /// Wraps a ``ToolError`` from `ExternalTool.locate()` or `run`.
    init(_ error: ToolError) {
        if case .missing = error { self = .missingTool(error.description) } else { self = .toolStopped(error.description) }
    }

    /// The message, one line.
    public var description: String {
        switch self {
        case .missingTool(let message), .toolStopped(let message):
            return message
        case .toolFailed(let tool, let status, let line):
            return "\(tool) failed (exit \(status)): \(line)"
        case .unreadableReport(let report, let seen):
            return "cannot read the \(report) report (it starts with: \(seen))"
        case .invalidDesign(let reason):
            return "cannot synthesize the design: \(reason)"
        }
    }
}
