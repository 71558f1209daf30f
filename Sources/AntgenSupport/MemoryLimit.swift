import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory a command may plan to use: work whose estimate exceeds it is refused
/// before anything is built or allocated, with the estimate in the message (docs/reliability.md).
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in bytes.
    public let bytes: Int

    /// A limit of `bytes`.
    public init(bytes: Int) { self.bytes = bytes }

    /// The default: half of the smaller of the machine's memory and the process's address-space
    /// limit (`ulimit -v`, `prlimit --as`), so a capped process refuses instead of dying in an
    /// allocation.
    public static var standard: MemoryLimit {
        var limit = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        var rl = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &rl) == 0, rl.rlim_cur != rlim_t.max {
            limit = min(limit, Int(clamping: rl.rlim_cur))
        }
        return MemoryLimit(bytes: limit / 2)
    }

    /// Parses `--max-memory`: a byte count with an optional K, M, G or T suffix (powers of 1024),
    /// e.g. `512M`, `64G`.
    /// - Throws: ``MemoryLimitError`` for anything else, zero, or more than 2^62 bytes.
    public static func parse(_ text: String) throws -> MemoryLimit {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(trimmed), scale = 1
        if let last = trimmed.last, let unit = units[last] {
            digits = trimmed.dropLast()
            scale = unit
        } else if trimmed.hasSuffix("B") {
            digits = trimmed.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0, value * Double(scale) <= 0x1p62 else {
            throw MemoryLimitError("invalid max-memory: '\(text)' (a size such as 512M, 16G or 2T, at most 4096T)")
        }
        return MemoryLimit(bytes: Int(value * Double(scale)))
    }

    /// Refuses an estimate above the limit: `what` names the work, `option` the flag that raises it.
    /// - Throws: ``MemoryLimitError`` with the estimate and the limit.
    public func check(_ estimate: Int, for what: String, option: String = "--max-memory") throws {
        guard estimate > bytes else { return }
        throw MemoryLimitError("\(what) needs about \(Self.format(estimate)) of memory, more than the limit of \(self) "
            + "(half of the machine's memory or of the process's address-space limit); raise it with \(option) SIZE, or split the work")
    }

    /// The limit as a size (`11.5 GB`).
    public var description: String { Self.format(bytes) }

    /// A byte count in decimal units, 3 significant digits.
    public static func format(_ bytes: Int) -> String {
        let value = Double(bytes)
        for (unit, scale) in [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)] where value >= scale {
            return String(format: "%.3g %@", value / scale, unit)
        }
        return "\(bytes) B"
    }
}

/// A refused estimate or a bad `--max-memory`: one line.
public struct MemoryLimitError: Error, Sendable, CustomStringConvertible {
    /// The line shown to the user.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// Saturating arithmetic for estimates from user-given sizes: a product or sum that leaves
/// `Int` is `Int.max` (always above any limit), never a trap.
public enum SizeEstimate {
    /// `a · b`, saturated at `Int.max` (negative factors count as 0).
    public static func product(_ factors: Int...) -> Int {
        factors.reduce(1) { acc, f in
            let (p, overflow) = acc.multipliedReportingOverflow(by: max(f, 0))
            return overflow ? Int.max : p
        }
    }

    /// `a + b + …`, saturated at `Int.max`.
    public static func sum(_ terms: Int...) -> Int {
        terms.reduce(0) { acc, t in
            let (s, overflow) = acc.addingReportingOverflow(max(t, 0))
            return overflow ? Int.max : s
        }
    }
}
