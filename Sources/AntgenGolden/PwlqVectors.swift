import AntgenNumerics

/// One PWLQ tile case: activation codes (int4 or int8, signed or not) × PWLQ weight codes,
/// and the three expected integer sums from ``PwlqTileSums`` (never from the RTL).
public struct PwlqGoldenCase: Sendable, Equatable {
    /// Reduction length K.
    public let reduction: Int
    /// The activations are signed.
    public let activationSigned: Bool
    /// The activations are int8 (else 4-bit codes).
    public let activationInt8: Bool
    /// activationCodes[k][i]: the raw code of A[i, k] (low 4 or 8 bits).
    public let activationCodes: [[Int]]
    /// weightCodes[k][j]: W[k, j].
    public let weightCodes: [[PwlqCode]]
    /// The expected sums (rows × cols, W-bit words), before any preload.
    public let sums: PwlqTileSums
    /// Preload fields per row i (field 3j + s: s = 0 centre, 1 tail, 2 offset): W-bit words,
    /// or 12-bit codes with the codec; nil without preload.
    public var preload: [[UInt64]]?

    /// The integer value of an activation code.
    public static func activationValue(_ code: Int, signed: Bool, int8: Bool) -> Int {
        let bits = int8 ? 8 : 4
        let raw = code & ((1 << bits) - 1)
        return signed && raw >= 1 << (bits - 1) ? raw - (1 << bits) : raw
    }

    /// Builds a case and its expected sums.
    public init(activationCodes: [[Int]], weightCodes: [[PwlqCode]], signed: Bool, int8: Bool, accumulatorWidth: Int) {
        reduction = activationCodes.count
        activationSigned = signed
        activationInt8 = int8
        self.activationCodes = activationCodes
        self.weightCodes = weightCodes
        let rows = activationCodes.first?.count ?? 0
        let values = (0 ..< rows).map { i in activationCodes.map { Self.activationValue($0[i], signed: signed, int8: int8) } }
        sums = PwlqTileSums(activations: values, weights: weightCodes, accumulatorWidth: accumulatorWidth)
    }
}

/// Generates PWLQ golden cases for a rows × cols array with b-bit weights.
public struct PwlqCaseGenerator: Sendable {
    public let rows: Int
    public let cols: Int
    public let weightBits: Int
    public let accumulatorWidth: Int
    /// int8 activation cases are generated too.
    public let int8: Bool

    public init(rows: Int, cols: Int, weightBits: Int, accumulatorWidth: Int, int8: Bool) {
        self.rows = rows
        self.cols = cols
        self.weightBits = weightBits
        self.accumulatorWidth = accumulatorWidth
        self.int8 = int8
    }

    /// The preload stage's setting: none, W-bit preload, or 12-bit codes.
    public var partialSums: PartialSumSetting = .none

    /// `count` cases from `seed`: half random codes (every code, K 1…2·rows, both
    /// signednesses, int8 when enabled), half quantized data (Gaussian weights through the
    /// PWLQ reference quantizer with its region bits, random activations).
    public func cases(count: Int, seed: UInt64) -> [PwlqGoldenCase] {
        var generator = SplitMix64(seed: seed)
        return (0 ..< count).map { index in
            let k = Int.random(in: 1 ... max(2, 2 * rows), using: &generator)
            let signed = Bool.random(using: &generator)
            let wide = int8 && Bool.random(using: &generator)
            let activations = (0 ..< k).map { _ in (0 ..< rows).map { _ in Int.random(in: 0 ..< (wide ? 256 : 16), using: &generator) } }
            let weights = index % 2 == 0 ? randomWeights(k, &generator) : quantizedWeights(k, &generator)
            var golden = PwlqGoldenCase(activationCodes: activations, weightCodes: weights, signed: signed, int8: wide,
                                        accumulatorWidth: accumulatorWidth)
            if partialSums != .none {
                let fieldBits = partialSums == .codec ? 12 : accumulatorWidth
                golden.preload = (0 ..< rows).map { _ in (0 ..< 3 * cols).map { _ in generator.next() & ((1 << UInt64(fieldBits)) - 1) } }
            }
            return golden
        }
    }

    private func randomWeights(_ k: Int, _ generator: inout SplitMix64) -> [[PwlqCode]] {
        (0 ..< k).map { _ in (0 ..< cols).map { _ in PwlqCode(packed: UInt16(Int.random(in: 0 ..< (1 << (weightBits + 1)), using: &generator)), bits: weightBits) } }
    }

    private func quantizedWeights(_ k: Int, _ generator: inout SplitMix64) -> [[PwlqCode]] {
        // Weights [cols, k] per output channel, as a layer's weight matrix is stored.
        let values = (0 ..< cols * k).map { _ in generator.gaussian() }
        let options = PwlqOptions(bits: weightBits, variant: Bool.random(using: &generator) ? .paper : .nonoverlap)
        guard let tensor = try? Tensor(shape: [cols, k], float64: values),
              let result = try? PwlqQuantizer(options: options).quantize(tensor) else { return randomWeights(k, &generator) }
        return (0 ..< k).map { t in (0 ..< cols).map { j in PwlqCode(packed: result.codes[j * k + t], bits: weightBits) } }
    }
}

/// Whether a PWLQ build has the partial-sum stage, and with which input format.
public enum PartialSumSetting: String, Sendable, Equatable {
    case none
    /// W-bit preload rows.
    case preload
    /// 12-bit preload codes, 12-bit output codes.
    case codec
}

extension PwlqGoldenCase {
    /// The expected output fields of row i: (sum + preload) mod 2^W per field 3j + s, and
    /// their 12-bit codes with the codec (`model`: the array's W and codec).
    public func outputRow(_ i: Int, cols: Int, model: PartialSumModel) -> (totals: [UInt64], codes: [UInt16]) {
        let fields = (0 ..< cols).flatMap { j in [sums.centre[i][j], sums.tail[i][j], sums.offset[i][j]] }
        return model.output(sums: fields, preload: preload?[i])
    }
}
