import AntgenGolden
import AntgenNumerics
import AntgenSupport
import Foundation

/// The `--keep-vectors` folder, written whole or not at all (a ``StagedFolder``, removed on
/// Ctrl-C by ``InterruptCleanup``, moved into place after generation).
struct KeptVectorFolder {
    private let folder: StagedFolder

    /// Sweeps abandoned staging folders of `target` and creates a new one.
    init(target: URL) throws {
        folder = try StagedFolder(target: target)
        InterruptCleanup.track(folder.staging)
    }

    /// Writes `file` as `name` into the staging folder; an error names the file as it will
    /// be in the target, not the hidden staging path.
    func write(_ file: VectorFile, named name: String) throws -> URL {
        let url = folder.staging.appendingPathComponent(name)
        do {
            try file.write(to: url)
        } catch {
            throw HarnessError(describeFileError(error, path: folder.target.appendingPathComponent(name).path))
        }
        return url
    }

    /// Moves the staged files into the target and returns the new URL of each staged one.
    func commit() throws -> [URL: URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.staging.path)
        _ = try InterruptCleanup.committing(folder.staging) { try folder.moveIntoPlace() }
        folder.discard()
        return Dictionary(uniqueKeysWithValues: names.map {
            (folder.staging.appendingPathComponent($0), folder.target.appendingPathComponent($0))
        })
    }

    /// Removes the staging folder (after a failure before the commit).
    func discard() {
        folder.discard()
        InterruptCleanup.untrack(folder.staging)
    }
}
