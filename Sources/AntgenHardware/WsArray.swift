import AntgenDSL
import AntgenNumerics

/// The weight-stationary top (`antgen emit --dataflow ws`, docs/architecture.md §12): an
/// R × C mesh of ``WsProcessingElement``s that hold a K-chunk × N-block of weights (PE(r, j)
/// holds W[k0 + r, j]), activations streamed in from the left (row r gets A[m, k0 + r],
/// skewed by r), partial sums flowing down the columns, and one accumulator per column at
/// the bottom that adds a beat's T nibble-term steps.
///
/// One input stream carries both kinds of beat (`in_valid`/`in_ready`, `in_load`): a load
/// beat (`in_load = 1`) shifts one row of weight codes (`w_code_j`, decoded at the column
/// boundary) into the top of every column; R load beats fill the array. A compute beat
/// carries one activation vector (`a_code_r` = A[m, k0 + r]) and yields one output row
/// `out_data_j` = Σ_r A[m, k0 + r]·W[k0 + r, j] mod 2^W, in order. The boundary decoders,
/// the configuration ports and the int8 nibble-term sequencing are those of the OS array.
public struct WsArray: Circuit {
    /// The validated build parameters.
    public let array: ArrayParameters

    /// Creates the top level for `parameters`.
    public init(_ parameters: ArrayParameters) {
        self.array = parameters
    }

    /// `WsArray`.
    public var name: String { "WsArray" }
    /// The build parameters.
    public var parameters: [Parameter] { AntArray(array).parameters + [Parameter("dataflow", "ws")] }

    /// The top-level interface (docs/architecture.md §12).
    public struct Ports: PortSpec {
        /// `in_valid`, `in_ready`.
        public let beat = PortGroup(BeatHandshakePorts(), prefix: "in_")
        /// The beat is a weight-load beat (else a compute beat).
        public let inLoad = Port.input(.bool)
        /// Compute beat: row r's activation code A[m, k0 + r] (`a_code_r`); load beat:
        /// column j's weight code (`w_code_j`).
        public let codes: PortGroup<OperandCodePorts>
        /// The operand configuration (`cfg_*`); the weight type and signedness are
        /// sampled with load beats, the int8 flags with every beat.
        public let cfg: PortGroup<AntConfigPorts>
        /// An output row is valid.
        public let outValid = Port.output(.bool)
        /// Output row: column j's partial sum.
        public let outData: PortVec<HardwareType>

        init(_ p: ArrayParameters) {
            codes = PortGroup(OperandCodePorts(rows: p.rows, activationWidth: p.activation.codeInputWidth,
                                               cols: p.cols, weightWidth: p.weight.codeInputWidth), prefix: "")
            cfg = PortGroup(AntConfigPorts(int8: p.int8))
            outData = .output(count: p.cols, .sint(p.accumulatorWidth))
        }
    }

    /// The ports for these parameters.
    public var ports: Ports { Ports(array) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols
        let stage = inputStage(m, io)

        // MARK: Boundary decoders: one per row (activations), one or two per column (weights)
        let actDecoder = OperandDecoder(format: p.activation), weightDecoder = OperandDecoder(format: p.weight)
        let pe = WsProcessingElement(shape: PEShape(p), int8: p.int8)
        var grid: [[InstanceHandle<WsProcessingElement.Ports>]] = []
        for i in 0..<rows { grid.append((0..<cols).map { j in m.instance(pe, name: "pe_\(i)_\(j)") }) }

        // Control chains: one decode-stage register, then one more per row.
        var valid = stage.computeIssue, first = stage.first, last = stage.last
        var wterm = stage.weightTermLow
        for i in 0..<rows {
            valid = m.register("ctrl_valid_d\(i)", next: valid, reset: 0)
            first = m.register("ctrl_first_d\(i)", next: first)
            last = m.register("ctrl_last_d\(i)", next: last)
            if let t = wterm { wterm = m.register("ctrl_wterm_d\(i)", next: t) }
            let code = m.decodedOperand(actDecoder, "act_decoder_\(i)", code: stage.holdA[i], type: stage.actType,
                                        signed: stage.actSigned, int8: stage.actInt8, termHigh: stage.actTermHigh)
            let skewed = m.delayed("a_skew_\(i)", code.packed, count: i + 1) { ActivationSkewSite(row: i, stage: $0) }
            grid[i][0].aIn.assign(Bundle(actDecoder.operand, packed: skewed))
            grid[i][0].ctrlIn.assign(Bundle(StepControl()) { $0.valid = valid; $0.first = first; $0.last = last })
            if let t = wterm { grid[i][0].wtermIn?.assign(t) }
        }
        for j in 0..<cols {
            let hi = m.decodedOperand(weightDecoder, "weight_decoder_\(j)", code: stage.holdW[j], type: stage.weightType,
                                      signed: stage.weightSigned, int8: stage.weightInt8, termHigh: Value.bool(true))
            grid[0][j].wIn.assign(Bundle(weightDecoder.operand, packed: hi.packed))
            if stage.weightInt8 != nil {
                let lo = m.decodedOperand(weightDecoder, "weight_decoder_lo_\(j)", code: stage.holdW[j], type: stage.weightType,
                                          signed: stage.weightSigned, int8: stage.weightInt8, termHigh: Value.bool(false))
                grid[0][j].wLoIn?.assign(Bundle(weightDecoder.operand, packed: lo.packed))
            }
        }
        for i in 0..<rows {
            for j in 0..<cols {
                let node = grid[i][j]
                node.load.assign(stage.loadIssue)
                if j > 0 {
                    node.aIn.assign(grid[i][j - 1].aOut)
                    node.ctrlIn.assign(grid[i][j - 1].ctrlOut)
                    if let t = grid[i][j - 1].wtermOut { node.wtermIn?.assign(t) }
                }
                if i == 0 {
                    node.psumIn.assign(Value.uint(0, width: p.accumulatorWidth))
                } else {
                    node.psumIn.assign(grid[i - 1][j].psumOut)
                    node.wIn.assign(grid[i - 1][j].wOut)
                    if let lo = grid[i - 1][j].wLoOut { node.wLoIn?.assign(lo) }
                }
            }
        }
        outputStage(m, io, bottom: grid[rows - 1])
    }

