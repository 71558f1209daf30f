import Foundation
import Glibc

/// Temporary folders antgen names `<prefix><label>-<pid>-<id>` (build and work folders in the
/// build cache) that a process killed with SIGKILL left behind.
public enum AbandonedTemporaries {
    /// A folder older than this is abandoned even when its pid is alive again (pids are reused).
    public static let maximumAge: TimeInterval = 7 * 24 * 3600

    /// Removes every entry of `folder` starting with `prefix` whose owner process (the pid
    /// before the last `-`) no longer exists, or that was last modified more than
    /// ``maximumAge`` ago. Returns the names removed. Entries of running processes stay.
    @discardableResult
    public static func remove(in folder: URL, prefix: String = ".tmp-", now: Date = Date()) -> [String] {
        let fm = FileManager.default
        var removed: [String] = []
        for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            let fields = name.split(separator: "-")
            guard fields.count >= 3, let pid = pid_t(fields[fields.count - 2]), pid > 0 else { continue }
            let url = folder.appendingPathComponent(name)
            let dead = kill(pid, 0) != 0 && errno == ESRCH
            let modified = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
            guard dead || (pid != getpid() && now.timeIntervalSince(modified) > maximumAge) else { continue }
            if (try? fm.removeItem(at: url)) != nil { removed.append(name) }
        }
        return removed
    }
}
