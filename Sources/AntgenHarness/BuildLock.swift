import AntgenSupport
import Foundation

/// Runs `body` holding the exclusive lock of the cache entry `label` in `cacheDirectory`
/// (a ``FolderLock`` on `.antgen-lock-<label>` beside the entry), so threads and processes
/// that need one build wait for each other instead of building it twice: `body` re-checks
/// the cache first and finds the build a holder before it made.
/// - Throws: what `body` throws; ``HarnessError`` when the lock file cannot be created.
func withBuildLock<T>(_ cacheDirectory: URL, label: String, _ body: () throws -> T) throws -> T {
    try createFolder(cacheDirectory)
    let path = cacheDirectory.appendingPathComponent(".antgen-lock-\(label)").path
    let lock: FolderLock
    do {
        lock = try FolderLock(path: path, shownAs: cacheDirectory.path) {}
    } catch {
        throw HarnessError("cannot lock the build cache: \(error)")
    }
    let result = Result { try body() }
    _ = consume lock
    return try result.get()
}
