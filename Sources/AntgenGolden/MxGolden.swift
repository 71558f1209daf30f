import AntgenNumerics

/// The shape of an MX array build as the golden model needs it (no hardware import).
public struct MxGoldenConfiguration: Sendable, Hashable {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int
    /// The enabled element formats.
    public let formats: [MxElementFormat]
    /// Block size k.
    public let blockSize: Int
    /// The element code port width.
    public let codeWidth: Int
    /// FP32 or window accumulation (with its width).
    public let accumulation: MxAccumulation

    /// Creates a configuration.
    public init(rows: Int, cols: Int, formats: [MxElementFormat], blockSize: Int, codeWidth: Int, accumulation: MxAccumulation) {
        self.rows = rows
        self.cols = cols
        self.formats = formats
        self.blockSize = blockSize
        self.codeWidth = codeWidth
        self.accumulation = accumulation
    }
}

/// One MX tile: K beats of activation and weight codes with their block scales, and the
/// expected binary32 bit patterns from the reference (spec §5.5–5.6).
public struct MxCase: Sendable, Hashable {
    /// Case number in its file.
    public let id: Int
    /// What made it (`random`, `nan-scale`, …), for the comments and reports.
    public let source: String
    /// The activation format.
    public let aFormat: MxElementFormat
    /// The weight format.
    public let wFormat: MxElementFormat
    /// a[i][k]: row i's code at beat k.
    public let a: [[Int]]
    /// aScales[i][b]: row i's scale code of block b.
    public let aScales: [[Int]]
    /// w[j][k]: column j's code at beat k.
    public let w: [[Int]]
    /// wScales[j][b].
    public let wScales: [[Int]]
    /// expected[i][j]: binary32 bits of C[i][j].
    public let expected: [[UInt32]]

    /// Beats in the tile.
    public var beats: Int { a.first?.count ?? 0 }
}

/// The bit-exact MX reference of the array: per PE, blocks in order, each an exact block
/// sum (``MxBlockSum``) folded by the configured accumulator.
public struct MxGoldenModel: Sendable {
    /// The configuration.
    public let configuration: MxGoldenConfiguration

    /// A model of `configuration`.
    public init(_ configuration: MxGoldenConfiguration) { self.configuration = configuration }

    /// C[i][j] as binary32 bits (NaN canonical) for one row and column of codes and scales.
    public func dot(a: [Int], aScales: [Int], aFormat: MxElementFormat, w: [Int], wScales: [Int], wFormat: MxElementFormat) -> UInt32 {
        let k = configuration.blockSize
        var blocks: [MxBlockSum] = []
        var start = 0
        var index = 0
        while start < a.count {
            let end = min(start + k, a.count)
            blocks.append(MxBlockSum(a: Array(a[start..<end]), formatA: aFormat, scaleA: MxScale(code: aScales[index]),
                                     b: Array(w[start..<end]), formatB: wFormat, scaleB: MxScale(code: wScales[index])))
            start = end
            index += 1
        }
        let value: Float
        switch configuration.accumulation {
        case .float32: value = MxDotProduct.float32(blocks)
        case .window(let window, let width): value = MxDotProduct.windowed(blocks, window: window, width: width)
        }
        return MxFloat32.bits(value)
    }

    /// A case with its expected results computed here.
    public func makeCase(id: Int, source: String, aFormat: MxElementFormat, wFormat: MxElementFormat,
                         a: [[Int]], aScales: [[Int]], w: [[Int]], wScales: [[Int]]) -> MxCase {
        let expected = (0..<configuration.rows).map { i in
            (0..<configuration.cols).map { j in
                dot(a: a[i], aScales: aScales[i], aFormat: aFormat, w: w[j], wScales: wScales[j], wFormat: wFormat)
            }
        }
        return MxCase(id: id, source: source, aFormat: aFormat, wFormat: wFormat, a: a, aScales: aScales, w: w,
                      wScales: wScales, expected: expected)
    }
}
