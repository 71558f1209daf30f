import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file antgen could not write or a folder it could not create: one line naming the
/// path and the reason (never a raw Foundation error dump).
public struct FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path that could not be written.
    public let path: String
    /// Why, e.g. "a folder of that name exists" or "No space left on device".
    public let reason: String

    /// Creates the error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `cannot write PATH: REASON`.
    public var description: String { "cannot write \(path): \(reason)" }

    /// The error for a failed system call on `path`, from `errno`.
    public static func posix(_ path: String, _ code: Int32) -> FileWriteError {
        switch code {
        case EISDIR: return FileWriteError(path: path, reason: "a folder of that name exists")
        case ENOTDIR: return FileWriteError(path: path, reason: "a file is in the way of its folder")
        case EACCES, EPERM: return FileWriteError(path: path, reason: "permission denied")
        default: return FileWriteError(path: path, reason: String(cString: strerror(code)))
        }
    }
}

/// Creates `directory` and its parents if missing.
/// - Throws: ``FileWriteError`` when a file is in the way or the folder cannot be created.
public func createFolder(_ directory: URL) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw FileWriteError(path: directory.path, reason: "a file of that name exists") }
        return
    }
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
        let parent = directory.deletingLastPathComponent()
        var parentIsFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent.path, isDirectory: &parentIsFolder), !parentIsFolder.boolValue {
            throw FileWriteError(path: directory.path, reason: "\(parent.path) is a file, not a folder")
        }
        throw FileWriteError(path: directory.path, reason: "the folder cannot be created (check its parent's permissions)")
    }
}

/// Writes `bytes` to `file` through a temporary file in the same folder and `rename(2)`,
/// so a reader sees the old file or the whole new one, never part of it. The folder must
/// exist. On any failure (a full disk included) the temporary file is removed and the
/// target is untouched.
/// - Throws: ``FileWriteError``.
public func writeAtomically(_ bytes: Data, to file: URL) throws {
    let target = file.path
    let temp = file.deletingLastPathComponent()
        .appendingPathComponent(".\(file.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))").path
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
        let code = errno
        var isFolder: ObjCBool = false
        if code == ENOENT || code == ENOTDIR,
           !FileManager.default.fileExists(atPath: file.deletingLastPathComponent().path, isDirectory: &isFolder) || !isFolder.boolValue {
            throw FileWriteError(path: target, reason: "its folder does not exist")
        }
        throw FileWriteError.posix(target, code)
    }
    var failure: Int32 = 0
    bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += n
        }
    }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temp, target) != 0 { failure = errno }
    if failure != 0 {
        unlink(temp)
        throw FileWriteError.posix(target, failure)
    }
}

/// Writes `text` (UTF-8) to `file` atomically (see the `Data` overload).
public func writeAtomically(_ text: String, to file: URL) throws {
    try writeAtomically(Data(text.utf8), to: file)
}

/// Writes `(name, contents)` pairs into `directory` (created if missing), each through a
/// temporary file and a rename. Returns the paths written, in order.
/// - Throws: ``FileWriteError`` naming the first file that could not be written.
@discardableResult
public func writeAtomically(_ files: [(String, String)], to directory: URL) throws -> [URL] {
    try createFolder(directory)
    return try files.map { name, contents in
        let target = directory.appendingPathComponent(name)
        try writeAtomically(Data(contents.utf8), to: target)
        return target
    }
}
