import AntgenDSL

/// The SDP processing element: the ANT ``ProcessingElement`` (the same multiplier, shift,
/// accumulator, result buffer and drain stage) behind a G-entry weight buffer.
///
/// Each term arrives with its index within the group; the PE multiplies it by buffer entry
/// `index` (with int8 weights: entry 2·index + wterm, the weight's high or low nibble term).
/// The buffer loads the group's weights from above on the group's first step (`load`),
/// using them in that same step (bypass), and passes its registered contents down, where
/// the PE below loads them one cycle later, when the same group's first step reaches it.
/// So every PE holds the weights of the group whose terms it is multiplying, one term per
/// cycle, whatever the other rows select.
public struct SdpProcessingElement: Circuit {
    /// The build.
    public let array: SdpArrayParameters

    /// Creates the PE.
    public init(_ array: SdpArrayParameters) { self.array = array }

    /// `SdpProcessingElement`.
    public var name: String { "SdpProcessingElement" }
    /// G, buffer entries, weight widths, W.
    public var parameters: [Parameter] {
        [Parameter("group", array.group), Parameter("entries", array.weightEntries), Parameter("wm", array.weight.mantissaWidth),
         Parameter("we", array.weight.exponentWidth), Parameter("acc", array.accumulatorWidth)]
    }

    /// The weight group: one decoded weight operand per buffer entry, entry 0 least significant.
    var weightGroup: PackedVec<HardwareType> { PackedVec(count: array.weightEntries, .uint(array.weightOperandWidth)) }
    /// Bits of the packed weight group.
    var groupWidth: Int { weightGroup.packedType.width }

    /// The interface.
    public struct Ports: PortSpec {
        /// From the left: the term.
        public let termIn: Port<SdpTermLane>
        /// From the left: the step control.
        public let ctrlIn = Port.input(SdpControl())
        /// From above: the weight group (entry e in bits e·w…).
        public let wIn: Port<PackedVec<HardwareType>>
        /// From above: the drain chain.
        public let drainIn: Port<DrainLink>
        /// The column's drain starts.
        public let drainStart = Port.input(.bool)
        /// To the right: the term, one cycle later.
        public let termOut: Port<SdpTermLane>
        /// To the right: the control, one cycle later.
        public let ctrlOut = Port.output(SdpControl())
        /// Downward: this PE's weight buffer.
        public let wOut: Port<PackedVec<HardwareType>>
        /// Downward: the result buffer and drain shift.
        public let drainOut: Port<DrainLink>
    }

    /// The ports.
    public var ports: Ports {
        let lane = SdpTermLane(indexWidth: array.indexWidth)
        return Ports(termIn: .input(lane), wIn: .input(weightGroup), drainIn: .input(DrainLink(accumulatorWidth: array.accumulatorWidth)),
                     termOut: .output(lane), wOut: .output(weightGroup), drainOut: .output(DrainLink(accumulatorWidth: array.accumulatorWidth)))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let term = io.termIn, control = io.ctrlIn
        let load = m.wire("load", equals: control.valid & control.load)
        let buffer = m.register("wbuf", .uint(groupWidth), enable: load)
        buffer.assign(io.wIn.packed)
        let current = PackedVecValue(weightGroup, packed: m.wire("wbuf_now", equals: mux(load, io.wIn.packed, buffer)))
        let entries = Array(current)
        let entry = array.weight.int8 ? cat(term.index, control.wterm) : term.index
        let weight = m.wire("weight", equals: select(entry, from: entries))

        let mac = m.instance(ProcessingElement(shape: array.peShape), name: "mac")
        mac.aIn.assign(Bundle(SdpArrayParameters.termOperand) { $0.sign = term.sign; $0.mantissa = term.mantissa; $0.shift = term.shift })
        mac.ctrlIn.assign(Bundle(StepControl()) { $0.last = control.last; $0.first = control.first; $0.valid = control.valid })
        mac.wIn.assign(Bundle(array.weightOperand, packed: weight))
        mac.drainIn.assign(io.drainIn)
        mac.drainStart.assign(io.drainStart)
        io.drainOut.assign(mac.drainOut)
        io.wOut.assign(buffer)

        // Pass-through: the MAC registers the operand and the step control; the index and
        // the SDP control bits get their own registers.
        let indexQ = m.register("index_q", next: term.index)
        let loadQ = m.register("load_q", next: control.load)
        let wtermQ = m.register("wterm_q", next: control.wterm)
        io.termOut.assign(Bundle(SdpTermLane(indexWidth: array.indexWidth)) {
            $0.sign = mac.aOut.sign; $0.mantissa = mac.aOut.mantissa; $0.shift = mac.aOut.shift; $0.index = indexQ
        })
        io.ctrlOut.assign(Bundle(SdpControl()) {
            $0.wterm = wtermQ; $0.load = loadQ; $0.last = mac.ctrlOut.last; $0.first = mac.ctrlOut.first; $0.valid = mac.ctrlOut.valid
        })
    }
}

/// The rows × cols mesh of ``SdpProcessingElement``s: terms and control move right, weight
/// groups move down (loaded per group), results drain down each column exactly as in
/// ``TileArray``.
public struct SdpTileArray: Circuit {
    /// The build.
    public let array: SdpArrayParameters

    /// Creates the mesh.
    public init(_ array: SdpArrayParameters) { self.array = array }

    /// `SdpTileArray`.
    public var name: String { "SdpTileArray" }
    /// Size and PE parameters.
    public var parameters: [Parameter] {
        [Parameter("rows", array.rows), Parameter("cols", array.cols)] + SdpProcessingElement(array).parameters
    }

    /// The interface.
    public struct Ports: PortSpec {
        /// Row i's skewed term stream.
        public let term: PortVec<SdpTermLane>
        /// Row i's step control.
        public let ctrl: PortVec<SdpControl>
        /// Column j's skewed weight group.
        public let w: PortVec<HardwareType>
        /// Column j's drain stream.
        public let result: PortVec<HardwareType>
        /// One cycle before the last column's stream starts.
        public let finish = Port.output(.bool)
    }

    /// The ports.
    public var ports: Ports {
        let pe = SdpProcessingElement(array)
        return Ports(term: .input(count: array.rows, SdpTermLane(indexWidth: array.indexWidth)), ctrl: .input(count: array.rows, SdpControl()),
                     w: .input(count: array.cols, .uint(pe.groupWidth)), result: .output(count: array.cols, .uint(array.accumulatorWidth)))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let rows = array.rows, cols = array.cols, w = array.accumulatorWidth
        let pe = SdpProcessingElement(array)
        let grid = (0..<rows).map { i in (0..<cols).map { j in m.instance(pe, name: "pe_\(i)_\(j)") } }
        func bottomControl(_ c: Int) -> (valid: Value, last: Value) {
            let control = c == 0 ? io.ctrl[rows - 1] : grid[rows - 1][c - 1].ctrlOut
            return (control.valid, control.last)
        }
        let drainStart = m.meshDrainStarts(rows: rows, cols: cols, bottomControl: bottomControl)
        let idle = Bundle(DrainLink(accumulatorWidth: w)) { $0.shift = .bool(false); $0.data = .uint(0, width: w) }
        for i in 0..<rows {
            for j in 0..<cols {
                let p = grid[i][j]
                p.termIn.assign(j == 0 ? io.term[i] : grid[i][j - 1].termOut)
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
        for j in 0..<cols { io.result[j].assign(grid[rows - 1][j].drainOut.data) }
        io.finish.assign(m.meshFinish(cols: cols, bottomControl: bottomControl))
    }
}
