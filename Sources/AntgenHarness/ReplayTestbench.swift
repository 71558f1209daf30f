import AntgenDSL
import AntgenSupport
import AntgenVerilog
import Foundation

/// The outcome of one replay-testbench simulation (PWLQ arrays, ANT partial-sum builds).
public struct ReplayRunResult: Sendable, Equatable {
    public let simulator: SimulatorKind
    /// Output rows compared.
    public let rows: Int
    /// Output rows expected.
    public let expectedRows: Int
    /// Cases (tiles) the run holds.
    public let cases: Int
    /// Rows whose fields or row index differ.
    public let mismatches: Int
    /// Cases (tiles of `rows per tile` output rows) with at least one differing row; a case
    /// whose rows never came counts too.
    public let failedCases: Int
    /// The simulator's mismatch lines (at most 10).
    public let problems: [String]
    /// Cycles from the one in which the first beat is offered (cycle 0, right after reset)
    /// through the one in which the last output row is presented, both included: the count
    /// ``OutputStationaryCycles`` models (0 when no row came).
    public let cycles: Int

    public var passed: Bool { mismatches == 0 && rows == expectedRows }
}

/// A generated Verilog-2005 testbench that replays `$readmemh` files into an array top and
/// checks every output row bit for bit; Verilator (`--binary --timing`) and Icarus run the
/// same text.
///
/// Driven protocol: one line of `beats.hex` per accepted beat (set on the falling edge, taken
/// on the rising edge with `in_ready`; `in_valid` high throughout); with a preload input,
/// one line of `preload.hex` per accepted `psum_in_valid` cycle, from reset on. On every
/// falling edge with `out_valid`, the concatenation of `observed` and `out_row` are compared
/// with the next line of `expected.hex` and with rows−1 … 0. Every top input is a register
/// (0 unless a beat sets it), every output a wire, all connected by name.
struct ReplayTestbench {
    /// The top level under test.
    let top: HardwareModule
    /// The top's beat, output-row and preload handshake ports.
    let handshake: ReplayHandshake
    /// Line prefix of the result and mismatch lines (`PWLQ`, `PSUM`).
    let tag: String
    /// Top inputs a beat line sets, least significant field first; each must name a port
    /// (``checkPorts()``, run before any simulation, says which does not).
    let beatFields: [String]
    /// Top outputs compared, least significant first.
    let observed: [String]
    /// Output rows per tile (the array's rows).
    let tileRows: Int
    /// Lines of beats.hex (``line(_:_:)`` of `beatFields`).
    var beatLines: [String] = []
    /// Lines of expected.hex (``line(_:_:)`` of `observed`), in output order.
    var expectedLines: [String] = []
    /// Lines of preload.hex (`psum_in` words), in output order; empty without preload.
    var preloadLines: [String] = []
    /// Cycles a beat may take before the bench gives up (multi-pass arrays raise it).
    var cyclesPerBeat = 4

    init(top: HardwareModule, handshake: ReplayHandshake, tag: String, beatFields: [String], observed: [String], tileRows: Int) {
        self.top = top
        self.handshake = handshake
        self.tag = tag
        self.beatFields = beatFields
        self.observed = observed
        self.tileRows = tileRows
    }

    var beats: Int { beatLines.count }
    var expectedRows: Int { expectedLines.count }
    var preloadRows: Int { preloadLines.count }
    /// Cycles after which the bench gives up: generous for every beat taking 4 steps, every
    /// tile at least its R drain cycles, and the pipeline's fill (T + R + C < the port count).
    var cycleLimit: Int { 200 + cyclesPerBeat * beats + 4 * expectedRows + 4 * top.ports.count }

    /// The module name of the bench.
    static let module = "replay_tb"

    /// The width of a top port (0 when there is none of that name; ``checkPorts()`` rejects
    /// such a name before a run).
    func width(_ name: String) -> Int {
        top.ports.first { $0.name == name }?.type.width ?? 0
    }

