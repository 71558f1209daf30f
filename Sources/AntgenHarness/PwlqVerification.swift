import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// Named defects of the PWLQ array that verification must catch (docs/verification.md, PWLQ).
public enum PwlqMutant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The region bit is ignored: every product goes to the centre accumulator.
    case regionIgnored = "pwlq-region-ignored"
    /// The offset accumulator never adds (A3 stays 0).
    case offsetDropped = "pwlq-offset-dropped"
    /// The 12-bit encoder's round-to-nearest-even decision flips (`sticky | lsb` → `sticky & lsb`):
    /// needs a `--psum-codec` build.
    case codecRounding = "psum-codec-rounding"

    public var description: String { rawValue }

    /// The IR mutations in `design` (one per PE).
    public func mutations(in design: Design) throws -> [Mutation] {
        if self == .codecRounding {
            let found = design.mutationCandidates().filter {
                $0.site.circuitName == "PartialSumEncoder" && $0.site.target == "round_up" && $0.operator == .swapBinary(.or, .and)
            }
            guard !found.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name) (it needs --psum-codec)") }
            return found
        }
        let target = self == .regionIgnored ? "centre_term" : "offset_term"
        // centre_term = mux(region, 0, term) and offset_term = mux(region, ±X, 0): forcing
        // the false arm ignores the region bit, or drops the offset sum.
        let sites = design.connectionSites(circuit: "PwlqProcessingElement", target: target)
        guard !sites.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name)") }
        return sites.map { Mutation(site: $0, operator: .forceSelect(false)) }
    }
}

/// The outcome of one PWLQ simulation.
public struct PwlqRunResult: Sendable, Equatable {
    public let simulator: SimulatorKind
    /// Output rows compared.
    public let rows: Int
    /// Output rows expected.
    public let expectedRows: Int
    /// Rows whose three sums or row index differ.
    public let mismatches: Int
    /// The simulator's mismatch lines (at most 10).
    public let problems: [String]

    public var passed: Bool { mismatches == 0 && rows == expectedRows }
}

/// Verifies a PWLQ array: golden cases from ``PwlqCaseGenerator`` (the Swift reference),
/// `$readmemh` files, a generated Verilog testbench that drives the documented protocol and
/// compares every output row bit for bit, on Verilator (`--binary --timing`) and/or Icarus.
public struct PwlqVerification: Sendable {
    public let parameters: PwlqArrayParameters
    public let cases: Int
    public let seed: UInt64
    public let mutant: PwlqMutant?

    public init(parameters: PwlqArrayParameters, cases: Int, seed: UInt64, mutant: PwlqMutant? = nil) {
        self.parameters = parameters
        self.cases = cases
        self.seed = seed
        self.mutant = mutant
    }

