import Foundation
import Testing

/// Issue 16's full-disk case: each command that writes output runs on a 24 KiB tmpfs (in a
/// private user and mount namespace, `unshare -rm`, so no root and no clean-up is needed),
/// fails with one line that says the device is full, and leaves the disk empty.
@Suite struct FullDiskTests {
    typealias CLI = CommandLineTests

    /// Runs `command` (a shell line; `$ANTGEN` is the binary) in a fresh 24 KiB tmpfs and
    /// returns its status, standard error and what it left on the tmpfs.
    static func onFullDisk(_ command: String) throws -> (status: Int32, err: String, left: [String]) {
        let dir = try CLI.temporaryFolder("full-disk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let mount = dir.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let script = """
            mount -t tmpfs -o size=24k tmpfs "$1" || exit 99
            cd "$1" || exit 99
            \(command) >/dev/null 2>"$2/err.txt"; status=$?
            ls -A > "$2/left.txt"
            exit $status
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-rm", "/bin/sh", "-c", script, "sh", mount.path, dir.path]
        var environment = ProcessInfo.processInfo.environment
        environment["ANTGEN"] = CLI.antgen.path
        environment["EXAMPLES"] = CLI.root.appendingPathComponent("examples").path
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        let err = (try? String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8)) ?? ""
        let left = ((try? String(contentsOf: dir.appendingPathComponent("left.txt"), encoding: .utf8)) ?? "?")
            .split(separator: "\n").map(String.init)
        return (process.terminationStatus, err, left)
    }

    static func expectOneNoSpaceLine(_ run: (status: Int32, err: String, left: [String]), _ what: String) {
        #expect(run.status != 99, "\(what): the tmpfs could not be mounted (unshare -rm)")
        #expect(run.status == 1, "\(what): status \(run.status), \(run.err)")
        let errors = run.err.split(separator: "\n").filter { $0.hasPrefix("antgen: error:") }
        #expect(errors.count == 1, "\(what): \(run.err)")
        #expect(errors.first?.lowercased().contains("no space left") == true, "\(what): \(run.err)")
        #expect(!run.err.contains("Error Domain") && !run.err.contains("antgen-staging"), "\(what): \(run.err)")
        #expect(run.left.isEmpty, "\(what) left \(run.left) on the full disk")
    }

    @Test func emitOnAFullDiskLeavesNothing() throws {
        Self.expectOneNoSpaceLine(try Self.onFullDisk("\"$ANTGEN\" emit --rows 8 --cols 8 -o design"), "emit")
    }

    @Test(arguments: ["ant-int-pot-flint", "pwlq", "mxfp4"])
    func quantizeOnAFullDiskLeavesNothing(mode: String) throws {
        let run = try Self.onFullDisk("\"$ANTGEN\" quantize \"$EXAMPLES/sample_weights.safetensors\" --mode \(mode) --out q\(mode.hasPrefix("ant") ? " --json q/report.json" : "")")
        Self.expectOneNoSpaceLine(run, "quantize --mode \(mode) --out")
        // The message names the file where it was to go, not the hidden staging folder.
        #expect(run.err.contains("q/sample_weights."), "\(run.err)")
    }

    @Test func keptVectorsOnAFullDiskLeaveNothing() throws {
        let cache = try CLI.temporaryFolder("full-disk-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let run = try Self.onFullDisk("\"$ANTGEN\" verify --rows 2 --cols 2 --cases 400 --keep-vectors vectors --cache-dir \(cache.path)")
        Self.expectOneNoSpaceLine(run, "verify --keep-vectors")
    }
}
