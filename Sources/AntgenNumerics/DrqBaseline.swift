/// The DRQ-style baseline SDP is compared with (spec §8.7): rectangular blocks of the
/// activation matrix whose mean |x| is at or above a threshold keep their N-bit values
/// (two parts per value), the others run at N − L bits: the rounded high part
/// (round(x / 2^L), half away from zero) saturated to the (N − L)-bit range
/// of the same signedness (one part per value).
public struct DrqResult: Sendable {
    /// The mixed-precision values, row-major, same shape as the input.
    public let values: [Int]
    /// The threshold on a block's mean |x| (`.infinity` when no block is sensitive).
    public let threshold: Double
    /// Blocks, and blocks at full precision.
    public let blocks: Int, sensitiveBlocks: Int
    /// Values, and values in full-precision blocks.
    public let valueCount: Int, sensitiveValues: Int
    /// Per block, row-major over the block grid: the block runs at full precision.
    public let sensitive: [Bool]
    /// Blocks per block-grid row.
    public let blockGridCols: Int

    /// Average parts per value: 2 in sensitive blocks, 1 elsewhere.
    public var termsPerValue: Double { valueCount == 0 ? 0 : Double(valueCount + sensitiveValues) / Double(valueCount) }
}

/// The low-precision DRQ value of `x`: round(x / 2^L) saturated to N − L bits, times 2^L.
public func drqLowPrecision(_ x: Int, signed: Bool, split: SdpSplit = .nibbles) -> Int {
    let step = 1 << split.lowBits
    let highBits = split.totalBits - split.lowBits
    let q = Int((Double(x) / Double(step)).rounded(.toNearestOrAwayFromZero))
    let range = signed ? -(1 << (highBits - 1)) ... (1 << (highBits - 1)) - 1 : 0 ... (1 << highBits) - 1
    return min(max(q, range.lowerBound), range.upperBound) * step
}

/// Runs the DRQ-style baseline on a row-major `rows × cols` matrix with blocks of
/// `blockRows × blockCols` (edge blocks are smaller). The threshold is chosen so that the
/// average parts per value is as close as possible to `termsPerValue` (1 … 2): blocks are
/// taken in descending mean |x|, whole tie classes at a time, and the count whose
/// sensitive-value total is nearest the target wins (the smaller count on a tie).
/// - Throws: ``SdpError`` when the shape or the block size is invalid.
public func drqMask(_ matrix: [Int], rows: Int, cols: Int, signed: Bool, blockRows: Int, blockCols: Int,
                    termsPerValue: Double, split: SdpSplit = .nibbles) throws(SdpError) -> DrqResult {
    guard rows * cols == matrix.count else { throw SdpError("matrix of \(matrix.count) values is not \(rows) × \(cols)") }
    guard blockRows >= 1, blockCols >= 1 else { throw SdpError("invalid DRQ block \(blockRows) × \(blockCols)") }
    struct Block { var r0: Int, c0: Int, r1: Int, c1: Int, mean: Double, size: Int }
    var blocks: [Block] = []
    for r0 in stride(from: 0, to: rows, by: blockRows) {
        for c0 in stride(from: 0, to: cols, by: blockCols) {
            let r1 = min(rows, r0 + blockRows), c1 = min(cols, c0 + blockCols)
            var sum = 0
            for r in r0..<r1 { for c in c0..<c1 { sum += abs(matrix[r * cols + c]) } }
            let size = (r1 - r0) * (c1 - c0)
            blocks.append(Block(r0: r0, c0: c0, r1: r1, c1: c1, mean: Double(sum) / Double(size), size: size))
        }
    }
    let order = blocks.indices.sorted { blocks[$0].mean > blocks[$1].mean || (blocks[$0].mean == blocks[$1].mean && $0 < $1) }
    let target = min(max(termsPerValue - 1, 0), 1) * Double(matrix.count)
    // Candidate cuts: after each tie class of means.
    var bestCut = 0, bestDistance = target, taken = 0, i = 0
    while i < order.count {
        var j = i
        while j < order.count && blocks[order[j]].mean == blocks[order[i]].mean { taken += blocks[order[j]].size; j += 1 }
        let distance = (Double(taken) - target).magnitude
        if distance < bestDistance { bestDistance = distance; bestCut = j }
        i = j
    }
    let threshold = bestCut == 0 ? Double.infinity : blocks[order[bestCut - 1]].mean
    var out = matrix
    var sensitiveValues = 0, sensitiveBlocks = 0
    var mask: [Bool] = []
    for b in blocks {
        let sensitive = b.mean >= threshold
        mask.append(sensitive)
        if sensitive { sensitiveBlocks += 1; sensitiveValues += b.size; continue }
        for r in b.r0..<b.r1 { for c in b.c0..<b.c1 { out[r * cols + c] = drqLowPrecision(matrix[r * cols + c], signed: signed, split: split) } }
    }
    return DrqResult(values: out, threshold: threshold, blocks: blocks.count, sensitiveBlocks: sensitiveBlocks,
                     valueCount: matrix.count, sensitiveValues: sensitiveValues, sensitive: mask,
                     blockGridCols: (cols + blockCols - 1) / blockCols)
}

extension DrqResult {
    /// Term steps of the DRQ-style run on a lock-step array of `tileRows` rows with
    /// 1 × `group` blocks along the reduction axis: per tile of rows and group, G steps if no
    /// row's block is sensitive, else 2G (every row of the array waits for the slowest).
    /// - Precondition: the result came from 1 × `group` blocks of a `rows`-row matrix.
    public func lockStepSteps(rows: Int, tileRows: Int, group: Int) -> Int {
        var steps = 0
        for r0 in stride(from: 0, to: rows, by: tileRows) {
            for b in 0..<blockGridCols {
                let any = (r0..<min(rows, r0 + tileRows)).contains { sensitive[$0 * blockGridCols + b] }
                steps += any ? 2 * group : group
            }
        }
        return steps
    }
}
