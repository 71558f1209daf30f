import Dispatch

/// Codes and dequantised values of one tensor for a chosen grid and per-channel α.
struct QuantizedElements<Element> {
    var codes: [UInt8]
    var dequantized: [Element]
}

/// Elements per work item of the output passes.
let outputChunkSize = 1 << 15

/// Allocates the codes and values of `count` elements and fills them on every core, one
/// call of `fill` per chunk of `outputChunkSize` consecutive elements.
func quantizeInChunks<Element: BinaryFloatingPoint & Sendable>(
    count: Int, _ fill: @Sendable (Range<Int>, DisjointWrites<UInt8>, DisjointWrites<Element>) -> Void
) -> QuantizedElements<Element> {
    var codes = [UInt8](repeating: 0, count: count)
    var dequantized = [Element](repeating: 0, count: count)
    codes.withUnsafeMutableBufferPointer { codesPointer in
        dequantized.withUnsafeMutableBufferPointer { valuesPointer in
            let codesOut = DisjointWrites(codesPointer)
            let valuesOut = DisjointWrites(valuesPointer)
            let chunks = (count + outputChunkSize - 1) / outputChunkSize
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * outputChunkSize
                fill(start ..< min(start + outputChunkSize, count), codesOut, valuesOut)
            }
        }
    }
    return QuantizedElements(codes: codes, dequantized: dequantized)
}

/// Quantizes every element with the exact nearest rule of `PreparedGrid` and the channel's
/// chosen ratio; dequantised values are (α · g) / q_max rounded to the element type.
func exactQuantize<Element: BinaryFloatingPoint & Sendable>(
    _ data: UnsafeBufferPointer<Element>, layout: ChannelLayout, grid: PreparedGrid,
    bases: [Double], percents: [Int]
) -> QuantizedElements<Element> {
    let zeroIndex = grid.values.firstIndex(of: 0) ?? 0
    let codeTable = grid.values.indices.map { UInt8(grid.format.code(forDistinctIndex: $0)) }
    let input = SharedReads(data)
    return quantizeInChunks(count: data.count) { range, codesOut, valuesOut in
        var channel = -1
        var levels: [Element] = []
        var scaledBase = 0.0
        var scale = BinaryScale.one
        var percent = 0.0
        for index in range {
            if index / layout.length != channel {
                channel = index / layout.length
                let base = bases[channel]
                scale = BinaryScale(normalizing: base)
                scaledBase = scale.apply(base)
                percent = Double(percents[channel])
                // In the channel's normalised units, then scaled back exactly: the same
                // values as (α · g) / q_max for ordinary data, and no overflow near 1e308.
                let alpha = PreparedGrid.alpha(base: scaledBase, percent: percents[channel])
                let unscale = scale
                levels = grid.values.indices.map { Element(unscale.undo(grid.dequantized($0, alpha: alpha))) }
            }
            let k = scaledBase > 0
                ? grid.nearestIndex(scale.apply(Double(input.pointer[index])), base: scaledBase, percent: percent)
                : zeroIndex
            codesOut.write(codeTable[k], at: index)
            valuesOut.write(scaledBase > 0 ? levels[k] : 0, at: index)
        }
    }
}
