import Foundation

/// A field of /proc/self/status (e.g. `VmHWM`, the peak resident size, or `VmRSS`),
/// in bytes; 0 where the file does not exist (not Linux).
func memoryStatus(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes * 1024
    }
    return 0
}

/// Peak resident set size of this process (VmHWM) in MiB.
func peakResidentMiB() -> Double { memoryStatus("VmHWM") / 1_048_576 }
