import Dispatch

/// Settings of one PWLQ run (spec §7).
public struct PwlqOptions: Sendable, Equatable {
    /// Code width b, 2…8 (each code also has a region bit: b+1 bits stored).
    public var bits: Int
    /// The quantizer variant; eq. 3 by default.
    public var variant: PwlqVariant
    /// How each channel's breakpoint is chosen; the paper's default is the Gaussian closed form.
    public var breakpoint: PwlqBreakpointRule
    /// Weights: one set of parameters per output channel (shape[0]); activations: one per tensor.
    public var role: TensorRole
    /// The released code's per-channel bias correction q′ = (q + Δμ)·ρ.
    public var biasCorrection: Bool

    /// Creates options; the defaults are those of `antgen quantize --mode pwlq`.
    public init(bits: Int = 4, variant: PwlqVariant = .paper, breakpoint: PwlqBreakpointRule = .closedForm(.gaussian),
                role: TensorRole = .weight, biasCorrection: Bool = false) {
        self.bits = bits
        self.variant = variant
        self.breakpoint = breakpoint
        self.role = role
        self.biasCorrection = biasCorrection
    }
}

/// The outcome of a PWLQ run: per-channel parameters, the packed codes, the dequantised tensor
/// and its error.
public struct PwlqResult: Sendable {
    /// The options used.
    public let options: PwlqOptions
    /// One entry per channel (one for activations).
    public let channels: [PwlqChannel]
    /// The packed b+1-bit code of every element, C order.
    public let codes: [UInt16]
    /// The dequantised values (bias correction applied), same shape and storage as the input.
    public let dequantized: Tensor
    /// Mean of (x̂ − x)².
    public let meanSquaredError: Double
    /// Mean of x².
    public let meanSquare: Double
    /// The fraction of elements in the centre region (region bit 0).
    public let centreFraction: Double

    /// The region bit of every element (1 = tail).
    public var regionBits: [UInt8] { codes.map { UInt8($0 >> options.bits & 1) } }
}

/// The PWLQ reference quantizer (spec §7): per channel, a breakpoint rule picks p, every
/// element gets a b+1-bit code, and the optional bias correction adjusts the values.
public struct PwlqQuantizer: Sendable {
    /// The settings.
    public let options: PwlqOptions

    public init(options: PwlqOptions = PwlqOptions()) { self.options = options }

    /// Quantizes one tensor. Channels run in parallel; results do not depend on the thread count.
    ///
    /// - Throws: `PwlqError` for a bad width or ratio, a closed form with the overlap variant,
    ///   an empty tensor or a non-finite element.
    public func quantize(_ tensor: Tensor) throws(PwlqError) -> PwlqResult {
        try validate()
        guard tensor.count > 0 else { throw .emptyTensor }
        if let index = tensor.firstNonFiniteIndex { throw .nonFiniteValue(index: index, value: tensor[index]) }
        let channelCount = options.role == .weight ? max(tensor.shape.first ?? 1, 1) : 1
        let layout = ChannelLayout(count: channelCount, length: tensor.count / channelCount)
        switch tensor.storage {
        case .float32(let values):
            let run = values.withUnsafeBufferPointer { quantizeAll($0, layout: layout) }
            return finish(run, shape: tensor.shape, storage: .float32(run.values))
        case .float64(let values):
            let run = values.withUnsafeBufferPointer { quantizeAll($0, layout: layout) }
            return finish(run, shape: tensor.shape, storage: .float64(run.values))
        }
    }

    /// Checks the options alone.
    public func validate() throws(PwlqError) {
        guard (2 ... 8).contains(options.bits) else { throw .unsupportedBitWidth(options.bits) }
        switch options.breakpoint {
        case .fixedRatio(let ratio):
            guard ratio.isFinite, ratio > 0, ratio < 1 else { throw .invalidRatio(ratio) }
        case .closedForm:
            guard options.variant != .overlap else { throw .closedFormNeedsTwoRegionModel }
        case .gridSearch, .bisection: break
        }
    }

    /// The parameters (m, and p from the breakpoint rule) for one channel's values, without
    /// bias correction.
    public func fitChannel(_ values: [Double]) -> PwlqChannel {
        values.withUnsafeBufferPointer { fitChannel($0) }
    }

    func fitChannel(_ values: UnsafeBufferPointer<Double>) -> PwlqChannel {
        let statistics = PwlqChannelStatistics(values)
        let m = statistics.maximum
        guard m > 0 else { return .zero(bits: options.bits, variant: options.variant) }
        let ratio: Double
        switch options.breakpoint {
        case .fixedRatio(let fixed): ratio = fixed
        case .gridSearch: ratio = gridSearchRatio(PwlqSortedChannel(values), bits: options.bits, variant: options.variant, range: m)
        case .bisection, .closedForm: ratio = distributionRatio(statistics, rule: options.breakpoint, variant: options.variant)
        }
        let p = min(max(ratio * m, Double.leastNonzeroMagnitude), m.nextDown)
        // p is in (0, m) by construction, so the initializer cannot fail.
        return (try? PwlqChannel(bits: options.bits, variant: options.variant, range: m, breakpoint: p))
            ?? .zero(bits: options.bits, variant: options.variant)
    }

