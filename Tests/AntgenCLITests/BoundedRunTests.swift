import Foundation
import Testing

/// Issue 24, memory and all-or-nothing outputs of `antgen run` and `antgen quantize`, in a
/// subprocess: a layer whose output cannot be held is refused with the estimate before any
/// build (under `prlimit --as`, where allocating it would kill the process), and a command's
/// outputs appear together or not at all.
@Suite struct BoundedRunTests {
    typealias CLI = CommandLineTests

    /// Runs antgen under `prlimit --as=bytes` (an address-space cap).
    static func capped(_ arguments: [String], bytes: Int, in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--as=\(bytes)", CLI.antgen.path] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// A 200,000 × 4,096 output (K = 1): 819 M elements, about 26 GB as the run holds them.
    /// Before the limit the ANT run allocated C whole and died ("failed to allocate", a signal).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")), arguments: ["ant", "sdp"])
    func aHugeOutputIsRefusedUnderAMemoryCap(_ array: String) throws {
        let dir = try CLI.temporaryFolder("bounded-\(array)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunCommandTests.npy(RunCommandTests.values(200_000, seed: 1), shape: [200_000, 1]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(4096, seed: 2), shape: [1, 4096]).write(to: dir.appendingPathComponent("w.npy"))
        let arguments = ["run", "--array", array, "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--json", "r.json",
                         "--cache-dir", "cache"]
        for result in [try Self.capped(arguments, bytes: 3 << 30, in: dir), try CLI.run(arguments, in: dir)] {
            ReliabilityTests.expectOneLineFailure(result, "200000×1 · 1×4096 layer (output C 200000 × 4096) needs about", array)
            #expect(result.err.contains("--max-memory"), "\(result.err)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["a.npy", "w.npy"], "nothing built or written: \(left)")
    }

    @Test func maxMemoryIsParsedAndApplied() throws {
        let dir = try CLI.temporaryFolder("max-memory")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunCommandTests.npy(RunCommandTests.values(4 * 8, seed: 1), shape: [4, 8]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(8 * 4, seed: 2), shape: [8, 4]).write(to: dir.appendingPathComponent("w.npy"))
        let base = ["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--cache-dir", "cache"]
        ReliabilityTests.expectOneLineFailure(try CLI.run(base + ["--max-memory", "1K"], in: dir), "more than the limit of 1.02 kB", "1K")
        for bad in ["abc", "0", "-5G", "1e30T", "inf"] {
            ReliabilityTests.expectOneLineFailure(try CLI.run(base + ["--max-memory=\(bad)"], in: dir), "invalid max-memory", bad)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("cache").path), "refused before any build")
        ReliabilityTests.expectOneLineFailure(try CLI.run(base + ["--json", "c.npy"], in: dir), "name the same file", "--json = --out")
    }

    /// `run --out C --json R` where R cannot be created (a file in /proc passes the folder's
    /// permission check as root): before, C was written and then the JSON failed.
    @Test(.enabled(if: getuid() == 0)) func runWritesBothOutputsOrNeither() throws {
        let dir = try CLI.temporaryFolder("run-outputs")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunCommandTests.npy(RunCommandTests.values(3 * 5, seed: 1), shape: [3, 5]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(5 * 2, seed: 2), shape: [5, 2]).write(to: dir.appendingPathComponent("w.npy"))
        let run = try CLI.run(["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy",
                               "--json", "/proc/antgen-run-report.json", "--cache-dir", FileManager.default.temporaryDirectory.appendingPathComponent("antgen-cli-run-cache").path], in: dir)
        #expect(run.status == 1, "\(run.err)")
        let errors = run.err.split(separator: "\n").filter { $0.hasPrefix("antgen: error: ") }
        #expect(errors.count == 1 && errors[0].contains("antgen-run-report.json"), "\(run.err)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["a.npy", "w.npy"], "neither output, no temporary file: \(left)")
    }

    /// A build folder left by a process killed with SIGKILL during a build (`.tmp-…-<pid>-…`,
    /// the pid gone) is removed by the next run even when that run finds its simulator in the
    /// cache (before, only a run that built something swept the cache).
    @Test func aKilledBuildsFolderIsRemovedOnACacheHit() throws {
        let dir = try CLI.temporaryFolder("stale-tmp")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-cli-run-cache")
        try RunCommandTests.npy(RunCommandTests.values(3 * 5, seed: 1), shape: [3, 5]).write(to: dir.appendingPathComponent("a.npy"))
        try RunCommandTests.npy(RunCommandTests.values(5 * 2, seed: 2), shape: [5, 2]).write(to: dir.appendingPathComponent("w.npy"))
        let arguments = ["run", "--rows", "2", "--cols", "2", "--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy", "--cache-dir", cache.path]
        let first = try CLI.run(arguments, in: dir)  // builds, or finds the build of an earlier test
        #expect(first.status == 0, "\(first.err)")
        let stale = cache.appendingPathComponent(".tmp-ant-os-2x2-killed-\(Int32.max - 11)-DEADBEEF")
        try FileManager.default.createDirectory(at: stale.appendingPathComponent("obj_dir"), withIntermediateDirectories: true)
        let second = try CLI.run(arguments, in: dir)
        #expect(second.status == 0, "\(second.err)")
        #expect(!FileManager.default.fileExists(atPath: stale.path), "the killed build's folder is removed on a cache hit")
    }

    /// `quantize --out o` where one output name is a folder in o: before, the files sorted
    /// before it (w.alpha.npy, w.breakpoint.npy) were moved in and the rest failed.
    @Test(arguments: [("ant-int-pot-flint", "w.codes.npy"), ("pwlq", "w.codes.npy"), ("ant-int-pot-flint", "w.dequantized.npy")])
    func aFolderInTheWayLeavesTheTargetAsItWas(_ mode: String, _ blocked: String) throws {
        let dir = try CLI.temporaryFolder("quantize-blocked")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("o/\(blocked)"), withIntermediateDirectories: true)
        let run = try CLI.run(["quantize", "w.npy", "--mode", mode, "--out", "o"], in: dir)
        ReliabilityTests.expectOneLineFailure(run, "a folder of that name exists", "\(mode) \(blocked)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("o").path) == [blocked])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["o", "w.npy"], "no staging folder left")
    }

    /// `quantize --out o --json /proc/x.json`: before, o appeared whole (with a stray
    /// `.report.json`) and only then the report failed ("Invalid cross-device link").
    @Test(.enabled(if: getuid() == 0)) func anUnwritableReportLeavesNoOutputFolder() throws {
        let dir = try CLI.temporaryFolder("quantize-proc")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        for mode in ["ant-int-pot-flint", "pwlq", "mxfp4"] {
            let run = try CLI.run(["quantize", "w.npy", "--mode", mode, "--out", "o", "--json", "/proc/antgen-x.json"], in: dir)
            ReliabilityTests.expectOneLineFailure(run, "/proc/antgen-x.json", mode)
            #expect(!run.err.contains("antgen-tmp") && !run.err.contains("cross-device"), "\(run.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w.npy"], "\(mode)")
        }
    }

    /// The error for an --out whose folder cannot be created names the target, not the hidden
    /// staging folder beside it.
    @Test func outErrorsNameTheTarget() throws {
        let dir = try CLI.temporaryFolder("quantize-parent")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("file"))
        for mode in ["ant-int-pot-flint", "pwlq"] {
            let run = try CLI.run(["quantize", "w.npy", "--mode", mode, "--out", "file/o"], in: dir)
            ReliabilityTests.expectOneLineFailure(run, "--out: cannot write file/o", mode)
            #expect(!run.err.contains("antgen-staging"), "\(run.err)")
        }
    }
}
