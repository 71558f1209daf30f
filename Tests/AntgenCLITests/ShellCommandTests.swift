import Foundation
import Testing

/// `antgen emit --shell axi`: the AXI shell around the ANT array, and one-line refusals.
@Suite struct ShellCommandTests {
    @Test func emitWritesTheShellTop() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-emit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["emit", "--rows", "2", "--cols", "3", "--shell", "axi", "--axis-width", "32"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let folder = dir.appendingPathComponent("rtl-out/ant_2x3_int-flint-pot_4b_w32_axi32")
        let manifest = try CommandLineTests.json(folder.appendingPathComponent("manifest.json"))
        let ports = try #require(manifest["ports"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        for name in ["s_axis_tdata", "s_axis_tlast", "m_axis_tvalid", "m_axis_tlast", "s_axi_awaddr", "irq"] {
            #expect(ports.contains(name), "\(name) in \(ports)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains { $0.hasPrefix("AntAxiShell_") && $0.hasSuffix("_axis32.v") }, "\(files)")
        #expect(files.contains { $0.hasPrefix("AxiLiteCsr") } && files.contains { $0.hasPrefix("AntArray_") }, "\(files)")
    }

    @Test func emitWrapsTheSdpArray() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-emit-sdp")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["emit", "--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "3",
                                            "--shell", "axi", "--axis-width", "32", "-o", "out"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
        #expect(files.contains { $0.hasPrefix("SdpAxiShell_") && $0.hasSuffix("_axis32.core") }, "\(files)")
        #expect(files.contains { $0.hasPrefix("SdpArray_") } && files.contains { $0.hasPrefix("AxiLiteCsr") }, "\(files)")
    }

    /// `run --shell axi` on ANT and SDP: the layer bit-exact through the bare array and
    /// through the shell, the shell's cycles reported next to the bare array's.
    @Test(arguments: [["--rows", "2", "--cols", "2"], ["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "4", "--terms", "5"]])
    func runReportsTheShellsCycles(array: [String]) throws {
        let dir = try CommandLineTests.temporaryFolder("shell-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunCommandTests.npy(RunCommandTests.values(5 * 9, seed: 3), shape: [5, 9]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(9 * 3, seed: 4), shape: [9, 3]).write(to: dir.appendingPathComponent("w.npy"))
        let run = try CommandLineTests.run(["run", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--sim", "icarus",
                                            "--shell", "axi", "--axis-width", "32", "--json", "r.json"] + array, in: dir)
        #expect(run.status == 0, "\(run.err)")
        let json = try CommandLineTests.json(dir.appendingPathComponent("r.json"))
        let shellFields = try #require(json["shell"] as? [String: Any], "no shell object in \(json.keys.sorted())")
        #expect(shellFields["resultTransfers"] as? Int == 24 && shellFields["bitExact"] as? Bool == true, "\(shellFields)")
        #expect(shellFields["dataWidth"] as? Int == 32 && shellFields["stalls"] is Int, "\(shellFields)")
        #expect(run.out.contains("cycles:     \(shellFields["cycles"] as? Int ?? -1) through the shell"), "\(run.out)")
        // 6 tiles of 2 × 2 results, two 32-bit transfers per row: 24 result transfers.
        #expect(run.out.contains("bit-exact:  24 of 24 result transfers"), "\(run.out)")
        let bare = try #require(Self.number(in: run.out, after: "RTL: "))
        let shell = try #require(Self.number(in: run.out, after: "cycles:     "))
        #expect(run.out.contains("vs \(bare) for the bare array"), "\(run.out)")
        #expect(shell >= bare, "the shell (\(shell)) cannot beat the bare array (\(bare))")
    }

    /// `run --shell axi --shell-gaps --shell-stalls`: with random TVALID gaps and TREADY
    /// back-pressure the layer stays bit-exact, the stall cycles are counted, and the shell
    /// takes longer than without them; the options are refused without the shell or out of range.
    @Test func runWithGapsAndStallsStaysBitExact() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-stalls")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunCommandTests.npy(RunCommandTests.values(5 * 9, seed: 3), shape: [5, 9]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(9 * 3, seed: 4), shape: [9, 3]).write(to: dir.appendingPathComponent("w.npy"))
        let base = ["run", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--sim", "icarus", "--rows", "2", "--cols", "2"]
        let shell = ["--shell", "axi", "--axis-width", "32"]
        let smooth = try CommandLineTests.run(base + shell, in: dir)
        let stalled = try CommandLineTests.run(base + shell + ["--shell-gaps", "2", "--shell-stalls", "3"], in: dir)
        #expect(smooth.status == 0 && stalled.status == 0, "\(smooth.err) \(stalled.err)")
        #expect(stalled.out.contains("bit-exact:  24 of 24 result transfers"), "\(stalled.out)")
        #expect(stalled.out.contains("TVALID gaps 2/4 and TREADY low 3/4"), "\(stalled.out)")
        let fast = try #require(Self.number(in: smooth.out, after: "cycles:     "))
        let slow = try #require(Self.number(in: stalled.out, after: "cycles:     "))
        #expect(slow > fast, "stalls should cost cycles: \(slow) vs \(fast)")
        let noShell = try CommandLineTests.run(base + ["--shell-stalls", "1"], in: dir)
        #expect(noShell.status != 0 && noShell.err.contains("go with --shell axi"), "\(noShell.err)")
        let range = try CommandLineTests.run(base + shell + ["--shell-gaps", "4"], in: dir)
        #expect(range.status != 0 && range.err.contains("0 to 3"), "\(range.err)")
    }

    /// `synth --fpga --shell axi` maps the shell with the array inside: the CSR block and the
    /// shell appear as modules, and the verdict is given.
    @Test func synthMapsTheShell() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-synth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["synth", "--rows", "2", "--cols", "2", "--types", "int", "--no-int8", "--acc-width", "16",
                                            "--device", "iCE40UP5K", "--shell", "axi", "--axis-width", "32"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        for name in ["AntAxiShell (AntAxiShell_", "AxiLiteCsr (AxiLiteCsr_", "AntArray (AntArray_", "iCE40UP5K: "] {
            #expect(run.out.contains(name), "\(name) in \(run.out)")
        }
    }

    /// `--buffer-kib`: the shell's result rows in a block-RAM buffer, through emit and run.
    @Test func bufferKibEmitsAMemoryAndRunsBitExact() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-buffer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let emit = try CommandLineTests.run(["emit", "--rows", "2", "--cols", "3", "--shell", "axi", "--axis-width", "32", "--buffer-kib", "1"], in: dir)
        #expect(emit.status == 0, "\(emit.err)")
        let folder = dir.appendingPathComponent("rtl-out/ant_2x3_int-flint-pot_4b_w32_axi32_buf1k")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let top = try #require(files.first { $0.hasPrefix("AntAxiShell_") && $0.hasSuffix("_axis32_bufkib1.v") }, "\(files)")
        let text = try String(contentsOf: folder.appendingPathComponent(top), encoding: .utf8)
        #expect(text.contains(" result_buffer [0:"), "no memory array in \(top)")
        try RunCommandTests.npy(RunCommandTests.values(5 * 9, seed: 3), shape: [5, 9]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(9 * 2, seed: 4), shape: [9, 2]).write(to: dir.appendingPathComponent("w.npy"))
        let run = try CommandLineTests.run(["run", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--sim", "icarus",
                                            "--rows", "2", "--cols", "2", "--shell", "axi", "--axis-width", "32", "--buffer-kib", "1"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("bit-exact:  12 of 12 result transfers"), "\(run.out)")
    }

    /// Every command that takes `--shell` refuses, in one line, each build the shell does not wrap.
    @Test(arguments: [["--array", "pwlq"], ["--array", "mx"], ["--array", "fpint"], ["--dataflow", "ws"], ["--psum-preload"]])
    func everyShellCommandRefusesUnwrappedBuilds(selector: [String]) throws {
        let dir = try CommandLineTests.temporaryFolder("shell-unwrapped")
        defer { try? FileManager.default.removeItem(at: dir) }
        let build = selector + ["--rows", "2", "--cols", "2", "--shell", "axi"]
        for arguments in [["emit"] + build + ["-o", "out"], ["synth"] + build + ["--device", "iCE40UP5K"],
                          ["run"] + build + ["--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy"]] {
            let run = try CommandLineTests.run(arguments, in: dir)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.err.hasPrefix("antgen: error: --shell axi ") && run.err.split(separator: "\n").count == 1, "\(arguments): \(run.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    static func number(in text: String, after prefix: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func arraysTheShellDoesNotWrapAreOneLineErrors() throws {
        let dir = try CommandLineTests.temporaryFolder("shell-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (arguments, message) in [
            (["emit", "--array", "pwlq", "--rows", "2", "--cols", "2", "--shell", "axi", "-o", "out"], "carries one result group"),
            (["emit", "--array", "mx", "--rows", "2", "--cols", "2", "--shell", "axi", "-o", "out"], "needs an array with back-pressure"),
            (["emit", "--rows", "2", "--cols", "2", "--dataflow", "ws", "--shell", "axi", "-o", "out"], "needs results drained rows-1 down to 0"),
            (["emit", "--rows", "2", "--cols", "2", "--psum-preload", "--shell", "axi", "-o", "out"], "with partial-sum preload"),
            (["emit", "--rows", "2", "--cols", "2", "--shell", "axi", "--axis-width", "48", "-o", "out"], "32, 64, 128 or 256"),
            (["emit", "--rows", "2", "--cols", "2", "--shell", "wishbone", "-o", "out"], "the only shell is axi"),
            (["synth", "--rows", "2", "--cols", "2", "--shell", "axi"], "--shell goes with --fpga/--device"),
            (["emit", "--rows", "2", "--cols", "2", "--shell", "axi", "--buffer-kib", "0", "-o", "out"], "--buffer-kib 0: give a size from 1 to 65536 KiB"),
            (["emit", "--rows", "32", "--cols", "32", "--acc-width", "42", "--shell", "axi", "--buffer-kib", "8", "-o", "out"],
             "--buffer-kib 8 holds 32 result rows of 1345 bits; the 32x32 shell needs 64 (--buffer-kib 11 or more)"),
            (["emit", "--rows", "2", "--cols", "2", "--buffer-kib", "4", "-o", "out"], "--buffer-kib goes with --shell axi"),
            (["synth", "--rows", "2", "--cols", "2", "--device", "iCE40UP5K", "--buffer-kib", "4"], "--buffer-kib goes with --shell axi"),
            (["run", "--array", "mx", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy",
              "--shell", "axi"], "needs an array with back-pressure"),
            (["emit", "--rows", "2", "--cols", "2", "--axis-width", "128", "-o", "out"], "--axis-width goes with --shell axi"),
            (["synth", "--rows", "2", "--cols", "2", "--device", "iCE40UP5K", "--axis-width", "32"], "--axis-width goes with --shell axi"),
            (["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy",
              "--axis-width", "32"], "--axis-width goes with --shell axi"),
            (["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy",
              "--buffer-kib", "4"], "--buffer-kib goes with --shell axi"),
            (["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy",
              "--shell-gaps", "0"], "--shell-gaps and --shell-stalls go with --shell axi"),
            (["synth", "--rows", "2", "--cols", "2", "--device", "iCE40UP5K", "--shell", "wishbone"], "the only shell is axi"),
            (["verify", "--rows", "2", "--cols", "2", "--shell", "axi"], "Unknown option '--shell'"),
            (["perf", "--rows", "2", "--cols", "2", "--axis-width", "32"], "Unknown option '--axis-width'"),
        ] {
            let run = try CommandLineTests.run(arguments, in: dir)
            #expect(run.status != 0)
            #expect(run.err.contains(message) && run.err.split(separator: "\n").count == 1, "\(arguments): \(run.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }
}
