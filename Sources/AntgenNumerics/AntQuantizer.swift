import Foundation

/// The ANT reference quantizer (spec §4): clip search per channel or per tensor and adaptive
/// type selection, in exact or reference-compatible arithmetic.
public struct AntQuantizer: Sendable {
    /// The settings every `quantize` call uses.
    public let options: QuantizerOptions

    /// Creates a quantizer.
    public init(options: QuantizerOptions = QuantizerOptions()) {
        self.options = options
    }

    /// Quantizes one tensor: picks the type, α per channel, codes and dequantised values.
    ///
    /// Weights are viewed as [shape[0], −1] (one α per output channel); activations use one
    /// α for the whole tensor.
    ///
    /// - Throws: `QuantizerError` for an empty tensor, a NaN/Inf element, a bad bit width,
    ///   ratio range or mode, or a mode with no type valid at this width.
    public func quantize(_ tensor: Tensor) throws(QuantizerError) -> QuantizationResult {
        let plan = try plan(for: tensor)
        if options.scale == .bias { return try runBias(tensor, plan: plan) }
        switch (options.arithmetic, tensor.storage) {
        case (.exact, .float32(let values)):
            return values.withUnsafeBufferPointer { runExact($0, shape: tensor.shape, plan: plan) { .float32($0) } }
        case (.exact, .float64(let values)):
            return values.withUnsafeBufferPointer { runExact($0, shape: tensor.shape, plan: plan) { .float64($0) } }
        case (.compat, .float32(let values)):
            return values.withUnsafeBufferPointer { runCompat($0, shape: tensor.shape, plan: plan) { .float32($0) } }
        case (.compat, .float64(let values)):
            // The reference holds tensors in float32.
            let narrowed = values.map { Float($0) }
            return narrowed.withUnsafeBufferPointer { runCompat($0, shape: tensor.shape, plan: plan) { .float64($0.map(Double.init)) } }
        }
    }

    /// What a run needs before touching the data in bulk.
    struct Plan {
        var isSigned: Bool
        var layout: ChannelLayout
        var candidates: [(type: TypeCandidate, format: NumberFormat?, reason: String?)]
        var ratios: Range<Int>
        var workers: Int
        var summary: Summary
    }

    func plan(for tensor: Tensor) throws(QuantizerError) -> Plan {
        guard (2 ... 8).contains(options.bits) else { throw .unsupportedBitWidth(options.bits) }
        guard options.scale == .alpha || options.arithmetic == .exact else { throw .biasNeedsExactArithmetic }
        let ratios = options.effectiveRatioPercents
        guard !ratios.isEmpty, ratios.lowerBound > 0 else { throw .invalidRatioRange(ratios) }
        guard tensor.count > 0 else { throw .emptyTensor }
        if let index = tensor.firstNonFiniteIndex { throw .nonFiniteValue(index: index, value: tensor[index]) }

        let summary = Self.summarize(tensor)
        try checkRange(summary, ratios: ratios)
        let isSigned = options.role == .weight || summary.minimum < 0
        let types: [TypeCandidate]
        do {
            let parsed = try candidateTypes(forMode: options.mode, referenceMatching: options.arithmetic == .compat)
            types = options.bits > 6 ? [TypeCandidate(.int)] : parsed
        } catch {
            throw .invalidMode(error)
        }
        let candidates = types.map { type -> (type: TypeCandidate, format: NumberFormat?, reason: String?) in
            do throws(NumberFormatError) {
                return (type, try NumberFormat(kind: type.kind, bits: options.bits, signed: isSigned), nil)
            } catch {
                return (type, nil, error.description)
            }
        }
        if candidates.allSatisfy({ $0.format == nil }) {
            throw .noValidCandidate(mode: options.mode, bits: options.bits, signed: isSigned, reasons: candidates.compactMap { $0.reason })
        }
        let channels = options.role == .weight ? max(tensor.shape.first ?? 1, 1) : 1
        let workers = max(1, options.threadCount ?? ProcessInfo.processInfo.activeProcessorCount)
        return Plan(
            isSigned: isSigned, layout: ChannelLayout(count: channels, length: tensor.count / channels),
            candidates: candidates, ratios: ratios, workers: workers, summary: summary
        )
    }

    /// The minimum, the largest |x| and the mean of x² of a tensor.
    struct Summary {
        var minimum: Double
        var maximumMagnitude: Double
        /// E, the exponent of `maximumMagnitude` (0 for an all-zero tensor).
        var exponent: Int
        /// The mean of (x · 2^−E)², summed in element order in double-double: finite and
        /// accurate for any finite data, where x² itself overflows or underflows.
        var normalizedMeanSquare: Double

