import AntgenSupport
import Foundation

/// Runs Yosys and nextpnr-ice40 and turns their failures into ``SynthesisError``s.
public struct ToolInvocation: Sendable {
    /// The Yosys executable.
    public let yosys: ExternalTool
    /// The nextpnr-ice40 executable (only for the optional frequency estimate).
    public let nextpnr: ExternalTool

    /// nextpnr for Lattice iCE40, from Debian's `nextpnr-ice40`.
    public static let nextpnrICE40 = ExternalTool(executable: "nextpnr-ice40", debianPackage: "nextpnr-ice40", timeout: ExternalTool.buildTimeout)

    /// Uses the given tools (the defaults are the ones on `PATH`); `timeout` (seconds)
    /// replaces both tools' timeouts.
    public init(yosys: ExternalTool = .yosys, nextpnr: ExternalTool = ToolInvocation.nextpnrICE40, timeout: Double? = nil) {
        self.yosys = yosys.withTimeout(timeout)
        self.nextpnr = nextpnr.withTimeout(timeout)
    }

    /// `Yosys 0.23 (git sha1 …)`.
    /// - Throws: ``SynthesisError/missingTool(_:)`` or ``SynthesisError/toolFailed(tool:status:line:)``.
    public func yosysVersion() throws -> String {
        let result = try run(yosys, ["-V"], in: nil)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `script` to `name` in `folder` and runs `yosys -q -s name` there.
    /// - Returns: the tool's combined output.
    @discardableResult
    public func runYosys(script: String, named name: String, in folder: URL) throws -> String {
        do {
            try writeAtomically(script, to: folder.appendingPathComponent(name))
        } catch {
            throw SynthesisError.invalidDesign("\(error)")
        }
        return try run(yosys, ["-q", "-s", name], in: folder).output
    }

    /// Runs nextpnr-ice40 on a JSON netlist in `folder`.
    /// - Returns: the tool's combined output (the timing report is in it).
    public func runNextpnr(_ arguments: [String], in folder: URL) throws -> String {
        try run(nextpnr, arguments, in: folder).output
    }

    /// Runs one tool, mapping a missing tool and a non-zero exit to one-line errors.
    private func run(_ tool: ExternalTool, _ arguments: [String], in folder: URL?) throws -> ToolResult {
        let result: ToolResult
        do {
            result = try tool.run(arguments, in: folder)
        } catch let error as ToolError {
            throw SynthesisError(error)
        } catch {
            throw SynthesisError.toolFailed(tool: tool.executable, status: -1, line: error.localizedDescription)
        }
        guard result.status == 0 else {
            throw SynthesisError.toolFailed(tool: tool.executable, status: result.status,
                                            line: YosysReportParser.firstError(in: result.output))
        }
        return result
    }
}
