import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What antgen does on Ctrl-C (SIGINT) or SIGTERM: kill the process group of every running
/// child (children run in their own groups, so the terminal's SIGINT never reaches them),
/// remove every registered temporary folder, print one line and exit with 128 + the signal.
///
/// Signals are process-wide, so this is the one piece of process-wide state in antgen: a
/// lock-protected registry of running children and temporary folders. The signal handler
/// only writes the signal number to a pipe (async-signal-safe); a dedicated thread reads
/// it and does the clean-up.
public enum InterruptCleanup {
    /// Installs the SIGINT and SIGTERM handling (idempotent). The `antgen` command calls it
    /// first thing; libraries only register children and folders.
    public static func install() {
        registry.installOnce()
    }

    /// Runs `body` (which starts a child and returns its pid) with the registry locked and
    /// registers the child, so an interrupt can never fall between the start and the
    /// registration and leave the child running.
    static func spawning(_ body: () throws -> pid_t) rethrows -> pid_t {
        try registry.locked { children, _ in
            let pid = try body()
            children.insert(pid)
            return pid
        }
    }

    /// The child `pid` has been reaped.
    static func finished(_ pid: pid_t) {
        registry.locked { children, _ in _ = children.remove(pid) }
    }

    /// Registers `folder` for removal on an interrupt (a temporary build or work folder).
    public static func track(_ folder: URL) {
        registry.locked { _, folders in _ = folders.insert(folder.path) }
    }

    /// Forgets `folder` (it was removed, or renamed into place).
    public static func untrack(_ folder: URL) {
        registry.locked { _, folders in _ = folders.remove(folder.path) }
    }

    /// Runs `body` (the commit of a staged output: renames into place) with interrupts held
    /// off, then forgets `folder`: a Ctrl-C meanwhile is handled once `body` has returned, so
    /// the output is whole or absent, never half renamed. A failed `body` leaves `folder`
    /// tracked for the caller's clean-up.
    public static func committing<T, E: Error>(_ folder: URL, _ body: () throws(E) -> T) throws(E) -> T {
        try registry.holding(releasing: folder.path, body)
    }
}

/// The registry behind ``InterruptCleanup``.
private final class InterruptRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var children: Set<pid_t> = []
    private var folders: Set<String> = []
    private var installed = false

    func locked<T>(_ body: (inout Set<pid_t>, inout Set<String>) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(&children, &folders)
    }

    /// Runs `body` under the lock; on success `folder` is no longer removed on an interrupt.
    func holding<T, E: Error>(releasing folder: String, _ body: () throws(E) -> T) throws(E) -> T {
        lock.lock(); defer { lock.unlock() }
        let result = try body()
        folders.remove(folder)
        return result
    }

    func installOnce() {
        lock.lock(); defer { lock.unlock() }
        guard !installed else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        installed = true
        interruptPipe = fds[1]
        let readEnd = fds[0]
        let listener = Thread { [self] in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            interrupted(by: Int32(byte))
        }
        listener.start()
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(interruptPipe, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
        // A parent may have started antgen with the signals blocked; take them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Kills every child's group, removes every folder, says so and exits. Holds the lock
    /// to the end, so no new child starts meanwhile.
    private func interrupted(by signal: Int32) -> Never {
        lock.lock()
        for pid in children { kill(-pid, SIGKILL) }
        for folder in folders {
            // Renamed aside first, so a thread still writing into the folder fails instead of
            // recreating a file in it while it is being removed.
            let aside = folder + ".removing-\(getpid())"
            let doomed = rename(folder, aside) == 0 ? aside : folder
            try? FileManager.default.removeItem(atPath: doomed)
        }
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let line = "antgen: interrupted (\(name)); stopped \(children.count) running tool(s) and removed \(folders.count) temporary folder(s)\n"
        FileHandle.standardError.write(Data(line.utf8))
        _exit(128 + signal)
    }
}

private let registry = InterruptRegistry()
/// The write end of the signal pipe; set once before the handlers are installed.
nonisolated(unsafe) private var interruptPipe: Int32 = -1
