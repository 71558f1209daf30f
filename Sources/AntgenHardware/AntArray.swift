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
    /// A deliberate defect for mutation testing (`.none`, the default: correct hardware).
    public let mutation: HardwareMutation

    /// Creates the top level for `parameters`, optionally with an injected defect.
    public init(_ parameters: ArrayParameters, mutation: HardwareMutation = .none) {
        self.array = parameters
        self.mutation = mutation
    }

    /// `AntArray`.
    public var name: String { "AntArray" }
    /// The build parameters, in the paper's terms.
    public var parameters: [Parameter] {
        let p = array
        return [Parameter("rows", p.rows), Parameter("cols", p.cols), Parameter("bits", p.codeWidth),
                Parameter("act", p.activation.types.map(\.description).joined(separator: "_")),
                Parameter("wgt", p.weight.types.map(\.description).joined(separator: "_")),
                Parameter("acc", p.accumulatorWidth), Parameter("int8", p.int8 ? "on" : "off")] + mutation.nameParameters
    }

    /// Packs a decoded operand as the PE bus it travels on: one skew register chain per stream.
    private func pack(_ d: Instance) -> Value { ProcessingElement.operandBus(sign: d.sign, mantissa: d.mant, shift: d.exp) }

    /// A chain of `count` registers; returns every stage (stage 0 first).
    private func delayLine(_ m: ModuleBuilder, _ name: String, _ input: Value, count: Int, reset: Int? = nil) -> [Value] {
        var stages: [Value] = []
        var previous = input
        for s in 0..<count {
            previous = m.register("\(name)_d\(s)", next: previous, reset: reset)
            stages.append(previous)
        }
        return stages
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let p = array
        let rows = p.rows, cols = p.cols, w = p.accumulatorWidth
        let shape = PEShape(p)

        // MARK: Ports
        let inValid = m.input("in_valid", .bool)
        let inReady = m.output("in_ready", .bool)
        let inLast = m.input("in_last", .bool)
        let aCode = m.inputVec("a_code", count: rows, .uint(p.activation.codeInputWidth))
        let wCode = m.inputVec("w_code", count: cols, .uint(p.weight.codeInputWidth))
        let cfgActType = m.input("cfg_act_type", .uint(AntType.selectorWidth))
        let cfgActSigned = m.input("cfg_act_signed", .bool)
        let cfgActInt8 = p.int8 ? m.input("cfg_act_int8", .bool) : nil
        let cfgWeightType = m.input("cfg_weight_type", .uint(AntType.selectorWidth))
        let cfgWeightSigned = m.input("cfg_weight_signed", .bool)
        let cfgWeightInt8 = p.int8 ? m.input("cfg_weight_int8", .bool) : nil
        let outValid = m.output("out_valid", .bool)
        let outRow = m.output("out_row", .uint(p.rowIndexWidth))
        let outData = m.outputVec("out_data", count: cols, .sint(w))

        // MARK: Input stage and term sequencer
        let holdValid = m.register("hold_valid", .bool, reset: 0)
        let holdFirst = m.register("hold_first", .bool, reset: 0)
        let holdLast = m.register("hold_last", .bool, reset: 0)
        let expectFirst = m.register("expect_first", .bool, reset: 1)
        let ready = m.wire("ready", .bool)
        let accept = m.wire("accept", equals: inValid & ready)
        let holdA = aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: accept) }
        let holdW = wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: accept) }
        let holdActType = m.register("hold_act_type", next: cfgActType, enable: accept)
        let holdActSigned = m.register("hold_act_signed", next: cfgActSigned, enable: accept)
        let holdWeightType = m.register("hold_weight_type", next: cfgWeightType, enable: accept)
        let holdWeightSigned = m.register("hold_weight_signed", next: cfgWeightSigned, enable: accept)

        var lastTerm = Value.bool(true)
        var firstTerm = Value.bool(true)
        var actInt8: Value?, weightInt8: Value?, actTermHigh: Value?, weightTermHigh: Value?
        var term: Value?
        if let cfgActInt8, let cfgWeightInt8 {
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
        inReady.assign(ready)

        m.when(accept) {
            holdValid.assign(Value.bool(true))
            holdFirst.assign(expectFirst)
            holdLast.assign(inLast)
            expectFirst.assign(inLast)
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
        let actDecoder = OperandDecoder(format: p.activation, mutation: mutation)
        let weightDecoder = OperandDecoder(format: p.weight, mutation: mutation)
        func decode(_ decoder: OperandDecoder, _ name: String, _ code: Value, type: Value, signed: Value,
                    int8: Value?, high: Value?) -> Instance {
            let d = m.instance(decoder, name: name)
            d.code.assign(code)
            d.type_sel.assign(type)
            d.signed_mode.assign(signed)
            if let int8, let high {
                d.int8_mode.assign(int8)
                d.term_high.assign(high)
            }
            return d
        }
        let tile = m.instance(TileArray(rows: rows, cols: cols, shape: shape, mutation: mutation), name: "tile")
        // Step control: one decode-stage register, then one more per row (a shared chain).
        let control = delayLine(m, "ctrl_valid", issue, count: rows, reset: 0)
        let controlFirst = delayLine(m, "ctrl_first", stepFirst, count: rows)
        let controlLast = delayLine(m, "ctrl_last", stepLast, count: rows)
        for i in 0..<rows {
            let d = decode(actDecoder, "act_decoder_\(i)", holdA[i], type: holdActType, signed: holdActSigned,
                           int8: actInt8, high: actTermHigh)
            let extra = mutation == .skewOffByOne && i == rows - 1 ? 1 : 0
            let skewed = delayLine(m, "a_skew_\(i)", pack(d), count: i + 1 + extra).last!
            tile["a_\(i)"].assign(skewed)
            tile["in_valid_\(i)"].assign(control[i])
            tile["in_first_\(i)"].assign(controlFirst[i])
            tile["in_last_\(i)"].assign(controlLast[i])
        }
        for j in 0..<cols {
            let d = decode(weightDecoder, "weight_decoder_\(j)", holdW[j], type: holdWeightType,
                           signed: holdWeightSigned, int8: weightInt8, high: weightTermHigh)
            let skewed = delayLine(m, "w_skew_\(j)", pack(d), count: j + 1).last!
            tile["w_\(j)"].assign(skewed)
        }

        // MARK: Output deskew and row counter
        for j in 0..<cols {
            let stream = tile["result_\(j)"]
            let aligned = cols - 1 - j == 0 ? stream : delayLine(m, "deskew_\(j)", stream, count: cols - 1 - j).last!
            outData[j].assign(aligned.asSInt)
        }
        let active = m.register("out_active", .bool, reset: 0)
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
        outValid.assign(active)
        outRow.assign(row)
    }
}
