import AntgenDSL
import AntgenNumerics

/// The SDP array's top level (docs/architecture.md §10): an output-stationary mesh of
/// ``SdpProcessingElement``s whose rows are fed by ``SdpSelector``s.
///
/// A beat is one group: G int8 activation codes per row (`a_group`, row i value e in bits
/// 8(iG+e)…) and G weight codes per column (`w_group`, column j entry e in bits
/// c(jG+e)…, c the weight code width). The input stage holds the beat and issues its T
/// steps (2T with int8 weights: every term meets the weight's high then low nibble term),
/// one per cycle: in step s every row's selector issues its term of rank s (s/2 with int8
/// weights). `issue_valid`/`issue_terms` show the issued terms ({sign, M, E, index} per
/// row, row 0 least significant) so the selection itself can be checked cycle by cycle.
/// Tiles end with `in_last`; results leave as in ``AntArray``: rows R−1 … 0, one per cycle,
/// `out_data` column j in bits jW….
public struct SdpArray: Circuit {
    /// The build.
    public let array: SdpArrayParameters

    /// Creates the top.
    public init(_ array: SdpArrayParameters) { self.array = array }

    /// `SdpArray`.
    public var name: String { "SdpArray" }
    /// The build parameters.
    public var parameters: [Parameter] {
        [Parameter("rows", array.rows), Parameter("cols", array.cols), Parameter("group", array.group), Parameter("terms", array.terms),
         Parameter("wgt", array.weight.types.map(\.description).joined(separator: "_")), Parameter("acc", array.accumulatorWidth),
         Parameter("wint8", array.weight.int8 ? "on" : "off")]
    }

    /// The interface.
    public struct Ports: PortSpec {
        /// `in_valid`, `in_ready` (a group beat; ready depends on state only).
        public let beat = PortGroup(BeatHandshakePorts(), prefix: "in_")
        /// The beat is the tile's last group.
        public let inLast = Port.input(.bool)
        /// Every row's G activation codes (row i value e in bits 8(iG + e)…).
        public let aGroup: Port<PackedVec<PackedVec<HardwareType>>>
        /// Every column's G weight codes (column j entry e in bits c(jG + e)…).
        public let wGroup: Port<PackedVec<PackedVec<HardwareType>>>
        /// The activations are signed.
        public let cfgActSigned = Port.input(.bool)
        /// The weight type (``AntType`` raw value).
        public let cfgWeightType = Port.input(.uint(AntType.selectorWidth))
        /// The weights are signed.
        public let cfgWeightSigned = Port.input(.bool)
        /// The weights are int8 (present with int8 weights).
        public let cfgWeightInt8: Port<HardwareType>?
        /// A step is issued this cycle.
        public let issueValid = Port.output(.bool)
        /// The terms the rows issue this cycle, row 0 least significant.
        public let issueTerms: Port<PackedVec<SdpTermLane>>
        /// `out_valid`, `out_row`.
        public let out: PortGroup<OutputRowPorts>
        /// C[out_row, j] for every j, column 0 least significant.
        public let outData: Port<PackedVec<HardwareType>>
    }

