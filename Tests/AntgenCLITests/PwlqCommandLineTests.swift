import Foundation
import Testing

/// `antgen quantize --mode pwlq` end to end: the report, the staged outputs, one-line errors.
@Suite struct PwlqCommandLineTests {
    @Test func quantizeWritesCodesRegionBitsAndParameters() throws {
        let dir = try CommandLineTests.temporaryFolder("pwlq")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CommandLineTests.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let run = try CommandLineTests.run(["quantize", "--mode", "pwlq", "--breakpoint", "search", weights,
                                            "--out", "out", "--json", "report.json"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("uniform4") && run.out.contains("pwlq4 paper search"))
        let report = try CommandLineTests.json(dir.appendingPathComponent("report.json"))
        let tensors = try #require(report["tensors"] as? [[String: Any]])
        #expect(!tensors.isEmpty)
        for tensor in tensors {
            let mse = try #require(tensor["mse"] as? Double), uniform = try #require(tensor["uniformMSE"] as? Double)
            #expect(mse < uniform, "\(tensor["name"] ?? "?")")
            let base = "sample_weights.\(try #require(tensor["name"] as? String))"
            for suffix in ["codes", "region", "range", "breakpoint", "dequantized"] {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(base).\(suffix).npy").path), "\(base).\(suffix)")
            }
        }
    }

    @Test func badPwlqOptionsAreOneLineErrors() throws {
        let dir = try CommandLineTests.temporaryFolder("pwlq-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CommandLineTests.root.appendingPathComponent("examples/sample_weights.safetensors").path
        for (arguments, message) in [
            (["--mode", "pwlq", "--breakpoint-ratio", "1.5"], "(0, 1)"),
            (["--mode", "pwlq", "--pwlq-variant", "overlap"], "closed-form"),
            (["--mode", "pwlq", "--bits", "9"], "--bits"),
            (["--bias-correction"], "--bias-correction is not an option of --mode ant-int-pot-flint"),
        ] {
            let run = try CommandLineTests.run(["quantize", weights, "--out", "out"] + arguments, in: dir)
            #expect(run.status != 0)
            #expect(run.err.contains(message) && run.err.split(separator: "\n").count == 1, "\(run.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    @Test func pwlqReportOnASelfMadeLayer() throws {
        let dir = try CommandLineTests.temporaryFolder("pwlq-report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = RunCommandTests.values(6 * 32, seed: 3), x = RunCommandTests.values(5 * 32, seed: 4)
        try RunCommandTests.safetensors([("encoder.layer.0.attention.self.query.weight", [6, 32], w),
                                         ("encoder.layer.0.attention.self.query.bias", [6], Array(w.prefix(6)))])
            .write(to: dir.appendingPathComponent("m.safetensors"))
        try RunCommandTests.safetensors([("encoder.layer.0.attention.self.query.input", [5, 32], x)])
            .write(to: dir.appendingPathComponent("a.safetensors"))
        let run = try CommandLineTests.run(["pwlq-report", "m.safetensors", "a.safetensors", "--passes", "2,4", "--json", "r.json"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("| encoder.layer.0.attention.self.query.weight | 6×32 |") && run.out.contains("| pwlq4 closed-form |"))
        let report = try CommandLineTests.json(dir.appendingPathComponent("r.json"))
        #expect((report["tensors"] as? [[String: Any]])?.count == 1)  // the 1-D bias is not a linear weight
        let splits = try #require(report["splits"] as? [[String: Any]])
        #expect(splits.map { $0["passes"] as? Int } == [2, 4] && splits.allSatisfy { $0["boundViolations"] as? Int == 0 })
        for (arguments, message) in [(["--act-bits", "5"], "--act-bits"), (["--passes", "33"], "K = 32"), (["--layer", "nope"], "nope.input")] {
            let bad = try CommandLineTests.run(["pwlq-report", "m.safetensors", "a.safetensors", "--json", "bad.json"] + arguments, in: dir)
            #expect(bad.status != 0 && bad.out.isEmpty, "\(bad.out)")
            #expect(bad.err.contains(message) && bad.err.split(separator: "\n").count == 1, "\(bad.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.json").path))
        }
    }
}
