import Dispatch

/// The axis of a row-major matrix along which SDP groups are formed (spec §8.2).
public enum SdpGroupAxis: String, Hashable, Sendable, CaseIterable {
    /// Consecutive columns of one row: the reduction axis of an activation matrix A (M × K).
    case columns
    /// Consecutive rows of one column.
    case rows
}

/// What a masking pass kept and dropped (spec §8): the figures `antgen quantize --mode sdp`
/// reports.
public struct SdpStatistics: Hashable, Sendable {
    /// Groups formed (the last group along the axis may be shorter than G).
    public var groups = 0
    /// Values masked.
    public var values = 0
    /// Issue slots: groups · T (the hardware's term steps).
    public var slots = 0
    /// Kept parts that are nonzero.
    public var keptNonzero = 0
    /// Kept nonzero high parts.
    public var keptHigh = 0
    /// Kept nonzero low parts.
    public var keptLow = 0
    /// Nonzero parts that were dropped.
    public var droppedNonzero = 0
    /// Nonzero high parts that were dropped.
    public var droppedHigh = 0
    /// Values that kept every nonzero part (unchanged by the mask).
    public var exactValues = 0

    /// Creates empty statistics.
    public init() {}

    /// Kept slots holding a zero part (no-op steps of the fixed schedule).
    public var zeroSlots: Int { slots - keptNonzero }
    /// Average kept parts per value including no-op slots: T/G for full groups.
    public var slotsPerValue: Double { values == 0 ? 0 : Double(slots) / Double(values) }

    /// The two statistics summed.
    public static func + (a: SdpStatistics, b: SdpStatistics) -> SdpStatistics {
        var s = a
        s.groups += b.groups; s.values += b.values; s.slots += b.slots
        s.keptNonzero += b.keptNonzero; s.keptHigh += b.keptHigh; s.keptLow += b.keptLow
        s.droppedNonzero += b.droppedNonzero; s.droppedHigh += b.droppedHigh; s.exactValues += b.exactValues
        return s
    }
}

/// A masked matrix: every value replaced by the sum of its kept parts.
public struct SdpMasked: Sendable {
    /// The kept values, row-major, same shape as the input.
    public let values: [Int]
    /// What was kept.
    public let statistics: SdpStatistics
}

/// Applies the SDP mask to a row-major `rows × cols` integer matrix, groups of G along `axis`.
///
/// The SDP product of the matrix with any weights is the exact product of the returned
/// kept values (selection depends on the activations only, spec §8.6), so GEMMs need no
/// other SDP code. The work is split over the machine's cores in chunks of whole lines.
/// - Throws: ``SdpError`` when the shape does not match or a value is out of range.
public func sdpMask(_ matrix: [Int], rows: Int, cols: Int, signed: Bool, parameters p: SdpParameters,
                    axis: SdpGroupAxis = .columns) throws(SdpError) -> SdpMasked {
    guard rows >= 0, cols >= 0, rows * cols == matrix.count else {
        throw SdpError("matrix of \(matrix.count) values is not \(rows) × \(cols)")
    }
    let range = p.split.range(signed: signed)
    if let bad = matrix.first(where: { !range.contains($0) }) {
        throw SdpError("\(bad) is not a\(signed ? " signed" : "n unsigned") \(p.split.totalBits)-bit integer")
    }
    // A line is one row (axis .columns) or one column (axis .rows).
    let lines = axis == .columns ? rows : cols
    let length = axis == .columns ? cols : rows
    let along = axis == .columns ? 1 : cols        // stride between neighbours in a group
    let across = axis == .columns ? cols : 1       // stride between lines
    var out = Array(repeating: 0, count: matrix.count)
    let chunks = max(1, min(lines, 64))
    var partial = Array(repeating: SdpStatistics(), count: chunks)
    matrix.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
            partial.withUnsafeMutableBufferPointer { stats in
                let inBase = input.baseAddress, outBase = output.baseAddress, statBase = stats.baseAddress
                nonisolated(unsafe) let source = inBase, target = outBase, sink = statBase
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let first = lines * chunk / chunks, last = lines * (chunk + 1) / chunks
                    var s = SdpStatistics()
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * p.group) { keys in
                        for line in first..<last {
                            var start = 0
                            while start < length {
                                let count = min(p.group, length - start)
                                let offset = line * across + start * along
                                maskGroup(source! + offset, target! + offset, stride: along, count: count,
                                          parameters: p, keys: keys, statistics: &s)
                                start += count
                            }
                        }
                    }
                    sink![chunk] = s
                }
            }
        }
    }
    return SdpMasked(values: out, statistics: partial.reduce(SdpStatistics(), +))
}

/// Masks one group in place (`count` ≤ G values at `stride`), the fast path of
/// ``sdpSelect(_:signed:parameters:)``: each part gets a unique key
/// `magnitude · 256 + (255 − order)`, order = 2·position + (low ? 1 : 0), so a larger key
/// outranks a smaller one exactly as spec §8.3 says; the T largest keys are kept.
@inline(__always)
private func maskGroup(_ input: UnsafePointer<Int>, _ output: UnsafeMutablePointer<Int>, stride: Int, count: Int,
                       parameters p: SdpParameters, keys: UnsafeMutableBufferPointer<Int>, statistics s: inout SdpStatistics) {
    let l = p.split.lowBits, lowMask = (1 << l) - 1
    let n = 2 * p.group
    for position in 0..<p.group {
        let m = position < count ? input[position * stride].magnitude : 0
        keys[2 * position] = Int(m & ~UInt(lowMask)) << 8 | (255 - 2 * position)
        keys[2 * position + 1] = Int(m & UInt(lowMask)) << 8 | (254 - 2 * position)
    }
    // Partial selection sort: the first T keys become the T largest, in rank order.
    for rank in 0..<p.terms {
        var best = rank
        for j in (rank + 1)..<max(rank + 1, n) where keys[j] > keys[best] { best = j }
        if best != rank { keys.swapAt(rank, best) }
    }
    for position in 0..<count { output[position * stride] = 0 }
    var keptHere = 0, keptHighHere = 0
    for rank in 0..<p.terms {
        let key = keys[rank]
        let order = 255 - (key & 255)
        let position = order >> 1
        let magnitude = key >> 8
        guard magnitude != 0 else { continue }
        keptHere += 1
        if order & 1 == 0 { keptHighHere += 1 }
        let x = input[position * stride]
        output[position * stride] += x < 0 ? -magnitude : magnitude
    }
    var nonzero = 0, highs = 0
    for position in 0..<count {
        let m = input[position * stride].magnitude
        if m >> l != 0 { nonzero += 1; highs += 1 }
        if m & UInt(lowMask) != 0 { nonzero += 1 }
        if output[position * stride] == input[position * stride] { s.exactValues += 1 }
    }
    s.keptNonzero += keptHere
    s.keptHigh += keptHighHere
    s.keptLow += keptHere - keptHighHere
    s.droppedNonzero += nonzero - keptHere
    s.droppedHigh += highs - keptHighHere
    s.groups += 1
    s.values += count
    s.slots += p.terms
}
