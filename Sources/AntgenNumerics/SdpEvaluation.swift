import Foundation

/// Output error of one activation scheme on one linear layer, against the exact int8 layer.
public struct SdpComparisonRow: Sendable, Equatable {
    /// `sdp T/G=1.25`, `drq`, `int4`, …
    public let scheme: String
    /// Average activation parts per value (SDP: T/G; DRQ: 1 … 2; intB: B/4).
    public let termsPerValue: Double
    /// Average activation bits: 4 · parts per value.
    public var averageBits: Double { 4 * termsPerValue }
    /// 10·log10(Σ y8² / Σ (y − y8)²) in dB over the layer output (∞ when exact).
    public let sqnr: Double
    /// ‖y − y8‖ / ‖y8‖.
    public let relativeError: Double
    /// SQNR in dB against the float layer output x · Wᵀ (FP32 activations and weights).
    public var floatSqnr: Double = .nan
}

/// One linear layer y = x · Wᵀ quantized for the SDP comparisons (spec §8.7): activations
/// int8 per tensor with the clip search, weights int8 per output channel (max |w|).
public struct SdpLayer: Sendable {
    /// Tokens (rows of x) and input features (the reduction length K).
    public let tokens: Int, features: Int
    /// Output features (rows of W).
    public let outputs: Int
    /// The float activations, tokens × features row-major.
    public let activations: [Double]
    /// The int8 activations and their scale.
    public let activationCodes: UniformQuantization
    /// The int8 weights, outputs × features row-major, and their per-row scales.
    public let weightCodes: [Int], weightScales: [Double]
    /// The exact int8 layer output in real units, tokens × outputs.
    public private(set) var exact: [Double]
    /// The float layer output x · Wᵀ, tokens × outputs.
    public private(set) var float: [Double]

    /// Quantizes the layer; `weights` is outputs × features (PyTorch's Linear layout).
    /// - Throws: ``SdpError`` when the sizes do not agree.
    public init(activations: [Double], tokens: Int, features: Int, weights: [Double], outputs: Int) throws(SdpError) {
        guard activations.count == tokens * features else { throw SdpError("activations are not \(tokens) × \(features)") }
        guard weights.count == outputs * features else { throw SdpError("weights are not \(outputs) × \(features)") }
        self.tokens = tokens; self.features = features; self.outputs = outputs
        self.activations = activations
        activationCodes = uniformQuantize(activations, bits: 8)
        var codes: [Int] = [], scales: [Double] = []
        for o in 0..<outputs {
            let row = weights[(o * features)..<((o + 1) * features)]
            let m = row.reduce(0.0) { max($0, $1.magnitude) }
            let s = m > 0 ? m / 127 : 1
            scales.append(s)
            codes += row.map { Int(($0 / s).rounded(.toNearestOrAwayFromZero)) }
        }
        weightCodes = codes; weightScales = scales
        exact = []
        float = []
        exact = output(activationCodes.codes, scale: activationCodes.scale)
        var f = Array(repeating: 0.0, count: tokens * outputs)
        for t in 0..<tokens {
            for o in 0..<outputs {
                var sum = 0.0
                for k in 0..<features { sum += activations[t * features + k] * weights[o * features + k] }
                f[t * outputs + o] = sum
            }
        }
        float = f
    }

    /// x_int · W_intᵀ in real units for integer activations `x` at `scale`.
    public func output(_ x: [Int], scale: Double) -> [Double] {
        var y = Array(repeating: 0.0, count: tokens * outputs)
        for t in 0..<tokens {
            for o in 0..<outputs {
                var sum = 0
                for k in 0..<features { sum += x[t * features + k] * weightCodes[o * features + k] }
                y[t * outputs + o] = Double(sum) * scale * weightScales[o]
            }
        }
        return y
    }

    /// The comparison row of output `y` against the exact int8 output.
    public func row(_ scheme: String, termsPerValue: Double, _ y: [Double]) -> SdpComparisonRow {
        var signal = 0.0, noise = 0.0
        for (a, b) in zip(exact, y) { signal += a * a; noise += (a - b) * (a - b) }
        let sqnr = noise == 0 ? Double.infinity : 10 * log10(signal / noise)
        var r = SdpComparisonRow(scheme: scheme, termsPerValue: termsPerValue, sqnr: sqnr,
                                 relativeError: signal == 0 ? 0 : (noise / signal).squareRoot())
        var fs = 0.0, fn = 0.0
        for (a, b) in zip(float, y) { fs += a * a; fn += (a - b) * (a - b) }
        r.floatSqnr = fn == 0 ? .infinity : 10 * log10(fs / fn)
        return r
    }

    /// SDP with G and T along the reduction axis.
    public func sdp(_ p: SdpParameters) throws(SdpError) -> (row: SdpComparisonRow, statistics: SdpStatistics) {
        let masked = try sdpMask(activationCodes.codes, rows: tokens, cols: features, signed: activationCodes.signed, parameters: p)
        let label = "sdp G=\(p.group) T=\(p.terms)"
        return (row(label, termsPerValue: p.termsPerValue, output(masked.values, scale: activationCodes.scale)), masked.statistics)
    }

    /// The DRQ-style baseline at `termsPerValue`, blocks of `blockRows × blockCols`.
    public func drq(termsPerValue: Double, blockRows: Int, blockCols: Int) throws(SdpError) -> (row: SdpComparisonRow, result: DrqResult) {
        let r = try drqMask(activationCodes.codes, rows: tokens, cols: features, signed: activationCodes.signed,
                            blockRows: blockRows, blockCols: blockCols, termsPerValue: termsPerValue)
        return (row("drq \(blockRows)x\(blockCols)", termsPerValue: r.termsPerValue, output(r.values, scale: activationCodes.scale)), r)
    }

    /// Uniform b-bit activations (their own per-tensor clip search), int8 weights.
    public func uniform(bits: Int) -> SdpComparisonRow {
        let q = uniformQuantize(activations, bits: bits, signed: activationCodes.signed)
        return row("int\(bits)", termsPerValue: Double(bits) / 4, output(q.codes, scale: q.scale))
    }
}

