import AntgenNumerics
import Foundation

extension CaseGenerator {
    /// The reduction length K of every ``CaseSource/throughput`` tile: 8 · max(rows, cols)
    /// beats, so K ≥ rows (the skewed array then takes one beat per cycle, back to back) and
    /// the fill and drain of a vector file (2R + C cycles) are a few per cent of one tile.
    public static func throughputReduction(rows: Int, cols: Int) -> Int { 8 * max(rows, cols) }

    /// The native-width mode pairs of a build (no int8: one reduction step per beat; 4-bit
    /// codes in the usual build), activation-major.
    static func nibbleModePairs(_ c: ArrayConfiguration) -> [(activation: OperandMode, weight: OperandMode)] {
        c.activationModes.filter { !$0.int8 }.flatMap { a in c.weightModes.filter { !$0.int8 }.map { (a, $0) } }
    }

    /// Source ``CaseSource/throughput``: `count` tiles of K = ``throughputReduction(rows:cols:)``
    /// beats of uniform random port codes (8-bit ports carry junk above the 4-bit code, which
    /// the hardware must ignore), the 4-bit mode pairs taken in turn. Case i draws from its own
    /// sub-stream of one draw of `rng`, so the cases and their expected values are computed on
    /// every core and still depend only on (configuration, count, seed).
    /// - Throws: ``ConfigurationError`` when the build has no 4-bit mode pair.
    public static func throughput(_ model: GoldenModel, count: Int, rng: inout SplitMix64) throws -> [GoldenCase] {
        let c = model.configuration
        let pairs = nibbleModePairs(c)
        guard !pairs.isEmpty else { throw ConfigurationError("the throughput mix needs a native-width mode pair, and this build has none") }
        let k = throughputReduction(rows: c.rows, cols: c.cols)
        let portMask: UInt64 = (1 << UInt64(c.codePortWidth)) - 1
        let base = SplitMix64(seed: rng.next())
        let slots = ParallelResults<GoldenCase>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            var local = base.derived(UInt64(index))
            let pair = pairs[index % pairs.count]
            let a = (0..<k).map { _ in (0..<c.rows).map { _ in local.next() & portMask } }
            let w = (0..<k).map { _ in (0..<c.cols).map { _ in local.next() & portMask } }
            slots[index] = model.makeCase(source: "throughput", activation: pair.activation, weight: pair.weight, a: a, w: w)
        }
        return numbered(slots.values.map { $0! })
    }
}
