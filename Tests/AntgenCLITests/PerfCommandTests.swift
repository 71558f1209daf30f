import Foundation
import Testing

/// `antgen perf` end to end: outputs, a tune plan as input, and one-line errors.
@Suite struct PerfCommandTests {
    static func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try CommandLineTests.run(["perf"] + arguments, in: dir)
    }

    /// A JSON layer list: the table, the JSON report (its cycles the closed form's) and the SVG.
    @Test func layersToTableJSONAndChart() throws {
        let dir = try CommandLineTests.temporaryFolder("perf")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"[{"name": "q", "m": 100, "k": 64, "n": 40}, {"name": "ffn", "m": 100, "k": 64, "n": 40, "act_bits": 8, "weight_bits": 8}]"#
            .write(to: dir.appendingPathComponent("l.json"), atomically: true, encoding: .utf8)
        let r = try Self.run(["--layers", "l.json", "--rows", "16", "--cols", "16", "--no-synth", "--json", "p.json", "--svg", "p.svg"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("total (2 layers)"))
        let report = try CommandLineTests.json(dir.appendingPathComponent("p.json"))
        let layers = try #require(report["layers"] as? [[String: Any]])
        // 7 × 3 tiles of K = 64: 64·T + 20·64·T + 2·16 + 16 cycles, T = 1 and 4.
        #expect(layers.map { $0["cycles"] as? Int } == [64 + 20 * 64 + 48, 256 + 20 * 256 + 48])
        let total = try #require(report["total"] as? [String: Any])
        #expect(total["cycles"] as? Int == 64 + 20 * 64 + 48 + 256 + 20 * 256 + 48)
        let svg = try String(contentsOf: dir.appendingPathComponent("p.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("cycles per layer"))
    }

    /// `--array sdp`: a 16 × 64 × 16 layer on 16 × 16, G = 8, T = 12 is one tile of 8 group beats of
    /// 12 steps: 96 + 2·16 + 16 cycles, activations int8 whatever the layer says.
    @Test func sdpArray() throws {
        let dir = try CommandLineTests.temporaryFolder("perf-sdp")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"[{"name": "q", "m": 16, "k": 64, "n": 16}]"#.write(to: dir.appendingPathComponent("l.json"), atomically: true, encoding: .utf8)
        let r = try Self.run(["--layers", "l.json", "--rows", "16", "--cols", "16", "--array", "sdp", "--group", "8", "--terms", "12", "--no-synth",
                              "--json", "p.json"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("SDP G=8 T=12") && r.out.contains("a8w4"))
        let layers = try #require(try CommandLineTests.json(dir.appendingPathComponent("p.json"))["layers"] as? [[String: Any]])
        #expect(layers.first?["cycles"] as? Int == 96 + 32 + 16)
    }

    /// `--array pwlq`: a 16 × 64 × 16 layer at a8w8 on 16 × 16 is one tile of 64 beats
    /// of 2 steps (int8 activations; PWLQ weights take one): 128 + 2·16 + 16 cycles, and the
    /// b = 3 weight stream carries 4-bit codes.
    @Test func pwlqArray() throws {
        let dir = try CommandLineTests.temporaryFolder("perf-pwlq")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"[{"name": "q", "m": 16, "k": 64, "n": 16, "act_bits": 8, "weight_bits": 8}]"#
            .write(to: dir.appendingPathComponent("l.json"), atomically: true, encoding: .utf8)
        let r = try Self.run(["--layers", "l.json", "--rows", "16", "--cols", "16", "--array", "pwlq", "--code-width", "3",
                              "--no-synth", "--json", "p.json"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("PWLQ b=3"))
        let layers = try #require(try CommandLineTests.json(dir.appendingPathComponent("p.json"))["layers"] as? [[String: Any]])
        #expect(layers.first?["cycles"] as? Int == 128 + 32 + 16)
        let traffic = try #require(layers.first?["traffic"] as? [String: Any])
        #expect(traffic["weightBufferReadBits"] as? Int == 64 * 16 * 4)
    }

    /// `antgen tune` on the sample weights, then its plan: the 2-D weights become layers at
    /// the plan's widths (5 and 6 bits run as int8); --baselines adds int8 and int4 everywhere.
    @Test func tunePlanAndBaselines() throws {
        let dir = try CommandLineTests.temporaryFolder("perf-plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CommandLineTests.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let tune = try CommandLineTests.run(["tune", weights, "--constraint", "sqnr>=25", "--plan", "plan.json"], in: dir)
        #expect(tune.status == 0, "\(tune.err)")
        let noTokens = try Self.run(["--layer-plan", "plan.json", "--no-synth"], in: dir)
        #expect(noTokens.status == 1 && noTokens.err.contains("pass --tokens"))
        let r = try Self.run(["--layer-plan", "plan.json", "--tokens", "16", "--rows", "8", "--cols", "8", "--no-synth", "--baselines"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("fc1") && r.out.contains("fc2") && !r.out.contains("conv1"))
        #expect(r.out.contains("a4w8 2"))
        #expect(r.out.contains("int8 everywhere") && r.out.contains("int4 everywhere"))
    }

    /// The default energy table printed, edited and passed back; bad tables and inputs fail
    /// with one line and no output file.
    @Test func energyTableAndErrors() throws {
        let dir = try CommandLineTests.temporaryFolder("perf-err")
        defer { try? FileManager.default.removeItem(at: dir) }
        let printed = try Self.run(["--print-energy-table"], in: dir)
        #expect(printed.status == 0 && printed.out.contains("\"dramPicojoulesPer64Bits\" : 1950"))
        try printed.out.replacingOccurrences(of: "\"dramPicojoulesPer64Bits\" : 1950", with: "\"dramPicojoulesPer64Bits\" : 0")
            .write(to: dir.appendingPathComponent("t.json"), atomically: true, encoding: .utf8)
        try #"[{"name": "q", "m": 8, "k": 8, "n": 8}]"#.write(to: dir.appendingPathComponent("l.json"), atomically: true, encoding: .utf8)
        let noDram = try Self.run(["--layers", "l.json", "--rows", "4", "--cols", "4", "--no-synth", "--energy-table", "t.json"], in: dir)
        #expect(noDram.status == 0 && noDram.out.contains("DRAM 0.0 pJ"), "\(noDram.err)")
        try "{\"source\": 1}".write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--layers", "l.json", "--energy-table", "bad.json", "--no-synth"], "bad.json: not an energy table"),
            (["--layers", "none.json", "--no-synth"], "none.json: no such file"),
            (["--layers", "l.json", "--precision", "a2w2", "--no-synth"], "invalid precision"),
            (["--layers", "l.json", "--clock", "0", "--no-synth"], "invalid clock"),
            (["--layers", "l.json", "--model", "m.safetensors", "--no-synth"], "give only one of"),
            (["--layers", "l.json", "--sweep", "8,0", "--no-synth"], "invalid sweep"),
            (["--layers", "l.json", "--array", "sdp", "--group", "3", "--no-synth"], "invalid group"),
            (["--layers", "l.json", "--array", "pwlq", "--code-width", "9", "--no-synth"], "invalid code-width"),
            (["--layers", "l.json", "--array", "mx", "--mx-window", "4", "--no-synth"], "--mx-window sets the window of --mx-acc window"),
            (["--layers", "l.json", "--array", "mx", "--precision", "a4w4", "--no-synth"], "--array mx runs every layer in its own MX formats"),
            (["--layers", "l.json", "--array", "sdp", "--precision", "a4w8", "--no-synth"], "--array sdp takes int8 activations"),
            (["--layers", "l.json", "--array", "pwlq", "--precision", "a8w8", "--no-synth"], "use a4w4 or a8w4"),
        ]
        // Usage mistakes: one line, exit status 64 (the selector refuses an option of another array).
        let usage: [([String], String)] = [
            (["--layers", "l.json", "--terms", "3", "--no-synth"], "--terms is not an option of --array ant (it is for --array sdp)"),
            (["--layers", "l.json", "--array", "sdp", "--dataflow", "ws", "--no-synth"], "--array sdp is output-stationary; it takes no --dataflow ws"),
            (["--layers", "l.json", "--array", "mx", "--code-width", "3", "--no-synth"], "--code-width is not an option of --array mx (it is for --array ant, --array pwlq)"),
            (["--layers", "l.json", "--array", "pwlq", "--dataflow", "ws", "--no-synth"], "--array pwlq is output-stationary"),
            (["--layers", "l.json", "--array", "fpx", "--no-synth"], "--array"),
        ]
        for (arguments, message) in cases + usage {
            let r = try Self.run(arguments + ["--json", "r.json"], in: dir)
            let isUsage = usage.contains { $0.0 == arguments }
            #expect(r.status == (isUsage ? 64 : 1), "\(arguments): status \(r.status)")
            let lines = r.err.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("antgen: error: ") && r.err.contains(message), "\(arguments): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.json").path))
        }
        let unwritable = try Self.run(["--layers", "l.json", "--no-synth", "--json", "l.json/x.json"], in: dir)
        #expect(unwritable.status == 1 && unwritable.err.hasPrefix("antgen: error: --json"), "\(unwritable.err)")
    }
}
