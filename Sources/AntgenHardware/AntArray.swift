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
        /// `in_valid`, `in_ready`.
        public let beat = PortGroup(BeatHandshakePorts(), prefix: "in_")
        /// The beat is the tile's last reduction step.
        public let inLast = Port.input(.bool)
        /// Column k of A (`a_code_i`, row i's activation code) and row k of W (`w_code_j`).
        public let codes: PortGroup<OperandCodePorts>
        /// The operand types, signedness and int8 flags (`cfg_*`).
        public let cfg: PortGroup<AntConfigPorts>
        /// `out_valid`, `out_row` (rows − 1 first).
        public let out: PortGroup<OutputRowPorts>
        /// C[out_row, j] (plus the preloaded partial sum with `--psum-preload`).
        public let outData: PortVec<HardwareType>
        /// The partial-sum preload ports (with `--psum-preload`).
        public let psum: PortGroup<PartialSumPorts>?

        init(_ p: ArrayParameters) {
            codes = PortGroup(OperandCodePorts(rows: p.rows, activationWidth: p.activation.codeInputWidth,
                                               cols: p.cols, weightWidth: p.weight.codeInputWidth), prefix: "")
            cfg = PortGroup(AntConfigPorts(int8: p.int8))
            out = PortGroup(OutputRowPorts(rowWidth: p.rowIndexWidth))
            outData = .output(count: p.cols, .sint(p.accumulatorWidth))
            psum = p.partialSumStage.map { PortGroup(PartialSumPorts($0), prefix: "") }
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
        let beat = m.heldBeat(inValid: io.beat.valid)
        let holdA = io.codes.aCode.enumerated().map { m.register("hold_a_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdW = io.codes.wCode.enumerated().map { m.register("hold_w_\($0.offset)", next: $0.element, enable: beat.accept) }
        let holdActType = m.register("hold_act_type", next: io.cfg.actType, enable: beat.accept)
        let holdActSigned = m.register("hold_act_signed", next: io.cfg.actSigned, enable: beat.accept)
        let holdWeightType = m.register("hold_weight_type", next: io.cfg.weightType, enable: beat.accept)
        let holdWeightSigned = m.register("hold_weight_signed", next: io.cfg.weightSigned, enable: beat.accept)
        var terms: NibbleTermCounter?
        if let cfgActInt8 = io.cfg.actInt8, let cfgWeightInt8 = io.cfg.weightInt8 {
            terms = NibbleTermCounter(m, actInt8: cfgActInt8, weightInt8: cfgWeightInt8, accept: beat.accept)
        }
        let weightTermHigh = terms.map { m.wire("weight_term_high", equals: !$0.term[0]) }
        let step = m.issueSteps(of: beat, inLast: io.inLast, inReady: io.beat.ready, rows: rows,
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
            tile.a[i].assign(Bundle(actDecoder.operand, packed: m.delayed("a_skew_\(i)", d.packed, count: i + 1) { ActivationSkewSite(row: i, stage: $0) }))
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
        let stage = m.partialSumStage(p.partialSumStage, ports: io.psum)
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
                           outValid: io.out.valid, outRow: io.out.row)
    }
}

/// A named defect site of the ANT array tops (``AntArray``, ``WsArray``): stage `stage`
/// (0 first) of row `row`'s activation skew chain, the register `a_skew_<row>_d<stage>`.
/// Query all of them with ``Design/sites(taggedWith:)``.
public struct ActivationSkewSite: DefectSiteTag {
    /// The PE row the chain feeds.
    public let row: Int
    /// The register's position in the chain (row r has stages 0 … r).
    public let stage: Int

    public var description: String { "ActivationSkew(row: \(row), stage: \(stage))" }
}
