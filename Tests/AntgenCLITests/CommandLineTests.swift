import Foundation
import Testing

/// The `antgen` executable end to end, as users call it: `tune --evaluate` with a script,
/// `tune --hardware` then `emit --plan` (the manifest records the plan), `synth --json`,
/// and `junit-merge`. The library paths are tested in the layer test targets; these tests
/// pin the command-line plumbing (options, files written, one-line errors, exit status).
@Suite struct CommandLineTests {
    /// `.build/debug/antgen`: the test bundle and the executables share one build folder.
    static var antgen: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("antgen")
    }

    /// The repository root (for `examples/`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-cli-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs antgen; returns (status, stdout, stderr).
    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = antgen
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a long output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    static func json(_ url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    @Test func tuneForTheHardwareThenEmitThePlan() throws {
        let dir = try Self.temporaryFolder("plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = Self.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let tune = try Self.run(["tune", weights, "--budget", "0.05", "--hardware", "--plan", "plan.json"], in: dir)
        #expect(tune.status == 0, "\(tune.err)")
        #expect(tune.out.contains("pot 7-bit: not carried by the array"))
        let plan = try Self.json(dir.appendingPathComponent("plan.json"))
        let tensors = try #require(plan["tensors"] as? [[String: Any]])
        let formats = Set(tensors.compactMap { $0["format"] as? String })
        #expect(tensors.count == 3 && !formats.isEmpty)

        let emit = try Self.run(["emit", "--plan", "plan.json", "--rows", "3", "--cols", "2", "-o", "rtl"], in: dir)
        #expect(emit.status == 0, "\(emit.err)")
        let manifest = try Self.json(dir.appendingPathComponent("rtl/manifest.json"))
        let recorded = try #require(manifest["plan"] as? [String: Any])
        #expect(Set(recorded["formats"] as? [String] ?? []) == formats)
        #expect(recorded["tensors"] as? Int == 3)
        // Exactly the plan's kinds are enabled, on the weight stream at least.
        let weight = try #require(manifest["weight"] as? [String: Any])
        let kinds = Set(tensors.compactMap { $0["kind"] as? String })
        #expect(Set(weight["types"] as? [String] ?? []) == kinds)
        let top = try #require(manifest["top"] as? String)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rtl/\(top).f").path))
    }

    @Test func aPlanTheArrayCannotCarryIsOneClearError() throws {
        let dir = try Self.temporaryFolder("badplan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = """
        {"constraint": "test", "format": "antgen-plan", "granularity": "tensor", "method": "test", "objective": "stored bits",
         "scale": "alpha", "version": 1,
         "tensors": [{"name": "w", "file": "w.npy", "shape": [1], "elements": 1, "role": "weight", "kind": "pot", "bits": 7,
                      "signed": true, "format": "pot7s", "maxPositiveUnits": 32, "grid": [0, 1], "scale": "alpha", "alphas": [1],
                      "mse": 0, "relativeMSE": 0, "storedBits": 7, "cost": 7}],
         "totals": {"elements": 1, "storedBits": 7, "cost": 7, "compressionVsFP32": 4.57, "compressionVsInt8": 1.14, "relativeMSESum": 0}}
        """
        try plan.write(to: dir.appendingPathComponent("plan.json"), atomically: true, encoding: .utf8)
        let emit = try Self.run(["emit", "--plan", "plan.json", "-o", "rtl"], in: dir)
        #expect(emit.status != 0)
        let lines = emit.err.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(emit.err.contains("plan.json") && emit.err.contains("pot7s") && emit.err.contains("--hardware"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("rtl").path))
    }

    @Test func tuneWithAnEvaluationScript() throws {
        let dir = try Self.temporaryFolder("evaluate")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The "accuracy" is the plan's mean bits per parameter scaled down: fewer bits, lower
        // score, so the search must stop at the first plan below the bound.
        let script = """
        #!/bin/sh
        bits=$(grep -o '"bits" : [0-9]*' "$1" | awk '{ s += $3; n += 1 } END { print s / n }')
        echo "evaluating $1" >&2
        echo "$bits"
        """
        let scriptURL = dir.appendingPathComponent("score.sh")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptURL.path)
        let weights = Self.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let tune = try Self.run(["tune", weights, "--constraint", "sqnr>=25", "--evaluate", "./score.sh", "--min-score", "5",
                                 "--max-evaluations", "6", "--plan", "plan.json"], in: dir)
        #expect(tune.status == 0, "\(tune.err)")
        #expect(tune.out.contains("evaluations"))
        let plan = try Self.json(dir.appendingPathComponent("plan.json"))
        let bits = try #require((plan["tensors"] as? [[String: Any]])?.compactMap { $0["bits"] as? Int })
        #expect(Double(bits.reduce(0, +)) / Double(bits.count) >= 5)

        // A command that prints no number is one error line and status 1.
        let bad = try Self.run(["tune", weights, "--constraint", "sqnr>=25", "--evaluate", "echo not-a-number", "--min-score", "1"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.err.split(separator: "\n").filter { $0.hasPrefix("antgen: error:") }.count == 1)
    }

    @Test func synthJSONHasPositiveNumbers() throws {
        let dir = try Self.temporaryFolder("synth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let synth = try Self.run(["synth", "--rows", "2", "--cols", "2", "--types", "int,pot", "--no-int8", "--json", "cost.json"], in: dir)
        #expect(synth.status == 0, "\(synth.err)")
        #expect(synth.out.contains("whole design generic cells: "))
        let report = try Self.json(dir.appendingPathComponent("cost.json"))
        let design = try #require(report["design"] as? [String: Any])
        for field in ["gates", "flipFlops", "nand2Equivalent", "logicDepth", "lut4"] {
            let value = try #require(design[field] as? Double, "\(field)")
            #expect(value > 0, "\(field)")
        }
        #expect((report["modules"] as? [Any])?.isEmpty == false)
    }

    @Test func junitMergeWritesOneDocument() throws {
        let dir = try Self.temporaryFolder("junit")
        defer { try? FileManager.default.removeItem(at: dir) }
        for shard in 1 ... 2 {
            let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="antgen verify">
              <testsuite name="s" tests="1" failures="0" errors="0" time="0.1">
                <testcase classname="s" name="random-\(shard)@verilator" time="0.1"></testcase>
              </testsuite>
            </testsuites>
            """
            try xml.write(to: dir.appendingPathComponent("shard-\(shard).xml"), atomically: true, encoding: .utf8)
        }
        let merge = try Self.run(["junit-merge", "shard-1.xml", "shard-2.xml", "-o", "all.xml"], in: dir)
        #expect(merge.status == 0, "\(merge.err)")
        let text = try String(contentsOf: dir.appendingPathComponent("all.xml"), encoding: .utf8)
        #expect(text.components(separatedBy: "<testcase ").count - 1 == 2)
        #expect(text.components(separatedBy: "<testsuites").count == 2)
        let missing = try Self.run(["junit-merge", "nope.xml", "-o", "x.xml"], in: dir)
        #expect(missing.status == 1 && missing.err.contains("nope.xml"))
    }
}
