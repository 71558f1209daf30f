import AntgenNumerics

/// The golden model of the partial-sum stage at an array's outputs (docs/architecture.md §14),
/// shared by the ANT and PWLQ arrays: an output row leaves as (sum + preload) modulo 2^W and,
/// with the 12-bit codec, also as the codes of those totals; a preload row is W-bit words, or
/// 12-bit codes that are decoded (saturating to W bits) before the addition.
public struct PartialSumModel: Sendable, Equatable {
    /// W.
    public let sumWidth: Int
    /// The 12-bit codec, when preload rows and outputs are codes.
    public let codec: PartialSumCodec?

    /// The model for W-bit sums, with or without the codec.
    /// - Throws: ``PartialSumCodecError`` when the codec cannot cover W.
    public init(sumWidth: Int, codec: Bool) throws(PartialSumCodecError) {
        self.sumWidth = sumWidth
        self.codec = codec ? try PartialSumCodec(sumWidth: sumWidth) : nil
    }

    /// W-bit mask.
    var mask: UInt64 { sumWidth >= 64 ? .max : (1 << UInt64(sumWidth)) - 1 }

    /// Bits of one preload field: 12 with the codec, else W.
    public var preloadFieldWidth: Int { codec == nil ? sumWidth : PartialSumCodec.codeWidth }

    /// The W-bit word a preload field adds: the field itself, or its decoded code.
    public func preloadValue(_ field: UInt64) -> UInt64 {
        guard let codec else { return field & mask }
        return UInt64(bitPattern: Int64(codec.decode(UInt16(truncatingIfNeeded: field)))) & mask
    }

    /// One output row: every field's total (sum + preload) modulo 2^W, and with the codec the
    /// 12-bit code of each total (empty without). `preload` nil: the row adds zero.
    public func output(sums: [UInt64], preload: [UInt64]?) -> (totals: [UInt64], codes: [UInt16]) {
        let totals = sums.enumerated().map { f, sum in (sum &+ (preload.map { preloadValue($0[f]) } ?? 0)) & mask }
        guard let codec else { return (totals, []) }
        return (totals, totals.map { codec.encode(PwlqTileSums.signed($0, width: sumWidth)) })
    }

    /// The preload row that carries an output row into the next pass of a K split: the
    /// codes with the codec, else the W-bit totals.
    public func carried(_ row: (totals: [UInt64], codes: [UInt16])) -> [UInt64] {
        codec == nil ? row.totals : row.codes.map(UInt64.init)
    }

    /// A random preload row of `fields` fields (every W-bit word, or every 12-bit code).
    public func randomRow(fields: Int, using generator: inout SplitMix64) -> [UInt64] {
        let fieldMask: UInt64 = preloadFieldWidth >= 64 ? .max : (1 << UInt64(preloadFieldWidth)) - 1
        return (0 ..< fields).map { _ in generator.next() & fieldMask }
    }
}

/// An ANT tile with preloaded partial sums: the tile (codes and C = A·W from the golden
/// model) and one preload row per output row i (rows × cols fields).
public struct PartialSumCase: Sendable, Equatable {
    /// The tile.
    public let tile: GoldenCase
    /// preload[i][j]: what row i, column j starts from (W-bit word or 12-bit code).
    public let preload: [[UInt64]]

    public init(tile: GoldenCase, preload: [[UInt64]]) {
        self.tile = tile
        self.preload = preload
    }

    /// Output row i: totals and codes (see ``PartialSumModel/output(sums:preload:)``).
    public func outputRow(_ i: Int, model: PartialSumModel) -> (totals: [UInt64], codes: [UInt16]) {
        model.output(sums: tile.expected[i], preload: preload[i])
    }
}

/// Golden cases for an ANT array with the partial-sum stage (`antgen verify --psum-preload`).
public struct PartialSumCaseGenerator: Sendable {
    /// The tiles' golden model.
    public let generator: GoldenGenerator
    /// The stage's model.
    public let model: PartialSumModel

    /// A generator for `configuration` with the stage `model`.
    /// - Throws: ``ConfigurationError`` as ``GoldenGenerator/init(configuration:)``.
    public init(configuration: ArrayConfiguration, model: PartialSumModel) throws {
        generator = try GoldenGenerator(configuration: configuration)
        self.model = model
    }

    /// `count` random tiles and `count / 4` quantized ones (the ``CaseSource`` generators),
    /// each with a preload: every odd-numbered case starts from the previous case's output
    /// row (so the two form one GEMM whose K is split over two passes), the others from
    /// random rows (every W-bit word, or every 12-bit code).
    public func cases(count: Int, seed: UInt64) throws -> [PartialSumCase] {
        let tiles = try generator.cases(.random, count: max(count, 1), seed: seed)
            + generator.cases(.quantized, count: max(1, count / 4), seed: seed)
        var rng = SplitMix64(seed: seed).derived(0x5053)
        var out: [PartialSumCase] = []
        for (n, tile) in tiles.enumerated() {
            if n % 2 == 1, let previous = out.last {
                let rows = tile.expected.indices.map { model.carried(previous.outputRow($0, model: model)) }
                out.append(PartialSumCase(tile: tile, preload: rows))
            } else {
                let rows = tile.expected.map { model.randomRow(fields: $0.count, using: &rng) }
                out.append(PartialSumCase(tile: tile, preload: rows))
            }
        }
        return out
    }
}
