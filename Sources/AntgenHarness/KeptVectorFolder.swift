import AntgenGolden
import AntgenNumerics
import AntgenSupport
import Foundation

/// The `--keep-vectors` folder, written whole or not at all.
///
/// The vector files are written into a hidden staging folder beside the target
/// (`.NAME.antgen-staging-<pid>-<id>`, removed on Ctrl-C by ``InterruptCleanup``) and moved
/// into place by ``commit()`` once every file exists: a new target appears by one
/// rename(2); into an existing one each file is renamed over its older version. A staging
/// folder left by a killed run (its pid gone) is removed by the next run into that target.
struct KeptVectorFolder {
    /// Where the files end up.
    let target: URL
    /// Where they are written first.
    let staging: URL

    /// Sweeps abandoned staging folders of `target` and creates a new one.
    init(target: URL) throws {
        self.target = target
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).antgen-staging-"
        try createFolder(parent)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).split(separator: "-").first ?? ""), pid > 0,
                  kill(pid, 0) != 0 && errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
        staging = parent.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try createFolder(staging)
        InterruptCleanup.track(staging)
    }

    /// The staged location of a file named `name`.
    func url(_ name: String) -> URL { staging.appendingPathComponent(name) }

    /// Writes `file` as `name` into the staging folder; an error names the file as it will
    /// be in the target, not the hidden staging path.
    func write(_ file: VectorFile, named name: String) throws -> URL {
        do {
            try file.write(to: url(name))
        } catch {
            throw HarnessError(describeFileError(error, path: target.appendingPathComponent(name).path))
        }
        return url(name)
    }

    /// Moves the staged files into the target and returns the new URL of each staged one.
    func commit() throws -> [URL: URL] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: staging.path)
        return try InterruptCleanup.committing(staging) { () throws -> [URL: URL] in
            var moved: [URL: URL] = [:]
            for name in names { moved[url(name)] = target.appendingPathComponent(name) }
            if !fm.fileExists(atPath: target.path) {
                guard rename(staging.path, target.path) == 0 else { throw FileWriteError.posix(target.path, errno) }
                return moved
            }
            for name in names where rename(url(name).path, target.appendingPathComponent(name).path) != 0 {
                throw FileWriteError.posix(target.appendingPathComponent(name).path, errno)
            }
            try? fm.removeItem(at: staging)
            return moved
        }
    }

    /// Removes the staging folder (after a failure before the commit).
    func discard() {
        try? FileManager.default.removeItem(at: staging)
        InterruptCleanup.untrack(staging)
    }
}
