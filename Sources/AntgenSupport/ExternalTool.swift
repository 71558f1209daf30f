import Foundation

/// An EDA tool antgen runs (Verilator, Icarus Verilog, Yosys), found on `PATH`.
public struct ExternalTool: Sendable {
    /// Executable name, e.g. `verilator`.
    public let executable: String
    /// The Debian package that provides it, for the install hint.
    public let debianPackage: String

    /// Describes a tool by its executable and the Debian package that provides it.
    public init(executable: String, debianPackage: String) {
        self.executable = executable
        self.debianPackage = debianPackage
    }

    /// Verilator (lint and simulation).
    public static let verilator = ExternalTool(executable: "verilator", debianPackage: "verilator")
    /// Icarus Verilog compiler.
    public static let iverilog = ExternalTool(executable: "iverilog", debianPackage: "iverilog")
    /// Icarus Verilog runtime.
    public static let vvp = ExternalTool(executable: "vvp", debianPackage: "iverilog")
    /// Yosys synthesis.
    public static let yosys = ExternalTool(executable: "yosys", debianPackage: "yosys")

    /// The tool's absolute path, or an error whose one-line message says how to install it.
    public func locate() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError.missing(self)
    }

    /// Runs the tool with `arguments` in `directory`; returns exit status and the
    /// combined standard output and error.
    public func run(_ arguments: [String], in directory: URL? = nil) throws -> ToolResult {
        try Self.run(program: URL(fileURLWithPath: try locate()), arguments, in: directory)
    }

    /// Runs any program (e.g. a built simulator) with `arguments` in `directory`, standard
    /// input empty; returns exit status and the combined standard output and error.
    public static func run(program: URL, _ arguments: [String], in directory: URL? = nil) throws -> ToolResult {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting so a chatty program cannot block on a full pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// What a tool run produced.
public struct ToolResult: Sendable {
    /// Exit status.
    public let status: Int32
    /// Standard output and error, interleaved.
    public let output: String
}

/// Errors from running external tools.
public enum ToolError: Error, CustomStringConvertible, Sendable {
    /// The tool is not installed.
    case missing(ExternalTool)

    /// One line naming the tool and how to install it.
    public var description: String {
        switch self {
        case .missing(let tool):
            return "\(tool.executable) not found on PATH; install it with scripts/bootstrap.sh (as root) or `sudo apt-get install \(tool.debianPackage)`"
        }
    }
}
