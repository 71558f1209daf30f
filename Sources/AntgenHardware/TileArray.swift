import AntgenDSL

/// The rows × cols mesh of processing elements, output-stationary (Gemmini's Mesh).
///
/// Row i's decoded activation (an ``Operand`` bundle, `a_i`) and its step control (`ctrl_i`) enter on the left and move one
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

    /// Creates the mesh.
    public init(rows: Int, cols: Int, shape: PEShape) {
        self.rows = rows
        self.cols = cols
        self.shape = shape
    }

    /// `TileArray`.
    public var name: String { "TileArray" }
    /// `rows`, `cols` and the PE shape.
    public var parameters: [Parameter] {
        [Parameter("rows", rows), Parameter("cols", cols)] + ProcessingElement(shape: shape).parameters
    }

    /// The mesh's interface: skewed operand and control streams in, drained results out.
    public struct Ports: PortSpec {
        /// Row i's decoded activation.
        public let a: PortVec<Operand>
        /// Row i's step control.
        public let ctrl: PortVec<StepControl>
        /// Column j's decoded weight.
        public let w: PortVec<Operand>
        /// Column j's drain stream (bottom PE's result buffer).
        public let result: PortVec<HardwareType>
        /// One cycle before the last column's stream starts.
        public let finish = Port.output(.bool)
    }

    /// The ports for this size and shape.
    public var ports: Ports {
        let pe = ProcessingElement(shape: shape)
        return Ports(a: .input(count: rows, pe.activation), ctrl: .input(count: rows, StepControl()),
                     w: .input(count: cols, pe.weight), result: .output(count: cols, .uint(shape.accumulatorWidth)))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = shape.accumulatorWidth
        let pe = ProcessingElement(shape: shape)
        let a = io.a, ctrl = io.ctrl, weights = io.w
        var grid: [[InstanceHandle<ProcessingElement.Ports>]] = []
        for i in 0..<rows {
            grid.append((0..<cols).map { j in m.instance(pe, name: "pe_\(i)_\(j)") })
        }
        func bottomControl(_ c: Int) -> (valid: Value, last: Value) {
            let control = c == 0 ? ctrl[rows - 1] : grid[rows - 1][c - 1].ctrlOut
            return (control.valid, control.last)
        }
        // Column j's drain starts when its bottom PE passes on the last step (cycle S_j).
        let drainStart = m.meshDrainStarts(rows: rows, cols: cols, bottomControl: bottomControl)
        let idle = Bundle(DrainLink(accumulatorWidth: w)) { $0.shift = .bool(false); $0.data = .uint(0, width: w) }
        for i in 0..<rows {
            for j in 0..<cols {
                let p = grid[i][j]
                if j == 0 {
                    p.aIn.assign(a[i])
                    p.ctrlIn.assign(ctrl[i])
                } else {
                    p.aIn.assign(grid[i][j - 1].aOut)
                    p.ctrlIn.assign(grid[i][j - 1].ctrlOut)
                }
                if i == 0 {
                    p.wIn.assign(weights[j])
                    // The top row never shifts: nothing is above it.
                    p.drainIn.assign(idle)
                    p.drainStart.assign(Value.bool(false))
                } else {
                    let above = grid[i - 1][j]
                    p.wIn.assign(above.wOut)
                    p.drainIn.assign(above.drainOut)
                    p.drainStart.assign(drainStart[j])
                }
            }
        }
        for j in 0..<cols {
            io.result[j].assign(grid[rows - 1][j].drainOut.data)
        }
        io.finish.assign(m.meshFinish(cols: cols, bottomControl: bottomControl))
    }
}
