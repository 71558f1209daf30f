import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a tool run produced.
public struct ToolResult: Sendable {
    /// Exit status; 128 + N when the program was killed by signal N (the shell's convention).
    public let status: Int32
    /// The signal that killed the program, if one did.
    public let signal: Int32?
    /// Standard output and error, interleaved as the program wrote them (standard output
    /// alone when the run captured standard error apart).
    public let output: String
    /// Standard error when captured apart, else empty.
    public let errors: String
}

/// The one place antgen starts and awaits external processes (EDA tools, built simulators,
/// the tuner's evaluation command).
///
/// Every child runs in its own process group with standard input from `/dev/null` and
/// standard output and error on one pipe, which the caller drains while a helper thread
/// blocks in `waitpid(2)`, so a chatty program never blocks on a full pipe. The wait is
/// event-driven (`poll(2)` on the pipe until its end or the deadline, then a semaphore the
/// waiter signals): no fixed poll interval, so a run costs what the program costs. At the
/// timeout, and again after the program exits, its whole process group is killed, so no
/// compiler or background child outlives the run. While a child runs it is registered
/// with ``InterruptCleanup``, which kills it on SIGINT/SIGTERM; if antgen itself dies
/// (SIGKILL, a crash), a watcher in the child's group sees antgen's lifeline pipe close and
/// kills the group.
public enum ProcessRunner {
    /// Runs `program` (an absolute path) with `arguments` in `directory`.
    /// - Parameters:
    ///   - name: the tool's name for error messages (e.g. `verilator`).
    ///   - timeout: seconds before the process group is killed.
    ///   - environment: the child's whole environment (nil: antgen's own).
    ///   - separateErrors: capture standard error apart (``ToolResult/errors``) instead of
    ///     interleaved with standard output.
    /// - Throws: ``ToolError/timedOut(tool:seconds:command:)`` at the timeout (one line with
    ///   the command to reproduce), ``ToolError/cannotStart(tool:reason:)`` when the
    ///   program cannot be started.
    public static func run(program: String, _ arguments: [String], in directory: URL? = nil, timeout: Double, name: String,
                           environment: [String: String]? = nil, separateErrors: Bool = false) throws -> ToolResult {
        // The pipes are made under the spawn lock, so no concurrently started child inherits
        // their ends before they are marked close-on-exec.
        var readEnds: [Int32] = []
        let pid = try InterruptCleanup.spawning { () throws -> pid_t in
            let out = try makePipe(name)
            let err = separateErrors ? try makePipe(name) : out
            readEnds = separateErrors ? [out.0, err.0] : [out.0]
            defer { close(out.1); if separateErrors { close(err.1) } }
            do {
                return try spawn(program, arguments, directory: directory, output: out.1, errors: err.1,
                                 environment: environment, name: name)
            } catch {
                readEnds.forEach { close($0) }
                throw error
            }
        }
        defer { InterruptCleanup.finished(pid) }

        let exited = DispatchSemaphore(value: 0)
        let box = ExitBox()
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // Anything the program left running in its group is a stray; end it, which
            // also closes the pipe ends it holds.
            kill(-pid, SIGKILL)
            box.status = status
            exited.signal()
        }
        waiter.start()

