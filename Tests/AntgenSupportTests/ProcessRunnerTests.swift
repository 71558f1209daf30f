import AntgenSupport
import Foundation
import Testing

/// Writes an executable shell script `name` into `folder`.
func script(_ name: String, in folder: URL, _ body: String) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try writeAtomically("#!/bin/sh\n" + body + "\n", to: url)
    chmod(url.path, 0o755)
    return url
}

/// True while a process with this pid exists (zombies excluded: they are reaped by init).
func alive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
    return state != "Z"
}

@Suite struct ProcessRunnerTests {
    @Test func aToolThatNeverReturnsIsKilledAtItsTimeoutWithItsWholeGroup() throws {
        let dir = try scratchFolder("hang")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The tool starts a background child, records its pid, then sleeps forever.
        let tool = try script("fake-verilator", in: dir, "sleep 1000 &\necho $! > child.pid\nwhile true; do sleep 1000; done")
        let start = Date()
        do {
            _ = try ExternalTool.run(program: tool, ["--build", "x y.v"], in: dir, timeout: 1, name: "verilator")
            Issue.record("the hanging tool returned")
        } catch let error as ToolError {
            let line = "\(error)"
            #expect(!line.contains("\n"))
            #expect(line.hasPrefix("verilator timed out after 1 s and was killed"))
            #expect(line.hasSuffix("reproduce: cd \(dir.path) && \(tool.path) --build 'x y.v'"))
        }
        #expect(Date().timeIntervalSince(start) < 5)
        let child = try #require(pid_t(try String(contentsOf: dir.appendingPathComponent("child.pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // SIGKILL is delivered at once; the kernel may take a moment to tear the child down.
        var waited = 0
        while alive(child) && waited < 100 { usleep(20_000); waited += 1 }
        #expect(!alive(child), "the tool's background child survived the timeout")
    }

    @Test func aChattyToolCannotBlockAndBothStreamsAreKept() throws {
        let dir = try scratchFolder("chatty")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 2 MB on each stream: far beyond a pipe's 64 KiB buffer.
        let tool = try script("chatty", in: dir, "head -c 2000000 /dev/zero | tr '\\0' o\nhead -c 2000000 /dev/zero | tr '\\0' e >&2\nexit 3")
        let combined = try ExternalTool.run(program: tool, [], timeout: 30)
        #expect(combined.status == 3 && combined.signal == nil)
        #expect(combined.output.count == 4_000_000)
        let split = try ProcessRunner.run(program: tool.path, [], timeout: 30, name: "chatty", separateErrors: true)
        #expect(split.output == String(repeating: "o", count: 2_000_000))
        #expect(split.errors == String(repeating: "e", count: 2_000_000))
    }

    @Test func statusSignalFolderAndEnvironment() throws {
        let dir = try scratchFolder("status")
        defer { try? FileManager.default.removeItem(at: dir) }
        let killed = try ExternalTool.run(program: URL(fileURLWithPath: "/bin/sh"), ["-c", "kill -9 $$"], timeout: 10)
        #expect(killed.signal == 9 && killed.status == 137)
        let here = try ExternalTool.run(program: URL(fileURLWithPath: "/bin/pwd"), [], in: dir, timeout: 10)
        #expect(here.output.trimmingCharacters(in: .whitespacesAndNewlines) == dir.resolvingSymlinksInPath().path)
        let env = try ProcessRunner.run(program: "/bin/sh", ["-c", "echo $ANTGEN_X; read line || echo no-input"], timeout: 10,
                                        name: "sh", environment: ["ANTGEN_X": "42", "PATH": "/usr/bin:/bin"])
        #expect(env.output == "42\nno-input\n")
    }

    @Test func aBackgroundChildHoldingThePipeDoesNotStallTheRun() throws {
        let start = Date()
        let result = try ExternalTool.run(program: URL(fileURLWithPath: "/bin/sh"), ["-c", "sleep 1000 & echo started"], timeout: 60)
        #expect(result.output == "started\n")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aProgramThatCannotStartIsOneLine() throws {
        let dir = try scratchFolder("nostart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("sim")
        try writeAtomically("not a program", to: file)
        #expect(throws: ToolError.self) { try ExternalTool.run(program: file, [], timeout: 10, name: "the verilator simulation") }
        do {
            _ = try ExternalTool.run(program: file, [], timeout: 10, name: "the verilator simulation")
        } catch {
            #expect("\(error)".hasPrefix("the verilator simulation cannot be started: \(file.path): "))
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func shellQuotingRoundTrips() {
        #expect(ProcessRunner.shellQuoted("a-b_c/d.v") == "a-b_c/d.v")
        #expect(ProcessRunner.shellQuoted("it's") == "'it'\\''s'")
        #expect(ProcessRunner.shellQuoted("") == "''")
    }
}