    /// The ports.
    public var ports: Ports {
        let p = array
        func groups(_ count: Int, _ codeWidth: Int) -> PackedVec<PackedVec<HardwareType>> {
            PackedVec(count: count, PackedVec(count: p.group, .uint(codeWidth)))
        }
        return Ports(aGroup: .input(groups(p.rows, 8)), wGroup: .input(groups(p.cols, p.weight.codeInputWidth)),
                     cfgWeightInt8: p.weight.int8 ? .input(.bool) : nil,
                     issueTerms: .output(PackedVec(count: p.rows, SdpTermLane(indexWidth: p.indexWidth))),
                     out: PortGroup(OutputRowPorts(rowWidth: p.rowIndexWidth)), outData: .output(PackedVec(count: p.cols, .uint(p.accumulatorWidth))))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols, g = p.group
        // MARK: Input stage and step sequencer
        let beat = m.heldBeat(inValid: io.beat.valid)
        let holdA = PackedVecValue(io.aGroup.shape, packed: m.register("hold_a", next: io.aGroup.packed, enable: beat.accept))
        let holdW = PackedVecValue(io.wGroup.shape, packed: m.register("hold_w", next: io.wGroup.packed, enable: beat.accept))
        let holdActSigned = m.register("hold_act_signed", next: io.cfgActSigned, enable: beat.accept)
        let holdWeightType = m.register("hold_weight_type", next: io.cfgWeightType, enable: beat.accept)
        let holdWeightSigned = m.register("hold_weight_signed", next: io.cfgWeightSigned, enable: beat.accept)
        let step = m.register("step", .uint(p.stepWidth), reset: 0)
        var weightInt8: Value?
        var lastStep = m.wire("last_step", equals: step == p.terms - 1)
        var slot: Value = step
        var wterm = Value.bool(false)
        if let cfg = io.cfgWeightInt8 {
            let w8 = m.register("hold_weight_int8", next: cfg, enable: beat.accept)
            lastStep = m.wire("last_step_int8", equals: mux(w8, step == 2 * p.terms - 1, lastStep))
            slot = m.wire("slot", equals: mux(w8, step >> 1, step))
            wterm = m.wire("wterm", equals: w8 & step[0])
            weightInt8 = w8
        }
        let groupStart = m.wire("group_start", equals: step == 0)
        let issued = m.issueSteps(of: beat, inLast: io.inLast, inReady: io.beat.ready, rows: rows, firstOfBeat: groupStart,
                                  lastOfBeat: lastStep, restart: { step.assign(Value.uint(0, width: p.stepWidth)) },
                                  advance: { step.assign(step &+ 1) })

        // MARK: Selectors (rows) and weight decoders (columns), decode register and skew
        let tile = m.instance(SdpTileArray(p), name: "tile")
        let selector = SdpSelector(group: g, terms: p.terms)
        let lane = SdpTermLane(indexWidth: p.indexWidth)
        var terms: [Bundle<SdpTermLane>] = []
        for i in 0..<rows {
            let s = m.instance(selector, name: "selector_\(i)")
            s.codes.assign(holdA[i])
            s.signedMode.assign(holdActSigned)
            s.slot.assign(slot.width > selector.slotWidth ? slot.truncated(to: selector.slotWidth) : slot)
            terms.append(s.term)
            tile.a[i].assign(Bundle(lane, packed: m.delayed("term_skew_\(i)", s.term.packed, count: i + 1)))
        }
        io.issueValid.assign(issued.issue)
        io.issueTerms.assign(Vec(terms))
        let decoder = OperandDecoder(format: p.weight)
        for j in 0..<cols {
            var entries: [Value] = []
            for e in 0..<g {
                let code = holdW[j][e]
                for high in p.weight.int8 ? [true, false] : [true] {
                    let d = m.decodedOperand(decoder, "weight_decoder_\(j)_\(e)\(p.weight.int8 ? (high ? "_hi" : "_lo") : "")",
                                             code: code, type: holdWeightType, signed: holdWeightSigned,
                                             int8: weightInt8, termHigh: Value.bool(high))
                    entries.append(d.packed)
                }
            }
            tile.w[j].assign(m.delayed("w_skew_\(j)", Vec(entries).asUInt, count: j + 1))
        }
        let control = issued.controlChains(m, rows: rows)
        let load = m.delayLine("ctrl_load", groupStart, count: rows)
        let wt = m.delayLine("ctrl_wterm", wterm, count: rows)
        for i in 0..<rows {
            tile.ctrl[i].assign(Bundle(SdpControl()) {
                $0.wterm = wt[i]; $0.load = load[i]; $0.last = control.last[i]; $0.first = control.first[i]
                $0.valid = control.valid[i]
            })
        }

        // MARK: Output deskew and row counter
        var columns: [Value] = []
        for j in 0..<cols {
            let stream = tile.result[j]
            columns.append(m.delayed("deskew_\(j)", stream, count: cols - 1 - j))
        }
        io.outData.assign(Vec(columns))
        let active = m.register("out_active", .bool, reset: 0)
        m.outputRowCounter(active: active, finish: tile.finish, rows: rows, rowWidth: p.rowIndexWidth,
                           outValid: io.out.valid, outRow: io.out.row)
    }
}
