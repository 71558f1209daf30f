import Foundation
import Testing

/// Issue 16's command-line cases, each run in a subprocess: every one must end with exit
/// status 1 (never a signal) and exactly one `antgen: error:` line, or succeed correctly.
@Suite struct ReliabilityTests {
    typealias CLI = CommandLineTests

    /// A float64 .npy file (v1 header, C order) of `values` with `shape`.
    static func npy(_ values: [Double], shape: [Int], at url: URL) throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        try Data(bytes).write(to: url)
    }

    static let sample: [Double] = (0 ..< 32).map { sin(Double($0) * 1.7) * Double($0 % 5 + 1) }

    /// Exit 1 with one error line, not a signal (a crash ends with status ≥ 128 or a
    /// signal; Foundation's dump spans several lines).
    static func expectOneLineFailure(_ result: (status: Int32, out: String, err: String), _ phrase: String, _ label: String) {
        #expect(result.status == 1, "\(label): status \(result.status) \(result.err.prefix(300))")
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("antgen: error: ") == true, "\(label): \(result.err.prefix(300))")
        #expect(result.err.contains(phrase), "\(label): \(result.err.prefix(300))")
        #expect(!result.err.contains("Error Domain="), "\(label)")
    }

    @Test func subnormalAndHugeTensorsQuantizeAndTune() throws {
        let dir = try CLI.temporaryFolder("scale")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, factor) in [("sub", 1e-310), ("big", 1e307), ("plain", 1.0)] {
            try Self.npy(Self.sample.map { $0 * factor }, shape: [4, 8], at: dir.appendingPathComponent("\(name).npy"))
        }
        let plain = try CLI.run(["quantize", "plain.npy", "--json", "plain.json"], in: dir)
        #expect(plain.status == 0, "\(plain.err)")
        let expected = try #require(try CLI.json(dir.appendingPathComponent("plain.json"))["tensors"] as? [[String: Any]])[0]["relativeError"] as? Double
        for name in ["sub", "big"] {
            let quantize = try CLI.run(["quantize", "\(name).npy", "--json", "\(name).json"], in: dir)
            #expect(quantize.status == 0, "\(name): \(quantize.status) \(quantize.err.prefix(300))")
            let report = try #require(try CLI.json(dir.appendingPathComponent("\(name).json"))["tensors"] as? [[String: Any]])[0]
            let relative = try #require(report["relativeError"] as? Double)
            #expect(abs(relative - expected!) < 0.05 * expected!, "\(name): \(relative) vs \(expected!)")
            #expect((report["alphaMax"] as? Double)?.isFinite == true, "\(name)")
            for scale in ["alpha", "bias"] {
                let tune = try CLI.run(["tune", "\(name).npy", "--constraint", "sqnr>=15", "--scale", scale], in: dir)
                #expect(tune.status == 0, "\(name) \(scale): \(tune.status) \(tune.err.prefix(300))")
                // The MSE column is in the data's units (∞ for data near 1e307); the relative
                // error behind the SQNR floor is exact.
                let relative = tune.out.split(separator: "\n").first { $0.contains("sum of relative MSEs: ") }
                    .flatMap { Double($0.components(separatedBy: "sum of relative MSEs: ")[1]) }
                #expect(relative.map { $0 > 0 && $0 < 0.05 } == true, "\(name) \(scale): \(tune.out)")
                #expect(!tune.out.contains("nan"), "\(name) \(scale)")
            }
        }
    }

    @Test func hugeWidthRangesAreRejectedBeforeBuildingThem() throws {
        let dir = try CLI.temporaryFolder("widths")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.npy(Self.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        for widths in ["2-9223372036854775807", "0-100000000", "-9223372036854775808-8"] {
            let result = try CLI.run(["tune", "w.npy", "--constraint", "sqnr>=10", "--widths=\(widths)"], in: dir)
            Self.expectOneLineFailure(result, "--widths must be", widths)
        }
    }

    @Test func runsThatCheckNothingOrCannotFinishFail() throws {
        let dir = try CLI.temporaryFolder("verify")
        defer { try? FileManager.default.removeItem(at: dir) }
        Self.expectOneLineFailure(try CLI.run(["verify", "--sources", ""], in: dir), "names no source", "--sources ''")
        // `all` may stand in a list: the unknown name is the one reported.
        Self.expectOneLineFailure(try CLI.run(["verify", "--sources", "all,nope"], in: dir), "unknown source 'nope'", "--sources all,nope")
        Self.expectOneLineFailure(try CLI.run(["verify", "--cases", "1000000000000"], in: dir), "GB of vectors", "--cases 1e12")
        // --regress runs its own catalogue: the ANT harness's options are refused, not ignored.
        for option in [["--sources", "throughput"], ["--chunk", "8"], ["--trace"], ["--only", "random-0"]] {
            let run = try CLI.run(["verify", "--regress"] + option, in: dir)
            #expect(run.status == 64 && run.err.contains("it cannot take \(option[0])"), "--regress \(option): \(run.status) \(run.err.prefix(300))")
        }
        // --vectors runs files as they are: the options that shape generated files are refused.
        for option in [["--sources", "throughput"], ["--chunk", "8"]] {
            Self.expectOneLineFailure(try CLI.run(["verify", "--vectors", "v.hex"] + option, in: dir), "cannot take \(option[0])", "--vectors \(option)")
        }
    }

    @Test func outputPathsFailWithOneLine() throws {
        let dir = try CLI.temporaryFolder("paths")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.npy(Self.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("taken.json"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent("afile"))
        let cases: [([String], String)] = [
            (["quantize", "w.npy", "--json", "taken.json"], "a folder of that name exists"),
            (["quantize", "w.npy", "--json", "missing/x.json"], "does not exist"),
            (["quantize", "w.npy", "--out", "afile"], "a file of that name exists"),
            (["tune", "w.npy", "--constraint", "sqnr>=10", "--plan", "taken.json"], "a folder of that name exists"),
            (["verify", "--junit", "taken.json"], "a folder of that name exists"),
            (["verify", "--cache-dir", "afile"], "a file of that name exists"),
            (["verify", "--keep-vectors", "afile"], "a file of that name exists"),
            (["synth", "--json", "taken.json"], "a folder of that name exists"),
            (["junit-merge", "afile", "-o", "merged.xml"], "not a JUnit file"),
        ]
        for (arguments, phrase) in cases {
            Self.expectOneLineFailure(try CLI.run(arguments, in: dir), phrase, arguments.joined(separator: " "))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("merged.xml").path))
    }

    @Test func malformedJUnitIsNotMerged() throws {
        let dir = try CLI.temporaryFolder("junit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = #"<?xml version="1.0"?><testsuites><testsuite name="s"><testcase name="c"/></testsuite></testsuites>"#
        try Data(good.utf8).write(to: dir.appendingPathComponent("good.xml"))
        for (index, bad) in ["<testsuites><testsuite><testcase></testsuite></testsuites>", "<testsuites><bogus/></testsuites>", "<other/>"].enumerated() {
            try Data(bad.utf8).write(to: dir.appendingPathComponent("bad\(index).xml"))
            let result = try CLI.run(["junit-merge", "good.xml", "bad\(index).xml", "-o", "merged.xml"], in: dir)
            Self.expectOneLineFailure(result, "bad\(index).xml: not a JUnit file", bad)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("merged.xml").path))
        let merged = try CLI.run(["junit-merge", "good.xml", "good.xml", "-o", "merged.xml"], in: dir)
        #expect(merged.status == 0, "\(merged.err)")
    }

    @Test func aLaterFailureLeavesNoOutputs() throws {
        let dir = try CLI.temporaryFolder("stage")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.npy(Self.sample, shape: [4, 8], at: dir.appendingPathComponent("a.npy"))
        var withNaN = Self.sample
        withNaN[5] = .nan
        try Self.npy(withNaN, shape: [4, 8], at: dir.appendingPathComponent("b.npy"))
        let failed = try CLI.run(["quantize", "a.npy", "b.npy", "--out", "out", "--json", "out/report.json"], in: dir)
        Self.expectOneLineFailure(failed, "non-finite", "NaN in the second tensor")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["a.npy", "b.npy"], "\(left)")
        let ok = try CLI.run(["quantize", "a.npy", "--out", "out", "--json", "out/report.json"], in: dir)
        #expect(ok.status == 0, "\(ok.err)")
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
        #expect(written == ["a.alpha.npy", "a.codes.npy", "a.dequantized.npy", "report.json"])
    }

    @Test func manyTinyTensorsAreReadOnce() throws {
        let dir = try CLI.temporaryFolder("many")
        defer { try? FileManager.default.removeItem(at: dir) }
        var header: [String] = []
        var data: [UInt8] = []
        for index in 0 ..< 400 {
            header.append("\"t\(index)\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[\(data.count),\(data.count + 16)]}")
            for value in [Float(1), -2, 0.5, Float(index % 7) + 0.25] { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        }
        let text = Array(("{" + header.joined(separator: ",") + "}").utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(text.count).littleEndian) { bytes += $0 }
        try Data(bytes + text + data).write(to: dir.appendingPathComponent("many.safetensors"))
        let result = try CLI.run(["quantize", "many.safetensors", "--json", "r.json"], in: dir)
        #expect(result.status == 0, "\(result.err.prefix(300))")
        #expect((try CLI.json(dir.appendingPathComponent("r.json"))["tensors"] as? [Any])?.count == 400)
        // Progress lines are throttled to one a second, not one per tensor.
        #expect(result.err.split(separator: "\n").count < 60)
    }
}
