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
            (["--bias-correction"], "need --mode pwlq"),
        ] {
            let run = try CommandLineTests.run(["quantize", weights, "--out", "out"] + arguments, in: dir)
            #expect(run.status != 0)
            #expect(run.err.contains(message) && run.err.split(separator: "\n").count == 1, "\(run.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }
}
