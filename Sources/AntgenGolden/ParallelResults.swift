import Foundation

/// One slot per iteration of a `DispatchQueue.concurrentPerform`, filled by that iteration
/// and read after it returns: how golden generation keeps case order while it works on
/// every core.
final class ParallelResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    /// `count` empty slots.
    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Slot `index` (each written by exactly one iteration).
    subscript(index: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return slots[index] }
        set { lock.lock(); slots[index] = newValue; lock.unlock() }
    }

    /// Every slot, in order.
    var values: [Value?] { lock.lock(); defer { lock.unlock() }; return slots }
}
