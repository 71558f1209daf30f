import AntgenNumerics

/// The kinds of golden cases (docs/verification.md, "Case sources").
public enum CaseSource: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Every code pair of every enabled mode pair (4-bit types × signedness, int8 pairs), K = 1.
    case exhaustive
    /// Random GEMMs with random K, corner codes and accumulator-wrap cases.
    case random
    /// Gaussian and Laplace float matrices quantized by ANT's adaptive quantizer.
    case quantized
    /// Benchmark mix (not part of `all`): long-K tiles of random codes in the build's 4-bit
    /// mode pairs, K = ``CaseGenerator/throughputReduction(rows:cols:)``, so streamed back to
    /// back they keep every PE busy; checked bit-exact like the others.
    case throughput

    /// What `--sources all` means: the coverage sources (``throughput`` adds no coverage).
    public static let coverage: [CaseSource] = [.exhaustive, .random, .quantized]

    /// The command-line name.
    public var description: String { rawValue }
}

/// The case generators. Pure functions of the model, a count and a seeded generator.
public enum CaseGenerator {
    /// Source (a): for every (activation mode, weight mode) pair the build supports, every
    /// code pair, packed as outer products into K = 1 tiles (rows activation codes ×
    /// cols weight codes per tile), so a 16 × 16 array covers a 4-bit pair in one tile.
    /// int8 modes enumerate all 256 codes, so every pair of nibble terms occurs.
    public static func exhaustive(_ model: GoldenModel) -> [GoldenCase] {
        let c = model.configuration
        var cases: [GoldenCase] = []
        for act in c.activationModes {
            for weight in c.weightModes {
                let aCodes = (0..<(1 << act.codeBits(codeWidth: c.codeWidth))).map(UInt64.init)
                let wCodes = (0..<(1 << weight.codeBits(codeWidth: c.codeWidth))).map(UInt64.init)
                let aTiles = (aCodes.count + c.rows - 1) / c.rows
                let wTiles = (wCodes.count + c.cols - 1) / c.cols
                for ta in 0..<aTiles {
                    for tw in 0..<wTiles {
                        // A short last chunk wraps around to the first codes: still every pair.
                        let a = (0..<c.rows).map { aCodes[(ta * c.rows + $0) % aCodes.count] }
                        let w = (0..<c.cols).map { wCodes[(tw * c.cols + $0) % wCodes.count] }
                        cases.append(model.makeCase(source: "exhaustive", activation: act, weight: weight, a: [a], w: [w]))
                    }
                }
            }
        }
        return numbered(cases)
    }

    /// The reduction length for case `index`: cycles through K = 1, K < rows,
    /// K ≈ rows … 2·rows, and K ≫ max(rows, cols).
    static func reduction(index: Int, rows: Int, cols: Int, rng: inout SplitMix64) -> Int {
        let big = max(rows, cols)
        switch index % 4 {
        case 0: return 1
        case 1: return Int.random(in: 1...max(1, rows - 1), using: &rng)
        case 2: return Int.random(in: rows...(2 * rows + 3), using: &rng)
        default: return Int.random(in: (4 * big)...(8 * big), using: &rng)
        }
    }

    /// The corner codes of a mode: zero, ±max magnitude, −0 and the most negative int
    /// (the sign bit alone), all ones, and one.
    static func cornerCodes(_ mode: OperandMode, codeWidth: Int) throws -> [UInt64] {
        let format = try mode.format(codeWidth: codeWidth)
        let bits = mode.codeBits(codeWidth: codeWidth)
        var codes: Set<UInt64> = [0, 1, (1 << UInt64(bits)) - 1]
        if let top = format.code(ofUnits: format.distinctValues.last!) { codes.insert(UInt64(top)) }
        if let bottom = format.code(ofUnits: format.distinctValues.first!) { codes.insert(UInt64(bottom)) }
        if mode.signed { codes.insert(1 << UInt64(bits - 1)) }
        return codes.sorted()
    }

    /// The largest |value| of a mode in units.
    static func maxMagnitude(_ model: GoldenModel, _ mode: OperandMode) -> Double {
        let bits = mode.codeBits(codeWidth: model.configuration.codeWidth)
        return (0..<(1 << bits)).map { abs(Double(model.value(of: UInt64($0), mode: mode))) }.max() ?? 0
    }

