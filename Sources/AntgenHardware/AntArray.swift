import AntgenDSL
import AntgenNumerics

/// The top level: a ``TileArray`` with its boundary decoders, the int8 term
/// sequencer, the input skew and the output deskew (Gemmini's MeshWithDelays).
///
/// Interface (docs/architecture.md is the cycle-level contract):
/// - input beats: `in_valid`/`in_ready` handshake; a beat carries column k of A
///   (`a_code_i`), row k of W (`w_code_j`), the per-beat configuration (`cfg_*`) and
///   `in_last` on the final k of a tile.
/// - output beats: `out_valid`, `out_row`, `out_data_j` = C[out_row, j]; one row per
///   cycle, rows − 1 first, no back-pressure.
///
/// Input stage: an accepted beat is held while its nibble terms are issued, one
/// reduction step per cycle (1, 2 or 4 steps). The codes are decoded from the held
/// beat, registered, and delayed by i (row) or j (column) more cycles. A tile's last
/// step is issued at least `rows` cycles after the previous tile's, because the column
/// drain chains need `rows` cycles; shorter tiles get bubbles (`in_ready` low).
public struct AntArray: Circuit {
    /// The validated build parameters.
    public let array: ArrayParameters

    /// Creates the top level for `parameters`.
    public init(_ parameters: ArrayParameters) {
        self.array = parameters
    }

    /// `AntArray`.
    public var name: String { "AntArray" }
    /// The build parameters, in the paper's terms.
    public var parameters: [Parameter] {
        let p = array
        return [Parameter("rows", p.rows), Parameter("cols", p.cols), Parameter("bits", p.codeWidth),
                Parameter("act", p.activation.types.map(\.description).joined(separator: "_")),
                Parameter("wgt", p.weight.types.map(\.description).joined(separator: "_")),
                Parameter("acc", p.accumulatorWidth), Parameter("int8", p.int8 ? "on" : "off")]
            + (p.preload ? [Parameter("psum", p.codec ? "codec12" : "preload")] : [])
    }

    /// The top-level interface (docs/architecture.md §2): names and order are the contract
    /// the harness, the manifest and users' testbenches rely on.
    public struct Ports: PortSpec {
        /// A beat is offered.
        public let inValid = Port.input(.bool)
        /// The array takes the beat in this cycle.
        public let inReady = Port.output(.bool)
        /// The beat is the tile's last reduction step.
        public let inLast = Port.input(.bool)
        /// Column k of A: row i's activation code.
        public let aCode: PortVec<HardwareType>
        /// Row k of W: column j's weight code.
        public let wCode: PortVec<HardwareType>
        /// The activation type (``AntType`` raw value).
        public let cfgActType = Port.input(.uint(AntType.selectorWidth))
        /// The activations are signed.
        public let cfgActSigned = Port.input(.bool)
        /// The activations are int8 (nibble terms); present with int8 support.
        public let cfgActInt8: Port<HardwareType>?
        /// The weight type.
        public let cfgWeightType = Port.input(.uint(AntType.selectorWidth))
        /// The weights are signed.
        public let cfgWeightSigned = Port.input(.bool)
        /// The weights are int8; present with int8 support.
        public let cfgWeightInt8: Port<HardwareType>?
        /// An output row is valid.
        public let outValid = Port.output(.bool)
        /// Which row of C (rows − 1 first).
        public let outRow: Port<HardwareType>
        /// C[out_row, j] (plus the preloaded partial sum with `--psum-preload`).
        public let outData: PortVec<HardwareType>
        /// Partial-sum preload (docs/architecture.md §14): a preload row is offered.
        public let psumInValid: Port<HardwareType>?
        /// The preload queue takes it.
        public let psumInReady: Port<HardwareType>?
        /// The preload row: field j for column j, W bits or (with the codec) a 12-bit code.
        public let psumIn: Port<HardwareType>?
        /// With the codec: the 12-bit codes of the output row, packed like `psum_in`.
        public let outPsum: Port<HardwareType>?

        init(_ p: ArrayParameters) {
            aCode = .input(count: p.rows, .uint(p.activation.codeInputWidth))
            wCode = .input(count: p.cols, .uint(p.weight.codeInputWidth))
            cfgActInt8 = p.int8 ? .input(.bool) : nil
            cfgWeightInt8 = p.int8 ? .input(.bool) : nil
            outRow = .output(.uint(p.rowIndexWidth))
            outData = .output(count: p.cols, .sint(p.accumulatorWidth))
            let stage = p.partialSumStage
            psumInValid = stage.map { _ in .input(.bool) }
            psumInReady = stage.map { _ in .output(.bool) }
            psumIn = stage.map { .input(.uint(p.cols * $0.preloadWidth)) }
            outPsum = p.codec ? .output(.uint(p.cols * PartialSumCodec.codeWidth)) : nil
        }
    }

