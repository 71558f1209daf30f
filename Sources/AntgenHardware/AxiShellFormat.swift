import AntgenNumerics

/// The packet format of the AXI shell's streams (docs/integration.md, "Packet format"):
/// where each field sits, so generators of packets (hosts, testbenches) and the shell agree.
///
/// Operand packet on `s_axis`: a 64-bit header, then K operand beats, TLAST on the final
/// transfer. Every item starts on a fresh transfer and fills ``headerTransfers`` /
/// ``beatTransfers`` transfers of ``dataWidth`` bits, least significant bits first (a
/// transfer carries bits [n·D, n·D + D) of the item; bits past the item are ignored).
///
/// Header (64 bits): [3:0] magic 0xA, [7:4] flags (reserved, must be 0), [9:8] activation
/// type, [10] activation signed, [11] activation int8, [13:12] weight type, [14] weight
/// signed, [15] weight int8, [23:16] rows − 1, [31:24] cols − 1, [47:32] K (1 … 65535),
/// [63:48] reserved (must be 0). Types are ``AntType`` selector codes; int8 bits must be 0
/// in builds without int8; rows and cols must be the build's.
///
/// Operand beat k: row i's field in bits [i·a, i·a + a) for i < rows, then column j's
/// field in bits [rows·a + j·w, …) for j < cols. ANT: the fields are A[i, k] and W[k, j]
/// (a, w = the code port widths). SDP: a beat is group g, row i's field holds its G int8
/// activations (value e in bits 8e…), column j's the G weight codes (entry e in bits c·e…).
/// SDP headers must say activation type int with the int8 bit set.
///
/// Result packet on `m_axis`, one per tile: rows R − 1, R − 2, …, 0 of C, each row in
/// ``rowTransfers`` transfers, C[r, j] in bits [j·W, j·W + W) (two's complement, W the
/// accumulator width); TLAST on the final transfer of row 0; TKEEP all ones.
public struct AxiShellFormat: Sendable, Equatable {
    /// Header bits.
    public static let headerBits = 64
    /// The header's magic nibble.
    public static let magic = 0xA

    /// TDATA width of both streams (32, 64, 128 or 256).
    public let dataWidth: Int
    /// The array's rows (R: activation codes per beat, result rows per tile).
    public let rows: Int
    /// The array's columns (C: weight codes per beat, results per row).
    public let cols: Int
    /// Bits per row field of a beat (ANT: the array's `a_code_i` width).
    public let activationWidth: Int
    /// Bits per column field of a beat (ANT: the array's `w_code_j` width).
    public let weightWidth: Int
    /// Bits per result value (the accumulator width).
    public let resultWidth: Int

    /// The format for the ANT array `array` with `dataWidth`-bit TDATA.
    public init(array: ArrayParameters, dataWidth: Int) {
        self.init(core: AntShellCore(array), dataWidth: dataWidth)
    }

    /// The format for `core` with `dataWidth`-bit TDATA.
    public init(core: some AxiShellCore, dataWidth: Int) {
        self.dataWidth = dataWidth
        rows = core.rows
        cols = core.cols
        activationWidth = core.rowFieldWidth
        weightWidth = core.columnFieldWidth
        resultWidth = core.resultWidth
    }

    /// Bits of one operand beat.
    public var beatBits: Int { rows * activationWidth + cols * weightWidth }
    /// Bits of one result row.
    public var rowBits: Int { cols * resultWidth }
    /// Transfers per header.
    public var headerTransfers: Int { (Self.headerBits + dataWidth - 1) / dataWidth }
    /// Transfers per operand beat.
    public var beatTransfers: Int { (beatBits + dataWidth - 1) / dataWidth }
    /// Transfers per result row.
    public var rowTransfers: Int { (rowBits + dataWidth - 1) / dataWidth }

    /// The header word for a tile of `k` beats with these operand settings.
    public func header(k: Int, activation: (type: AntType, signed: Bool, int8: Bool),
                       weight: (type: AntType, signed: Bool, int8: Bool)) -> UInt64 {
        func field(_ s: (type: AntType, signed: Bool, int8: Bool)) -> UInt64 {
            UInt64(s.type.rawValue) | (s.signed ? 4 : 0) | (s.int8 ? 8 : 0)
        }
        return UInt64(Self.magic) | field(activation) << 8 | field(weight) << 12
            | UInt64(rows - 1) << 16 | UInt64(cols - 1) << 24 | UInt64(k) << 32
    }
}
