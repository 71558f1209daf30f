import Foundation
import Testing

/// Issue 24 part 4: no report prints NaN or ∞. Degenerate and extreme tensors (all zero,
/// subnormal, near 1e160 and 1e307) through every quantize mode, tune, pwlq-report and
/// mx-report: each succeeds and prints defined values ("exact", "—" with the reason).
@Suite struct ReportValueTests {
    typealias CLI = CommandLineTests

    /// The first word `nan`, `inf` (any case, with a sign) in `text`, or nil.
    static func undefined(_ text: String) -> String? {
        text.firstMatch(of: /(?i)(^|[^A-Za-z])[-+]?(nan|inf|infinity)(?![A-Za-z])/).map { String(text[$0.range]) }
    }

    @Test func quantizeAndTuneOnExtremeTensors() throws {
        let dir = try CLI.temporaryFolder("report-values")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = (0 ..< 64).map { sin(Double($0) * 1.7) * Double($0 % 5 + 1) }
        for (name, factor) in [("zero", 0.0), ("sub", 1e-310), ("e160", 1e160), ("e307", 1e307)] {
            try ReliabilityTests.npy(sample.map { $0 * factor }, shape: [2, 32], at: dir.appendingPathComponent("\(name).npy"))
            for mode in ["ant-int-pot-flint", "pwlq", "sdp", "mxfp4", "mxint8"] {
                let run = try CLI.run(["quantize", "\(name).npy", "--mode", mode], in: dir)
                #expect(run.status == 0, "\(name) \(mode): \(run.err)")
                #expect(Self.undefined(run.out) == nil, "\(name) \(mode): \(run.out)")
            }
            guard factor != 0 else { continue }
            let tune = try CLI.run(["tune", "\(name).npy", "--constraint", "sqnr>=15"], in: dir)
            #expect(tune.status == 0 && Self.undefined(tune.out) == nil, "\(name) tune: \(tune.out) \(tune.err)")
        }
    }

    @Test func layerReportsOnDegenerateLayers() throws {
        let dir = try CLI.temporaryFolder("report-layers")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = RunCommandTests.values(6 * 32, seed: 3), x = RunCommandTests.values(5 * 32, seed: 4)
        try RunCommandTests.safetensors([("l.weight", [6, 32], w)]).write(to: dir.appendingPathComponent("w.safetensors"))
        try RunCommandTests.safetensors([("l.weight", [6, 32], [Float](repeating: 0, count: 6 * 32))]).write(to: dir.appendingPathComponent("z.safetensors"))
        try RunCommandTests.safetensors([("l.input", [5, 32], x)]).write(to: dir.appendingPathComponent("x.safetensors"))
        for arguments in [["pwlq-report", "w.safetensors", "x.safetensors", "--layer", "l", "--tensors", "l.weight", "--bits", "8"],
                          ["pwlq-report", "z.safetensors", "x.safetensors", "--layer", "l", "--tensors", "l.weight"],
                          ["mx-report", "z.safetensors", "x.safetensors", "--layer", "l"]] {
            let run = try CLI.run(arguments, in: dir)
            let label = arguments.joined(separator: " ")
            #expect(run.status == 0, "\(label): \(run.err)")
            #expect(Self.undefined(run.out) == nil, "\(label): \(run.out)")
        }
        let cost = dir.appendingPathComponent("cost.json")
        try Data(#"{"default": 1e308}"#.utf8).write(to: cost)
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("t.npy"))
        ReliabilityTests.expectOneLineFailure(try CLI.run(["tune", "t.npy", "--budget", "0.05", "--cost-table", "cost.json"], in: dir),
                                              "relative weight within 1e-6 … 1e6", "cost 1e308")
    }
}
