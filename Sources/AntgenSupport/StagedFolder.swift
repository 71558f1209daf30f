import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output folder written whole or not at all: files go into a hidden staging folder beside
/// the target (`.NAME.antgen-staging-<pid>-<id>`, same file system) and ``moveIntoPlace(excluding:)``
/// renames them in once every file exists. A target that does not exist yet appears by one
/// rename(2), so a kill at any moment leaves it complete or absent; into an existing target
/// each file replaces its older version atomically. A staging folder whose process no longer
/// exists (SIGKILL cannot be caught) is removed by the next staging of the same target.
///
/// Callers register ``staging`` with ``InterruptCleanup`` and commit inside
/// ``InterruptCleanup/committing(_:_:)`` (`quantize --out`, `verify --keep-vectors`).
public struct StagedFolder: Sendable {
    /// Where the files end up.
    public let target: URL
    /// Where they are written first.
    public let staging: URL

    /// Removes abandoned staging folders of `target` and creates a new one.
    /// - Throws: ``FileWriteError`` when the staging folder cannot be created.
    public init(target: URL) throws {
        self.target = target.standardizedFileURL
        let parent = self.target.deletingLastPathComponent()
        let prefix = ".\(self.target.lastPathComponent).antgen-staging-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
        staging = parent.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try createFolder(staging)
    }

    /// Moves the staged files (but those named in `excluded`) into the target. Returns true
    /// when the whole staging folder became the target (then `excluded` files moved with it).
    /// - Throws: ``FileWriteError`` naming the target file that could not be written.
    @discardableResult
    public func moveIntoPlace(excluding excluded: Set<String> = []) throws -> Bool {
        let fm = FileManager.default
        if !fm.fileExists(atPath: target.path), rename(staging.path, target.path) == 0 { return true }
        try createFolder(target)
        let names = ((try? fm.contentsOfDirectory(atPath: staging.path)) ?? []).filter { !excluded.contains($0) }.sorted()
        // Every destination is checked before the first rename: a folder in the way of one
        // file must not leave the files before it moved in (all or nothing).
        for name in names {
            var isFolder: ObjCBool = false
            let to = target.appendingPathComponent(name).path
            if fm.fileExists(atPath: to, isDirectory: &isFolder), isFolder.boolValue { throw FileWriteError.posix(to, EISDIR) }
        }
        if access(target.path, W_OK) != 0 { throw FileWriteError.posix(target.path, errno) }
        for name in names {
            let to = target.appendingPathComponent(name).path
            guard rename(staging.appendingPathComponent(name).path, to) == 0 else { throw FileWriteError.posix(to, errno) }
        }
        return false
    }

    /// Removes the staging folder and anything left in it.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
    }
}

/// Why `path` cannot serve as an output folder (created if missing): empty, or an existing
/// file of that name; nil when it can.
public func folderProblem(_ path: String) -> String? {
    guard !path.isEmpty else { return "cannot use '' as a folder: the path is empty" }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        return "cannot use \(path) as a folder: a file of that name exists"
    }
    return nil
}