    /// The ports for these parameters.
    public var ports: Ports { Ports(array) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols
        let shape = PEShape(p)

        // MARK: Input stage and term sequencer
        let holdValid = m.register("hold_valid", .bool, reset: 0)
        let holdFirst = m.register("hold_first", .bool, reset: 0)
        let holdLast = m.register("hold_last", .bool, reset: 0)
        let expectFirst = m.register("expect_first", .bool, reset: 1)
        let ready = m.wire("ready", .bool)
        let accept = m.wire("accept", equals: io.inValid & ready)
        let holdA = io.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: accept) }
        let holdW = io.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: accept) }
        let holdActType = m.register("hold_act_type", next: io.cfgActType, enable: accept)
        let holdActSigned = m.register("hold_act_signed", next: io.cfgActSigned, enable: accept)
        let holdWeightType = m.register("hold_weight_type", next: io.cfgWeightType, enable: accept)
        let holdWeightSigned = m.register("hold_weight_signed", next: io.cfgWeightSigned, enable: accept)

        var lastTerm = Value.bool(true)
        var firstTerm = Value.bool(true)
        var actInt8: Value?, weightInt8: Value?, actTermHigh: Value?, weightTermHigh: Value?
        var term: Value?
        if let cfgActInt8 = io.cfgActInt8, let cfgWeightInt8 = io.cfgWeightInt8 {
            let a8 = m.register("hold_act_int8", next: cfgActInt8, enable: accept)
            let w8 = m.register("hold_weight_int8", next: cfgWeightInt8, enable: accept)
            let t = m.register("term", .uint(2), reset: 0)
            // terms − 1 is 0b11 for 8×8, 0b01 for 8×4 or 4×8, 0b00 for 4×4.
            let both: Value = a8 & w8
            let either: Value = a8 | w8
            let termsMinusOne: Value = cat([both, either])
            lastTerm = m.wire("last_term", equals: t == termsMinusOne)
            firstTerm = m.wire("first_term", equals: t == 0)
            // Term index 0 is the high nibble; with both int8 the activation term is t[1].
            actTermHigh = m.wire("act_term_high", equals: !mux(w8, t[1], t[0]))
            weightTermHigh = m.wire("weight_term_high", equals: !t[0])
            actInt8 = a8; weightInt8 = w8; term = t
        }
        let stepFirst = m.wire("step_first", equals: holdFirst & firstTerm)
        let stepLast = m.wire("step_last", equals: holdLast & lastTerm)
        // Tiles' last steps must be ≥ rows cycles apart (drain chains); `gap` counts
        // cycles since the previous one, saturating at rows − 1.
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
            term?.assign(Value.uint(0, width: 2))
        }.elseWhen(issue & lastTerm) {
            holdValid.assign(Value.bool(false))
        }.elseWhen(issue) {
            if let t = term { t.assign(t &+ 1) }
        }
        if let g = gap {
            m.when(issue & stepLast) {
                g.assign(0)
            }.elseWhen(g < rows - 1) {
                g.assign(g &+ 1)
            }
        }

        // MARK: Boundary decoders, decode register and skew
        let actDecoder = OperandDecoder(format: p.activation)
        let weightDecoder = OperandDecoder(format: p.weight)
        func decode(_ decoder: OperandDecoder, _ name: String, _ code: Value, type: Value, signed: Value,
                    int8: Value?, high: Value?) -> Bundle<Operand> {
            let d = m.instance(decoder, name: name)
            d.code.assign(code)
            d.typeSel.assign(type)
            d.signedMode.assign(signed)
            if let int8, let high {
                d.int8Mode?.assign(int8)
                d.termHigh?.assign(high)
            }
            return d.decoded
        }
        let tile = m.instance(TileArray(rows: rows, cols: cols, shape: shape), name: "tile")
        // Step control: one decode-stage register, then one more per row (a shared chain).
        let control = m.delayLine("ctrl_valid", issue, count: rows, reset: 0)
        let controlFirst = m.delayLine("ctrl_first", stepFirst, count: rows)
        let controlLast = m.delayLine("ctrl_last", stepLast, count: rows)
        // Each stream's skew chain registers the packed operand bundle.
        for i in 0..<rows {
            let d = decode(actDecoder, "act_decoder_\(i)", holdA[i], type: holdActType, signed: holdActSigned,
                           int8: actInt8, high: actTermHigh)
            let skewed = m.delayLine("a_skew_\(i)", d.packed, count: i + 1).last!
            tile.a[i].assign(Bundle(actDecoder.operand, packed: skewed))
            tile.ctrl[i].assign(Bundle(StepControl()) { $0.valid = control[i]; $0.first = controlFirst[i]; $0.last = controlLast[i] })
        }
        for j in 0..<cols {
            let d = decode(weightDecoder, "weight_decoder_\(j)", holdW[j], type: holdWeightType,
                           signed: holdWeightSigned, int8: weightInt8, high: weightTermHigh)
            let skewed = m.delayLine("w_skew_\(j)", d.packed, count: j + 1).last!
            tile.w[j].assign(Bundle(weightDecoder.operand, packed: skewed))
        }

        buildOutputs(m, io, tile: tile)
    }

    /// Output deskew, the partial-sum stage (with `--psum-preload`) and the row counter.
    private func buildOutputs(_ m: ModuleBuilder, _ io: IO<Ports>, tile: InstanceHandle<TileArray.Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols
        let stage = p.partialSumStage.map { m.instance($0, name: "psum") }
        if let stage, let valid = io.psumInValid, let data = io.psumIn {
            stage.psumInValid.assign(valid)
            stage.psumIn.assign(data)
            io.psumInReady?.assign(stage.psumInReady)
            if let codes = stage.codes { io.outPsum?.assign(codes) }
        }
        for j in 0..<cols {
            let stream = tile.result[j]
            let aligned = cols - 1 - j == 0 ? stream : m.delayLine("deskew_\(j)", stream, count: cols - 1 - j).last!
            if let stage {
                stage.sums[j].assign(aligned)
                io.outData[j].assign(stage.total[j].asSInt)
            } else {
                io.outData[j].assign(aligned.asSInt)
            }
        }
        let active = m.register("out_active", .bool, reset: 0)
        stage?.rowValid.assign(active)
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
