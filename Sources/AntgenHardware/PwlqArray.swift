import AntgenDSL
import AntgenNumerics

/// The PWLQ array top (docs/architecture.md §13): PWLQ weights × uniform int activations on
/// a ``PwlqTileArray``, with ``AntArray``'s protocol (beats, `in_ready`, skew, drain, deskew).
///
/// Differences from ``AntArray``: `w_code_j` carries the b + 1-bit PWLQ code
/// `{region, sign, magnitude}` and needs no decoder (its fields are the PE's weight bundle);
/// activations are int (`cfg_act_signed`) or int8 (`cfg_act_int8`, two nibble-term steps per
/// beat, high term first); every output row carries three sums per column,
/// `out_centre_j` (A1), `out_tail_j` (A2) and `out_offset_j` (A3), in the same cycle.
public struct PwlqArray: Circuit {
    /// The validated build parameters.
    public let array: PwlqArrayParameters

    public init(_ parameters: PwlqArrayParameters) { array = parameters }

    public var name: String { "PwlqArray" }
    public var parameters: [Parameter] {
        [Parameter("rows", array.rows), Parameter("cols", array.cols), Parameter("wbits", array.weightBits),
         Parameter("acc", array.accumulatorWidth), Parameter("int8", array.int8 ? "on" : "off")]
            + (array.preload ? [Parameter("psum", array.codec ? "codec12" : "preload")] : [])
    }

    /// The top-level interface; names and order are the contract of the PWLQ testbenches.
    public struct Ports: PortSpec {
        /// `in_valid`, `in_ready`.
        public let beat = PortGroup(BeatHandshakePorts(), prefix: "in_")
        /// The beat is the tile's last reduction step.
        public let inLast = Port.input(.bool)
        /// Column k of A (`a_code_i`, row i's int4 or int8 code) and row k of W (`w_code_j`,
        /// column j's PWLQ code {region, sign, magnitude}).
        public let codes: PortGroup<OperandCodePorts>
        /// The activations are signed.
        public let cfgActSigned = Port.input(.bool)
        /// The activations are int8; present with int8 support.
        public let cfgActInt8: Port<HardwareType>?
        /// `out_valid`, `out_row`.
        public let out: PortGroup<OutputRowPorts>
        /// A1[out_row, j] = Σ_R1 ±q·X.
        public let outCentre: PortVec<HardwareType>
        /// A2[out_row, j] = Σ_R2 ±q·X.
        public let outTail: PortVec<HardwareType>
        /// A3[out_row, j] = Σ_R2 ±X.
        public let outOffset: PortVec<HardwareType>
        /// The partial-sum preload ports; `psum_in` field 3j + s (s = 0 centre, 1 tail, 2 offset).
        public let psum: PortGroup<PartialSumPorts>?

        init(_ p: PwlqArrayParameters) {
            codes = PortGroup(OperandCodePorts(rows: p.rows, activationWidth: p.activation.codeInputWidth,
                                               cols: p.cols, weightWidth: p.weightCodeWidth), prefix: "")
            cfgActInt8 = p.int8 ? .input(.bool) : nil
            out = PortGroup(OutputRowPorts(rowWidth: p.rowIndexWidth))
            outCentre = .output(count: p.cols, .sint(p.accumulatorWidth))
            outTail = .output(count: p.cols, .sint(p.accumulatorWidth))
            outOffset = .output(count: p.cols, .sint(p.accumulatorWidth))
            psum = p.partialSumStage.map { PortGroup(PartialSumPorts($0), prefix: "") }
        }
    }

    public var ports: Ports { Ports(array) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols

        // Input stage: hold one beat, issue 1 (int4) or 2 (int8) steps.
        let beat = m.heldBeat(inValid: io.beat.valid)
        let holdA = io.codes.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdW = io.codes.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdActSigned = m.register("hold_act_signed", next: io.cfgActSigned, enable: beat.accept)
        var lastTerm = Value.bool(true), firstTerm = Value.bool(true)
        var actInt8: Value?, actTermHigh: Value?, term: Value?
        if let cfgActInt8 = io.cfgActInt8 {
            let a8 = m.register("hold_act_int8", next: cfgActInt8, enable: beat.accept)
            let t = m.register("term", .bool, reset: 0)
            lastTerm = m.wire("last_term", equals: t | !a8)
            firstTerm = m.wire("first_term", equals: !t)
            actTermHigh = m.wire("act_term_high", equals: !t)
            actInt8 = a8
            term = t
        }
        let step = m.issueSteps(of: beat, inLast: io.inLast, inReady: io.beat.ready, rows: rows, firstOfBeat: firstTerm,
                                lastOfBeat: lastTerm, restart: { term?.assign(Value.bool(false)) },
                                advance: { term?.assign(Value.bool(true)) })

        // Activation decoders (int / int8 terms), weight fields, skew.
        let decoder = OperandDecoder(format: p.activation)
        let tile = m.instance(PwlqTileArray(rows: rows, cols: cols, shape: p.peShape), name: "tile")
        let control = step.controlChains(m, rows: rows)
        for i in 0 ..< rows {
            let d = m.decodedOperand(decoder, "act_decoder_\(i)", code: holdA[i],
                                     type: Value.uint(AntType.int.rawValue, width: AntType.selectorWidth),
                                     signed: holdActSigned, int8: actInt8, termHigh: actTermHigh)
            tile.a[i].assign(Bundle(decoder.operand, packed: m.delayed("a_skew_\(i)", d.packed, count: i + 1)))
            tile.ctrl[i].assign(control.row(i))
        }
        let weight = PwlqWeight(bits: p.weightBits)
        for j in 0 ..< cols {
            // The decode-stage register, then j skew stages: the same timing as the activations.
            tile.w[j].assign(Bundle(weight, packed: m.delayed("w_skew_\(j)", holdW[j], count: j + 1)))
        }

        // Output deskew (all three streams), the partial-sum stage and the row counter.
        let active = m.register("out_active", .bool, reset: 0)
        let stage = m.partialSumStage(p.partialSumStage, ports: io.psum)
        stage?.rowValid.assign(active)
        for j in 0 ..< cols {
            for (s, (label, stream, port)) in [("centre", tile.centre[j], io.outCentre[j]), ("tail", tile.tail[j], io.outTail[j]),
                                               ("offset", tile.offset[j], io.outOffset[j])].enumerated() {
                let aligned = m.delayed("deskew_\(label)_\(j)", stream, count: cols - 1 - j)
                if let stage {
                    stage.sums[3 * j + s].assign(aligned)
                    port.assign(stage.total[3 * j + s].asSInt)
                } else {
                    port.assign(aligned.asSInt)
                }
            }
        }
        m.outputRowCounter(active: active, finish: tile.finish, rows: rows, rowWidth: p.rowIndexWidth,
                           outValid: io.out.valid, outRow: io.out.row)
    }
}
