import AntgenGolden
import AntgenSupport
import Foundation

extension IcarusRunner {
    /// Compiles and runs `vectors` on `ws/ws_tb.v`, the weight-stationary schedule.
    func runWeightStationary(design: GeneratedDesign, vectors: URL, file: VectorFile, work: URL) throws -> SimulationOutcome {
        let fm = FileManager.default
        try? fm.removeItem(at: work)
        _ = try writeAtomically(design.files.filter { $0.0.hasSuffix(".v") } + [("tb_ports.vh", Self.portsInclude(design))], to: work)
        defer { try? fm.removeItem(at: work) }
        let start = Date()
        try compile(testbenches.wsVerilogTestbench, top: "antgen_ws_tb", parameters: [("WORDS", file.wordCount)], design: design, work: work, output: "tb.vvp")
        var arguments = ["-n", "tb.vvp", "+vectors=\(vectors.path)"]
        for mode in design.manifest.modes { arguments.append("+lat_first_\(mode.stepsPerBeat)=\(mode.firstRowLatency)") }
        let result = try tools.vvp.run(arguments, in: work)
        return try SimulationOutcome.parse(result.output, status: result.status, seconds: Date().timeIntervalSince(start),
                                           expectedCases: file.cases.count, simulator: "icarus")
    }

    /// Runs `count` weight tiles (`text(t)`: a `WTILE` of `vectors` activation rows) through
    /// `ws/ws_stream_tb.v` on Icarus (one compile, one run over a tile file in
    /// `work`), with the same answers and cycle numbers as the Verilator harness's `--stream`
    /// mode: `antgen run --dataflow ws --sim icarus`.
    public func streamWeightStationary(design: GeneratedDesign, count: Int, vectors: Int, cols: Int, work: URL,
                                       text: (Int) -> String, answer: (TileAnswer) throws -> Void) throws -> StreamSummary {
        let fm = FileManager.default
        try? fm.removeItem(at: work)
        InterruptCleanup.track(work)
        defer { try? fm.removeItem(at: work); InterruptCleanup.untrack(work) }
        let stream = (0..<count).map(text).joined() + "END\n"
        _ = try writeAtomically(design.files.filter { $0.0.hasSuffix(".v") } + [("tb_ports.vh", Self.portsInclude(design)),
                                                                              ("tiles.txt", stream)], to: work)
        try compile(testbenches.wsStreamTestbench, top: "antgen_ws_stream_tb", parameters: [("MAXM", vectors)], design: design, work: work, output: "stream.vvp")
        let result = try tools.vvp.run(["-n", "stream.vvp", "+tiles=tiles.txt"], in: work)
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).makeIterator()
        return try SimulatorBinary.collect(lines: { lines.next() }, count: count, rows: vectors, cols: cols, simulator: "icarus",
                                           answer: answer)
    }
}
