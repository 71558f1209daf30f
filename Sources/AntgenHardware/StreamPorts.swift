import AntgenDSL
import AntgenNumerics

// Port groups the streaming tops (AntArray, WsArray, PwlqArray) share. Each is nested
// with a prefix that keeps the Verilog names of docs/architecture.md §2 exactly.

/// The input handshake, nested with prefix `in_`: `in_valid`, `in_ready`.
public struct BeatHandshakePorts: PortSpec {
    /// A beat is offered.
    public let valid = Port.input(.bool)
    /// The array takes the beat in this cycle.
    public let ready = Port.output(.bool)
}

/// One code per row and one per column of a beat, nested unprefixed: `a_code_i`, `w_code_j`.
public struct OperandCodePorts: PortSpec {
    /// Row i's activation code.
    public let aCode: PortVec<HardwareType>
    /// Column j's weight code.
    public let wCode: PortVec<HardwareType>

    /// `rows` activation codes and `cols` weight codes of the given widths.
    public init(rows: Int, activationWidth: Int, cols: Int, weightWidth: Int) {
        aCode = .input(count: rows, .uint(activationWidth))
        wCode = .input(count: cols, .uint(weightWidth))
    }
}

/// The per-beat operand configuration of the ANT decoders, nested with prefix `cfg_`:
/// `cfg_act_type`, `cfg_act_signed`, `cfg_act_int8`, `cfg_weight_type`, …
public struct AntConfigPorts: PortSpec {
    /// The activation type (``AntType`` raw value).
    public let actType = Port.input(.uint(AntType.selectorWidth))
    /// The activations are signed.
    public let actSigned = Port.input(.bool)
    /// The activations are int8 (nibble terms); present with int8 support.
    public let actInt8: Port<HardwareType>?
    /// The weight type.
    public let weightType = Port.input(.uint(AntType.selectorWidth))
    /// The weights are signed.
    public let weightSigned = Port.input(.bool)
    /// The weights are int8; present with int8 support.
    public let weightInt8: Port<HardwareType>?

    /// The configuration, with the int8 flags when `int8`.
    public init(int8: Bool) {
        actInt8 = int8 ? .input(.bool) : nil
        weightInt8 = int8 ? .input(.bool) : nil
    }
}

/// The output row handshake of the output-stationary tops, nested with prefix `out_`:
/// `out_valid`, `out_row` (rows − 1 first, no back-pressure).
public struct OutputRowPorts: PortSpec {
    /// An output row is valid.
    public let valid = Port.output(.bool)
    /// Which row of C.
    public let row: Port<HardwareType>

    /// A row index of `rowWidth` bits.
    public init(rowWidth: Int) { row = .output(.uint(rowWidth)) }
}

/// The partial-sum preload interface (docs/architecture.md §14), nested unprefixed:
/// `psum_in_valid`, `psum_in_ready`, `psum_in` and, with the codec, `out_psum`.
public struct PartialSumPorts: PortSpec {
    /// A preload row is offered.
    public let psumInValid = Port.input(.bool)
    /// The preload queue takes it.
    public let psumInReady = Port.output(.bool)
    /// The preload row: one field per sum of the row (column j's stream s is field
    /// j·S + s), each of the stage's preload width (W bits or a 12-bit code).
    public let psumIn: Port<PackedVec<HardwareType>>
    /// With the codec: the 12-bit codes of the output row, packed like `psum_in`.
    public let outPsum: Port<PackedVec<HardwareType>>?

    /// The ports of `stage`.
    public init(_ stage: PartialSumStage) {
        psumIn = .input(stage.preloadRow)
        outPsum = stage.codec ? .output(stage.codeRow) : nil
    }
}
