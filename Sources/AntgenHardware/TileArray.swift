import AntgenDSL

/// The rows × cols mesh of processing elements, output-stationary (Gemmini's Mesh).
///
/// Row i's decoded activation (the PE's packed bus `a_i`) and its step control enter on the left and move one
/// PE right per cycle; column j's decoded weight enters on top and moves one PE down
/// per cycle. Inputs must already be skewed (row i and column j delayed by i and j
/// cycles, which ``AntArray`` does), so A[i, k] and W[k, j] meet in PE(i, j).
///
/// Drain: when the last step of a tile leaves the bottom PE of column j, that PE's
/// registered control (`ctrl_out`: valid & last, cycle S_j) is the column's
/// `drain_start`, broadcast to rows 1 … rows−1. Row i then shifts its `result` down
/// for i cycles (its shift chain: start | the shift of the row above one cycle ago),
/// so the bottom PE's `result` shows rows rows−1, rows−2, …, 0 in cycles S_j … S_j+rows−1.
/// `result_j` is that stream; `finish` is high in cycle S_(cols−1) − 1, one cycle before
/// the last column's stream starts.
public struct TileArray: Circuit {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int
    /// The PE's widths.
    public let shape: PEShape
    /// A deliberate defect for mutation testing, passed to every PE (`.none`: correct).
    public let mutation: HardwareMutation

    /// Creates the mesh.
    public init(rows: Int, cols: Int, shape: PEShape, mutation: HardwareMutation = .none) {
        self.rows = rows
        self.cols = cols
        self.shape = shape
        self.mutation = mutation
    }

    /// `TileArray`.
    public var name: String { "TileArray" }
    /// `rows`, `cols` and the PE shape.
    public var parameters: [Parameter] {
        [Parameter("rows", rows), Parameter("cols", cols)] + ProcessingElement(shape: shape, mutation: mutation).parameters
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let w = shape.accumulatorWidth
        let pe = ProcessingElement(shape: shape, mutation: mutation)
        // Operands arrive as the PE's packed buses ({sign, mantissa, shift}).
        let a = m.inputVec("a", count: rows, .uint(pe.activationBusWidth))
        let valid = m.inputVec("in_valid", count: rows, .bool)
        let first = m.inputVec("in_first", count: rows, .bool)
        let last = m.inputVec("in_last", count: rows, .bool)
        let weights = m.inputVec("w", count: cols, .uint(pe.weightBusWidth))
        let results = m.outputVec("result", count: cols, .uint(w))
        let finish = m.output("finish", .bool)

        var grid: [[Instance]] = []
        for i in 0..<rows {
            var row: [Instance] = []
            for j in 0..<cols {
                row.append(m.instance(pe, name: "pe_\(i)_\(j)"))
            }
            grid.append(row)
        }
        // Column j's drain starts when its bottom PE passes on the last step (cycle S_j).
        // The bottom-row control bus is {last, first, valid}.
        let drainStart: [Value] = (0..<cols).map { j in
            rows == 1 ? Value.bool(false)
                : m.wire("drain_start_\(j)", equals: grid[rows - 1][j].ctrl_out[0] & grid[rows - 1][j].ctrl_out[2])
        }
        for i in 0..<rows {
            for j in 0..<cols {
                let p = grid[i][j]
                if j == 0 {
                    p.a_in.assign(a[i])
                    p.ctrl_in.assign(ProcessingElement.controlBus(valid: valid[i], first: first[i], last: last[i]))
                } else {
                    p.a_in.assign(grid[i][j - 1].a_out)
                    p.ctrl_in.assign(grid[i][j - 1].ctrl_out)
                }
                if i == 0 {
                    p.w_in.assign(weights[j])
                    // The top row never shifts: nothing is above it.
                    p.drain_in.assign(Value.uint(0, width: w))
                    p.drain_chain_in.assign(Value.bool(false))
                    p.drain_start.assign(Value.bool(false))
                } else {
                    let above = grid[i - 1][j]
                    p.w_in.assign(above.w_out)
                    p.drain_in.assign(above.result_out)
                    p.drain_chain_in.assign(above.drain_chain_out)
                    p.drain_start.assign(drainStart[j])
                }
            }
        }
        for j in 0..<cols {
            results[j].assign(grid[rows - 1][j].result_out)
        }
        if cols == 1 {
            finish.assign(valid[rows - 1] & last[rows - 1])
        } else {
            let left = grid[rows - 1][cols - 2].ctrl_out
            finish.assign(left[0] & left[2])
        }
    }
}