    /// Checks that every beat field names an input port of the top and every observed name
    /// an output port.
    /// - Throws: ``HarnessError`` naming the first name that matches no such port.
    func checkPorts() throws {
        func direction(_ name: String) -> PortDirection? {
            guard let port = top.ports.first(where: { $0.name == name }), case .port(let d) = port.kind else { return nil }
            return d
        }
        for name in beatFields where direction(name) != .input {
            throw HarnessError("\(tag) replay testbench: beat field '\(name)' matches no input port of \(top.name)")
        }
        for name in observed where direction(name) != .output {
            throw HarnessError("\(tag) replay testbench: observed field '\(name)' matches no output port of \(top.name)")
        }
    }

    /// One `$readmemh` line: for each of `fields` (least significant first) its port's bits,
    /// from `values[name]`: one value, or n equal sub-fields (`psum_in`, `out_psum`), the
    /// first least significant; a missing name is 0.
    func line(_ fields: [String], _ values: [String: [UInt64]]) -> String {
        Self.line(fields.map { ($0, width($0)) }, values)
    }

    /// ``line(_:_:)`` over fields given with their widths (usable off the bench, e.g. on a
    /// writer thread).
    static func line(_ fields: [(name: String, width: Int)], _ values: [String: [UInt64]]) -> String {
        var bits = HexBits()
        for (name, width) in fields {
            let parts = values[name] ?? [0]
            for part in parts { bits.append(part, width: width / max(parts.count, 1)) }
        }
        return bits.hex
    }

    /// Verilog statements (inside an `initial` block) that offer `count` words back to back:
    /// each set on a falling edge with `valid` high, held until a rising edge sees `ready`;
    /// `valid` falls after the last.
    static func offerLoop(index: String, count: String, assign: [String], valid: String, ready: String) -> String {
        let head = ["for (\(index) = 0; \(index) < \(count); \(index) = \(index) + 1) begin", "  @(negedge clock);"]
        let tail = ["  \(valid) = 1'b1;", "  while (!\(ready)) @(negedge clock);", "  @(posedge clock);", "end", "@(negedge clock);",
                    "\(valid) = 1'b0;"]
        let lines: [String] = head + assign.map { "  \($0);" } + tail
        return lines.map { "    " + $0 }.joined(separator: "\n")
    }

    /// The process that pushes preload.hex through `psum_in_valid`/`psum_in_ready` (empty without preload rows).
    var preloadProcess: String {
        guard preloadRows > 0, let preload = handshake.preload else { return "" }
        return """
          reg [\(width(preload.data) - 1):0] preloads [0:\(preloadRows - 1)];
          integer q;
          initial begin
            $readmemh("preload.hex", preloads);
            wait (reset == 1'b0);
        \(Self.offerLoop(index: "q", count: "\(preloadRows)", assign: ["\(preload.data) = preloads[q]"], valid: preload.valid, ready: preload.ready))
          end

        """
    }

    /// The top's ports as the bench declares them (inputs are registers at 0, outputs wires),
    /// the `observed` row wire and the DUT instance.
    var portsAndInstance: String {
        let ports = top.ports.compactMap { port -> (name: String, input: Bool, width: Int)? in
            guard case .port(let direction) = port.kind else { return nil }
            return (port.name, direction.rawValue == "input", port.type.width)
        }
        let declarations = ports.map { p in
            "  \(p.input ? "reg" : "wire") \(p.width > 1 ? "[\(p.width - 1):0] " : "")\(p.name)\(p.input ? " = 0" : "");"
        }
        let connections = (top.usesClock ? ["clock"] : []) + (top.usesReset ? ["reset"] : []) + ports.map(\.name)
        return """
        \(declarations.joined(separator: "\n"))
          wire [\(rowWidth - 1):0] observed = {\(observed.reversed().joined(separator: ", "))};
          \(top.name) dut (\(connections.map { ".\($0)(\($0))" }.joined(separator: ", ")));
        """
    }

    /// Bits of one beat line and of one observed row.
    var beatWidth: Int { beatFields.map(width).reduce(0, +) }
    var rowWidth: Int { observed.map(width).reduce(0, +) }