        /// The mean of x² in the data's units (may overflow to +∞ or underflow to 0 for
        /// extreme magnitudes; ratios use `normalizedMeanSquare`).
        var meanSquare: Double { Double(sign: .plus, exponent: 2 * exponent, significand: normalizedMeanSquare) }
    }

    /// Summarises a tensor in two passes (the maximum first, then the normalised squares).
    static func summarize(_ tensor: Tensor) -> Summary {
        var minimum = Double.infinity
        var maximum = 0.0
        for index in 0 ..< tensor.count {
            let x = tensor[index]
            minimum = min(minimum, x)
            maximum = max(maximum, abs(x))
        }
        let exponent = magnitudeExponent(maximum)
        let scale = BinaryScale(exponent: -exponent)
        var sum = DoubleDouble.zero
        for index in 0 ..< tensor.count {
            let x = scale.apply(tensor[index])
            sum = sum + DoubleDouble.twoProduct(x, x)
        }
        return Summary(minimum: minimum, maximumMagnitude: maximum, exponent: exponent,
                       normalizedMeanSquare: sum.value / Double(tensor.count))
    }

    /// Refuses magnitudes whose results cannot be represented: α (up to the largest clip
    /// ratio of max |x|) beyond float64 (the bias search skips biases that overflow), and
    /// for compat arithmetic data outside the range where the reference's
    /// float32 squared errors neither overflow nor vanish.
    func checkRange(_ summary: Summary, ratios: Range<Int>) throws(QuantizerError) {
        let maximum = summary.maximumMagnitude
        guard maximum > 0 else { return }
        if options.arithmetic == .compat {
            let limits = Double(sign: .plus, exponent: -40, significand: 1) ... Double(sign: .plus, exponent: 60, significand: 1)
            guard limits.contains(maximum) else {
                throw .outOfRange(maximum: maximum, reason: "compat arithmetic repeats the reference's float32 steps, whose squared errors overflow or vanish outside max |x| in \(limits.lowerBound)…\(limits.upperBound); use exact arithmetic (drop --compat)")
            }
        }
        if options.scale == .alpha {
            guard PreparedGrid.normalizedAlpha(base: maximum, percent: ratios.upperBound - 1).isFinite else {
                throw .outOfRange(maximum: maximum, reason: "α = max |x| · \(ratios.upperBound - 1) % would exceed float64's range")
            }
        }
    }

    private func runExact<Element: BinaryFloatingPoint & Sendable>(
        _ data: UnsafeBufferPointer<Element>, shape: [Int], plan: Plan, wrap: ([Element]) -> Tensor.Storage
    ) -> QuantizationResult {
        let valid = plan.candidates.compactMap { $0.format }
        let grids = valid.map(PreparedGrid.init)
        let table = exactClipSearch(data, layout: plan.layout, grids: grids, ratios: plan.ratios, workers: plan.workers,
                                    tensorExponent: plan.summary.exponent)
        let scores = table.meanSquaredErrors.map { $0.reduce(0, +) }
        let chosen = Self.lowestScoreIndex(scores)
        let elements = exactQuantize(
            data, layout: plan.layout, grid: grids[chosen], bases: table.bases,
            percents: table.percents[chosen]
        )
        let alphas = zip(table.bases, table.percents[chosen]).map { PreparedGrid.normalizedAlpha(base: $0, percent: $1) }
        return assemble(plan: plan, shape: shape, scores: scores, chosen: chosen, alphas: alphas, maxima: table.bases,
                        codes: elements.codes, dequantized: wrap(elements.dequantized), chosenScore: scores[chosen])
    }

    /// The power-of-two scale run: per channel the best bias of every candidate (the
    /// numerics' bias search on channels sorted once), the lowest total MSE wins, then the
    /// output pass with the chosen biases.
    private func runBias(_ tensor: Tensor, plan: Plan) throws(QuantizerError) -> QuantizationResult {
        let valid = plan.candidates.compactMap { $0.format }
        let prepared = try PreparedTensor(tensor, perChannel: options.role == .weight,
                                          threadCount: plan.workers)
        let fits = prepared.fit(valid, scale: .bias)
        let channels = Double(plan.layout.count)
        let scores = fits.map { $0.normalizedMeanSquaredError * channels }
        let chosen = Self.lowestScoreIndex(scores)
        let grid = PreparedGrid(format: valid[chosen])
        let biases = fits[chosen].biases
        let maxima = prepared.channelMaxima
        func output<Element: BinaryFloatingPoint & Sendable>(_ values: [Element], _ wrap: ([Element]) -> Tensor.Storage) -> QuantizationResult {
            let elements = values.withUnsafeBufferPointer {
                powerOfTwoQuantize($0, layout: plan.layout, grid: grid, biases: biases, maxima: maxima)
            }
            return assemble(plan: plan, shape: tensor.shape, scores: scores, chosen: chosen, alphas: fits[chosen].alphas,
                            maxima: maxima, codes: elements.codes, dequantized: wrap(elements.dequantized),
                            chosenScore: scores[chosen], biases: biases)
        }
        switch tensor.storage {
        case .float32(let values): return output(values) { .float32($0) }
        case .float64(let values): return output(values) { .float64($0) }
        }
    }

