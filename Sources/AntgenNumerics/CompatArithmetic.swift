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

    init(format: NumberFormat) {
        self.format = format
        let real = format.distinctValues.map { Float($0 * format.unit) }
        let top = real[real.count - 1]
        let normaliser = (1 / top) * 10
        values = real.map { $0 * normaliser }
        maxValue = values.max() ?? 10
        zeroIndex = real.firstIndex(of: 0) ?? 0
    }

    /// The reference kernel's choice: the smallest float32 distance |fl(x − g)|, the later
    /// (larger) grid value on equal distances, and 0 when every distance exceeds 102,400
    /// or x is NaN. Distances grow away from x's two neighbours, so only they are compared.
    @inline(__always)
    func nearestIndex(_ x: Float) -> Int {
        if x.isNaN { return zeroIndex }
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] > x { high = middle } else { low = middle + 1 }
        }
        let chosen: Int
        let distance: Float
        if low == 0 {
            chosen = 0
            distance = abs(x - values[0])
        } else if low == values.count {
            chosen = low - 1
            distance = abs(x - values[low - 1])
        } else {
            let below = abs(x - values[low - 1])
            let above = abs(x - values[low])
            if above <= below {
                chosen = low
                distance = above
            } else {
                chosen = low - 1
                distance = below
            }
        }
        return distance <= 102_400 ? chosen : zeroIndex
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

    /// The channel MSE in float32: squared errors formed in float32, summed in double (the
    /// GPU's tree reduction is close to exact; this is where near-ties can differ), then
    /// multiplied by fl(1/n) as torch's mean does.
    static func meanSquaredError(_ channel: UnsafeBufferPointer<Float>, base: Float, percent: Int, grid: CompatGrid) -> Float {
        let scale = alpha(base: base, percent: percent) / grid.maxValue
        var sum = 0.0
        for x in channel {
            let error = dequantize(x, scale: scale, grid: grid).value - x
            sum += Double(error * error)
        }
        return Float(sum) * (1 / Float(channel.count))
    }

    /// The reference's search for one channel: ratios in order, strictly smaller score
    /// wins; if none beats 1e10 (all-zero channel: every score is NaN) α stays max|x| and
    /// the score stays 1e10, exactly as in the reference.
    static func search(_ channel: UnsafeBufferPointer<Float>, base: Float, grid: CompatGrid, ratios: Range<Int>) -> (alpha: Float, score: Float) {
        var best = (alpha: base, score: initialBestScore)
        for percent in ratios {
            let score = meanSquaredError(channel, base: base, percent: percent, grid: grid)
            if score < best.score { best = (alpha(base: base, percent: percent), score) }
        }
        return best
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
                            let best = CompatArithmetic.search(channel, base: base, grid: grids[gridIndex], ratios: ratios)
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
