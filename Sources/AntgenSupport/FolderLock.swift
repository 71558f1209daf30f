import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on one output folder, held while antgen replaces the design in it,
/// so two emits into one folder run one after the other instead of mixing their files (and
/// two builds of one build-cache entry run once: the second finds the first's result).
///
/// The lock is `flock(2)` on `<parent>/.antgen-lock-<name>`, beside the folder (never in
/// it: the folder holds only the design). The kernel drops the lock when the holder dies,
/// even by `kill -9`, so a crash never leaves the folder locked. The holder unlinks the
/// file before releasing; a waiter that then wins the lock on the unlinked file notices
/// (its descriptor no longer matches the path) and retries, so at most one process holds
/// the lock on the file that the path names.
public struct FolderLock: ~Copyable {
    private let descriptor: Int32
    private let path: String

    /// Waits for the lock on `path`; `waiting` runs once if another process holds it.
    /// - Throws: ``OutputFolderError`` when the lock file cannot be created.
    public init(path: String, shownAs folder: String, waiting: () -> Void) throws(OutputFolderError) {
        var announced = false
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw OutputFolderError.cannotWrite(folder, reason: OutputFolderError.reason(errno)) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if !announced {
                    waiting()
                    announced = true
                }
                while flock(fd, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let code = errno
                        close(fd)
                        throw OutputFolderError.cannotWrite(folder, reason: "cannot lock \(path): \(OutputFolderError.reason(code))")
                    }
                }
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
                descriptor = fd
                self.path = path
                return
            }
            close(fd)
        }
    }

    /// Removes the lock file and releases the lock.
    deinit {
        unlink(path)
        close(descriptor)
    }
}
