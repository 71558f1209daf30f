import Foundation
import Glibc

/// Several output files of one command committed together: each is first written whole to a
/// hidden temporary file beside its target (`.NAME.antgen-tmp-<pid>-<id>`, same file system),
/// and ``commit()`` renames them all into place only once every one was written. A failure
/// before the commit leaves no target touched (``discard()`` removes the temporary files);
/// every destination is checked before the first rename (`antgen run --out --json`).
public final class StagedFiles: @unchecked Sendable {
    private var staged: [(temporary: String, target: String)] = []

    /// An empty group.
    public init() {}

    /// The temporary path to write `target`'s contents to; committed with the others.
    public func path(for target: String) -> String {
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).antgen-tmp-\(getpid())-\(UUID().uuidString.prefix(8))").path
        staged.append((temporary, target))
        return temporary
    }

    /// Writes `data` to `target`'s temporary file.
    /// - Throws: ``FileWriteError`` naming `target`.
    public func write(_ data: Data, to target: String) throws {
        let temporary = path(for: target)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileWriteError.posix(target, errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw FileWriteError.posix(target, failure) }
    }

    /// Renames every temporary file over its target, after checking that each temporary file
    /// exists and no target is a folder.
    /// - Throws: ``FileWriteError`` naming the first target that cannot be replaced (the
    ///   temporary files are then removed).
    public func commit() throws {
        let fm = FileManager.default
        for (temporary, target) in staged {
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
                discard()
                throw FileWriteError.posix(target, EISDIR)
            }
            guard fm.fileExists(atPath: temporary) else {
                discard()
                throw FileWriteError(path: target, reason: "its temporary file was not written")
            }
        }
        for (temporary, target) in staged where rename(temporary, target) != 0 {
            let code = errno
            discard()
            throw FileWriteError.posix(target, code)
        }
        staged = []
    }

    /// Removes every temporary file not yet committed.
    public func discard() {
        for (temporary, _) in staged { unlink(temporary) }
        staged = []
    }

    deinit { discard() }
}