    /// Runs every simulator in a fresh folder under `directory`.
    ///
    /// - Throws: ``HarnessError`` or a tool error for a failed build or a crashed simulator.
    public func run(on simulators: [SimulatorKind], in directory: URL) throws -> [PwlqRunResult] {
        let p = parameters
        var generator = PwlqCaseGenerator(rows: p.rows, cols: p.cols, weightBits: p.weightBits, accumulatorWidth: p.accumulatorWidth, int8: p.int8)
        let setting: PartialSumSetting = p.codec ? .codec : p.preload ? .preload : .none
        generator.partialSums = setting
        let golden = generator.cases(count: max(cases, 1), seed: seed)
        let files = PwlqVectorFiles(cases: golden, rows: p.rows, cols: p.cols, weightBits: p.weightBits,
                                    activationWidth: p.activation.codeInputWidth, accumulatorWidth: p.accumulatorWidth, partialSums: setting)
        var design = try elaborate(PwlqArray(p))
        if let mutant { design = try design.applying(try mutant.mutations(in: design), tag: mutant.rawValue.replacingOccurrences(of: "-", with: "_")) }
        let folder = directory.appendingPathComponent("pwlq-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try VerilogBackend().write(design, to: folder)
        try files.beats.write(to: folder.appendingPathComponent("beats.hex"), atomically: true, encoding: .utf8)
        try files.expected.write(to: folder.appendingPathComponent("expected.hex"), atomically: true, encoding: .utf8)
        try files.preload.write(to: folder.appendingPathComponent("preload.hex"), atomically: true, encoding: .utf8)
        let bench = PwlqTestbench(parameters: p, top: design.top.name, beats: files.beatCount, rows: files.rowCount)
        try bench.text.write(to: folder.appendingPathComponent("pwlq_tb.v"), atomically: true, encoding: .utf8)
        let sources = try String(contentsOf: folder.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init) + ["pwlq_tb.v"]
        return try simulators.map { simulator in
            let output: String
            switch simulator {
            case .verilator:
                let build = try ExternalTool.verilator.run(["--binary", "--timing", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                                                            "--top-module", "pwlq_tb", "-Mdir", "obj_dir", "-o", "sim"] + sources, in: folder)
                guard build.status == 0 else { throw HarnessError("verilator build of the PWLQ testbench failed: \(build.output.suffix(400))") }
                output = try ExternalTool.run(program: folder.appendingPathComponent("obj_dir/sim"), [], in: folder).output
            case .icarus:
                let build = try ExternalTool.iverilog.run(["-g2005", "-o", "sim.vvp", "-s", "pwlq_tb"] + sources, in: folder)
                guard build.status == 0 else { throw HarnessError("iverilog build of the PWLQ testbench failed: \(build.output.suffix(400))") }
                output = try ExternalTool.vvp.run(["-n", "sim.vvp"], in: folder).output
            }
            return try Self.parse(output, simulator: simulator, expectedRows: files.rowCount)
        }
    }

    static func parse(_ output: String, simulator: SimulatorKind, expectedRows: Int) throws -> PwlqRunResult {
        let lines = output.split(separator: "\n").map(String.init)
        guard let result = lines.last(where: { $0.hasPrefix("PWLQ-RESULT") }) else {
            throw HarnessError("\(simulator) PWLQ run printed no result: \(output.suffix(300))")
        }
        let numbers = result.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 3 else { throw HarnessError("unreadable PWLQ result line '\(result)'") }
        return PwlqRunResult(simulator: simulator, rows: numbers[0], expectedRows: expectedRows, mismatches: numbers[2],
                             problems: lines.filter { $0.hasPrefix("PWLQ-MISMATCH") })
    }
}

/// The generated Verilog-2005 testbench of a PWLQ run (one per build; Verilator and Icarus
/// run the same text). It applies one beat per accepted cycle (driven on the falling edge,
/// accepted on the rising edge when `in_ready`), and on every falling edge with `out_valid`
/// compares `{out_offset_j, out_tail_j, out_centre_j}` of all columns and `out_row` with the
/// next expected row.
struct PwlqTestbench {
    let parameters: PwlqArrayParameters
    let top: String
    let beats: Int
    let rows: Int