    private func runCompat(_ data: UnsafeBufferPointer<Float>, shape: [Int], plan: Plan, wrap: ([Float]) -> Tensor.Storage) -> QuantizationResult {
        let valid = plan.candidates.compactMap { candidate in candidate.format.map { (candidate.type, $0) } }
        let selectionGrids = valid.map { type, format in
            // The format is valid, so the selection kind (float eb 1 at the same width) is too.
            CompatGrid(format: (try? NumberFormat(kind: type.referenceSelectionKind, bits: format.bits, signed: format.isSigned)) ?? format)
        }
        let table = compatClipSearch(data, layout: plan.layout, grids: selectionGrids, ratios: plan.ratios, workers: plan.workers)
        // Compat scores are in the data's units; `assemble` takes units of 2^(2E) (exact: a
        // power of two, and compat data lies in 2^-40…2^60).
        let toNormalized = BinaryScale(exponent: -2 * plan.summary.exponent)
        let scores = table.scores.map { toNormalized.apply(Double(Float($0.reduce(0.0) { $0 + Double($1) }))) }
        let chosen = Self.lowestScoreIndex(scores)
        var finalAlphas = table.alphas[chosen]
        var finalScores = table.scores[chosen]
        let finalGrid = CompatGrid(format: valid[chosen].1)
        if valid[chosen].0.referenceSelectionKind != valid[chosen].0.kind {
            // The reference re-runs the search with the correct grid once the type is chosen.
            let rerun = compatClipSearch(data, layout: plan.layout, grids: [finalGrid], ratios: plan.ratios, workers: plan.workers)
            finalAlphas = rerun.alphas[0]
            finalScores = rerun.scores[0]
        }
        let elements = compatQuantize(data, layout: plan.layout, grid: finalGrid, bases: table.bases, alphas: finalAlphas)
        let finalScore = toNormalized.apply(Double(Float(finalScores.reduce(0.0) { $0 + Double($1) })))
        return assemble(plan: plan, shape: shape, scores: scores, chosen: chosen, alphas: finalAlphas.map(Double.init),
                        maxima: table.bases.map(Double.init), codes: elements.codes, dequantized: wrap(elements.dequantized),
                        chosenScore: finalScore)
    }

    /// Lowest score wins; on equal scores the earliest (fixed order) wins.
    static func lowestScoreIndex(_ scores: [Double]) -> Int {
        var best = 0
        for index in scores.indices.dropFirst() where scores[index] < scores[best] { best = index }
        return best
    }

    /// Builds the result; `scores` and `chosenScore` are in units of 2^(2E), E the exponent
    /// of the tensor's largest |x|, so relative errors are exact ratios at any magnitude.
    private func assemble(
        plan: Plan, shape: [Int], scores: [Double], chosen: Int, alphas: [Double], maxima: [Double],
        codes: [UInt8], dequantized: Tensor.Storage, chosenScore: Double, biases: [Int]? = nil
    ) -> QuantizationResult {
        var scoreIterator = scores.makeIterator()
        let channels = Double(plan.layout.count)
        let toData = BinaryScale(exponent: 2 * plan.summary.exponent)
        let normalizedMeanSquare = plan.summary.normalizedMeanSquare
        func relative(_ score: Double) -> Double { normalizedMeanSquare > 0 ? (score / channels) / normalizedMeanSquare : 0 }
        let candidates = plan.candidates.map { candidate -> CandidateScore in
            guard let format = candidate.format, let score = scoreIterator.next() else {
                return CandidateScore(type: candidate.type, format: nil, score: nil, meanSquaredError: nil, relativeError: nil,
                                      skippedBecause: candidate.reason)
            }
            return CandidateScore(type: candidate.type, format: format, score: toData.apply(score),
                                  meanSquaredError: toData.apply(score / channels), relativeError: relative(score), skippedBecause: nil)
        }
        let chosenCandidate = candidates.filter { $0.format != nil }[chosen]
        // Same shape as the input and one value per input element.
        let tensor = Tensor(validatedShape: shape, storage: dequantized)
        return QuantizationResult(
            options: options, isSigned: plan.isSigned, chosenType: chosenCandidate.type, chosenFormat: chosenCandidate.format!,
            candidates: candidates, channelCount: plan.layout.count, alphas: alphas, channelMaxima: maxima,
            codes: codes, dequantized: tensor, meanSquaredError: toData.apply(chosenScore / channels), meanSquare: plan.summary.meanSquare,
            relativeError: relative(chosenScore), biases: biases
        )
    }
}