    /// The bench's Verilog text.
    var text: String {
        let pusher = preloadProcess, h = handshake
        return """
        `timescale 1ns/1ps
        // Generated by antgen verify: drives \(top.name) with beats.hex\(preloadRows > 0 ? " and preload.hex" : "") and
        // compares every output row with expected.hex (from the Swift reference).
        module \(Self.module);
          reg clock = 1'b0;
          reg reset = 1'b1;
          always #5 clock = ~clock;
          reg [\(beatWidth - 1):0] beats [0:\(max(beats, 1) - 1)];
          reg [\(rowWidth - 1):0] expected [0:\(max(expectedRows, 1) - 1)];
        \(portsAndInstance)
        \(pusher)  integer b, seen, errors, failed_cases, cycles, want_row, stream_cycle, last_row_cycle;
          reg bad_row, bad_case, streaming;
          initial begin
            $readmemh("beats.hex", beats);
            $readmemh("expected.hex", expected);
            seen = 0; errors = 0; failed_cases = 0; cycles = 0; bad_case = 1'b0;
            streaming = 1'b0; stream_cycle = 0; last_row_cycle = -1;
            repeat (3) @(negedge clock);
            reset = 1'b0;
        \(Self.offerLoop(index: "b", count: "\(beats)", assign: ["{\(beatFields.reversed().joined(separator: ", "))} = beats[b]"], valid: h.inValid, ready: h.inReady))
          end
          always @(negedge clock) begin
            if (!reset && \(h.outValid)) begin
              want_row = \(tileRows - 1) - (seen % \(tileRows));
              bad_row = seen >= \(expectedRows) || observed !== expected[seen] || \(h.outRow) != want_row;
              if (bad_row) begin
                errors = errors + 1;
                if (errors <= 10) $display("\(tag)-MISMATCH output row %0d (\(h.outRow) %0d, want %0d): observed %h expected %h", seen, \(h.outRow), want_row, observed, expected[seen]);
              end
              bad_case = bad_case | bad_row;
              last_row_cycle = stream_cycle;
              if (seen % \(tileRows) == \(tileRows - 1)) begin
                if (bad_case) failed_cases = failed_cases + 1;
                bad_case = 1'b0;
              end
              seen = seen + 1;
            end
          end
          // stream_cycle is n between the posedges that end cycles n - 1 and n, where cycle 0
          // is the one whose posedge first sees \(h.inValid) high.
          always @(posedge clock) begin
            if (streaming) stream_cycle = stream_cycle + 1;
            else if (\(h.inValid)) begin streaming = 1'b1; stream_cycle = 1; end
          end
          always @(posedge clock) begin
            cycles = cycles + 1;
            if (seen >= \(expectedRows) || cycles > \(cycleLimit)) begin
              $display("\(tag)-RESULT %0d of %0d rows, %0d mismatches, %0d failed cases, %0d cycles", seen, \(expectedRows), errors, failed_cases, last_row_cycle + 1);
              $finish;
            end
          end
        endmodule

        """
    }

