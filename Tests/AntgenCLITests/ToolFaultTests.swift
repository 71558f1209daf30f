import Foundation
import Testing

/// `antgen verify` against a fake Verilator that never finishes a build: the timeout and
/// Ctrl-C paths of the process runner, end to end.
@Suite struct ToolFaultTests {
    /// A folder holding a fake `verilator` that answers `--version` and otherwise records
    /// its pid in `verilator.pid`, starts a background child and sleeps forever.
    static func fakeVerilator() throws -> URL {
        let dir = try CommandLineTests.temporaryFolder("fake-tools")
        let tool = dir.appendingPathComponent("verilator")
        let body = """
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo "Verilator 0.0 fake"; exit 0; fi
            sleep 1000 &
            echo $$ > "\(dir.path)/verilator.pid"
            while true; do sleep 1000; done
            """
        try Data(body.utf8).write(to: tool)
        chmod(tool.path, 0o755)
        return dir
    }

    /// Starts antgen with the fake tools first on PATH.
    static func start(_ arguments: [String], in directory: URL, tools: URL, quiet: Bool = false) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CommandLineTests.antgen
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = tools.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = quiet ? FileHandle.nullDevice : out
        process.standardError = quiet ? FileHandle.nullDevice : err
        try process.run()
        return (process, out, err)
    }

    static func pid(in tools: URL, waitingUpTo seconds: Double) -> pid_t? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOf: tools.appendingPathComponent("verilator.pid"), encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            usleep(20_000)
        }
        return nil
    }

    static func gone(_ pid: pid_t) -> Bool {
        for _ in 0..<100 {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
            if kill(pid, 0) != 0 || state == "Z" { return true }
            usleep(20_000)
        }
        return false
    }

    @Test func aHangingBuildHitsTheToolTimeoutWithOneLine() throws {
        let tools = try Self.fakeVerilator()
        let dir = try CommandLineTests.temporaryFolder("timeout")
        defer { try? FileManager.default.removeItem(at: tools); try? FileManager.default.removeItem(at: dir) }
        let (process, out, err) = try Self.start(["verify", "--rows", "1", "--cols", "1", "--cases", "4", "--cache-dir", "cache",
                                                 "--tool-timeout", "1"], in: dir, tools: tools)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let errors = errText.split(separator: "\n").filter { $0.hasPrefix("antgen: error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("verilator timed out after 1 s and was killed") == true, "\(errText)")
        #expect(errors.first?.contains("reproduce: cd ") == true)
        let pid = try #require(Self.pid(in: tools, waitingUpTo: 1))
        #expect(Self.gone(pid))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cache").path)
        #expect(left.filter { $0.hasPrefix(".tmp-") }.isEmpty, "temporary build folders left: \(left)")
    }

    @Test func ctrlCStopsTheBuildRemovesItsFolderAndExitsNonZero() throws {
        let tools = try Self.fakeVerilator()
        let dir = try CommandLineTests.temporaryFolder("interrupt")
        defer { try? FileManager.default.removeItem(at: tools); try? FileManager.default.removeItem(at: dir) }
        let (process, out, err) = try Self.start(["verify", "--rows", "1", "--cols", "1", "--cases", "4", "--cache-dir", "cache"],
                                                in: dir, tools: tools)
        let pid = try #require(Self.pid(in: tools, waitingUpTo: 60), "the fake verilator never started")
        let cache = dir.appendingPathComponent("cache")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).contains { $0.hasPrefix(".tmp-") })
        kill(process.processIdentifier, SIGINT)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(errText.contains("antgen: interrupted (SIGINT); stopped 1 running tool(s)"), "\(errText)")
        #expect(Self.gone(pid), "the build survived Ctrl-C")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix(".tmp-") }.isEmpty)
    }

    /// The pids whose process group is `group` (from /proc; zombies excluded).
    static func members(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // Fields after the command: state, ppid, pgrp, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else { return nil }
            return pid
        }
    }

    /// SIGKILL cannot be caught, so antgen cannot stop its tools itself; the watcher that
    /// the process runner starts in every tool's group sees antgen's lifeline pipe close and
    /// kills the group. Without it the fake build and its background child ran on forever.
    @Test func killNineStopsTheRunningBuildAndItsChildren() throws {
        let tools = try Self.fakeVerilator()
        let dir = try CommandLineTests.temporaryFolder("kill9")
        defer { try? FileManager.default.removeItem(at: tools); try? FileManager.default.removeItem(at: dir) }
        // Output to /dev/null: a pipe held by a surviving child would block the reader.
        let (process, _, _) = try Self.start(["verify", "--rows", "1", "--cols", "1", "--cases", "4", "--cache-dir", "cache"],
                                            in: dir, tools: tools, quiet: true)
        let pid = try #require(Self.pid(in: tools, waitingUpTo: 60), "the fake verilator never started")
        // The tool, its `sleep 1000 &` child and the watcher.
        let group = Self.members(ofGroup: pid)
        #expect(group.count >= 3, "\(group)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        for member in group { #expect(Self.gone(member), "process \(member) of the build outlived antgen") }
        let survivors = Self.members(ofGroup: pid)
        #expect(survivors.isEmpty)
        survivors.forEach { kill($0, SIGKILL) }
        // The next run removes the killed run's temporary build folder (its owner is gone).
        let cache = dir.appendingPathComponent("cache")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).contains { $0.hasPrefix(".tmp-") })
        try FileManager.default.removeItem(at: tools.appendingPathComponent("verilator.pid"))
        let (next, nextOut, nextErr) = try Self.start(["verify", "--rows", "1", "--cols", "1", "--cases", "4", "--cache-dir", "cache",
                                                       "--tool-timeout", "1"], in: dir, tools: tools)
        _ = nextErr.fileHandleForReading.readDataToEndOfFile()
        _ = nextOut.fileHandleForReading.readDataToEndOfFile()
        next.waitUntilExit()
        #expect(next.terminationStatus == 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix(".tmp-") }
        #expect(left.isEmpty, "temporary build folders left: \(left)")
    }
}
