import AntgenSupport

/// The external programs a verification run uses. Injectable so tests can exercise the
/// missing-simulator path without touching `PATH`.
public struct SimulatorTools: Sendable {
    /// Verilator.
    public var verilator: ExternalTool
    /// The Icarus compiler.
    public var iverilog: ExternalTool
    /// The Icarus runtime.
    public var vvp: ExternalTool
    /// Seconds one run of a built Verilator simulator may take.
    public var simulationTimeout: Double = ExternalTool.defaultTimeout

    /// The standard tools, found on `PATH`.
    public static let standard = SimulatorTools(verilator: .verilator, iverilog: .iverilog, vvp: .vvp)

    /// Creates a tool set.
    public init(verilator: ExternalTool, iverilog: ExternalTool, vvp: ExternalTool) {
        self.verilator = verilator
        self.iverilog = iverilog
        self.vvp = vvp
    }

    /// Every tool, and the built simulators, with `seconds` as the timeout (unchanged for nil):
    /// the CLI's `--tool-timeout`.
    public func withTimeout(_ seconds: Double?) -> SimulatorTools {
        guard let seconds else { return self }
        var tools = SimulatorTools(verilator: verilator.withTimeout(seconds), iverilog: iverilog.withTimeout(seconds), vvp: vvp.withTimeout(seconds))
        tools.simulationTimeout = seconds
        return tools
    }

    /// Checks that the tools `simulator` needs are installed.
    /// - Throws: the one-line install hint of the first missing tool.
    public func require(_ simulator: SimulatorKind) throws {
        switch simulator {
        case .verilator: _ = try verilator.locate()
        case .icarus: _ = try iverilog.locate(); _ = try vvp.locate()
        }
    }
}
