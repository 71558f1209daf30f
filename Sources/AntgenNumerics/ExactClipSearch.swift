import Dispatch

/// A buffer written by concurrent workers at disjoint indices.
///
/// Each worker owns a disjoint index range, so no two threads touch the same element;
/// that is what makes the unchecked `Sendable` sound.
struct DisjointWrites<Element>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>

    init(_ pointer: UnsafeMutableBufferPointer<Element>) { self.pointer = pointer }

    @inline(__always)
    func write(_ value: Element, at index: Int) { pointer[index] = value }
}

/// A read-only buffer shared by concurrent workers.
struct SharedReads<Element>: @unchecked Sendable {
    let pointer: UnsafeBufferPointer<Element>

    init(_ pointer: UnsafeBufferPointer<Element>) { self.pointer = pointer }
}

/// How a tensor splits into channels: `count` contiguous runs of `length` elements.
struct ChannelLayout: Sendable {
    let count: Int
    let length: Int

    func range(of channel: Int) -> Range<Int> { channel * length ..< (channel + 1) * length }
}

/// Per-channel results of the clip search for every candidate grid.
///
/// Errors are in units of 2^(2E), E the exponent of the tensor's largest |x| (see
/// `meanSquaredError`).
struct ClipSearchTable: Sendable {
    /// max |x| per channel.
    var bases: [Double]
    /// For each grid, the chosen ratio i (percent) per channel.
    var percents: [[Int]]
    /// For each grid, the minimum MSE per channel.
    var meanSquaredErrors: [[Double]]
}

/// The exact clip search (spec §4) over all candidate grids at once, both cores.
///
/// Each channel is sorted once; each (grid, ratio) then costs O(grid · log n). The strictly
/// smallest squared error wins, in ascending ratio order, compared exactly in double-double.
/// Results depend only on the data, never on how channels are spread over threads.
func exactClipSearch<Element: BinaryFloatingPoint & Sendable>(
    _ data: UnsafeBufferPointer<Element>, layout: ChannelLayout, grids: [PreparedGrid], ratios: Range<Int>, workers: Int,
    tensorExponent: Int
) -> ClipSearchTable {
    var bases = [Double](repeating: 0, count: layout.count)
    var percents = [Int](repeating: ratios.lowerBound, count: layout.count * grids.count)
    var errors = [Double](repeating: 0, count: layout.count * grids.count)
    let input = SharedReads(data)
    bases.withUnsafeMutableBufferPointer { basesPointer in
        percents.withUnsafeMutableBufferPointer { percentsPointer in
            errors.withUnsafeMutableBufferPointer { errorsPointer in
                let basesOut = DisjointWrites(basesPointer)
                let percentsOut = DisjointWrites(percentsPointer)
                let errorsOut = DisjointWrites(errorsPointer)
                if layout.count < workers {
                    // Few long channels: spread the candidates of each channel over the workers.
                    var channel = SortedChannel<Element>()
                    for index in 0 ..< layout.count {
                        channel.load(UnsafeBufferPointer(rebasing: input.pointer[layout.range(of: index)]), tensorExponent: tensorExponent)
                        basesOut.write(channel.base, at: index)
                        searchCandidatesConcurrently(channel, grids: grids, ratios: ratios) { grid, percent, error in
                            percentsOut.write(percent, at: grid * layout.count + index)
                            errorsOut.write(error, at: grid * layout.count + index)
                        }
                    }
                    return
                }
                let chunkCount = min(layout.count, workers * 8)
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    var channel = SortedChannel<Element>()
                    let first = chunk * layout.count / chunkCount
                    let last = (chunk + 1) * layout.count / chunkCount
                    for index in first ..< last {
                        channel.load(UnsafeBufferPointer(rebasing: input.pointer[layout.range(of: index)]), tensorExponent: tensorExponent)
                        basesOut.write(channel.base, at: index)
                        for (gridIndex, grid) in grids.enumerated() {
                            let best = bestRatio(channel, grid: grid, ratios: ratios)
                            percentsOut.write(best.percent, at: gridIndex * layout.count + index)
                            errorsOut.write(best.meanSquaredError, at: gridIndex * layout.count + index)
                        }
                    }
                }
            }
        }
    }
    return ClipSearchTable(
        bases: bases,
        percents: (0 ..< grids.count).map { Array(percents[$0 * layout.count ..< ($0 + 1) * layout.count]) },
        meanSquaredErrors: (0 ..< grids.count).map { Array(errors[$0 * layout.count ..< ($0 + 1) * layout.count]) }
    )
}

/// The channel's best ratio for one grid: strict minimum, first wins. An all-zero channel
/// (base 0) quantizes to zero with error 0 at the first ratio (spec §4 decision 3).
func bestRatio<Element>(_ channel: SortedChannel<Element>, grid: PreparedGrid, ratios: Range<Int>) -> (percent: Int, meanSquaredError: Double) {
    guard channel.base > 0 else { return (ratios.lowerBound, 0) }
    var bestPercent = ratios.lowerBound
    var bestError = channel.squaredError(grid: grid, percent: ratios.lowerBound)
    for percent in ratios.dropFirst() {
        let error = channel.squaredError(grid: grid, percent: percent)
        if error < bestError {
            bestError = error
            bestPercent = percent
        }
    }
    return (bestPercent, meanSquaredError(bestError, channel: channel))
}

/// The channel's MSE in units of 2^(2E), E the exponent of the tensor's largest |x|:
/// divides by the channel length and undoes the channel's power-of-two scaling relative to
/// the tensor's (a factor 2^(2(e − E)) ≤ 1, so it never overflows, whatever the data's
/// magnitude). Errors of one tensor's channels add and compare in these units.
func meanSquaredError<Element>(_ scaledTotal: DoubleDouble, channel: SortedChannel<Element>) -> Double {
    let scaledMean = scaledTotal.value / Double(channel.count)
    let channelExponent = -channel.scale.exponent
    return Double(sign: .plus, exponent: 2 * (channelExponent - channel.tensorExponent), significand: max(0, scaledMean))
}

/// Evaluates every (grid, ratio) of one channel concurrently, then picks each grid's
/// strict minimum sequentially in ratio order, so the choice matches `bestRatio`.
private func searchCandidatesConcurrently<Element: BinaryFloatingPoint & Sendable>(
    _ channel: SortedChannel<Element>, grids: [PreparedGrid], ratios: Range<Int>,
    record: (Int, Int, Double) -> Void
) {
    guard channel.base > 0 else {
        for grid in grids.indices { record(grid, ratios.lowerBound, 0) }
        return
    }
    var totals = [DoubleDouble](repeating: .zero, count: grids.count * ratios.count)
    totals.withUnsafeMutableBufferPointer { pointer in
        let output = DisjointWrites(pointer)
        DispatchQueue.concurrentPerform(iterations: grids.count * ratios.count) { item in
            let grid = grids[item / ratios.count]
            output.write(channel.squaredError(grid: grid, percent: ratios.lowerBound + item % ratios.count), at: item)
        }
    }
    for grid in grids.indices {
        var best = 0
        for offset in 1 ..< ratios.count where totals[grid * ratios.count + offset] < totals[grid * ratios.count + best] {
            best = offset
        }
        record(grid, ratios.lowerBound + best, meanSquaredError(totals[grid * ratios.count + best], channel: channel))
    }
}
