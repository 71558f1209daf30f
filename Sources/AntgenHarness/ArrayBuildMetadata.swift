import AntgenHardware
import Foundation

/// What the harness needs to know about one ANT array build (output- or weight-stationary),
/// as typed values taken from the validated ``ArrayParameters``, not read back from the
/// manifest's text fields: the sizes and widths the testbench glue (`tb_ports.vh`, `ports.h`)
/// is generated from, and the dataflow that picks the testbench.
public struct ArrayBuildMetadata: Codable, Sendable, Equatable {
    /// Rows of PEs (`ROWS`; `a_code_0 …`).
    public let rows: Int
    /// Columns of PEs (`COLS`; `w_code_0 …`, `out_data_0 …`).
    public let cols: Int
    /// Bits of a native operand code (`CODE_W`).
    public let codeWidth: Int
    /// Bits of one `a_code_i` / `w_code_j` input (`CPW`).
    public let codeInputWidth: Int
    /// W, the accumulator width (`ACC_W`, the width of each `out_data_j`).
    public let accumulatorWidth: Int
    /// Bits of `out_row` on the output-stationary array.
    public let rowIndexWidth: Int
    /// True when the top has the int8 configuration inputs (`cfg_act_int8`, `cfg_weight_int8`).
    public let int8: Bool
    /// Output-stationary (``AntArray``) or weight-stationary (``WsArray``).
    public let dataflow: ArrayDataflow

    /// The metadata of a build of `parameters` with `dataflow`.
    public init(_ parameters: ArrayParameters, dataflow: ArrayDataflow) {
        rows = parameters.rows
        cols = parameters.cols
        codeWidth = parameters.codeWidth
        codeInputWidth = parameters.activation.codeInputWidth
        accumulatorWidth = parameters.accumulatorWidth
        rowIndexWidth = parameters.rowIndexWidth
        int8 = parameters.int8
        self.dataflow = dataflow
    }

    private enum CodingKeys: String, CodingKey {
        case rows, cols, codeWidth, codeInputWidth, accumulatorWidth, rowIndexWidth, int8, dataflow
    }

    /// Decodes the JSON ``encode(to:)`` writes (`dataflow` as `"os"` or `"ws"`).
    /// - Throws: `DecodingError` for a missing field or an unknown dataflow.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rows = try c.decode(Int.self, forKey: .rows)
        cols = try c.decode(Int.self, forKey: .cols)
        codeWidth = try c.decode(Int.self, forKey: .codeWidth)
        codeInputWidth = try c.decode(Int.self, forKey: .codeInputWidth)
        accumulatorWidth = try c.decode(Int.self, forKey: .accumulatorWidth)
        rowIndexWidth = try c.decode(Int.self, forKey: .rowIndexWidth)
        int8 = try c.decode(Bool.self, forKey: .int8)
        let name = try c.decode(String.self, forKey: .dataflow)
        guard let flow = ArrayDataflow(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .dataflow, in: c, debugDescription: "unknown dataflow '\(name)' (os or ws)")
        }
        dataflow = flow
    }

    /// Encodes every field; `dataflow` as its name.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(cols, forKey: .cols)
        try c.encode(codeWidth, forKey: .codeWidth)
        try c.encode(codeInputWidth, forKey: .codeInputWidth)
        try c.encode(accumulatorWidth, forKey: .accumulatorWidth)
        try c.encode(rowIndexWidth, forKey: .rowIndexWidth)
        try c.encode(int8, forKey: .int8)
        try c.encode(dataflow.rawValue, forKey: .dataflow)
    }
}