    /// Source (b): `count` random GEMM tiles. Of every 8 cases, 6 draw uniform random codes
    /// (native codes get random junk in the unused upper bits of 8-bit ports, which the
    /// hardware must ignore), 1 draws only corner codes and 1 is built to overflow W with
    /// the largest-magnitude pair of modes (when that needs K ≤ 2048; a corner case otherwise).
    /// Case 0 is then replaced by ``powerUpTypeCase(_:rng:)`` (drawn from its own sub-stream,
    /// so the other cases do not change), when the build has a mode for it.
    public static func random(_ model: GoldenModel, count: Int, rng: inout SplitMix64) throws -> [GoldenCase] {
        let c = model.configuration
        let portMask: UInt64 = (1 << UInt64(c.codePortWidth)) - 1
        let wrap = wrapPlan(model)
        var cases: [GoldenCase] = []
        var powerUpRng = rng.derived(0x5057_5550)
        for index in 0..<count {
            let act = c.activationModes.randomElement(using: &rng)!
            let weight = c.weightModes.randomElement(using: &rng)!
            let k = reduction(index: index, rows: c.rows, cols: c.cols, rng: &rng)
            switch index % 8 {
            case 7:
                if let wrap { cases.append(wrapCase(model, plan: wrap, rng: &rng)); continue }
                fallthrough
            case 6:
                let ac = try cornerCodes(act, codeWidth: c.codeWidth), wc = try cornerCodes(weight, codeWidth: c.codeWidth)
                let a = (0..<k).map { _ in (0..<c.rows).map { _ in ac.randomElement(using: &rng)! } }
                let w = (0..<k).map { _ in (0..<c.cols).map { _ in wc.randomElement(using: &rng)! } }
                cases.append(model.makeCase(source: "corner", activation: act, weight: weight, a: a, w: w))
            default:
                let a = (0..<k).map { _ in (0..<c.rows).map { _ in rng.next() & portMask } }
                let w = (0..<k).map { _ in (0..<c.cols).map { _ in rng.next() & portMask } }
                cases.append(model.makeCase(source: "random", activation: act, weight: weight, a: a, w: w))
            }
        }
        if !cases.isEmpty, let first = try powerUpTypeCase(model, rng: &powerUpRng) { cases[0] = first }
        return numbered(cases)
    }

    /// What every wrap case of a build shares: the mode pair with the largest product, the
    /// codes of maximal magnitude of each, and the K that surely leaves the W-bit range.
    struct WrapPlan {
        let activation: OperandMode, weight: OperandMode
        let activationCodes: [UInt64], weightCodes: [UInt64]
        let reduction: Int
    }

    /// The build's wrap plan; nil when overflowing W would need K > 2048.
    static func wrapPlan(_ model: GoldenModel) -> WrapPlan? {
        let c = model.configuration
        var best: (OperandMode, OperandMode, Double)?
        var magnitudes: [OperandMode: Double] = [:]
        func magnitude(_ mode: OperandMode) -> Double {
            if let known = magnitudes[mode] { return known }
            let value = maxMagnitude(model, mode)
            magnitudes[mode] = value
            return value
        }
        for act in c.activationModes {
            for weight in c.weightModes {
                let p = magnitude(act) * magnitude(weight)
                if best == nil || p > best!.2 { best = (act, weight, p) }
            }
        }
        guard let (act, weight, product) = best, product > 0 else { return nil }
        let limit = Double(sign: .plus, exponent: c.accumulatorWidth - 1, significand: 1)
        let needed = Int((limit / product).rounded(.up)) + 1
        guard needed <= 2048 else { return nil }
        func largest(_ mode: OperandMode) -> [UInt64] {
            let bits = mode.codeBits(codeWidth: c.codeWidth)
            let top = magnitude(mode)
            return (0..<(UInt64(1) << UInt64(bits))).filter { abs(Double(model.value(of: $0, mode: mode))) == top }
        }
        return WrapPlan(activation: act, weight: weight, activationCodes: largest(act), weightCodes: largest(weight), reduction: needed)
    }

    /// A tile whose sums leave the W-bit range: codes of maximal magnitude of the plan's
    /// mode pair (half the tiles same-signed, so they overflow upwards, the rest mixed).
    static func wrapCase(_ model: GoldenModel, plan: WrapPlan, rng: inout SplitMix64) -> GoldenCase {
        let c = model.configuration
        let k = plan.reduction + Int.random(in: 0...3, using: &rng)
        // Every row repeats one activation code all the way down, and column 0 one weight
        // code, so at least output (i, 0) surely wraps.
        let aRow = (0..<c.rows).map { _ in plan.activationCodes.randomElement(using: &rng)! }
        var w = (0..<k).map { _ in (0..<c.cols).map { _ in plan.weightCodes.randomElement(using: &rng)! } }
        for kk in 0..<k { w[kk][0] = w[0][0] }
        return model.makeCase(source: "wrap", activation: plan.activation, weight: plan.weight,
                              a: Array(repeating: aRow, count: k), w: w)
    }

    /// Renumbers cases 0, 1, … in order.
    public static func numbered(_ cases: [GoldenCase]) -> [GoldenCase] {
        cases.enumerated().map { var c = $0.element; c.id = $0.offset; return c }
    }
}