    /// Writes `design`, the bench and its three `$readmemh` files into a fresh folder under
    /// `directory`, builds and runs the bench on every simulator, and removes the folder.
    ///
    /// - Throws: ``HarnessError`` for a beat or observed name without its port
    ///   (``checkPorts()``), a failed build or a crashed simulator; a tool error.
    /// `runtimeCache`: a build cache whose shared Verilator run-time objects to use.
    func run(_ design: Design, on simulators: [SimulatorKind], in directory: URL, tools: SimulatorTools = .standard,
             runtimeCache: URL? = nil) throws -> [ReplayRunResult] {
        try checkPorts()
        let folder = directory.appendingPathComponent("\(tag.lowercased())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["beats.hex": beatLines, "expected.hex": expectedLines, "preload.hex": preloadLines]
        for (name, lines) in files.sorted(by: { $0.key < $1.key }) {
            try lines.map { $0 + "\n" }.joined().write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let bench = text
        return try simulators.map { simulator in
            let built = try Self.build(design, bench: bench, tag: tag, simulator: simulator, in: folder, tools: tools, runtimeCache: runtimeCache)
            let output = try ExternalTool.run(program: URL(fileURLWithPath: built.program), built.arguments, in: folder,
                                              timeout: built.timeout, name: "the \(simulator) simulation").output
            return try parse(output, simulator: simulator)
        }
    }

    /// A compiled replay bench: the program to start in its folder, its arguments, how long
    /// it may stay silent, and the seconds the build took.
    struct Built: Sendable {
        let program: String, arguments: [String], timeout: Double, seconds: Double
    }

    /// The Verilator flags of every replay bench build (before the top and the files).
    /// The model's C++ is built as every harness build's (``VerilatorBuilder/modelArguments``).
    static let verilatorFlags = ["--binary", "--timing", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style"]
        + VerilatorBuilder.modelArguments

    /// Writes `design` and the bench text into `folder` (kept) and compiles them for `simulator`.
    /// - Throws: ``HarnessError`` or a tool error for a failed build.
    /// `runtimeCache`: a build cache whose shared Verilator run-time objects to use (``VerilatorRuntime``).
    static func build(_ design: Design, bench: String, tag: String, simulator: SimulatorKind, in folder: URL,
                      tools: SimulatorTools, runtimeCache: URL? = nil) throws -> Built {
        let start = Date()
        try VerilogBackend().write(design, to: folder)
        try bench.write(to: folder.appendingPathComponent("\(module).v"), atomically: true, encoding: .utf8)
        let sources = try String(contentsOf: folder.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init) + ["\(module).v"]
        switch simulator {
        case .verilator:
            let build = try VerilatorRuntime.run(tools.verilator, verilatorFlags + ["--top-module", module, "-Mdir", "obj_dir", "-o", "sim"],
                                                 files: sources, in: folder, keyFlags: verilatorFlags, cacheDirectory: runtimeCache)
            guard build.status == 0 else { throw HarnessError("verilator build of the \(tag) testbench failed: \(build.output.suffix(400))") }
            return Built(program: folder.appendingPathComponent("obj_dir/sim").path, arguments: [], timeout: tools.simulationTimeout,
                         seconds: Date().timeIntervalSince(start))
        case .icarus:
            let build = try tools.iverilog.run(["-g2005", "-o", "sim.vvp", "-s", module] + sources, in: folder)
            guard build.status == 0 else { throw HarnessError("iverilog build of the \(tag) testbench failed: \(build.output.suffix(400))") }
            return Built(program: try tools.vvp.locate(), arguments: ["-n", folder.appendingPathComponent("sim.vvp").path], timeout: tools.vvp.timeout,
                         seconds: Date().timeIntervalSince(start))
        }
    }

    func parse(_ output: String, simulator: SimulatorKind) throws -> ReplayRunResult {
        let lines = output.split(separator: "\n").map(String.init)
        guard let result = lines.last(where: { $0.hasPrefix("\(tag)-RESULT") }) else {
            throw HarnessError("\(simulator) \(tag) run printed no result: \(output.suffix(300))")
        }
        let numbers = result.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 5 else { throw HarnessError("unreadable \(tag) result line '\(result)'") }
        let missing = (expectedRows - min(numbers[0], expectedRows) + tileRows - 1) / max(tileRows, 1)
        return ReplayRunResult(simulator: simulator, rows: numbers[0], expectedRows: expectedRows, cases: expectedRows / max(tileRows, 1), mismatches: numbers[2],
                               failedCases: numbers[3] + missing, problems: lines.filter { $0.hasPrefix("\(tag)-MISMATCH") },
                               cycles: numbers[4])
    }
}

/// A little-endian bit vector (the first appended field is least significant) printed as hex:
/// one line of a `$readmemh` file.
struct HexBits {
    private var bits: [Bool] = []

    /// Appends the low `width` bits of `value` above the bits already held.
    mutating func append(_ value: UInt64, width: Int) {
        for b in 0 ..< width { bits.append(b < 64 && (value >> UInt64(b)) & 1 == 1) }
    }

    /// The `width` (≤ 64) bits from bit `offset` up (0 beyond the end).
    func field(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for b in 0 ..< width where offset + b < bits.count && bits[offset + b] { value |= 1 << UInt64(b) }
        return value
    }

    /// The bits as hexadecimal digits, most significant first.
    var hex: String {
        let digits = max(1, (bits.count + 3) / 4)
        var text = ""
        for d in (0 ..< digits).reversed() {
            var nibble = 0
            for b in 0 ..< 4 where 4 * d + b < bits.count && bits[4 * d + b] { nibble |= 1 << b }
            text += String(nibble, radix: 16)
        }
        return text
    }
}
