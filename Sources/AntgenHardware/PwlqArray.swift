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
        public let inValid = Port.input(.bool)
        public let inReady = Port.output(.bool)
        public let inLast = Port.input(.bool)
        /// Column k of A: row i's int4 (or int8) code.
        public let aCode: PortVec<HardwareType>
        /// Row k of W: column j's PWLQ code {region, sign, magnitude}.
        public let wCode: PortVec<HardwareType>
        /// The activations are signed.
        public let cfgActSigned = Port.input(.bool)
        /// The activations are int8; present with int8 support.
        public let cfgActInt8: Port<HardwareType>?
        public let outValid = Port.output(.bool)
        public let outRow: Port<HardwareType>
        /// A1[out_row, j] = Σ_R1 ±q·X.
        public let outCentre: PortVec<HardwareType>
        /// A2[out_row, j] = Σ_R2 ±q·X.
        public let outTail: PortVec<HardwareType>
        /// A3[out_row, j] = Σ_R2 ±X.
        public let outOffset: PortVec<HardwareType>
        /// Partial-sum preload (docs/architecture.md §14): a preload row is offered.
        public let psumInValid: Port<HardwareType>?
        /// The preload queue takes it.
        public let psumInReady: Port<HardwareType>?
        /// The preload row: field 3j + s (s = 0 centre, 1 tail, 2 offset), W bits or 12-bit codes.
        public let psumIn: Port<HardwareType>?
        /// With the codec: the 12-bit codes of the output row, packed like `psum_in`.
        public let outPsum: Port<HardwareType>?

        init(_ p: PwlqArrayParameters) {
            aCode = .input(count: p.rows, .uint(p.activation.codeInputWidth))
            wCode = .input(count: p.cols, .uint(p.weightCodeWidth))
            cfgActInt8 = p.int8 ? .input(.bool) : nil
            outRow = .output(.uint(p.rowIndexWidth))
            outCentre = .output(count: p.cols, .sint(p.accumulatorWidth))
            outTail = .output(count: p.cols, .sint(p.accumulatorWidth))
            outOffset = .output(count: p.cols, .sint(p.accumulatorWidth))
            let stage = p.partialSumStage
            psumInValid = stage.map { _ in .input(.bool) }
            psumInReady = stage.map { _ in .output(.bool) }
            psumIn = stage.map { .input(.uint(3 * p.cols * $0.preloadWidth)) }
            outPsum = p.codec ? .output(.uint(3 * p.cols * 12)) : nil
        }
    }

    public var ports: Ports { Ports(array) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols

        // Input stage: hold one beat, issue 1 (int4) or 2 (int8) steps.
        let holdValid = m.register("hold_valid", .bool, reset: 0)
        let holdFirst = m.register("hold_first", .bool, reset: 0)
        let holdLast = m.register("hold_last", .bool, reset: 0)
        let expectFirst = m.register("expect_first", .bool, reset: 1)
        let ready = m.wire("ready", .bool)
        let accept = m.wire("accept", equals: io.inValid & ready)
        let holdA = io.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: accept) }
        let holdW = io.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: accept) }
        let holdActSigned = m.register("hold_act_signed", next: io.cfgActSigned, enable: accept)
        var lastTerm = Value.bool(true), firstTerm = Value.bool(true)
        var actInt8: Value?, actTermHigh: Value?, term: Value?
        if let cfgActInt8 = io.cfgActInt8 {
            let a8 = m.register("hold_act_int8", next: cfgActInt8, enable: accept)
            let t = m.register("term", .bool, reset: 0)
            lastTerm = m.wire("last_term", equals: t | !a8)
            firstTerm = m.wire("first_term", equals: !t)
            actTermHigh = m.wire("act_term_high", equals: !t)
            actInt8 = a8
            term = t
        }
        let stepFirst = m.wire("step_first", equals: holdFirst & firstTerm)
        let stepLast = m.wire("step_last", equals: holdLast & lastTerm)
        var stall = Value.bool(false)
        var gap: Value?
        if rows > 1 {
            let g = m.register("gap", .uint(minimalUnsignedWidth(rows - 1)), reset: rows - 1)
            stall = m.wire("stall", equals: stepLast & (g < rows - 1))
            gap = g
        }
        let issue = m.wire("issue", equals: holdValid & !stall)
        ready.assign(!holdValid | (issue & lastTerm))
        io.inReady.assign(ready)
        m.when(accept) {
            holdValid.assign(Value.bool(true))
            holdFirst.assign(expectFirst)
            holdLast.assign(io.inLast)
            expectFirst.assign(io.inLast)
            term?.assign(Value.bool(false))
        }.elseWhen(issue & lastTerm) {
            holdValid.assign(Value.bool(false))
        }.elseWhen(issue) {
            term?.assign(Value.bool(true))
        }
        if let g = gap {
            m.when(issue & stepLast) {
                g.assign(0)
            }.elseWhen(g < rows - 1) {
                g.assign(g &+ 1)
            }
        }

        // Activation decoders (int / int8 terms), weight fields, skew.
        let decoder = OperandDecoder(format: p.activation)
        let tile = m.instance(PwlqTileArray(rows: rows, cols: cols, shape: p.peShape), name: "tile")
        let control = m.delayLine("ctrl_valid", issue, count: rows, reset: 0)
        let controlFirst = m.delayLine("ctrl_first", stepFirst, count: rows)
        let controlLast = m.delayLine("ctrl_last", stepLast, count: rows)
        for i in 0 ..< rows {
            let d = m.instance(decoder, name: "act_decoder_\(i)")
            d.code.assign(holdA[i])
            d.typeSel.assign(Value.uint(AntType.int.rawValue, width: AntType.selectorWidth))
            d.signedMode.assign(holdActSigned)
            if let actInt8, let actTermHigh {
                d.int8Mode?.assign(actInt8)
                d.termHigh?.assign(actTermHigh)
            }
            let skewed = m.delayLine("a_skew_\(i)", d.decoded.packed, count: i + 1).last!
            tile.a[i].assign(Bundle(decoder.operand, packed: skewed))
            tile.ctrl[i].assign(Bundle(StepControl()) { $0.valid = control[i]; $0.first = controlFirst[i]; $0.last = controlLast[i] })
        }
        let weight = PwlqWeight(bits: p.weightBits)
        for j in 0 ..< cols {
            // The decode-stage register, then j skew stages: the same timing as the activations.
            let skewed = m.delayLine("w_skew_\(j)", holdW[j], count: j + 1).last!
            tile.w[j].assign(Bundle(weight, packed: skewed))
        }

        // Output deskew (all three streams), the partial-sum stage and the row counter.
        let active = m.register("out_active", .bool, reset: 0)
        let stage = p.partialSumStage.map { m.instance($0, name: "psum") }
        if let stage, let valid = io.psumInValid, let data = io.psumIn {
            stage.rowValid.assign(active)
            stage.psumInValid.assign(valid)
            stage.psumIn.assign(data)
            io.psumInReady?.assign(stage.psumInReady)
            if let codes = stage.codes { io.outPsum?.assign(codes) }
        }
        for j in 0 ..< cols {
            for (s, (label, stream, port)) in [("centre", tile.centre[j], io.outCentre[j]), ("tail", tile.tail[j], io.outTail[j]),
                                               ("offset", tile.offset[j], io.outOffset[j])].enumerated() {
                let aligned = cols - 1 - j == 0 ? stream : m.delayLine("deskew_\(label)_\(j)", stream, count: cols - 1 - j).last!
                if let stage {
                    stage.sums[3 * j + s].assign(aligned)
                    port.assign(stage.total[3 * j + s].asSInt)
                } else {
                    port.assign(aligned.asSInt)
                }
            }
        }
        let row = m.register("out_row_q", .uint(p.rowIndexWidth), reset: 0)
        m.when(tile.finish) {
            active.assign(Value.bool(true))
            row.assign(rows - 1)
        }.elseWhen(active) {
            if rows > 1 {
                m.when(row == 0) {
                    active.assign(Value.bool(false))
                }.otherwise {
                    row.assign(row &- 1)
                }
            } else {
                active.assign(Value.bool(false))
            }
        }
        io.outValid.assign(active)
        io.outRow.assign(row)
    }
}
