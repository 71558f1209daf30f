import Foundation
import Dispatch

/// How the real scale of a quantized tensor is chosen.
public enum ScaleKind: String, Sendable, Codable, CaseIterable {
    /// ANT's free α per channel: a code of q units represents α · q / q_max, α from the clip
    /// search over ratios of max|x| (spec §4).
    case alpha
    /// libnumber's bias: the scale is restricted to a power of two, a code of q units
    /// represents q · 2^−bias (dequantisation is a shift); the search is over the bias.
    case bias
}

/// The best scale of one format for one tensor, and the error it leaves.
public struct FormatFit: Sendable, Equatable {
    /// The format fitted.
    public let format: NumberFormat
    /// Free α or power-of-two bias.
    public let scale: ScaleKind
    /// Mean squared error over the whole tensor (the mean of the channels' MSEs), in the
    /// data's units: +∞ or 0 when that leaves float64's range (data near 1e±154).
    public let meanSquaredError: Double
    /// MSE / mean x² (0 for an all-zero tensor), computed on the normalised data: exact and
    /// the same at every magnitude.
    public let relativeError: Double
    /// α per channel (for a bias fit, the equivalent α = q_max · 2^−bias).
    public let alphas: [Double]
    /// The bias per channel for a bias fit; empty for an α fit.
    public let biases: [Int]
    /// The MSE in units of 2^(2E), E the exponent of the tensor's largest |x|.
    let normalizedMeanSquaredError: Double
}

/// Every candidate format's fit on one tensor, with the tensor's statistics.
public struct TensorFits: Sendable, Equatable {
    /// Number of scales (channels): shape[0] for per-channel fits, 1 for per-tensor.
    public let channelCount: Int
    /// Mean x² of the tensor.
    public let meanSquare: Double
    /// Whether the tensor holds a negative value.
    public let hasNegativeValue: Bool
    /// One fit per requested format, in the order given.
    public let fits: [FormatFit]
}

/// A tensor with every channel sorted once (with prefix sums of x and the total of x²), so
/// that any number of formats can be fitted to it, in as many calls as needed, without
/// sorting again.
///
/// Elements are held as `Double` (float32 converts exactly), 8 bytes per element plus the
/// prefix sums of x (16 bytes per element for channels up to 65,536 elements, 1 per 32 beyond).
public struct PreparedTensor: Sendable {
    /// Number of scales (channels): shape[0] for per-channel fits, 1 for per-tensor.
    public let channelCount: Int
    /// Mean x² of the tensor.
    public let meanSquare: Double
    /// Whether the tensor holds a negative value.
    public let hasNegativeValue: Bool
    let channels: [SortedChannel<Double>]
    /// The tensor's magnitude: minimum, max |x| and the normalised mean square.
    let summary: AntQuantizer.Summary
    let workers: Int

    /// max |x| per channel.
    var channelMaxima: [Double] { channels.map(\.base) }

    /// Sorts the channels on every core.
    ///
    /// - Parameters:
    ///   - perChannel: one scale per output channel (the tensor viewed as [shape[0], −1]) or
    ///     one for the whole tensor.
    ///   - threadCount: worker threads (nil: one per processor); results never depend on it.
    /// - Throws: `QuantizerError` for an empty tensor, a NaN/Inf element, or a magnitude so
    ///   close to float64's limit (max |x| above about 1.2e308) that α would overflow.
    public init(_ tensor: Tensor, perChannel: Bool, threadCount: Int? = nil) throws(QuantizerError) {
        guard tensor.count > 0 else { throw .emptyTensor }
        if let index = tensor.firstNonFiniteIndex { throw .nonFiniteValue(index: index, value: tensor[index]) }
        let summary = AntQuantizer.summarize(tensor)
        // The widest ratio range any width uses (75…149 %), so every α fit is representable.
        try AntQuantizer(options: QuantizerOptions()).checkRange(summary, ratios: 75 ..< 150)
        let tensorExponent = summary.exponent
        let count = perChannel ? max(tensor.shape.first ?? 1, 1) : 1
        let layout = ChannelLayout(count: count, length: tensor.count / count)
        let workers = max(1, threadCount ?? ProcessInfo.processInfo.activeProcessorCount)
        var sorted = [SortedChannel<Double>](repeating: SortedChannel<Double>(), count: count)
        sorted.withUnsafeMutableBufferPointer { pointer in
            let output = DisjointWrites(pointer)
            let chunks = min(count, workers * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var values = [Double](repeating: 0, count: layout.length)
                for index in chunk * count / chunks ..< (chunk + 1) * count / chunks {
                    let range = layout.range(of: index)
                    for offset in 0 ..< layout.length { values[offset] = tensor[range.lowerBound + offset] }
                    var channel = SortedChannel<Double>()
                    values.withUnsafeBufferPointer { channel.load($0, tensorExponent: tensorExponent) }
                    output.write(channel, at: index)
                }
            }
        }
        channelCount = count
        meanSquare = summary.meanSquare
        hasNegativeValue = summary.minimum < 0
        channels = sorted
        self.summary = summary
        self.workers = workers
    }

