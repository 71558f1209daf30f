/// The MX vector file (v1, docs/mx.md): plain text, one 64-bit hex word per line, `//`
/// comments. `$readmemh` and `strtoull` read it.
///
/// Header (12 words): magic `4d585631` ("MXV1"), version 1, header length 12, rows, cols,
/// code width, block size, accumulation (0 FP32, 1 window), window S, window accumulator
/// width, case count, total words. Each case: id, K, activation format, weight format
/// (spec §5.1 codes), then K beats of `rows` activation words and `cols` weight words
/// (`scale << 8 | code`, the scale of the beat's block), then `rows × cols` expected
/// binary32 patterns, row-major: 4 + K·(rows + cols) + rows·cols words.
public struct MxVectorFile: Sendable {
    /// The magic word.
    public static let magic: UInt64 = 0x4D58_5631
    /// Header words.
    public static let headerLength = 12

    /// The configuration the cases are for.
    public let configuration: MxGoldenConfiguration
    /// The cases.
    public let cases: [MxCase]

    /// A file of `cases`.
    public init(configuration: MxGoldenConfiguration, cases: [MxCase]) {
        self.configuration = configuration
        self.cases = cases
    }

    /// The total number of words.
    public var wordCount: Int {
        let c = configuration
        return Self.headerLength + cases.reduce(0) { $0 + 4 + $1.beats * (c.rows + c.cols) + c.rows * c.cols }
    }

    /// The file's text.
    public func render() -> String {
        let c = configuration
        var lines: [String] = []
        lines.reserveCapacity(wordCount + cases.count + 4)
        func word(_ value: UInt64, _ comment: String = "") {
            lines.append(String(value, radix: 16) + (comment.isEmpty ? "" : " // " + comment))
        }
        let window: (Int, Int, Int)
        switch c.accumulation {
        case .float32: window = (0, 0, 0)
        case .window(let s, let w): window = (1, s, w)
        }
        word(Self.magic, "MXV1: antgen MX vectors")
        word(1, "version")
        word(UInt64(Self.headerLength), "header words")
        word(UInt64(c.rows), "rows")
        word(UInt64(c.cols), "cols")
        word(UInt64(c.codeWidth), "code width")
        word(UInt64(c.blockSize), "block size")
        word(UInt64(window.0), "accumulation (0 fp32, 1 window)")
        word(UInt64(window.1), "window")
        word(UInt64(window.2), "window accumulator width")
        word(UInt64(cases.count), "cases")
        word(UInt64(wordCount), "total words")
        for item in cases {
            lines.append("// case \(item.id) \(item.source): K=\(item.beats) act \(item.aFormat.modeName) weight \(item.wFormat.modeName)")
            word(UInt64(item.id))
            word(UInt64(item.beats))
            word(UInt64(item.aFormat.code))
            word(UInt64(item.wFormat.code))
            for beat in 0..<item.beats {
                let block = beat / c.blockSize
                for i in 0..<c.rows { word(UInt64(item.aScales[i][block] << 8 | item.a[i][beat])) }
                for j in 0..<c.cols { word(UInt64(item.wScales[j][block] << 8 | item.w[j][beat])) }
            }
            for row in item.expected {
                for value in row { word(UInt64(value)) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
