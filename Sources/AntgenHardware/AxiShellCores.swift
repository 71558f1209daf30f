import AntgenDSL
import AntgenNumerics

/// An array ``AxiShell`` can wrap: an output-stationary top with the `in_valid`/`in_ready`
/// beat handshake, `in_last`, and results as `out_valid`, `out_row` (rows − 1 down to 0, one
/// row a cycle, no back-pressure) and one bus of `cols` results (the stream protocol
/// `in_valid/in_ready; … ; out_row = rows-1 down to 0`). One beat's operands are one field
/// per row then one per column (``AxiShellFormat``); the header's operand settings reach the
/// core as ``AxiShellTileSettings``.
public protocol AxiShellCore: Sendable {
    /// The shell top's base name (`AntAxiShell`, `SdpAxiShell`).
    var shellName: String { get }
    /// The wrapped top's build parameters (the shell adds its TDATA width).
    var parameters: [Parameter] { get }
    /// Rows and columns of the array.
    var rows: Int { get }
    var cols: Int { get }
    /// Bits of one row's operand field in a beat (`a` of ``AxiShellFormat``).
    var rowFieldWidth: Int { get }
    /// Bits of one column's operand field in a beat (`w` of ``AxiShellFormat``).
    var columnFieldWidth: Int { get }
    /// Bits of one result (the accumulator width).
    var resultWidth: Int { get }
    /// An upper bound of the cycles from a tile's last beat taken to its last result row.
    var drainCycles: Int { get }
    /// ``AxiShellCoreKind`` of the core (PARAM 4).
    var kind: AxiShellCoreKind { get }
    /// PARAM 3: the core's operand options (ANT: bit 0 int8; SDP: bit 0 int8 weights, G << 8, T << 16).
    var optionWord: Int { get }
    /// The header's core-specific validity: true when the operand settings in `header`
    /// (the 64 header bits) are ones this build runs.
    func acceptsHeader(_ header: Value) -> Value
    /// Instantiates the array in `m`, its operand ports driven from `operands` (one beat,
    /// ``AxiShellFormat/beatBits`` bits) and `settings`; returns the stream ports.
    func instantiate(_ m: ModuleBuilder, operands: Value, settings: AxiShellTileSettings) -> AxiShellCoreLink
}

/// Which array a shell wraps, as PARAM 4 reports it.
public enum AxiShellCoreKind: Int, Sendable {
    /// The ANT array (``AntArray``).
    case ant = 0
    /// The SDP array (``SdpArray``).
    case sdp = 1
}

/// The operand settings of the tile being received: the header's fields, held.
public struct AxiShellTileSettings {
    /// Activation and weight type (``AntType`` raw values), signedness and int8 flags.
    public let actType, actSigned, actInt8, weightType, weightSigned, weightInt8: Value
}

/// The wrapped array's stream ports as the shell sees them.
public struct AxiShellCoreLink {
    /// `in_valid` and `in_last` (the shell drives them) and `in_ready` (read).
    public let inValid, inLast, inReady: Value
    /// `out_valid`, `out_row`.
    public let outValid, outRow: Value
    /// Column j's result.
    public let outData: Vec<Value>
}

/// The output-stationary ANT array (``AntArray``) as an ``AxiShellCore``.
public struct AntShellCore: AxiShellCore {
    /// The array (without partial-sum preload).
    public let array: ArrayParameters

    /// The core of `array`.
    public init(_ array: ArrayParameters) {
        precondition(array.partialSumStage == nil, "the AXI shell does not wrap partial-sum preload builds")
        self.array = array
    }

    public var shellName: String { "AntAxiShell" }
    public var parameters: [Parameter] { AntArray(array).parameters }
    public var rows: Int { array.rows }
    public var cols: Int { array.cols }
    public var rowFieldWidth: Int { array.activation.codeInputWidth }
    public var columnFieldWidth: Int { array.weight.codeInputWidth }
    public var resultWidth: Int { array.accumulatorWidth }
    public var drainCycles: Int { 2 * array.rows + array.cols }
    public var kind: AxiShellCoreKind { .ant }
    public var optionWord: Int { array.int8 ? 1 : 0 }

    /// Int8 flags only in builds with int8 support.
    public func acceptsHeader(_ header: Value) -> Value {
        array.int8 ? .bool(true) : !header[11] & !header[15]
    }

    public func instantiate(_ m: ModuleBuilder, operands bits: Value, settings s: AxiShellTileSettings) -> AxiShellCoreLink {
        let core = m.instance(AntArray(array), name: "array")
        let a = rowFieldWidth, w = columnFieldWidth, base = rows * a
        for (i, port) in core.codes.aCode.enumerated() { port.assign(bits[(i * a)...(i * a + a - 1)]) }
        for (j, port) in core.codes.wCode.enumerated() { port.assign(bits[(base + j * w)...(base + j * w + w - 1)]) }
        core.cfg.actType.assign(s.actType)
        core.cfg.actSigned.assign(s.actSigned)
        core.cfg.weightType.assign(s.weightType)
        core.cfg.weightSigned.assign(s.weightSigned)
        core.cfg.actInt8?.assign(s.actInt8)
        core.cfg.weightInt8?.assign(s.weightInt8)
        return AxiShellCoreLink(inValid: core.beat.valid, inLast: core.inLast, inReady: core.beat.ready,
                                outValid: core.out.valid, outRow: core.out.row, outData: core.outData)
    }
}

/// The SDP array (``SdpArray``) as an ``AxiShellCore``: a beat is one group, G int8
/// activations per row (row field 8·G bits, value e in bits 8e…) and G weight codes per
/// column (column field c·G bits, entry e in bits c·e…).
public struct SdpShellCore: AxiShellCore {
    /// The array.
    public let array: SdpArrayParameters

    /// The core of `array`.
    public init(_ array: SdpArrayParameters) { self.array = array }

    public var shellName: String { "SdpAxiShell" }
    public var parameters: [Parameter] { SdpArray(array).parameters }
    public var rows: Int { array.rows }
    public var cols: Int { array.cols }
    public var rowFieldWidth: Int { 8 * array.group }
    public var columnFieldWidth: Int { array.weight.codeInputWidth * array.group }
    public var resultWidth: Int { array.accumulatorWidth }
    public var drainCycles: Int { array.lastRowLatency(weightInt8: array.weight.int8) }
    public var kind: AxiShellCoreKind { .sdp }
    public var optionWord: Int { (array.weight.int8 ? 1 : 0) | array.group << 8 | array.terms << 16 }

    /// Activations are int8 (type int, int8 flag set); int8 weights only with int8 weight support.
    public func acceptsHeader(_ header: Value) -> Value {
        let activation = (header[8...9] == 0) & header[11]
        return array.weight.int8 ? activation : activation & !header[15]
    }

    public func instantiate(_ m: ModuleBuilder, operands bits: Value, settings s: AxiShellTileSettings) -> AxiShellCoreLink {
        let core = m.instance(SdpArray(array), name: "array")
        let aBits = rows * rowFieldWidth
        core.aGroup.assign(bits[0...(aBits - 1)])
        core.wGroup.assign(bits[aBits...(aBits + cols * columnFieldWidth - 1)])
        core.cfgActSigned.assign(s.actSigned)
        core.cfgWeightType.assign(s.weightType)
        core.cfgWeightSigned.assign(s.weightSigned)
        core.cfgWeightInt8?.assign(s.weightInt8)
        return AxiShellCoreLink(inValid: core.beat.valid, inLast: core.inLast, inReady: core.beat.ready,
                                outValid: core.out.valid, outRow: core.out.row, outData: Vec(Array(core.outData)))
    }
}
