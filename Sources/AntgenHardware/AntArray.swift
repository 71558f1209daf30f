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
        let beat = m.heldBeat(inValid: io.inValid)
        let holdA = io.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdW = io.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdActType = m.register("hold_act_type", next: io.cfgActType, enable: beat.accept)
        let holdActSigned = m.register("hold_act_signed", next: io.cfgActSigned, enable: beat.accept)
        let holdWeightType = m.register("hold_weight_type", next: io.cfgWeightType, enable: beat.accept)
        let holdWeightSigned = m.register("hold_weight_signed", next: io.cfgWeightSigned, enable: beat.accept)
        var terms: NibbleTermCounter?
        if let cfgActInt8 = io.cfgActInt8, let cfgWeightInt8 = io.cfgWeightInt8 {
            terms = NibbleTermCounter(m, actInt8: cfgActInt8, weightInt8: cfgWeightInt8, accept: beat.accept)
        }
        let weightTermHigh = terms.map { m.wire("weight_term_high", equals: !$0.term[0]) }
        let step = m.issueSteps(of: beat, inLast: io.inLast, inReady: io.inReady, rows: rows,
                                firstOfBeat: terms?.first ?? .bool(true), lastOfBeat: terms?.last ?? .bool(true),
                                restart: { terms?.restart() }, advance: { terms?.advance() })

        // MARK: Boundary decoders, decode register and skew
        let actDecoder = OperandDecoder(format: p.activation)
        let weightDecoder = OperandDecoder(format: p.weight)
        let tile = m.instance(TileArray(rows: rows, cols: cols, shape: shape), name: "tile")
        // Step control: one decode-stage register, then one more per row (a shared chain).
        let control = step.controlChains(m, rows: rows)
        // Each stream's skew chain registers the packed operand bundle.
        for i in 0..<rows {
            let d = m.decodedOperand(actDecoder, "act_decoder_\(i)", code: holdA[i], type: holdActType, signed: holdActSigned,
                                     int8: terms?.actInt8, termHigh: terms?.actTermHigh)
            tile.a[i].assign(Bundle(actDecoder.operand, packed: m.delayed("a_skew_\(i)", d.packed, count: i + 1)))
            tile.ctrl[i].assign(control.row(i))
        }
        for j in 0..<cols {
            let d = m.decodedOperand(weightDecoder, "weight_decoder_\(j)", code: holdW[j], type: holdWeightType,
                                     signed: holdWeightSigned, int8: terms?.weightInt8, termHigh: weightTermHigh)
            tile.w[j].assign(Bundle(weightDecoder.operand, packed: m.delayed("w_skew_\(j)", d.packed, count: j + 1)))
        }

        buildOutputs(m, io, tile: tile)
    }

    /// Output deskew, the partial-sum stage (with `--psum-preload`) and the row counter.
    private func buildOutputs(_ m: ModuleBuilder, _ io: IO<Ports>, tile: InstanceHandle<TileArray.Ports>) {
        let p = array
        let rows = p.rows, cols = p.cols
        let stage = m.partialSumStage(p.partialSumStage, valid: io.psumInValid, data: io.psumIn, ready: io.psumInReady,
                                      codes: io.outPsum)
        for j in 0..<cols {
            let stream = tile.result[j]
            let aligned = m.delayed("deskew_\(j)", stream, count: cols - 1 - j)
            if let stage {
                stage.sums[j].assign(aligned)
                io.outData[j].assign(stage.total[j].asSInt)
            } else {
                io.outData[j].assign(aligned.asSInt)
            }
        }
        let active = m.register("out_active", .bool, reset: 0)
        stage?.rowValid.assign(active)
        m.outputRowCounter(active: active, finish: tile.finish, rows: rows, rowWidth: p.rowIndexWidth,
                           outValid: io.outValid, outRow: io.outRow)
    }
}
