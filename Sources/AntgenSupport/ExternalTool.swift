import Foundation

/// An external program antgen runs (Verilator, Icarus Verilog, Yosys, nextpnr), found on
/// `PATH`, with the longest it may run.
public struct ExternalTool: Sendable {
    /// Executable name, e.g. `verilator`.
    public let executable: String
    /// The Debian package that provides it, for the install hint.
    public let debianPackage: String
    /// Seconds one run may take before its process group is killed.
    public var timeout: Double

    /// Describes a tool by its executable, the Debian package that provides it and its
    /// timeout (default ``defaultTimeout``).
    public init(executable: String, debianPackage: String, timeout: Double = ExternalTool.defaultTimeout) {
        self.executable = executable
        self.debianPackage = debianPackage
        self.timeout = timeout
    }

    /// The timeout of a tool that names none: 10 minutes.
    public static let defaultTimeout = 600.0
    /// The timeout of the builders that compile a whole design (a Verilator build of a
    /// 128×128 array, a Yosys synthesis): 30 minutes.
    public static let buildTimeout = 1800.0

    /// Verilator (lint and simulation builds).
    public static let verilator = ExternalTool(executable: "verilator", debianPackage: "verilator", timeout: buildTimeout)
    /// Icarus Verilog compiler.
    public static let iverilog = ExternalTool(executable: "iverilog", debianPackage: "iverilog")
    /// Icarus Verilog runtime.
    public static let vvp = ExternalTool(executable: "vvp", debianPackage: "iverilog")
    /// Yosys synthesis.
    public static let yosys = ExternalTool(executable: "yosys", debianPackage: "yosys", timeout: buildTimeout)

    /// The same tool with `seconds` as its timeout (unchanged for nil).
    public func withTimeout(_ seconds: Double?) -> ExternalTool {
        var tool = self
        if let seconds { tool.timeout = seconds }
        return tool
    }

    /// The tool's absolute path, or an error whose one-line message says how to install it.
    public func locate() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError.missing(self)
    }

    /// Runs the tool with `arguments` in `directory` through ``ProcessRunner``; returns the
    /// exit status and the combined standard output and error.
    /// - Throws: ``ToolError`` (missing, cannot start, timed out).
    public func run(_ arguments: [String], in directory: URL? = nil) throws -> ToolResult {
        try ProcessRunner.run(program: try locate(), arguments, in: directory, timeout: timeout, name: executable)
    }

    /// Runs any program (e.g. a built simulator) with `arguments` in `directory`, standard
    /// input empty, killed after `timeout` seconds; `name` names it in errors.
    public static func run(program: URL, _ arguments: [String], in directory: URL? = nil,
                           timeout: Double = defaultTimeout, name: String? = nil) throws -> ToolResult {
        try ProcessRunner.run(program: program.path, arguments, in: directory, timeout: timeout, name: name ?? program.lastPathComponent)
    }
}

/// Errors from running external tools, each one line.
public enum ToolError: Error, CustomStringConvertible, Sendable {
    /// The tool is not installed.
    case missing(ExternalTool)
    /// The program could not be started (not executable, a broken binary, no such file).
    case cannotStart(tool: String, reason: String)
    /// The program ran past its timeout; its process group was killed.
    case timedOut(tool: String, seconds: Double, command: String)

    /// One line naming the tool and what to do.
    public var description: String {
        switch self {
        case .missing(let tool):
            return "\(tool.executable) not found on PATH; install it with scripts/bootstrap.sh (as root) or `sudo apt-get install \(tool.debianPackage)`"
        case .cannotStart(let tool, let reason):
            return "\(tool) cannot be started: \(reason)"
        case .timedOut(let tool, let seconds, let command):
            let limit = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            return "\(tool) timed out after \(limit) s and was killed (raise the limit with --tool-timeout SECONDS); reproduce: \(command)"
        }
    }
}