        let deadline = DispatchTime.now() + timeout
        var captured = readEnds.map { _ in Data() }
        var timedOut = false
        if !drain(readEnds, into: &captured, until: deadline) || exited.wait(timeout: deadline) == .timedOut {
            timedOut = true
            kill(-pid, SIGKILL)
            // The killed group closes its pipe ends promptly; a program that left its group
            // and kept a pipe gets two seconds.
            _ = drain(readEnds, into: &captured, until: .now() + 2)
            exited.wait()
        }
        readEnds.forEach { close($0) }
        if timedOut {
            throw ToolError.timedOut(tool: name, seconds: timeout, command: reproduceLine(program, arguments, directory))
        }
        let status = box.status
        let signal = status & 0x7f
        return ToolResult(status: signal != 0 ? 128 + signal : (status >> 8) & 0xff, signal: signal != 0 ? signal : nil,
                          output: String(decoding: captured[0], as: UTF8.self),
                          errors: separateErrors ? String(decoding: captured[1], as: UTF8.self) : "")
    }

    /// The shell line that reruns a command: `cd DIR && program args…`, every word quoted
    /// when it needs to be.
    public static func reproduceLine(_ program: String, _ arguments: [String], _ directory: URL?) -> String {
        let words = ([program] + arguments).map(shellQuoted).joined(separator: " ")
        return directory.map { "cd \(shellQuoted($0.path)) && \(words)" } ?? words
    }

    /// `word` as the shell reads it: unchanged when it is plain, else in single quotes.
    public static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:+,@%".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A pipe whose ends are closed on exec.
    static func makePipe(_ name: String) throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw ToolError.cannotStart(tool: name, reason: "no pipe: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Reads every pipe of `fds` into `output` (same index) until all have ended (true) or
    /// `deadline` passes (false).
    private static func drain(_ fds: [Int32], into output: inout [Data], until deadline: DispatchTime) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var open = Array(fds.indices)
        while !open.isEmpty {
            let now = DispatchTime.now()
            guard now < deadline else { return false }
            let milliseconds = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1
            var entries = open.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), Int32(min(milliseconds, UInt64(Int32.max))))
            if ready < 0 && errno != EINTR { return true }
            guard ready > 0 else { continue }
            var stillOpen: [Int] = []
            for (entry, index) in zip(entries, open) {
                guard entry.revents != 0 else { stillOpen.append(index); continue }
                let n = buffer.withUnsafeMutableBytes { read(fds[index], $0.baseAddress, $0.count) }
                if n > 0 {
                    output[index].append(contentsOf: buffer[0..<n])
                    stillOpen.append(index)
                } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    stillOpen.append(index)
                }
            }
            open = stillOpen
        }
        return true
    }

    /// Starts the child in a new process group (with the lifeline watcher): standard input
    /// from `input` (nil: `/dev/null`), standard output to `output`, standard error to
    /// `errors`. Also ``StreamingProcess``'s way to start its child.
    static func spawn(_ program: String, _ arguments: [String], directory: URL?, input: Int32? = nil, output: Int32, errors: Int32,
                      environment: [String: String]?, name: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        var program = program, arguments = arguments
        var changeFolder = ":"
        if let directory {
            if let addChdir = addChdirAction {
                _ = addChdir(&actions, directory.path)
            } else {
                // A libc without the chdir action: the shell below changes folder.
                changeFolder = "cd \"$0\" || exit 127"
            }
        }
        if let lifeline = Lifeline.readEnd {
            // The shell would turn a program that cannot start into exit status 126/127;
            // check first so that stays one clear error.
            guard access(program, X_OK) == 0 else {
                throw ToolError.cannotStart(tool: name, reason: "\(program): \(String(cString: strerror(errno)))")
            }
            // A shell puts a watcher in the child's process group and execs the program in
            // its place (same pid, same exit status). The watcher blocks reading the
            // lifeline, whose write end only antgen holds: when antgen dies in any way
            // (SIGKILL included), the read ends and the watcher kills the whole group, so no
            // compiler outlives antgen. After a normal exit the waiter kills the group anyway.
            posix_spawn_file_actions_adddup2(&actions, lifeline, 3)
            let watcher = "{ read -r _ <&3; kill -9 0; } </dev/null >/dev/null 2>&1 &"
            arguments = ["-c", "\(watcher) exec 3<&-; \(changeFolder); exec \"$@\"", directory?.path ?? "antgen-tool", program] + arguments
            program = "/bin/sh"
        } else if changeFolder != ":" {
            arguments = ["-c", "\(changeFolder); exec \"$@\"", directory!.path, program] + arguments
            program = "/bin/sh"
        }
        // Own process group; default SIGINT/SIGTERM/SIGPIPE handling and no blocked signals,
        // whatever antgen itself does with them.
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults); sigemptyset(&empty)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let assignments: [UnsafeMutablePointer<CChar>?]? = environment.map { variables in
            variables.keys.sorted().map { strdup("\($0)=\(variables[$0]!)") } + [nil]
        }
        defer { assignments?.forEach { free($0) } }
        let code = assignments.map { posix_spawn(&pid, program, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard code == 0 else {
            throw ToolError.cannotStart(tool: name, reason: "\(program): \(String(cString: strerror(code)))")
        }
        return pid
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which Swift's Glibc
/// module does not declare; nil where libc lacks it.
private let addChdirAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
}()

/// A pipe whose write end only antgen holds (close-on-exec), so it closes exactly when
/// antgen's process ends; children get its read end as fd 3 (see `spawn`). Nil when no pipe
/// could be made, and then children run without the watcher.
private enum Lifeline {
    static let readEnd: Int32? = {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return fds[0]
    }()
}

/// The exit status handed from the waiter thread to the caller (the semaphore orders the
/// write before the read).
private final class ExitBox: @unchecked Sendable {
    var status: Int32 = 0
}