    /// Fits every format: per channel the best α (spec §4 clip search: ratios 75…149 %,
    /// 95…149 % above 6 bits, strict minimum, first wins) or the best power-of-two bias (15
    /// biases, from 6 octaves above to 8 below the one whose top value q_max · 2^−bias is the
    /// largest at most 2 · max|x|). One result per format, in the order given.
    public func fit(_ formats: [NumberFormat], scale: ScaleKind) -> [FormatFit] {
        let grids = formats.map(PreparedGrid.init)
        let ratios = grids.map { QuantizerOptions(bits: $0.format.bits).effectiveRatioPercents }
        let channelCount = channels.count
        // Per (grid, channel): the chosen ratio or bias, and the channel's MSE.
        var choices = [Int](repeating: 0, count: grids.count * channelCount)
        var errors = [Double](repeating: 0, count: grids.count * channelCount)
        let channels = self.channels
        choices.withUnsafeMutableBufferPointer { choicesPointer in
            errors.withUnsafeMutableBufferPointer { errorsPointer in
                let choicesOut = DisjointWrites(choicesPointer)
                let errorsOut = DisjointWrites(errorsPointer)
                @Sendable func search(_ gridIndex: Int, _ channel: Int) {
                    let grid = grids[gridIndex]
                    let best: (Int, Double)
                    switch scale {
                    case .alpha:
                        let result = bestRatio(channels[channel], grid: grid, ratios: ratios[gridIndex])
                        best = (result.percent, result.meanSquaredError)
                    case .bias:
                        let result = channels[channel].bestBias(grid: grid)
                        best = (result.bias, result.meanSquaredError)
                    }
                    choicesOut.write(best.0, at: gridIndex * channelCount + channel)
                    errorsOut.write(best.1, at: gridIndex * channelCount + channel)
                }
                // Work items are (channel, grid) pairs, channel-major so a channel stays in cache
                // while all its grids are searched; a single channel (per-tensor scale) spreads
                // its grids over the cores, at most one core per grid.
                let items = grids.count * channelCount
                let chunks = min(items, workers * 8)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for item in chunk * items / chunks ..< (chunk + 1) * items / chunks {
                        search(item % grids.count, item / grids.count)
                    }
                }
            }
        }
        return grids.indices.map { index in
            let picked = Array(choices[index * channelCount ..< (index + 1) * channelCount])
            let total = errors[index * channelCount ..< (index + 1) * channelCount].reduce(0, +)
            let maxUnits = grids[index].maxUnits
            let alphas: [Double] = zip(channels, picked).map { channel, choice in
                switch scale {
                case .alpha:
                    return channel.scale.undo(PreparedGrid.alpha(base: channel.scaledBase, percent: choice))
                case .bias:
                    return channel.base > 0 ? Double(sign: .plus, exponent: maxUnits.exponent - choice, significand: maxUnits.significand) : 0
                }
            }
            let normalized = total / Double(channelCount)
            let normalizedMeanSquare = summary.normalizedMeanSquare
            return FormatFit(format: formats[index], scale: scale,
                             meanSquaredError: BinaryScale(exponent: 2 * summary.exponent).apply(normalized),
                             relativeError: normalizedMeanSquare > 0 ? normalized / normalizedMeanSquare : 0,
                             alphas: alphas, biases: scale == .bias ? picked : [], normalizedMeanSquaredError: normalized)
        }
    }
}

/// Fits every format of `formats` to `tensor` (a `PreparedTensor` used once).
///
/// - Throws: `QuantizerError` for an empty tensor or a NaN/Inf element.
public func fitFormats(
    _ tensor: Tensor, formats: [NumberFormat], perChannel: Bool, scale: ScaleKind, threadCount: Int? = nil
) throws(QuantizerError) -> TensorFits {
    let prepared = try PreparedTensor(tensor, perChannel: perChannel, threadCount: threadCount)
    return TensorFits(channelCount: prepared.channelCount, meanSquare: prepared.meanSquare, hasNegativeValue: prepared.hasNegativeValue,
                      fits: prepared.fit(formats, scale: scale))
}
