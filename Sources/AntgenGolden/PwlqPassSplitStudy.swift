import AntgenNumerics

/// One K split of a PWLQ layer with 12-bit partial sums between passes (docs/pwlq.md).
///
/// K is cut into P contiguous chunks of ⌈K/P⌉ (the last may be shorter). Pass p computes
/// the three integer sums of its chunk; from the second pass on it starts from the previous
/// pass's totals after `PartialSumCodec` encode and decode (the array's output encoder and
/// preload decoder), so every field of every output goes through P − 1 encodings. The last
/// pass's totals leave exact (W bits); `finalEncodedRelativeError` also encodes them.
public struct PwlqPassSplit: Sendable, Codable, Equatable {
    /// P.
    public let passes: Int
    /// ‖Y_P − Y_exact‖ / ‖Y_exact‖: Y_exact from exact W-bit partial sums (one pass).
    public let relativeError: Double
    /// The same with the last pass's totals encoded to 12 bits as well.
    public let finalEncodedRelativeError: Double
    /// SQNR of Y_P against the float reference, dB.
    public let sqnr: Double
    /// Encodings checked (P − 1 per field and output).
    public let encodings: Int
    /// Encodings that were exact (|S| ≤ 127 or representable).
    public let exactEncodings: Int
    /// max |decode(encode(S)) − S| / |S| over the encodings (documented bound 2^−7).
    public let maxRelativeCodecError: Double
    /// max |decode(encode(S)) − S| / `PartialSumCodec.errorBound(magnitude: |S|)` (≤ 1 holds the bound).
    public let maxBoundFraction: Double
    /// Encodings whose error exceeded the documented bound (0 expected).
    public let boundViolations: Int
    /// Largest |S| encoded.
    public let largestEncodedMagnitude: Int
    /// Bytes of partial sums leaving and re-entering the array between passes, with W-bit
    /// words (3 fields × 4 bytes at W = 32) and with 12-bit codes.
    public let bytesExact: Int, bytesCoded: Int
}

extension PwlqLayerStudy {
    /// The K splits of `passCounts` for PWLQ weights `result` on `layer`, with the codec for
    /// W = `accumulatorWidth`-bit sums.
    public static func passSplits(_ layer: PwlqLayer, result: PwlqResult, passCounts: [Int]) throws -> [PwlqPassSplit] {
        let codec = try PartialSumCodec(sumWidth: accumulatorWidth)
        let columns = layer.codeColumns(result)
        let exactSums = PwlqTileSums(activations: layer.integerActivations, weights: columns, accumulatorWidth: accumulatorWidth)
        let exact = exactSums.combine(channels: result.channels, activationScale: layer.activationScale, width: accumulatorWidth).flatMap { $0 }
        return try passCounts.map { passes throws -> PwlqPassSplit in
            let k = layer.reduction
            guard (1 ... k).contains(passes) else { throw PwlqStudyError.passes(passes, reduction: k) }
            let chunk = (k + passes - 1) / passes
            var carried = [[Int]](repeating: [Int](repeating: 0, count: 3 * layer.outputs), count: layer.tokens)
            var tally = CodecTally()
            for pass in 0 ..< passes {
                let range = min(pass * chunk, k) ..< min((pass + 1) * chunk, k)
                let sums = PwlqTileSums(activations: layer.integerActivations.map { Array($0[range]) }, weights: Array(columns[range]),
                                        accumulatorWidth: accumulatorWidth)
                for i in 0 ..< layer.tokens {
                    for j in 0 ..< layer.outputs {
                        for (field, words) in [sums.centre, sums.tail, sums.offset].enumerated() {
                            let total = carried[i][3 * j + field] + PwlqTileSums.signed(words[i][j], width: accumulatorWidth)
                            carried[i][3 * j + field] = pass == passes - 1 ? total : tally.roundTrip(total, codec)
                        }
                    }
                }
            }
            var scratch = CodecTally()
            let output = combine(carried, like: exactSums, result: result, layer: layer)
            let encodedOutput = combine(carried.map { $0.map { scratch.roundTrip($0, codec) } }, like: exactSums, result: result, layer: layer)
            let moved = (passes - 1) * layer.tokens * layer.outputs * 3 * 2  // fields written out and read back
            return PwlqPassSplit(
                passes: passes, relativeError: relativeError(output, to: exact),
                finalEncodedRelativeError: relativeError(encodedOutput, to: exact), sqnr: LayerMath.sqnr(layer.reference, output),
                encodings: tally.count, exactEncodings: tally.exact, maxRelativeCodecError: tally.maxRelative,
                maxBoundFraction: tally.maxBoundFraction, boundViolations: tally.violations, largestEncodedMagnitude: tally.largest,
                bytesExact: moved * accumulatorWidth / 8, bytesCoded: moved * PartialSumCodec.codeWidth / 8)
        }
    }

    /// The host's affine step on signed field totals (3 per output, centre/tail/offset).
    private static func combine(_ totals: [[Int]], like template: PwlqTileSums, result: PwlqResult, layer: PwlqLayer) -> [Double] {
        var sums = template
        let mask: UInt64 = (1 << UInt64(accumulatorWidth)) - 1
        func word(_ value: Int) -> UInt64 { UInt64(bitPattern: Int64(value)) & mask }
        sums.centre = totals.map { row in (0 ..< layer.outputs).map { word(row[3 * $0]) } }
        sums.tail = totals.map { row in (0 ..< layer.outputs).map { word(row[3 * $0 + 1]) } }
        sums.offset = totals.map { row in (0 ..< layer.outputs).map { word(row[3 * $0 + 2]) } }
        return sums.combine(channels: result.channels, activationScale: layer.activationScale, width: accumulatorWidth).flatMap { $0 }
    }
}

/// Counts and worst cases of the codec round trips of one split.
private struct CodecTally {
    var count = 0, exact = 0, violations = 0, largest = 0
    var maxRelative = 0.0, maxBoundFraction = 0.0

    /// decode(encode(s)), recording the error against the documented bound.
    mutating func roundTrip(_ s: Int, _ codec: PartialSumCodec) -> Int {
        let back = codec.decode(codec.encode(s))
        let error = abs(back - s), magnitude = abs(s)
        let bound = PartialSumCodec.errorBound(magnitude: magnitude)
        count += 1
        largest = max(largest, magnitude)
        if error == 0 { exact += 1 }
        if error > bound { violations += 1 }
        if magnitude > 0 { maxRelative = max(maxRelative, Double(error) / Double(magnitude)) }
        if bound > 0 { maxBoundFraction = max(maxBoundFraction, Double(error) / Double(bound)) }
        return back
    }
}
