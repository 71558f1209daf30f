import ArgumentParser

/// `--shell`, `--axis-width` and `--buffer-kib`, shared by emit, run and synth.
struct ShellOptions: ParsableArguments {
    @Option(help: "Wrap the array in a shell: axi (AXI4-Stream operands and results, AXI4-Lite control; docs/integration.md). Arrays whose stream protocol it carries: ANT (output-stationary, no --psum-preload) and SDP.")
    var shell: String?

    @Option(name: .customLong("axis-width"), help: "With --shell axi: TDATA width of the streams, 32, 64, 128 or 256 (default 64).")
    var axisWidth: Int?

    @Option(name: .customLong("buffer-kib"), help: "With --shell axi: queue results in a block-RAM buffer of N KiB (the largest power-of-two number of rows that fits, at least two tiles) instead of the flip-flop FIFO of 2·rows rows.")
    var bufferKiB: Int?

    /// The shell asked for: nil without `--shell`.
    /// - Throws: ``CLIError`` (one line) for a shell other than axi, or `--axis-width` /
    ///   `--buffer-kib` without `--shell axi` (never silently ignored).
    func checked() throws -> (dataWidth: Int, bufferKiB: Int?)? {
        guard let shell else {
            if axisWidth != nil { throw CLIError("--axis-width goes with --shell axi (the shell's TDATA width)") }
            if bufferKiB != nil { throw CLIError("--buffer-kib goes with --shell axi (the shell's result buffer)") }
            return nil
        }
        guard shell == "axi" else { throw CLIError("--shell \(shell): the only shell is axi") }
        return (axisWidth ?? 64, bufferKiB)
    }
}
