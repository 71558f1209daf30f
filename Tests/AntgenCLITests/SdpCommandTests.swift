import Foundation
import Testing

/// `antgen emit --array sdp`, `antgen quantize --mode sdp`: files, manifest, one-line errors.
@Suite struct SdpCommandTests {
    @Test func emitWritesTheSdpDesignAndItsManifest() throws {
        let dir = try CommandLineTests.temporaryFolder("sdp-emit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandLineTests.run(["emit", "--array", "sdp", "--rows", "2", "--cols", "3", "--group", "4", "--terms", "5", "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let manifest = try CommandLineTests.json(dir.appendingPathComponent("out/manifest.json"))
        #expect(manifest["kind"] as? String == "sdp")
        let parameters = try #require(manifest["parameters"] as? [String: String])
        #expect(parameters["group"] == "4" && parameters["terms"] == "5" && parameters["rows"] == "2")
        let modules = try #require(manifest["modules"] as? [String])
        #expect(modules.contains { $0.hasPrefix("SdpSelector") } && modules.contains { $0.hasPrefix("SdpProcessingElement") })
        for module in modules { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(module).v").path)) }
    }

    @Test func badBudgetsAreOneLineErrors() throws {
        let dir = try CommandLineTests.temporaryFolder("sdp-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let terms = try CommandLineTests.run(["emit", "--array", "sdp", "--group", "8", "--terms", "17", "-o", "x"], in: dir)
        #expect(terms.status != 0 && terms.err.contains("invalid terms") && terms.err.split(separator: "\n").count == 1, "\(terms.err)")
        let group = try CommandLineTests.run(["emit", "--array", "sdp", "--group", "3", "-o", "x"], in: dir)
        #expect(group.status != 0 && group.err.contains("invalid group"), "\(group.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    /// Verify options an array's verifier cannot honour are refused in one line, never ignored.
    @Test func verifyOptionsTheArrayCannotHonourAreRefused() throws {
        let dir = try CommandLineTests.temporaryFolder("verify-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "1", "--jobs", "2"], "--jobs runs the ANT harness"),
            (["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "1", "--cache-dir", "c"], "--cache-dir: this verification builds in a scratch folder"),
            (["--array", "pwlq", "--rows", "2", "--cols", "2", "--bubbles", "3"], "--bubbles: the PWLQ replay testbench"),
            (["--rows", "2", "--cols", "2", "--psum-preload", "--bubbles", "3"], "--bubbles: the partial-sum replay testbench"),
        ]
        for (arguments, message) in cases {
            let r = try CommandLineTests.run(["verify", "--cases", "4"] + arguments, in: dir)
            #expect(r.status == 1 && r.err.split(separator: "\n").count == 1 && r.err.contains(message), "\(arguments): \(r.err)")
        }
    }

    @Test func quantizeReportsKeptTermsAndError() throws {
        let dir = try CommandLineTests.temporaryFolder("sdp-quantize")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CommandLineTests.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let r = try CommandLineTests.run(["quantize", weights, "--mode", "sdp", "--group", "8", "--terms", "16", "--tensors", "fc1.weight"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        // T = 2G keeps every part: no dropped part, every value exact.
        #expect(r.out.contains("dropped 0 nonzero parts") && r.out.contains("100.0 % of values exact") && r.out.contains("exact (every value kept whole)"), "\(r.out)")
        let bad = try CommandLineTests.run(["quantize", weights, "--mode", "sdp", "--group", "8", "--terms", "0"], in: dir)
        #expect(bad.status != 0 && bad.err.contains("T = 0"), "\(bad.err)")
    }
}
