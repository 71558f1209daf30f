import Foundation
import Testing

/// `quantize --json` beside `--out` behaves the same in every mode (ANT, PWLQ, MX): a
/// report inside the `--out` folder is written with the tensors even when the folder does
/// not exist yet, a report elsewhere appears beside them with no staging file left, and a
/// report path that cannot be written is one error line before any work.
@Suite struct QuantizeReportTargetTests {
    typealias CLI = CommandLineTests

    static let modes: [(mode: [String], files: [String])] = [
        ([], ["w.alpha.npy", "w.codes.npy", "w.dequantized.npy"]),
        (["--mode", "pwlq"], ["w.breakpoint.npy", "w.codes.npy", "w.dequantized.npy", "w.range.npy", "w.region.npy"]),
        (["--mode", "mxfp4"], ["w.mx-codes.npy", "w.mx-dequantized.npy", "w.mx-scales.npy"]),
    ]

    @Test func everyModePlacesTheReportAlike() throws {
        let dir = try CLI.temporaryFolder("report-target")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        for (mode, files) in Self.modes {
            let label = mode.isEmpty ? "ant" : mode[1]
            let inside = try CLI.run(["quantize", "w.npy", "--out", "in-\(label)", "--json", "in-\(label)/report.json"] + mode, in: dir)
            #expect(inside.status == 0, "\(label): \(inside.err)")
            let written = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("in-\(label)").path).sorted()
            #expect(written == (files + ["report.json"]).sorted(), "\(label): \(written)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("in-\(label)/report.json")))
            #expect(report is [String: Any] || report is [Any], "\(label)")

            let beside = try CLI.run(["quantize", "w.npy", "--out", "out-\(label)", "--json", "\(label).json"] + mode, in: dir)
            #expect(beside.status == 0, "\(label): \(beside.err)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(label).json").path), "\(label)")
            let outside = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out-\(label)").path).sorted()
            #expect(outside == files.sorted(), "\(label): \(outside)")

            let missing = try CLI.run(["quantize", "w.npy", "--out", "bad-\(label)", "--json", "nowhere/r.json"] + mode, in: dir)
            ReliabilityTests.expectOneLineFailure(missing, "--json: cannot write nowhere/r.json", label)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad-\(label)").path), "\(label)")
        }
    }
}