    var text: String {
        let p = parameters, r = p.rows, c = p.cols, w = p.accumulatorWidth
        let aw = p.activation.codeInputWidth, ww = p.weightCodeWidth
        let stage = p.partialSumStage
        let beatWidth = r * aw + c * ww + 3, rowWidth = 3 * c * w + (p.codec ? 3 * c * 12 : 0)
        let aCodes = (0 ..< r).map { "a_code_\($0)" }, wCodes = (0 ..< c).map { "w_code_\($0)" }
        let observed = (p.codec ? ["out_psum"] : []) + (0 ..< c).reversed().flatMap { ["out_offset_\($0)", "out_tail_\($0)", "out_centre_\($0)"] }
        let beatFields = ["cfg_act_int8", "cfg_act_signed", "in_last"] + wCodes.reversed() + aCodes.reversed()
        var connections = ["clock", "reset", "in_valid", "in_ready", "in_last"] + aCodes + wCodes + ["cfg_act_signed"]
        if p.int8 { connections.append("cfg_act_int8") }
        connections += ["out_valid", "out_row"] + (0 ..< c).flatMap { ["out_centre_\($0)", "out_tail_\($0)", "out_offset_\($0)"] }
        if stage != nil { connections += ["psum_in_valid", "psum_in_ready", "psum_in"] }
        if p.codec { connections.append("out_psum") }
        let preloadWidth = 3 * c * (stage?.preloadWidth ?? 1)
        let pusher = stage == nil ? "" : """
          reg [\(preloadWidth - 1):0] preloads [0:\(rows - 1)];
          reg [\(preloadWidth - 1):0] psum_in = 0;
          reg psum_in_valid = 1'b0;
          wire psum_in_ready;
        \(p.codec ? "  wire [\(3 * c * 12 - 1):0] out_psum;\n" : "")  integer q;
          initial begin
            $readmemh("preload.hex", preloads);
            wait (reset == 1'b0);
            for (q = 0; q < \(rows); q = q + 1) begin
              @(negedge clock);
              psum_in = preloads[q];
              psum_in_valid = 1'b1;
              while (!psum_in_ready) @(negedge clock);
              @(posedge clock);
            end
            @(negedge clock);
            psum_in_valid = 1'b0;
          end

        """
        let limit = 100 + 4 * beats + (r + c + 4) * (rows / max(r, 1) + 2) * 4
        return """
        `timescale 1ns/1ps
        // Generated by antgen verify --weight-format pwlq: drives \(top) with beats.hex and
        // compares every output row with expected.hex (from the Swift reference).
        module pwlq_tb;
          reg clock = 1'b0;
          reg reset = 1'b1;
          always #5 clock = ~clock;
          reg [\(beatWidth - 1):0] beats [0:\(beats - 1)];
          reg [\(rowWidth - 1):0] expected [0:\(rows - 1)];
          reg in_valid = 1'b0, in_last = 1'b0, cfg_act_signed = 1'b0, cfg_act_int8 = 1'b0;
        \(aCodes.map { "  reg [\(aw - 1):0] \($0) = 0;" }.joined(separator: "\n"))
        \(wCodes.map { "  reg [\(ww - 1):0] \($0) = 0;" }.joined(separator: "\n"))
          wire in_ready, out_valid;
          wire [\(p.rowIndexWidth - 1):0] out_row;
        \((0 ..< c).flatMap { ["out_centre_\($0)", "out_tail_\($0)", "out_offset_\($0)"] }.map { "  wire signed [\(w - 1):0] \($0);" }.joined(separator: "\n"))
        \(pusher)  wire [\(rowWidth - 1):0] observed = {\(observed.joined(separator: ", "))};
          \(top) dut (\(connections.map { ".\($0)(\($0))" }.joined(separator: ", ")));
          integer b, seen, errors, cycles, want_row;
          initial begin
            $readmemh("beats.hex", beats);
            $readmemh("expected.hex", expected);
            seen = 0; errors = 0; cycles = 0;
            repeat (3) @(negedge clock);
            reset = 1'b0;
            for (b = 0; b < \(beats); b = b + 1) begin
              @(negedge clock);
              {\(beatFields.joined(separator: ", "))} = beats[b];
              in_valid = 1'b1;
              while (!in_ready) @(negedge clock);
              @(posedge clock);
            end
            @(negedge clock);
            in_valid = 1'b0;
          end
          always @(negedge clock) begin
            if (!reset && out_valid) begin
              want_row = \(r - 1) - (seen % \(r));
              if (seen >= \(rows) || observed !== expected[seen] || out_row != want_row) begin
                errors = errors + 1;
                if (errors <= 10) $display("PWLQ-MISMATCH output row %0d (out_row %0d, want %0d): observed %h expected %h", seen, out_row, want_row, observed, expected[seen]);
              end
              seen = seen + 1;
            end
          end
          always @(posedge clock) begin
            cycles = cycles + 1;
            if (seen >= \(rows) || cycles > \(limit)) begin
              $display("PWLQ-RESULT %0d of %0d rows, %0d mismatches", seen, \(rows), errors);
              $finish;
            end
          end
        endmodule

        """
    }
}
