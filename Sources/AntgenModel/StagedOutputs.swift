import Foundation
import AntgenNumerics

/// Several output files written all-or-nothing: each is written in full to a hidden staging
/// file beside its target, and only when all are written are they renamed into place (if a
/// rename fails, the targets already renamed are removed again, so no mix of new and
/// missing outputs is left).
public struct StagedOutputs {
    private var staged: [(temp: String, target: String)] = []

    /// Creates an empty set.
    public init() {}

    /// Stages a float32 `.npy` array for `target`.
    ///
    /// - Throws: ``ModelError`` when the staging file cannot be written.
    public mutating func stageNpy(_ values: [Float], shape: [Int], target: String) throws(ModelError) {
        let temp = stagingPath(target)
        do { try NpyFile.write(.float32(values), shape: shape, toPath: temp) } catch {
            discard()
            throw ModelError("cannot write \(target): \(error.problem)")
        }
        staged.append((temp, target))
    }

    /// Stages raw bytes for `target`.
    ///
    /// - Throws: ``ModelError`` when the staging file cannot be written.
    public mutating func stage(_ data: Data, target: String) throws(ModelError) {
        let temp = stagingPath(target)
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            discard()
            throw ModelError("cannot write \(target): the file cannot be created")
        }
        staged.append((temp, target))
    }

    /// Renames every staged file into place.
    ///
    /// - Throws: ``ModelError`` when a rename fails (the staging files are removed and the
    ///   targets renamed before it are removed).
    public mutating func commit() throws(ModelError) {
        var done: [String] = []
        for (temp, target) in staged {
            if rename(temp, target) != 0 {
                let reason = String(cString: strerror(errno))
                for path in done { unlink(path) }
                discard()
                throw ModelError("cannot write \(target): \(reason)")
            }
            done.append(target)
        }
        staged = []
    }

    /// Removes the staging files.
    public mutating func discard() {
        for (temp, _) in staged { unlink(temp) }
        staged = []
    }

    private func stagingPath(_ target: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).staged-\(getpid())").path
    }
}
