import AntgenSupport
import Foundation

/// Verilator builds of the layer runs' streaming benches (the SDP stream bench, the replay
/// bench's stream mode), kept in the run's cache folder under a content key: Verilator's
/// version, every source file and every build argument, so a changed file, argument or
/// Verilator never reuses a stale binary. A build happens in a temporary folder, keeps only
/// its binary, records the binary's size and hash last (`build.ok`), and is renamed into
/// place; a cached folder whose record does not match its binary is rebuilt.
struct StreamBenchCache {
    /// The cache folder (``LayerRunRequest/cacheDirectory``).
    let directory: URL
    /// Verilator.
    let verilator: ExternalTool

    /// The record written last into a complete build.
    static let stampFile = "build.ok"

    /// The key of a build of `files` (name, text) with `arguments`.
    func key(_ files: [(String, String)], arguments: [String]) -> String {
        var hash = ContentHash()
        hash.add("antgen-stream-bench-v1")
        hash.add((try? verilator.withTimeout(min(verilator.timeout, 60)).run(["--version"]))?.output ?? "unknown verilator")
        for (name, text) in files { hash.add(name); hash.add(text) }
        arguments.forEach { hash.add($0) }
        return hash.hex
    }

    /// `size hash` of `binary`, nil when it cannot be read.
    static func stamp(_ binary: URL) -> String? {
        guard let bytes = FileManager.default.contents(atPath: binary.path) else { return nil }
        return "\(bytes.count) \(ContentHash(bytes: bytes).hex)\n"
    }

    /// True when `folder` holds an executable `binary` that matches its record.
    static func complete(_ folder: URL, binary: String) -> Bool {
        let executable = folder.appendingPathComponent(binary)
        guard FileManager.default.isExecutableFile(atPath: executable.path),
              let recorded = try? String(contentsOf: folder.appendingPathComponent(stampFile), encoding: .utf8) else { return false }
        return recorded == stamp(executable)
    }

    /// The binary `binary` (a path inside the build folder) of the build `label`-`key`:
    /// the cached one when complete, else made by `build(folder)` in a fresh folder.
    /// - Throws: whatever `build` throws; ``HarnessError`` when the folder cannot be placed.
    func binary(label: String, key: String, binary: String, build: (URL) throws -> Void) throws -> (executable: URL, seconds: Double) {
        let fm = FileManager.default
        let final = directory.appendingPathComponent("\(label)-\(key.prefix(16))")
        let executable = final.appendingPathComponent(binary)
        if Self.complete(final, binary: binary) { return (executable, 0) }
        // One build per entry: a second thread or process wanting it waits, then finds it.
        return try withBuildLock(directory, label: final.lastPathComponent) {
            if Self.complete(final, binary: binary) { return (executable, 0) }
            try? fm.removeItem(at: final)
            return try place(final, binary: binary, build: build)
        }
    }

    /// Builds with `build` in a temporary folder and renames it to `final` (the caller
    /// holds the entry's lock).
    private func place(_ final: URL, binary: String, build: (URL) throws -> Void) throws -> (executable: URL, seconds: Double) {
        let fm = FileManager.default
        let executable = final.appendingPathComponent(binary)
        let start = Date()
        try createFolder(directory)
        let temp = directory.appendingPathComponent(".tmp-\(final.lastPathComponent)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        InterruptCleanup.track(temp)
        defer { try? fm.removeItem(at: temp); InterruptCleanup.untrack(temp) }
        try build(temp)
        let built = temp.appendingPathComponent(binary)
        let folder = built.deletingLastPathComponent()
        for entry in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where entry != built.lastPathComponent {
            try? fm.removeItem(at: folder.appendingPathComponent(entry))
        }
        guard let stamp = Self.stamp(built) else { throw HarnessError("the verilator build left no \(binary)") }
        try writeAtomically(stamp, to: temp.appendingPathComponent(Self.stampFile))
        if rename(temp.path, final.path) != 0 && !Self.complete(final, binary: binary) {
            throw HarnessError("cannot move the build into the cache at \(final.path)")
        }
        return (executable, Date().timeIntervalSince(start))
    }
}