    /// The column accumulators at the bottom (the T steps of a beat), then the deskew that
    /// aligns column j with column C − 1 (C − 1 − j registers).
    private func outputStage(_ m: ModuleBuilder, _ io: IO<Ports>, bottom: [InstanceHandle<WsProcessingElement.Ports>]) {
        let p = array, cols = p.cols, w = p.accumulatorWidth
        var outValid = Value.bool(false)
        for j in 0..<cols {
            let control = bottom[j].ctrlOut
            let accNext = m.restartingAccumulator("col_acc_\(j)", next: "col_acc_next_\(j)", adding: bottom[j].psumOut, width: w,
                                                  enable: control.valid, restart: control.first)
            let done = m.wire("col_done_\(j)", equals: control.valid & control.last)
            let result = m.register("col_result_\(j)", next: accNext, enable: done)
            let resultValid = m.register("col_valid_\(j)", next: done, reset: 0)
            io.outData[j].assign(m.delayed("deskew_\(j)", result, count: cols - 1 - j).asSInt)
            if j == cols - 1 { outValid = resultValid }
        }
        io.outValid.assign(outValid)
    }

    /// What the input stage hands to the array.
    private struct InputStage {
        let holdA: [Value], holdW: [Value]
        let actType: Value, actSigned: Value, weightType: Value, weightSigned: Value
        let actInt8: Value?, weightInt8: Value?, actTermHigh: Value?, weightTermLow: Value?
        let computeIssue: Value, loadIssue: Value, first: Value, last: Value
    }

    /// Holds one beat and issues it: a load beat as one load step (held while compute steps
    /// are still in the mesh: R + C − 1 cycles after the last compute step), a compute beat
    /// as its 1, 2 or 4 nibble-term steps, one per cycle.
    private func inputStage(_ m: ModuleBuilder, _ io: IO<Ports>) -> InputStage {
        let p = array
        let holdValid = m.register("hold_valid", .bool, reset: 0)
        let ready = m.wire("ready", .bool)
        let accept = m.wire("accept", equals: io.beat.valid & ready)
        let holdLoad = m.register("hold_load", next: io.inLoad, enable: accept)
        let holdA = io.codes.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: accept) }
        let holdW = io.codes.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: accept) }
        let actType = m.register("hold_act_type", next: io.cfg.actType, enable: accept)
        let actSigned = m.register("hold_act_signed", next: io.cfg.actSigned, enable: accept)
        let weightType = m.register("hold_weight_type", next: io.cfg.weightType, enable: accept)
        let weightSigned = m.register("hold_weight_signed", next: io.cfg.weightSigned, enable: accept)
        var terms: NibbleTermCounter?
        if let cfgActInt8 = io.cfg.actInt8, let cfgWeightInt8 = io.cfg.weightInt8 {
            terms = NibbleTermCounter(m, actInt8: cfgActInt8, weightInt8: cfgWeightInt8, accept: accept)
        }
        let weightTermLow = terms.map { m.wire("weight_term_low", equals: $0.weightInt8 & $0.term[0]) }
        let lastTerm = terms?.last ?? .bool(true), firstTerm = terms?.first ?? .bool(true)
        // A load may not issue while compute steps are still in the mesh: `cool` counts down
        // the R + C − 2 cycles after a compute step.
        let coolCycles = p.rows + p.cols - 2
        var stall = Value.bool(false)
        var cool: Value?
        if coolCycles > 0 {
            let c = m.register("cool", .uint(minimalUnsignedWidth(coolCycles)), reset: 0)
            stall = m.wire("stall", equals: holdLoad & (c != 0))
            cool = c
        }
        let issue = m.wire("issue", equals: holdValid & !stall)
        let loadIssue = m.wire("load_issue", equals: issue & holdLoad)
        let computeIssue = m.wire("compute_issue", equals: issue & !holdLoad)
        let beatDone = m.wire("beat_done", equals: issue & (holdLoad | lastTerm))
        ready.assign(!holdValid | beatDone)
        io.beat.ready.assign(ready)
        m.when(accept) {
            holdValid.assign(Value.bool(true))
            terms?.restart()
        }.elseWhen(beatDone) {
            holdValid.assign(Value.bool(false))
        }.elseWhen(issue) {
            terms?.advance()
        }
        if let c = cool {
            m.when(computeIssue) {
                c.assign(coolCycles)
            }.elseWhen(c != 0) {
                c.assign(c &- 1)
            }
        }
        return InputStage(holdA: holdA, holdW: holdW, actType: actType, actSigned: actSigned, weightType: weightType,
                          weightSigned: weightSigned, actInt8: terms?.actInt8, weightInt8: terms?.weightInt8,
                          actTermHigh: terms?.actTermHigh, weightTermLow: weightTermLow, computeIssue: computeIssue, loadIssue: loadIssue,
                          first: m.wire("step_first", equals: firstTerm), last: m.wire("step_last", equals: lastTerm))
    }
}
