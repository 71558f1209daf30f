import Dispatch

/// A grid as the reference holds it on the GPU: float32 values g = fl(v · fl(fl(1/v_max) · 10)),
/// so the top is 10 give or take an ulp.
struct CompatGrid: Sendable {
    let format: NumberFormat
    /// Distinct normalised values, ascending.
    let values: [Float]
    /// max(g), the divisor of the scale s = α / max(g).
    let maxValue: Float
    /// The index of 0 in `values` (where the reference's kernel sends far-away values and NaN).
    let zeroIndex: Int

    /// thresholds[k − 1] is the smallest float32 x_s for which the kernel's choice (before
    /// the far rule) is value k or above; the choice is the number of thresholds ≤ x_s.
    let thresholds: [Float]
    /// thresholds and values, each broadcast to eight lanes, for the search kernel.
    let broadcastThresholds: [SIMD8<Float>]
    let broadcastValues: [SIMD8<Float>]

    init(format: NumberFormat) {
        self.format = format
        let real = format.distinctValues.map { Float($0 * format.unit) }
        let top = real[real.count - 1]
        let normaliser = (1 / top) * 10
        let values = real.map { $0 * normaliser }
        self.values = values
        maxValue = values.max() ?? 10
        zeroIndex = real.firstIndex(of: 0) ?? 0
        thresholds = values.indices.dropFirst().map { Self.threshold(values, $0) }
        broadcastThresholds = thresholds.map { SIMD8(repeating: $0) }
        broadcastValues = values.map { SIMD8(repeating: $0) }
    }

    /// The reference kernel's choice: the smallest float32 distance |fl(x − g)|, the later
    /// (larger) grid value on equal distances, and 0 when every distance exceeds 102,400
    /// or x is NaN. Distances grow away from x's two neighbours, so only they are compared;
    /// which neighbour wins is monotone in x, so counting thresholds gives the same answer.
    @inline(__always)
    func nearestIndex(_ x: Float) -> Int {
        let chosen = choice(x)
        let distance = x - values[chosen]
        return distance <= 102_400 && distance >= -102_400 ? chosen : zeroIndex
    }

    /// The kernel's choice before the far rule: the number of thresholds ≤ x (0 for NaN).
    @inline(__always)
    func choice(_ x: Float) -> Int {
        var low = 0
        var count = thresholds.count
        while count > 0 {
            let half = count >> 1
            if thresholds[low + half] <= x {
                low += half + 1
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }

    /// The choice between neighbours as the kernel makes it (binary search for x's
    /// neighbours, then the smaller float32 distance, the later one on ties), without the
    /// far rule; defined for every non-NaN x.
    private static func neighbourChoice(_ values: [Float], _ x: Float) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] > x { high = middle } else { low = middle + 1 }
        }
        if low == 0 { return 0 }
        if low == values.count { return low - 1 }
        return abs(x - values[low]) <= abs(x - values[low - 1]) ? low : low - 1
    }

    /// The smallest float32 in (values[k − 1], values[k]] whose choice is k or above,
    /// found by bisection over the floats in order (the choice is monotone in x).
    private static func threshold(_ values: [Float], _ k: Int) -> Float {
        func key(_ x: Float) -> Int64 {
            x.sign == .minus ? -Int64(x.magnitude.bitPattern) : Int64(x.bitPattern)
        }
        func float(_ key: Int64) -> Float {
            key < 0 ? -Float(bitPattern: UInt32(-key)) : Float(bitPattern: UInt32(key))
        }
        var below = key(values[k - 1])
        var atOrAbove = key(values[k])
        while atOrAbove - below > 1 {
            let middle = below + (atOrAbove - below) / 2
            if neighbourChoice(values, float(middle)) >= k { atOrAbove = middle } else { below = middle }
        }
        return float(atOrAbove)
    }
}

/// The reference's float32 sequence for one channel and one clip ratio.
enum CompatArithmetic {
    /// The reference's initial "best score" (per-channel and per-tensor searches alike).
    static let initialBestScore: Float = 1e10

    /// α = fl(base · fl32(i · 0.01)), the ratio formed in double precision by Python first.
    @inline(__always)
    static func alpha(base: Float, percent: Int) -> Float {
        base * Float(Double(percent) * 0.01)
    }

