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

/// The SDP array's mesh: an ``OutputStationaryMesh`` of ``SdpProcessingElement``s. Terms
/// (`term_i`) and control move right, weight groups move down (loaded per group), results
/// drain down each column exactly as in ``TileArray`` (``MeshPorts``).
public typealias SdpTileArray = OutputStationaryMesh<SdpProcessingElement>

extension OutputStationaryMesh where PE == SdpProcessingElement {
    /// The mesh of `array`'s size.
    public init(_ array: SdpArrayParameters) {
        self.init(rows: array.rows, cols: array.cols, pe: SdpProcessingElement(array))
    }
}

extension SdpProcessingElement: OutputStationaryPE {
    /// `SdpTileArray`.
    public var meshName: String { "SdpTileArray" }
    /// Rows take `term_i`; one W-bit result stream per column.
    public func meshPorts(rows: Int, cols: Int) -> MeshPorts<SdpProcessingElement> {
        MeshPorts(rows: rows, cols: cols, pe: self, activationName: "term")
    }
}

extension SdpProcessingElement.Ports: OutputStationaryPorts {
    /// The term from the left, as the mesh chains it.
    public var aIn: Port<SdpTermLane> { termIn }
    /// The term to the right, as the mesh chains it.
    public var aOut: Port<SdpTermLane> { termOut }
}
