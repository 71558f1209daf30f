import AntgenDSL

/// The rows × cols mesh of ``PwlqProcessingElement``s: the ``TileArray`` wiring (activations
/// and control move right, weights down, one PE per cycle) with a three-sum drain chain.
///
/// Drain: as ``TileArray``. Column j's `drain_start` is its bottom PE's registered
/// valid & last; row i shifts its three result buffers down for i cycles, so the bottom PE
/// shows rows rows−1 … 0 in R consecutive cycles, all three sums at once. `centre_j`,
/// `tail_j` and `offset_j` are those streams; `finish` is high one cycle before the last
/// column's streams start.
public struct PwlqTileArray: Circuit {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int
    /// The PE's widths.
    public let shape: PwlqPEShape

    public init(rows: Int, cols: Int, shape: PwlqPEShape) {
        self.rows = rows
        self.cols = cols
        self.shape = shape
    }

    public var name: String { "PwlqTileArray" }
    public var parameters: [Parameter] {
        [Parameter("rows", rows), Parameter("cols", cols)] + PwlqProcessingElement(shape: shape).parameters
    }

    /// Skewed operand and control streams in, the three drained sums out.
    public struct Ports: PortSpec {
        public let a: PortVec<Operand>
        public let ctrl: PortVec<StepControl>
        public let w: PortVec<PwlqWeight>
        public let centre: PortVec<HardwareType>
        public let tail: PortVec<HardwareType>
        public let offset: PortVec<HardwareType>
        public let finish = Port.output(.bool)
    }

    public var ports: Ports {
        let pe = PwlqProcessingElement(shape: shape)
        let sum = HardwareType.uint(shape.accumulatorWidth)
        return Ports(a: .input(count: rows, pe.activation), ctrl: .input(count: rows, StepControl()),
                     w: .input(count: cols, PwlqWeight(bits: shape.weightBits)),
                     centre: .output(count: cols, sum), tail: .output(count: cols, sum), offset: .output(count: cols, sum))
    }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = shape.accumulatorWidth
        let pe = PwlqProcessingElement(shape: shape)
        var grid: [[InstanceHandle<PwlqProcessingElement.Ports>]] = []
        for i in 0 ..< rows {
            grid.append((0 ..< cols).map { j in m.instance(pe, name: "pe_\(i)_\(j)") })
        }
        func bottomControl(_ c: Int) -> (valid: Value, last: Value) {
            let control = c == 0 ? io.ctrl[rows - 1] : grid[rows - 1][c - 1].ctrlOut
            return (control.valid, control.last)
        }
        let drainStart = m.meshDrainStarts(rows: rows, cols: cols, bottomControl: bottomControl)
        let idle = Bundle(PwlqDrainLink(accumulatorWidth: w)) {
            $0.shift = .bool(false)
            $0.offset = .uint(0, width: w)
            $0.tail = .uint(0, width: w)
            $0.centre = .uint(0, width: w)
        }
        for i in 0 ..< rows {
            for j in 0 ..< cols {
                let p = grid[i][j]
                p.aIn.assign(j == 0 ? io.a[i] : grid[i][j - 1].aOut)
                p.ctrlIn.assign(j == 0 ? io.ctrl[i] : grid[i][j - 1].ctrlOut)
                if i == 0 {
                    p.wIn.assign(io.w[j])
                    p.drainIn.assign(idle)
                    p.drainStart.assign(Value.bool(false))
                } else {
                    p.wIn.assign(grid[i - 1][j].wOut)
                    p.drainIn.assign(grid[i - 1][j].drainOut)
                    p.drainStart.assign(drainStart[j])
                }
            }
        }
        for j in 0 ..< cols {
            let bottom = grid[rows - 1][j].drainOut
            io.centre[j].assign(bottom.centre)
            io.tail[j].assign(bottom.tail)
            io.offset[j].assign(bottom.offset)
        }
        io.finish.assign(m.meshFinish(cols: cols, bottomControl: bottomControl))
    }
}