    /// The reference's dequantised value of one element: x_s = fl(x/s), q = nearest grid
    /// value, the straight-through fl(fl(q − x_s) + x_s), times s.
    @inline(__always)
    static func dequantize(_ x: Float, scale: Float, grid: CompatGrid) -> (index: Int, value: Float) {
        let scaled = x / scale
        let index = grid.nearestIndex(scaled)
        let passed = (grid.values[index] - scaled) + scaled
        return (index, passed * scale)
    }
}

/// Per-channel results of the compat search for each grid.
struct CompatSearchTable: Sendable {
    var bases: [Float]
    var alphas: [[Float]]
    var scores: [[Float]]
}

/// Runs the compat search of every grid over every channel, channels spread over the
/// workers (with fewer channels than workers, each grid runs on its own worker).
func compatClipSearch(_ data: UnsafeBufferPointer<Float>, layout: ChannelLayout, grids: [CompatGrid], ratios: Range<Int>, workers: Int) -> CompatSearchTable {
    var bases = [Float](repeating: 0, count: layout.count)
    var alphas = [Float](repeating: 0, count: layout.count * grids.count)
    var scores = [Float](repeating: 0, count: layout.count * grids.count)
    let input = SharedReads(data)
    bases.withUnsafeMutableBufferPointer { basesPointer in
        alphas.withUnsafeMutableBufferPointer { alphasPointer in
            scores.withUnsafeMutableBufferPointer { scoresPointer in
                let basesOut = DisjointWrites(basesPointer)
                let alphasOut = DisjointWrites(alphasPointer)
                let scoresOut = DisjointWrites(scoresPointer)
                let chunkCount = max(1, min(layout.count, workers * 8))
                let gridPerItem = layout.count < workers
                DispatchQueue.concurrentPerform(iterations: gridPerItem ? chunkCount * grids.count : chunkCount) { item in
                    let chunk = gridPerItem ? item / grids.count : item
                    let gridRange = gridPerItem ? item % grids.count ..< item % grids.count + 1 : 0 ..< grids.count
                    let first = chunk * layout.count / chunkCount
                    let last = (chunk + 1) * layout.count / chunkCount
                    for index in first ..< last {
                        let channel = UnsafeBufferPointer(rebasing: input.pointer[layout.range(of: index)])
                        let base = channel.reduce(Float(0)) { max($0, abs($1)) }
                        basesOut.write(base, at: index)
                        for gridIndex in gridRange {
                            let best = CompatSearchKernel.search(channel, base: base, grid: grids[gridIndex], ratios: ratios)
                            alphasOut.write(best.alpha, at: gridIndex * layout.count + index)
                            scoresOut.write(best.score, at: gridIndex * layout.count + index)
                        }
                    }
                }
            }
        }
    }
    return CompatSearchTable(
        bases: bases,
        alphas: (0 ..< grids.count).map { Array(alphas[$0 * layout.count ..< ($0 + 1) * layout.count]) },
        scores: (0 ..< grids.count).map { Array(scores[$0 * layout.count ..< ($0 + 1) * layout.count]) }
    )
}

/// Quantizes every element with the reference's float32 sequence. An all-zero channel
/// gives zeros (the reference produces NaN there; spec §4 decision 3).
func compatQuantize(_ data: UnsafeBufferPointer<Float>, layout: ChannelLayout, grid: CompatGrid, bases: [Float], alphas: [Float]) -> QuantizedElements<Float> {
    var codes = [UInt8](repeating: 0, count: data.count)
    var values = [Float](repeating: 0, count: data.count)
    let codeTable = grid.values.indices.map { UInt8(grid.format.code(forDistinctIndex: $0)) }
    let input = SharedReads(data)
    codes.withUnsafeMutableBufferPointer { codesPointer in
        values.withUnsafeMutableBufferPointer { valuesPointer in
            let codesOut = DisjointWrites(codesPointer)
            let valuesOut = DisjointWrites(valuesPointer)
            let chunks = (data.count + outputChunkSize - 1) / outputChunkSize
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * outputChunkSize
                for index in start ..< min(start + outputChunkSize, input.pointer.count) {
                    let channel = index / layout.length
                    guard bases[channel] > 0 else {
                        codesOut.write(codeTable[grid.zeroIndex], at: index)
                        continue
                    }
                    let scale = alphas[channel] / grid.maxValue
                    let result = CompatArithmetic.dequantize(input.pointer[index], scale: scale, grid: grid)
                    codesOut.write(codeTable[result.index], at: index)
                    valuesOut.write(result.value, at: index)
                }
            }
        }
    }
    return QuantizedElements(codes: codes, dequantized: values)
}