    private struct Run<Element> {
        var channels: [PwlqChannel]
        var codes: [UInt16]
        var values: [Element]
        var squaredError: Double
        var square: Double
        var centre: Int
    }

    private func quantizeAll<Element: BinaryFloatingPoint & Sendable>(_ data: UnsafeBufferPointer<Element>, layout: ChannelLayout) -> Run<Element> {
        var channels = [PwlqChannel](repeating: .zero(bits: options.bits, variant: options.variant), count: layout.count)
        var codes = [UInt16](repeating: 0, count: data.count)
        var values = [Element](repeating: 0, count: data.count)
        var errors = [Double](repeating: 0, count: layout.count * 3)
        let input = SharedReads(data)
        channels.withUnsafeMutableBufferPointer { channelsPointer in
            codes.withUnsafeMutableBufferPointer { codesPointer in
                values.withUnsafeMutableBufferPointer { valuesPointer in
                    errors.withUnsafeMutableBufferPointer { errorsPointer in
                        let channelsOut = DisjointWrites(channelsPointer), codesOut = DisjointWrites(codesPointer)
                        let valuesOut = DisjointWrites(valuesPointer), errorsOut = DisjointWrites(errorsPointer)
                        DispatchQueue.concurrentPerform(iterations: layout.count) { channel in
                            let range = layout.range(of: channel)
                            let summary = quantizeChannel(input.pointer, range: range, codes: codesOut, values: valuesOut)
                            channelsOut.write(summary.channel, at: channel)
                            errorsOut.write(summary.squaredError, at: 3 * channel)
                            errorsOut.write(summary.square, at: 3 * channel + 1)
                            errorsOut.write(Double(summary.centre), at: 3 * channel + 2)
                        }
                    }
                }
            }
        }
        var squaredError = 0.0, square = 0.0, centre = 0
        for channel in 0 ..< layout.count {
            squaredError += errors[3 * channel]
            square += errors[3 * channel + 1]
            centre += Int(errors[3 * channel + 2])
        }
        return Run(channels: channels, codes: codes, values: values, squaredError: squaredError, square: square, centre: centre)
    }

    private func quantizeChannel<Element: BinaryFloatingPoint>(
        _ data: UnsafeBufferPointer<Element>, range: Range<Int>, codes: DisjointWrites<UInt16>, values: DisjointWrites<Element>
    ) -> (channel: PwlqChannel, squaredError: Double, square: Double, centre: Int) {
        var doubles = [Double](repeating: 0, count: range.count)
        for offset in 0 ..< range.count { doubles[offset] = Double(data[range.lowerBound + offset]) }
        var channel = doubles.withUnsafeBufferPointer { fitChannel($0) }
        // Bias correction needs every code first; otherwise each code is made in the one pass below.
        var corrected: [UInt16]?
        if options.biasCorrection, channel.range > 0 {
            let packed = doubles.map { channel.packedCode($0) }
            let raw = packed.map { channel.value(of: PwlqCode(packed: $0, bits: options.bits)) }
            let original = doubles.withUnsafeBufferPointer { PwlqChannelStatistics($0) }
            let quantized = raw.withUnsafeBufferPointer { PwlqChannelStatistics($0) }
            channel.biasShift = original.mean - quantized.mean
            channel.biasScale = original.deviation / (quantized.deviation + 1e-12)
            corrected = packed
        }
        // One dequantised value per code (2^(b+1) of them), then a table look-up per element.
        let table = channel.allCodes().map { Element(channel.dequantize($0)) }
        let regionShift = UInt16(options.bits)
        var squaredError = 0.0, square = 0.0, centre = 0
        for offset in 0 ..< range.count {
            let x = doubles[offset]
            let code = corrected?[offset] ?? channel.packedCode(x)
            let value = table[Int(code)]
            codes.write(code, at: range.lowerBound + offset)
            values.write(value, at: range.lowerBound + offset)
            let difference = Double(value) - x
            squaredError += difference * difference
            square += x * x
            if code >> regionShift == 0 { centre += 1 }
        }
        return (channel, squaredError, square, centre)
    }

    private func finish<Element>(_ run: Run<Element>, shape: [Int], storage: Tensor.Storage) -> PwlqResult {
        let count = Double(run.codes.count)
        return PwlqResult(
            options: options, channels: run.channels, codes: run.codes,
            dequantized: Tensor(validatedShape: shape, storage: storage),
            meanSquaredError: run.squaredError / count, meanSquare: run.square / count,
            centreFraction: Double(run.centre) / count)
    }
}
