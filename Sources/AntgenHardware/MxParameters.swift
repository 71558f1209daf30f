import AntgenDSL
import AntgenNumerics

/// The generator parameters of the MX array (`antgen emit --mx FORMATS`,
/// docs/architecture.md "MX array").
public struct MxArrayParameters: Sendable, Hashable {
    /// PE rows (activation rows), 1 … blockSize.
    public var rows: Int
    /// PE columns (weight columns).
    public var cols: Int
    /// The element formats the decoders accept, on both operand streams.
    public var formats: [MxElementFormat]
    /// Elements per block, k (32 in OCP MX v1.0).
    public var blockSize: Int
    /// FP32 or bounded-window accumulation.
    public var accumulation: MxAccumulatorKind
    /// The most blocks per tile the window accumulator is sized for (it wraps beyond).
    public var maxBlocks: Int

    /// Creates parameters; `validate()` checks them.
    public init(rows: Int = 2, cols: Int = 2, formats: [MxElementFormat] = MxElementFormat.allCases, blockSize: Int = 32,
                accumulation: MxAccumulatorKind = .float32, maxBlocks: Int = 128) {
        self.rows = rows
        self.cols = cols
        self.formats = MxElementFormat.allCases.filter { formats.contains($0) }
        self.blockSize = blockSize
        self.accumulation = accumulation
        self.maxBlocks = maxBlocks
    }

    /// A one-line reason the parameters cannot be built, nil when they can.
    public func problem() -> String? {
        if !(1 ... 64).contains(rows) || !(1 ... 64).contains(cols) { return "rows and cols must be 1…64" }
        if formats.isEmpty { return "--mx needs at least one format" }
        if !(1 ... 1024).contains(blockSize) { return "the block size must be 1…1024" }
        if rows > blockSize { return "rows (\(rows)) must not exceed the block size (\(blockSize)): the drain takes one row per cycle" }
        if case .window(let s) = accumulation, !(0 ... 32).contains(s) { return "the alignment window must be 0…32 bits" }
        if !(1 ... 1 << 20).contains(maxBlocks) { return "--mx-max-blocks must be 1…1048576" }
        return nil
    }

    /// The element code width of the ports: the widest enabled format.
    public var codeWidth: Int { formats.map(\.bits).max() ?? 4 }
    /// The decoded mantissa width: the largest M of the enabled formats.
    public var mantissaWidth: Int { minimalUnsignedWidth(formats.map(\.maxMantissa).max() ?? 1) }
    /// The decoded shift width: the largest E of the enabled formats (≥ 1 bit).
    public var shiftWidth: Int { minimalUnsignedWidth(max(formats.map(\.maxShift).max() ?? 0, 1)) }
    /// The exact signed block-sum width over every enabled pair (spec §5.5).
    public var blockSumWidth: Int {
        formats.flatMap { a in formats.map { MxDotProduct.blockSumWidth(a, $0, blockSize: blockSize) } }.max() ?? 2
    }
    /// The window accumulator's width: block sum + window + ⌈log2 maxBlocks⌉ (spec §5.6).
    public var windowAccumulatorWidth: Int {
        guard case .window(let s) = accumulation else { return 0 }
        return blockSumWidth + s + bitsToIndex(maxBlocks)
    }
    /// The reference accumulation these parameters implement.
    public var reference: MxAccumulation {
        switch accumulation {
        case .float32: return .float32
        case .window(let s): return .window(window: s, width: windowAccumulatorWidth)
        }
    }
    /// The folder-name tag: `mx_2x2_fp4-int8_k32_fp32` or `…_win8`.
    public var tag: String {
        let acc: String
        switch accumulation {
        case .float32: acc = "fp32"
        case .window(let s): acc = "win\(s)"
        }
        return "mx_\(rows)x\(cols)_" + formats.map(\.rawValue).joined(separator: "-") + "_k\(blockSize)_\(acc)"
    }
}

/// The MX PE's accumulator.
public enum MxAccumulatorKind: Sendable, Hashable {
    /// Per-PE FP32 accumulator fed by the DSL ``Fp32Adder``.
    case float32
    /// A fixed-point accumulator with an alignment window of this many bits.
    case window(Int)
}

/// A decoded MX element with its block's scale folded in, as the boundary decoders send
/// it to the PEs. Packed `{nan, inf, sign, mantissa, shift, exponent}`.
public struct MxOperand: BundleSpec {
    /// The element or its block scale is NaN.
    public let nan = Field(.bool)
    /// The element is ±∞ (sign in `sign`).
    public let inf = Field(.bool)
    /// The sign.
    public let sign = Field(.bool)
    /// M.
    public let mantissa: Field
    /// E.
    public let shift: Field
    /// (x − 127) + log2 unit: the block scale exponent with the format's unit folded in.
    public let exponent = Field(.sint(MxOperand.exponentWidth))

    /// Width of `exponent`: −143 … 126.
    public static let exponentWidth = 9

    /// An operand with the given M and E widths.
    public init(mantissaWidth: Int, shiftWidth: Int) {
        mantissa = Field(.uint(mantissaWidth))
        shift = Field(.uint(shiftWidth))
    }
}

/// The control of one MX beat. Packed `{tile_last, tile_first, block_last, block_first, valid}`.
public struct MxControl: BundleSpec {
    /// The tile's last beat (also a block's last).
    public let tileLast = Field(.bool)
    /// The tile's first beat.
    public let tileFirst = Field(.bool)
    /// The block's last beat.
    public let blockLast = Field(.bool)
    /// The block's first beat.
    public let blockFirst = Field(.bool)
    /// The beat carries data.
    public let valid = Field(.bool)
    /// The bundle.
    public init() {}
}
