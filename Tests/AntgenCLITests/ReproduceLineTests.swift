import Foundation
import Testing

/// Every `reproduce:` line a failing `antgen verify` prints is a command the real parser
/// takes: run as printed, it fails the same check again (exit 1), never a usage error
/// (exit 64). One small failing verify per array (a named defect injected), on tiny arrays
/// and few cases; Icarus where the array has it, so the builds take a second.
@Suite struct ReproduceLineTests {
    /// The failing runs: each array (and the ANT array's other paths: WS, the partial-sum
    /// stage, the vector harness) with a defect its golden cases catch.
    static let failingRuns: [[String]] = [
        ["--array", "ant", "--rows", "2", "--cols", "2", "--cases", "10", "--mutation", "pe-sign", "--sim", "icarus"],
        ["--array", "ant", "--dataflow", "ws", "--rows", "2", "--cols", "2", "--cases", "10", "--mutation", "ws-weight-row", "--sim", "icarus"],
        ["--array", "ant", "--psum-codec", "--rows", "2", "--cols", "2", "--cases", "6", "--mutation", "psum-codec-rounding", "--sim", "icarus"],
        ["--array", "pwlq", "--rows", "2", "--cols", "2", "--cases", "4", "--mutation", "pwlq-region-ignored", "--sim", "icarus"],
        ["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "1", "--cases", "10", "--mutation", "sdp-index"],
        ["--array", "mx", "--rows", "2", "--cols", "2", "--cases", "4", "--mutation", "mx-truncate", "--sim", "icarus"],
    ]

    @Test(arguments: failingRuns)
    func aPrintedReproduceLineRunsAndFailsAgain(_ arguments: [String]) throws {
        let dir = try CommandLineTests.temporaryFolder("reproduce")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CommandLineTests.run(["verify"] + arguments, in: dir)
        #expect(first.status == 1, "the defect is caught: \(first.err)")
        let line = try #require(first.out.split(separator: "\n").first { $0.contains("reproduce: ") },
                                "a failing verify prints a reproduce line: \(first.out.suffix(400))")
        let command = String(line[line.range(of: "reproduce: ")!.upperBound...])
        let words = command.split(separator: " ").map(String.init)
        #expect(words.first == "antgen" && words.dropFirst().first == "verify", "\(command)")
        let again = try CommandLineTests.run(Array(words.dropFirst()), in: dir)
        #expect(again.status != 64, "\(command) does not parse: \(again.err)")
        #expect(again.status == 1, "\(command) fails the check again: \(again.err)")
        #expect(again.out.contains(" failed"), "\(command): \(again.out.suffix(400))")
    }

    /// `antgen run` on a defective array fails with one line ending in a reproduce line (the
    /// ANT array saves the first failing tile: `antgen verify … --vectors FILE --mutation M`);
    /// that line parses and fails the same check (on Verilator, the verify default).
    /// The ANT array's line names the saved failing tile; the other arrays' name the defect.
    @Test(arguments: [
        (["--array", "ant", "--rows", "2", "--cols", "2", "--sim", "icarus", "--mutation", "pe-sign"], "--vectors"),
        (["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "1", "--sim", "icarus", "--mutation", "sdp-index"], "--mutation"),
    ])
    func aFailedRunsReproduceLineRunsAndFailsAgain(_ arguments: [String], _ marker: String) throws {
        let dir = try CommandLineTests.temporaryFolder("reproduce-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = 3, k = 5, n = 4
        try RunCommandTests.npy(RunCommandTests.values(m * k, seed: 1), shape: [m, k]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(k * n, seed: 2), shape: [k, n]).write(to: dir.appendingPathComponent("w.npy"))
        let run = try CommandLineTests.run(["run", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy"] + arguments, in: dir)
        #expect(run.status == 1, "the defect is caught: \(run.err)")
        let line = try #require(run.err.split(separator: "\n").first { $0.contains("reproduce: ") }, "\(run.err)")
        let command = String(line[line.range(of: "reproduce: ")!.upperBound...])
        let words = command.split(separator: " ").map(String.init)
        #expect(words.prefix(2) == ["antgen", "verify"] && words.contains(marker), "\(command)")
        let again = try CommandLineTests.run(Array(words.dropFirst()), in: dir)
        #expect(again.status != 64, "\(command) does not parse: \(again.err)")
        #expect(again.status == 1, "\(command) fails the check again: \(again.err)")
    }
}
