import AntgenNumerics

extension TensorOptionSet {
    /// This set plus one b-bit PWLQ option per width in `widths` (`antgen tune --pwlq`).
    ///
    /// A PWLQ option stores b + 1 bits per element (the region bit counts), so the stored-bits
    /// objective compares it fairly with the ANT formats; a cost table prices it with the
    /// int weight of its width. The option's kind is `int` (its magnitudes multiply as ints)
    /// and its `pwlq` detail carries the parameters.
    ///
    /// - Throws: `TuningError` naming the tensor when PWLQ rejects it.
    public func addingPwlqOptions(_ tensor: NamedTensor, widths: [Int], variant: PwlqVariant,
                                  breakpoint: PwlqBreakpointRule) throws(TuningError) -> TensorOptionSet {
        var added = options
        for bits in widths {
            let result: PwlqResult
            let format: NumberFormat
            do {
                result = try PwlqQuantizer(options: PwlqOptions(bits: bits, variant: variant, breakpoint: breakpoint, role: role)).quantize(tensor.tensor)
                format = try NumberFormat(kind: .int, bits: bits, signed: true)
            } catch let error as PwlqError {
                throw TuningError("\(file): tensor '\(name)': \(error.description)")
            } catch {
                throw TuningError("\(file): tensor '\(name)': \(error)")
            }
            let relative = meanSquare > 0 ? result.meanSquaredError / meanSquare : 0
            let detail = PwlqOptionDetail(variant: variant.rawValue, breakpoint: breakpoint.description,
                                          ranges: result.channels.map(\.range), breakpoints: result.channels.map(\.breakpoint))
            added.append(QuantizationOption(
                kind: TypeCandidate(.int), format: format, scale: .alpha, alphas: result.channels.map(\.range), biases: [],
                meanSquaredError: result.meanSquaredError, relativeError: relative, storedBits: elementCount * (bits + 1), pwlq: detail))
        }
        return TensorOptionSet(name: name, file: file, shape: shape, elementCount: elementCount, isSigned: isSigned, role: role,
                               channelCount: channelCount, meanSquare: meanSquare, options: added, skipped: skipped)
    }
}
