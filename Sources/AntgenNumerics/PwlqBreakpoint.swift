import Foundation

/// The unit-variance models of the breakpoint rules (spec §7.3): N(0, 1), and Laplace with
/// scale √0.5 (variance 1).
public enum PwlqDistribution: String, Sendable, Codable, CaseIterable {
    case gaussian
    case laplace

    private static let laplaceScale = 0.5.squareRoot()

    /// The CDF F(x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .gaussian: return 0.5 * erfc(-x / 2.0.squareRoot())
        case .laplace:
            let b = Self.laplaceScale
            return x < 0 ? 0.5 * exp(x / b) : 1 - 0.5 * exp(-x / b)
        }
    }

    /// The density f(x).
    public func pdf(_ x: Double) -> Double {
        switch self {
        case .gaussian: return exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        case .laplace:
            let b = Self.laplaceScale
            return exp(-abs(x) / b) / (2 * b)
        }
    }

    /// The fitted closed form (spec §7.3, full constants of the released code), giving the
    /// breakpoint normalised by σ, p̃ = p/σ, from m̃ = m/σ.
    public func closedFormBreakpoint(normalizedRange m: Double) -> Double {
        switch self {
        case .gaussian: return log(0.86143114 * m + 0.607901097496529)
        case .laplace: return 0.80304483 * m.squareRoot() - 0.3166785508381478
        }
    }
}

/// How a channel's breakpoint is chosen (spec §7.3).
public enum PwlqBreakpointRule: Sendable, Equatable, CustomStringConvertible {
    /// Coarse-to-fine L2 grid search over p/m (no distribution assumption).
    case gridSearch
    /// Bisection on the expected-error derivative under a unit-variance model.
    case bisection(PwlqDistribution)
    /// The fitted closed form of a model (paper and nonoverlap variants only).
    case closedForm(PwlqDistribution)
    /// A fixed p/m in (0, 1) for every channel.
    case fixedRatio(Double)

    public var description: String {
        switch self {
        case .gridSearch: return "search"
        case .bisection(let model): return model.rawValue
        case .closedForm(let model): return model == .gaussian ? "closed-form" : "closed-form-laplace"
        case .fixedRatio(let ratio): return "ratio \(ratio)"
        }
    }
}

/// The expected-error model of the paper (eq. 4) and its derivatives, as pure functions.
public enum PwlqErrorModel {
    /// C(b) = 1 / (12·(2^b − 1)²): the uniform quantizer's error per squared range.
    public static func uniformConstant(bits: Int) -> Double {
        let levels = Double((1 << bits) - 1)
        return 1 / (12 * levels * levels)
    }

    /// E[ε²] of eq. 3 at breakpoint p on [−m, m] for a symmetric CDF with F(−m) = 0, F(m) = 1:
    /// C(b−1)·[(m − p)² + m(2p − m)(2F(p) − 1)].
    public static func expectedError(breakpoint p: Double, range m: Double, bits: Int, cdf: (Double) -> Double) -> Double {
        uniformConstant(bits: bits - 1) * ((m - p) * (m - p) + m * (2 * p - m) * (2 * cdf(p) - 1))
    }

    /// The derivative the bisection solves (∂E/∂p divided by 2C(b−1)), in units of σ:
    /// two-region model g(p) = p − 2m + 2mF(p) + m(2p − m)f(p); overlap model (the released
    /// pw-1 proxy) 2f(p)(p² − m²) + 2p(2F(p) − 1).
    public static func derivative(_ p: Double, range m: Double, model: PwlqDistribution, variant: PwlqVariant) -> Double {
        let f = model.pdf(p), cdf = model.cdf(p)
        if variant == .overlap { return 2 * f * (p * p - m * m) + 2 * p * (2 * cdf - 1) }
        return p - 2 * m + 2 * m * cdf + m * (2 * p - m) * f
    }

    /// Bisection on (0, m̃) as the released code: stop when |g| ≤ 1e−3 or after 100 halvings;
    /// the last midpoint is the normalised breakpoint p̃.
    public static func bisect(normalizedRange m: Double, model: PwlqDistribution, variant: PwlqVariant) -> Double {
        var low = 0.0, high = m, middle = m / 2
        for _ in 0 ..< 100 {
            middle = (low + high) / 2
            let slope = derivative(middle, range: m, model: model, variant: variant)
            if abs(slope) <= 1e-3 { break }
            if slope > 0 { high = middle } else { low = middle }
        }
        return middle
    }
}

/// Statistics of one channel the distribution rules need.
struct PwlqChannelStatistics {
    /// max |x|.
    let maximum: Double
    /// Unbiased standard deviation (0 for a single element).
    let deviation: Double
    /// Mean.
    let mean: Double

    init(_ values: UnsafeBufferPointer<Double>) {
        var sum = 0.0, maximum = 0.0
        for x in values {
            sum += x
            maximum = max(maximum, abs(x))
        }
        let mean = values.isEmpty ? 0 : sum / Double(values.count)
        var squares = 0.0
        for x in values { squares += (x - mean) * (x - mean) }
        self.maximum = maximum
        self.mean = mean
        self.deviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
    }
}

/// The smallest and largest p/m a distribution rule may return (a closed form can fall
/// outside (0, 1) for channels far from its fit domain m̃ ∈ [3, 10]).
let pwlqRatioFloor = 1.0 / 1024

/// p/m for one channel from a distribution rule: σ = std + 1e−12, m̃ = m/σ, p̃ from the
/// bisection or the closed form, ratio p̃/m̃ clamped to [2^−10, 1 − 2^−10].
func distributionRatio(_ statistics: PwlqChannelStatistics, rule: PwlqBreakpointRule, variant: PwlqVariant) -> Double {
    let sigma = statistics.deviation + 1e-12
    let normalized = statistics.maximum / sigma
    let p: Double
    switch rule {
    case .bisection(let model): p = PwlqErrorModel.bisect(normalizedRange: normalized, model: model, variant: variant)
    case .closedForm(let model): p = model.closedFormBreakpoint(normalizedRange: normalized)
    case .gridSearch, .fixedRatio: p = normalized / 2
    }
    let ratio = p / normalized
    guard ratio.isFinite else { return 0.5 }
    return min(max(ratio, pwlqRatioFloor), 1 - pwlqRatioFloor)
}
