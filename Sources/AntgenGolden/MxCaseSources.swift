import AntgenNumerics

/// The MX case sources of `antgen verify --mx` (docs/mx.md): for every element-format pair,
/// random finite tiles of 1 … `maxBlocks` blocks, four special-value tiles (NaN scale,
/// NaN/∞ elements, saturated values and INT8 −2.0 with extreme scales, subnormal codes
/// and all-zero blocks) and one tile of quantized Gaussian data. Expected values come from
/// ``MxGoldenModel``, never from the RTL. Pure function of (configuration, seed).
public struct MxCaseGenerator: Sendable {
    /// The model that computes expectations.
    public let model: MxGoldenModel
    /// The largest block count of the random tiles.
    public let maxBlocks: Int
    /// The seed of the private SplitMix64 stream.
    public let seed: UInt64

    /// Creates a generator.
    public init(model: MxGoldenModel, maxBlocks: Int = 8, seed: UInt64 = 1) {
        self.model = model
        self.maxBlocks = maxBlocks
        self.seed = seed
    }

    /// Every case, pairs in format order (activation outer), ids from 0.
    public func cases() -> [MxCase] {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x4D58)
        var out: [MxCase] = []
        let formats = model.configuration.formats
        for aFormat in formats {
            for wFormat in formats {
                for blocks in 1...maxBlocks {
                    out.append(randomCase(id: out.count, aFormat, wFormat, blocks: blocks, rng: &rng))
                }
                for variant in 0..<4 {
                    out.append(specialCase(id: out.count, aFormat, wFormat, variant: variant, rng: &rng))
                }
                out.append(quantizedCase(id: out.count, aFormat, wFormat, rng: &rng))
            }
        }
        return out
    }

    private var rows: Int { model.configuration.rows }
    private var cols: Int { model.configuration.cols }
    private var k: Int { model.configuration.blockSize }

    private func uniform(_ n: Int, _ rng: inout SplitMix64) -> Int { Int(rng.next() % UInt64(n)) }

    private func finiteCode(_ f: MxElementFormat, _ rng: inout SplitMix64) -> Int {
        while true {
            let code = uniform(1 << f.bits, &rng)
            if f.decode(code).kind == .finite { return code }
        }
    }

    /// K beats for `blocks` blocks; every fourth tile ends with a short block. A tile has
    /// at least `rows` beats (the drain takes one row per cycle; docs/architecture.md).
    private func beats(blocks: Int, _ rng: inout SplitMix64) -> Int {
        let full = blocks * k
        return max(rows, full - (uniform(4, &rng) == 0 && k > 1 ? 1 + uniform(k - 1, &rng) : 0))
    }

    private func blockCount(_ beats: Int) -> Int { (beats + k - 1) / k }

    private func randomCase(id: Int, _ fa: MxElementFormat, _ fw: MxElementFormat, blocks: Int, rng: inout SplitMix64) -> MxCase {
        let kk = beats(blocks: blocks, &rng)
        let n = blockCount(kk)
        let a = (0..<rows).map { _ in (0..<kk).map { _ in finiteCode(fa, &rng) } }
        let w = (0..<cols).map { _ in (0..<kk).map { _ in finiteCode(fw, &rng) } }
        let aScales = (0..<rows).map { _ in (0..<n).map { _ in 121 + uniform(13, &rng) } }
        let wScales = (0..<cols).map { _ in (0..<n).map { _ in 121 + uniform(13, &rng) } }
        return model.makeCase(id: id, source: "random", aFormat: fa, wFormat: fw, a: a, aScales: aScales, w: w, wScales: wScales)
    }

    /// One operand row of a special tile (two blocks), by mode:
    /// 0 NaN scale in block 0; 1 NaN/∞ codes sprinkled (saturated codes where the format
    /// has no specials); 2 saturated codes (INT8: −2.0) with scale 254 then 0; 3 subnormal
    /// codes with tiny scales, then an all-zero block.
    private func specialRow(_ f: MxElementFormat, mode: Int, beats: Int, _ rng: inout SplitMix64) -> (codes: [Int], scales: [Int]) {
        let sign = 1 << (f.bits - 1)
        let maxCode = f == .int8 ? 0x7F : f.encode(f.maxFinite)
        switch mode {
        case 0:
            return ((0..<beats).map { _ in finiteCode(f, &rng) }, [0xFF, 127])
        case 1:
            let specials: [Int] = f == .fp8e5m2 ? [0x7C, 0xFC, 0x7D] : f == .fp8e4m3 ? [0x7F, 0xFF] : [maxCode, maxCode | sign]
            let codes = (0..<beats).map { _ in uniform(8, &rng) == 0 ? specials[uniform(specials.count, &rng)] : finiteCode(f, &rng) }
            return (codes, [120 + uniform(15, &rng), 120 + uniform(15, &rng)])
        case 2:
            let top = f == .int8 ? [0x80, 0x7F, 0x80] : [maxCode, maxCode | sign, maxCode]
            return ((0..<beats).map { _ in top[uniform(top.count, &rng)] }, [254, 0])
        default:
            let subnormal = f == .int8 ? 3 : (1 << f.mantissaBits) - 1
            let codes = (0..<beats).map { beat in beat >= k ? 0 : (uniform(3, &rng) == 0 ? 0 : uniform(subnormal + 1, &rng)) | (uniform(2, &rng) << (f.bits - 1)) }
            return (codes, [uniform(3, &rng), 200])
        }
    }

    private func specialCase(id: Int, _ fa: MxElementFormat, _ fw: MxElementFormat, variant: Int, rng: inout SplitMix64) -> MxCase {
        let kk = 2 * k
        let aRows = (0..<rows).map { specialRow(fa, mode: ($0 + variant) % 4, beats: kk, &rng) }
        let wRows = (0..<cols).map { specialRow(fw, mode: 1 + ($0 + variant) % 3, beats: kk, &rng) }
        return model.makeCase(id: id, source: "special-\(variant)", aFormat: fa, wFormat: fw,
                              a: aRows.map(\.codes), aScales: aRows.map(\.scales), w: wRows.map(\.codes), wScales: wRows.map(\.scales))
    }

    /// Gaussian data (per-row spread 2^−8 … 2^8) quantized with ``MxQuantizer`` (RNE, SAT).
    private func quantizedCase(id: Int, _ fa: MxElementFormat, _ fw: MxElementFormat, rng: inout SplitMix64) -> MxCase {
        let kk = k + (k + 1) / 2
        func quantized(_ f: MxElementFormat, count: Int) -> (codes: [[Int]], scales: [[Int]]) {
            let quantizer = MxQuantizer(format: f, blockSize: k)
            var codes: [[Int]] = [], scales: [[Int]] = []
            for _ in 0..<count {
                let spread = Double(sign: .plus, exponent: uniform(17, &rng) - 8, significand: 1)
                let values = (0..<kk).map { _ in gaussian(&rng) * spread }
                let q = quantizer.quantize(values, shape: [kk])
                codes.append(q.codes.map(Int.init))
                scales.append(q.scales.map(Int.init))
            }
            return (codes, scales)
        }
        let a = quantized(fa, count: rows), w = quantized(fw, count: cols)
        return model.makeCase(id: id, source: "quantized", aFormat: fa, wFormat: fw, a: a.codes, aScales: a.scales, w: w.codes, wScales: w.scales)
    }

    private func gaussian(_ rng: inout SplitMix64) -> Double {
        let u1 = (Double(rng.next() >> 11) + 0.5) / Double(1 << 53)
        let u2 = Double(rng.next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
