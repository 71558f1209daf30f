import AntgenDSL
import AntgenNumerics

/// An operand precision of the FP-on-INT array (`--fpint-formats`), with its run-time code on
/// `cfg_format` (docs/fp-on-int.md, "Hardware").
public enum FpIntPrecision: String, Sendable, Hashable, Codable, CaseIterable {
    case int4, int8, fp8e4m3, fp8e5m2, bf16, fp16

    /// The `cfg_format` code (fixed, whatever a build carries).
    public var code: Int { Self.allCases.firstIndex(of: self)! }
    /// The float format, nil for the integers.
    public var float: FpIntFloatFormat? {
        switch self {
        case .fp8e4m3: .fp8e4m3
        case .fp8e5m2: .fp8e5m2
        case .bf16: .bf16
        case .fp16: .fp16
        case .int4, .int8: nil
        }
    }
    /// The integer format, nil for the floats.
    public var integer: FpIntIntegerFormat? {
        switch self {
        case .int4: .int4
        case .int8: .int8
        default: nil
        }
    }
    /// Code bits.
    public var bits: Int { float?.bits ?? integer!.bits }
    /// Nibbles per operand (passes per window = nibbles²).
    public var nibbles: Int { float?.nibbles ?? integer!.nibbles }
    /// The fraction bits f (0 for integers).
    public var fractionBits: Int { float?.fractionBits ?? 0 }
    /// Passes per window: INT4 and FP8 1, INT8 and BF16 4, FP16 9.
    public var passesPerWindow: Int { nibbles * nibbles }

    /// The precisions named in a comma list (`fp16,bf16,int8`).
    /// - Throws: ``FpIntError`` naming an unknown one.
    public static func parse(_ list: String) throws(FpIntError) -> [FpIntPrecision] {
        var out: [FpIntPrecision] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let p = FpIntPrecision(rawValue: name) else {
                throw FpIntError("unknown fpint format '\(name)' (use \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.append(p)
        }
        return out
    }
}

/// The generator parameters of the FP-on-INT array (`antgen emit --array fpint`).
public struct FpIntArrayParameters: Sendable, Hashable, Codable {
    /// PE rows and columns.
    public var rows: Int, cols: Int
    /// Lanes N per PE (products reduced by one adder tree per group).
    public var lanes: Int
    /// The local shift capacity S.
    public var shiftCapacity: Int
    /// The precisions the decoders carry (sorted by code).
    public var formats: [FpIntPrecision]

    /// The accepted ranges of the hardware (narrower than the reference's).
    public static let laneRange = 1 ... 64
    public static let shiftRange = 1 ... 24
    public static let shapeRange = 1 ... 64

    /// Creates parameters; ``problem()`` checks them.
    public init(rows: Int = 2, cols: Int = 2, lanes: Int = 4, shiftCapacity: Int = 8, formats: [FpIntPrecision] = FpIntPrecision.allCases) {
        self.rows = rows
        self.cols = cols
        self.lanes = lanes
        self.shiftCapacity = shiftCapacity
        self.formats = FpIntPrecision.allCases.filter { formats.contains($0) }
    }

    /// One line naming what cannot be built, nil when everything can.
    public func problem() -> String? {
        if !Self.shapeRange.contains(rows) || !Self.shapeRange.contains(cols) { return "rows and cols must be 1…64" }
        if !Self.laneRange.contains(lanes) { return "N = \(lanes) lanes is out of range (1…64)" }
        if !Self.shiftRange.contains(shiftCapacity) { return "S = \(shiftCapacity) is out of range (1…24)" }
        if formats.isEmpty { return "--fpint-formats needs at least one format" }
        return nil
    }

