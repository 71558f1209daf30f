import Foundation
import Testing

/// `antgen emit|verify --psum-preload|--psum-codec` on the default ANT array end to end.
@Suite struct PartialSumCommandTests {
    @Test func emitNamesTheFolderAndDescribesTheStage() throws {
        let dir = try CommandLineTests.temporaryFolder("psum-emit")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (flag, suffix, mode) in [("--psum-preload", "_preload", "preload"), ("--psum-codec", "_psum12", "codec12")] {
            let run = try CommandLineTests.run(["emit", "--rows", "2", "--cols", "3", flag], in: dir)
            #expect(run.status == 0, "\(run.err)")
            #expect(run.out.contains("psum:    preload queue of 4 rows"))
            let manifest = try CommandLineTests.json(dir.appendingPathComponent("rtl-out/ant_2x3_int-flint-pot_4b_w32\(suffix)/manifest.json"))
            let section = try #require(manifest["partialSums"] as? [String: String])
            #expect(section["mode"] == mode && section["queueDepthRows"] == "4")
            let ports = try #require(manifest["ports"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(ports.contains("psum_in") && ports.contains("psum_in_ready") && ports.contains("out_psum") == (mode == "codec12"))
        }
    }

    @Test func badPartialSumOptionsAreOneLineErrors() throws {
        let dir = try CommandLineTests.temporaryFolder("psum-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (arguments, message) in [
            (["emit", "--rows", "2", "--cols", "2", "--psum-codec", "--acc-width", "40", "-o", "out"], "needs W in 8…37, not 40"),
            (["emit", "--rows", "2", "--cols", "2", "--psum-preload", "--dataflow", "ws", "-o", "out"], "output-stationary"),
            (["verify", "--rows", "2", "--cols", "2", "--psum-preload", "--dataflow", "ws"], "--dataflow ws"),
            (["verify", "--rows", "2", "--cols", "2", "--psum-preload", "--mutation", "psum-codec-rounding", "--sim", "icarus"], "needs --psum-codec"),
        ] {
            let run = try CommandLineTests.run(arguments, in: dir)
            #expect(run.status != 0)
            #expect(run.err.contains(message) && run.err.split(separator: "\n").count == 1, "\(arguments): \(run.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    @Test func verifyPassesAndItsMutantFails() throws {
        let dir = try CommandLineTests.temporaryFolder("psum-verify")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["verify", "--rows", "2", "--cols", "2", "--types", "int,pot", "--acc-width", "20", "--no-int8", "--cases", "8", "--sim", "icarus"]
        let good = try CommandLineTests.run(base + ["--psum-codec"], in: dir)
        #expect(good.status == 0, "\(good.out)\(good.err)")
        #expect(good.out.contains("PASS ant-2x2-os-psum12") && good.out.contains("10 passed, 0 failed"))
        let bad = try CommandLineTests.run(base + ["--psum-preload", "--mutation", "psum-preload-ignored"], in: dir)
        #expect(bad.status != 0)
        #expect(bad.out.contains("FAIL ant-2x2-os-preload") && bad.out.contains("reproduce: antgen verify") && bad.out.contains("--mutation psum-preload-ignored --sim icarus"))
    }
}
