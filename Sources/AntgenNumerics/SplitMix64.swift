import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator.
///
/// Every random choice of the golden generator, the benchmarks and the randomized tests
/// goes through one of these, owned by the caller, so a seed fully determines the data (no
/// global state, no system entropy). Sub-streams are derived with ``derived(_:)`` so adding cases to one source
/// never shifts the random numbers of another.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator state; the next output is a mix of `state + γ`.
    public private(set) var state: UInt64

    /// Creates a generator; any seed, including 0, is fine.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for sub-stream `label` of this seed.
    public func derived(_ label: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (label &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }

    /// A uniformly random Double in the open interval (0, 1).
    public mutating func unitInterval() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// A standard normal sample (Box–Muller).
    public mutating func gaussian() -> Double {
        let u = Double.random(in: Double.ulpOfOne ..< 1, using: &self)
        let v = Double.random(in: 0 ..< 1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