    /// The reference unit of these parameters.
    public var unit: FpIntUnit { try! FpIntUnit(lanes: lanes, shiftCapacity: shiftCapacity) }
    /// Code bits per lane on the ports: the widest carried format.
    public var codeWidth: Int { formats.map(\.bits).max() ?? 4 }
    /// Significand bits held per decoded operand: 4 × the most nibbles.
    public var significandWidth: Int { 4 * (formats.map(\.nibbles).max() ?? 1) }
    /// ⌈log2 N⌉.
    public var laneBits: Int { unit.laneBits }
    /// One lane's locally shifted term: a signed 10-bit nibble product with S fraction bits.
    public var termWidth: Int { 10 + shiftCapacity }
    /// One pass's adder-tree sum.
    public var treeWidth: Int { termWidth + laneBits }
    /// The group accumulator A = W_1·2^S + W_2 (2p + 2S + ⌈log2 N⌉ + 2 bits, p the padded significand).
    public var accumulatorWidth: Int { 2 * significandWidth + 2 * shiftCapacity + laneBits + 2 }
    /// Width of the local shift amount (0 … S).
    public var shiftWidth: Int { minimalUnsignedWidth(shiftCapacity) }
    /// Row index width of `out_row`.
    public var rowIndexWidth: Int { bitsToIndex(max(rows, 2)) }
    /// `fpint_2x2_n4_s8_int4-int8-fp8e4m3-…`.
    public var tag: String { "fpint_\(rows)x\(cols)_n\(lanes)_s\(shiftCapacity)_" + formats.map(\.rawValue).joined(separator: "-") }

    /// The broadcast timing's latency: a beat accepted in cycle c issues its passes in cycles
    /// c + 1 … c + P, so counting passes as beats from the acceptance cycle, the tile's first
    /// row shows 3 cycles after its last pass's slot (2 after the pass issues).
    public static let firstRowLatency = 3

    /// The stream timing: broadcast operands, one pass a cycle; a beat (one group of N lanes)
    /// takes ``FpIntPrecision/passesPerWindow`` passes, twice that when a PE needs window 2.
    public var streamTiming: StreamTiming { .broadcast(rows: rows, cols: cols, latency: Self.firstRowLatency) }
}

/// One decoded lane operand, as the row and column decoders send it to the PEs. Packed
/// `{nan, inf, zero, sign, significand, exponent}`. Integers: `significand` holds the
/// two's-complement code, `exponent` 0, no flag set.
public struct FpIntLaneOperand: BundleSpec {
    public let nan = Field(.bool)
    public let inf = Field(.bool)
    public let zero = Field(.bool)
    public let sign = Field(.bool)
    /// M with the hidden bit, zero-extended to 4 × nibbles.
    public let significand: Field
    /// The unbiased exponent E (subnormals: the normals' minimum).
    public let exponent = Field(.sint(FpIntLaneOperand.exponentWidth))

    /// Width of `exponent` (BF16: −126 … 127).
    public static let exponentWidth = 9

    /// An operand of `significandWidth` significand bits.
    public init(significandWidth: Int) { significand = Field(.uint(significandWidth)) }
}

/// The pass the sequencer issues to every PE. Packed `{…, valid}`.
public struct FpIntControl: BundleSpec {
    /// A pass is issued this cycle.
    public let valid = Field(.bool)
    /// Nibble indices of the pass (first operand, second operand).
    public let nibbleA = Field(.uint(2))
    public let nibbleB = Field(.uint(2))
    /// The pass belongs to window 2.
    public let second = Field(.bool)
    /// The group's first and last pass.
    public let groupFirst = Field(.bool)
    public let groupLast = Field(.bool)
    /// The group is the tile's first or last.
    public let tileFirst = Field(.bool)
    public let tileLast = Field(.bool)
    /// Integer operands; `topNibble` is the index of their signed nibble.
    public let integer = Field(.bool)
    public let topNibble = Field(.uint(2))
    /// 2f of the float format (the LSB exponent of A is e_max − 2S − 2f).
    public let twiceFraction = Field(.uint(5))
    public init() {}
}
