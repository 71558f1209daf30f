import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A long-lived child process that is fed through its standard input and answers on its
/// standard output, line by line: `antgen run`'s simulator, which takes GEMM tiles as
/// they come instead of one vector file per run.
///
/// Started by ``ProcessRunner``'s spawn, the child runs in its own process group (with the
/// lifeline watcher, so it dies with antgen) (registered with
/// ``InterruptCleanup``, so Ctrl-C kills it), its standard error is merged into standard
/// output, and every wait has a deadline: ``readLine(timeout:)`` kills the group and throws
/// ``ToolError/timedOut(tool:seconds:command:)`` when the child stays silent too long.
/// Writes and reads may happen on different threads (one writer, one reader).
public final class StreamingProcess: @unchecked Sendable {
    /// The tool's name in error messages.
    public let name: String
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let command: String
    private var buffer: [UInt8] = []
    private var ended = false
    private var reaped = false
    private var inputOpen = true
    private let lock = NSLock()

    /// Starts `program` with `arguments` in `directory`.
    /// - Throws: ``ToolError/cannotStart(tool:reason:)``.
    public init(program: String, _ arguments: [String], in directory: URL? = nil, name: String) throws {
        self.name = name
        command = ProcessRunner.reproduceLine(program, arguments, directory)
        var toChild: (Int32, Int32) = (-1, -1), fromChild: (Int32, Int32) = (-1, -1)
        pid = try InterruptCleanup.spawning { () throws -> pid_t in
            toChild = try ProcessRunner.makePipe(name)
            fromChild = try ProcessRunner.makePipe(name)
            defer { close(toChild.0); close(fromChild.1) }
            do {
                return try ProcessRunner.spawn(program, arguments, directory: directory, input: toChild.0, output: fromChild.1,
                                               errors: fromChild.1, environment: nil, name: name)
            } catch {
                close(toChild.1); close(fromChild.0)
                throw error
            }
        }
        input = toChild.1
        output = fromChild.0
        // A child that dies must not kill antgen with SIGPIPE on the next write.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        terminate()
    }

    /// Writes all of `text` to the child's standard input.
    /// - Throws: ``ToolError/cannotStart(tool:reason:)`` when the child has closed its input
    ///   (it exited); the reader then sees its last words.
    public func write(_ text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(input, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ToolError.cannotStart(tool: name, reason: "its input closed (\(String(cString: strerror(errno))))")
            }
            offset += n
        }
        bytes.removeAll()
    }

    /// Closes the child's standard input (end of the stream).
    public func closeInput() {
        lock.lock(); defer { lock.unlock() }
        if inputOpen { close(input) }
        inputOpen = false
    }

    /// The next line of output without its newline, or nil at the end of the output.
    /// - Throws: ``ToolError/timedOut(tool:seconds:command:)`` after `timeout` seconds of
    ///   silence (the child's group is killed first).
    public func readLine(timeout: Double) throws -> String? {
        let deadline = DispatchTime.now() + timeout
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if ended {
                guard !buffer.isEmpty else { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return line
            }
            let now = DispatchTime.now()
            guard now < deadline else {
                terminate()
                throw ToolError.timedOut(tool: name, seconds: timeout, command: command)
            }
            let milliseconds = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1
            var entry = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(min(milliseconds, UInt64(Int32.max))))
            if ready < 0 && errno != EINTR { ended = true }
            guard ready > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                ended = true
            }
        }
    }

    /// Waits for the child to exit (after its output ended) and returns its status (128 + N
    /// when killed by signal N); kills the group if it is still running after `timeout`.
    public func wait(timeout: Double = 10) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return -1 }
            if Date() > deadline { kill(-pid, SIGKILL) }
            usleep(1000)
        }
        finish()
        let signal = status & 0x7f
        return signal != 0 ? 128 + signal : (status >> 8) & 0xff
    }

    /// Kills the child's group and reaps it (idempotent).
    public func terminate() {
        lock.lock()
        let done = reaped
        lock.unlock()
        guard !done else { return }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        finish()
    }

    private func finish() {
        lock.lock(); defer { lock.unlock() }
        guard !reaped else { return }
        reaped = true
        kill(-pid, SIGKILL)
        close(output)
        if inputOpen { close(input) }
        inputOpen = false
        InterruptCleanup.finished(pid)
    }
}
