import AntgenDSL
import AntgenNumerics

/// The MX array top (docs/architecture.md "MX array"): rows × cols ``MxProcessingElement``s,
/// one ``MxElementDecoder`` per row (activations) and per column (weights), a beat counter
/// that cuts the stream into blocks of `blockSize`, and the column drain chains.
///
/// Decoded operands are broadcast along their row and column (registered once after the
/// decoders), so every PE sees beat k in the same cycle and all PEs of a tile finish
/// together; the bottom row then shows rows R−1 … 0 on `out_data_j`, one per cycle.
///
/// Ports: `in_valid`, `in_last` (the tile's last beat; it also closes the block early, as
/// zero padding would), `cfg_a_format`, `cfg_w_format` (spec §5.1 codes, sampled every
/// beat), `a_code_i`, `a_scale_i`, `w_code_j`, `w_scale_j` (the scale of the block the
/// beat belongs to, the same on each beat of the block), `out_valid`, `out_row`,
/// `out_data_j` (binary32). No back-pressure: a beat is accepted every cycle with in_valid.
public struct MxArray: Circuit {
    /// The parameters.
    public let p: MxArrayParameters

    /// An array for `parameters` (assumed valid: see ``MxArrayParameters/problem()``).
    public init(_ parameters: MxArrayParameters) { p = parameters }

    /// `MxArray`.
    public var name: String { "MxArray" }
    /// Shape, formats, block size and accumulator.
    public var parameters: [Parameter] {
        var list = [Parameter("rows", p.rows), Parameter("cols", p.cols), Parameter("formats", p.formats.reduce(0) { $0 | 1 << $1.code }),
                    Parameter("k", p.blockSize)]
        if case .window(let s) = p.accumulation { list += [Parameter("window", s), Parameter("blocks", p.maxBlocks)] }
        return list
    }

    /// The cycles from the edge that accepts a tile's last beat to the first output row.
    public static let firstRowLatency = 3

    /// The top-level interface; names and order are the contract of the MX testbench.
    public struct Ports: PortSpec {
        /// A beat is offered (and taken: no back-pressure).
        public let inValid = Port.input(.bool)
        /// The beat is the tile's last; it also closes the block early.
        public let inLast = Port.input(.bool)
        /// The activations' element format (spec §5.1 code), sampled every beat.
        public let cfgAFormat = Port.input(.uint(3))
        /// The weights' element format.
        public let cfgWFormat = Port.input(.uint(3))
        /// Row i's activation element code.
        public let aCode: PortVec<HardwareType>
        /// Row i's block scale (E8M0), the same on every beat of the block.
        public let aScale: PortVec<HardwareType>
        /// Column j's weight element code.
        public let wCode: PortVec<HardwareType>
        /// Column j's block scale.
        public let wScale: PortVec<HardwareType>
        /// `out_valid`, `out_row` (rows − 1 first).
        public let out: PortGroup<OutputRowPorts>
        /// C[out_row, j] as binary32.
        public let outData: PortVec<HardwareType>

        init(_ p: MxArrayParameters) {
            aCode = .input(count: p.rows, .uint(p.codeWidth))
            aScale = .input(count: p.rows, .uint(8))
            wCode = .input(count: p.cols, .uint(p.codeWidth))
            wScale = .input(count: p.cols, .uint(8))
            out = PortGroup(OutputRowPorts(rowWidth: bitsToIndex(max(p.rows, 2))))
            outData = .output(count: p.cols, .uint(32))
        }
    }

    /// The ports for these parameters.
    public var ports: Ports { Ports(p) }

    /// Builds the top.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let inValid = io.inValid, inLast = io.inLast
        let outRow = io.out.row

        // Beats → blocks: a counter of beats in the block, and whether the next beat opens a tile.
        let countWidth = bitsToIndex(max(p.blockSize, 2))
        let count = m.register("beat_count", .uint(countWidth), reset: 0)
        let tileStart = m.register("tile_start", .bool, reset: 1)
        let blockFirst = m.wire("block_first", equals: count == 0)
        let blockLast = m.wire("block_last", equals: (count == p.blockSize - 1) | inLast)
        m.when(inValid) {
            count.assign(mux(blockLast, .uint(0, width: countWidth), (count &+ 1)))
            tileStart.assign(inLast)
        }
        let control = Bundle(MxControl()) {
            $0.valid = inValid; $0.blockFirst = blockFirst; $0.blockLast = blockLast
            $0.tileFirst = tileStart & blockFirst; $0.tileLast = inLast
        }
        let controlQ = m.register("ctrl_q", MxControl(), reset: 0)
        controlQ.assign(control)

        func decoded(_ name: String, _ code: Value, _ scale: Value, _ format: Value) -> Bundle<MxOperand> {
            let decoder = m.instance(MxElementDecoder(p), name: "\(name)_decoder")
            decoder.code.assign(code)
            decoder.scale.assign(scale)
            decoder.format.assign(format)
            let operand = MxProcessingElement(p).operand
            return Bundle(operand, packed: m.register("\(name)_q", next: decoder.decoded.packed))
        }
        let rowsOperands = (0..<p.rows).map { decoded("a\($0)", io.aCode[$0], io.aScale[$0], io.cfgAFormat) }
        let colsOperands = (0..<p.cols).map { decoded("w\($0)", io.wCode[$0], io.wScale[$0], io.cfgWFormat) }

        // The drain: results load two cycles after ctrl_q shows the tile's last beat.
        let lastQ = m.register("tile_done_d1", next: controlQ.valid & controlQ.tileLast, reset: 0)
        let drainCount = m.register("drain_count", .uint(bitsToIndex(p.rows + 1)), reset: 0)
        m.when(lastQ) {
            drainCount.assign(p.rows)
        }.elseWhen(drainCount != 0) {
            drainCount.assign(drainCount &- 1)
        }
        let drainShift = m.wire("drain_shift", equals: p.rows > 1 ? drainCount > 1 : Value.bool(false))

        var above = [Value](repeating: .uint(0, width: 32), count: p.cols)
        for i in 0..<p.rows {
            for j in 0..<p.cols {
                let pe = m.instance(MxProcessingElement(p), name: "pe_\(i)_\(j)")
                pe.a.assign(rowsOperands[i])
                pe.w.assign(colsOperands[j])
                pe.ctrl.assign(controlQ)
                pe.drainIn.assign(above[j])
                pe.drainShift.assign(drainShift)
                above[j] = pe.result
            }
        }
        io.out.valid.assign(drainCount != 0)
        outRow.assign((drainCount &- 1).truncated(to: outRow.width))
        for j in 0..<p.cols { io.outData[j].assign(above[j]) }
    }
}
