import AntgenDSL
import AntgenNumerics

/// The AXI shell around an ``AntArray`` (issue 28): operands in on an AXI4-Stream slave
/// (`s_axis_*`), results out on an AXI4-Stream master (`m_axis_*`), control on the
/// AXI4-Lite slave of ``AxiLiteCsr`` (`s_axi_*`), and `irq`.
///
/// Packets are ``AxiShellFormat``'s. The shell takes no operand transfer until START has
/// been written (CONTROL bit 0) after reset or SOFT_RESET. A malformed header (wrong magic,
/// shape, nonzero reserved bits, K = 0, int8 in a build without it, TLAST inside it) pulses
/// `fault` (STATUS.ERROR) and the rest of the packet up to TLAST is dropped; so is any
/// packet whose TLAST is missing on its final transfer, and a packet whose TLAST comes early
/// ends its tile there (also an ERROR). Results go through a row FIFO of 2·rows entries; a
/// tile's last beat enters the array only when its R rows are reserved in that FIFO, so
/// the array's unstoppable output never overflows whatever `m_axis_tready` does.
/// DONE is pulsed when the shell goes idle with a tile's final result transfer.
/// SOFT_RESET abandons both streams (like a reset), ends a half-sent tile in the array and
/// discards its results for a fixed flush time.
public struct AntAxiShell: Circuit {
    /// The wrapped array's parameters.
    public let array: ArrayParameters
    /// The stream layout.
    public let format: AxiShellFormat
    /// The version the CSR block reports.
    public let version: (major: Int, minor: Int, patch: Int)

    /// A shell with `dataWidth`-bit TDATA (32, 64, 128 or 256) for an array without
    /// partial-sum preload.
    public init(_ array: ArrayParameters, dataWidth: Int, version: (major: Int, minor: Int, patch: Int) = (0, 1, 0)) {
        precondition([32, 64, 128, 256].contains(dataWidth), "AXI shell TDATA width is 32, 64, 128 or 256")
        precondition(array.partialSumStage == nil, "the AXI shell does not wrap partial-sum preload builds")
        self.array = array
        self.format = AxiShellFormat(array: array, dataWidth: dataWidth)
        self.version = version
    }

    public var name: String { "AntAxiShell" }
    public var parameters: [Parameter] { AntArray(array).parameters + [Parameter("axis", format.dataWidth)] }

    /// PARAM words: 0 = rows << 16 | cols, 1 = accumulator width << 16 | TDATA width,
    /// 2 = activation code width << 8 | weight code width, 3 = int8 support (bit 0).
    public var parameterWords: [Int] {
        [array.rows << 16 | array.cols, array.accumulatorWidth << 16 | format.dataWidth,
         format.activationWidth << 8 | format.weightWidth, array.int8 ? 1 : 0]
    }

    /// The shell's interface.
    public struct Ports: PortSpec {
        /// Operand packets in.
        public let sAxis: PortGroup<AxiStreamPorts>
        /// Result packets out.
        public let mAxis: PortGroup<AxiStreamPorts>
        /// Control and status (``AxiLiteCsr``'s register map).
        public let sAxi = PortGroup(AxiLitePorts(addressWidth: AxiLiteCsr.addressWidth), prefix: "s_axi_")
        /// Level interrupt: DONE with IRQ_ENABLE.
        public let irq = Port.output(.bool)

        init(dataWidth: Int) {
            sAxis = PortGroup(AxiStreamPorts(dataWidth: dataWidth), prefix: "s_axis_")
            mAxis = PortGroup(AxiStreamPorts(dataWidth: dataWidth), prefix: "m_axis_", flipped: true)
        }
    }
    public var ports: Ports { Ports(dataWidth: format.dataWidth) }

    /// Rows the result FIFO holds.
    var fifoDepth: Int { 2 * array.rows }
    /// Cycles after a tile's last beat within which all its results have left the array.
    var flushCycles: Int { 2 * array.rows + array.cols + 8 }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let csr = m.instance(AxiLiteCsr(version: version, parameterWords: parameterWords), name: "csr")
        m.connect(io.sAxi, csr.sAxi)
        io.irq.assign(csr.irq)
        let core = m.instance(AntArray(array), name: "array")
        let rx = AxiShellReceiver(m, format: format, stream: io.sAxis, int8: array.int8)
        let tx = AxiShellTransmitter(m, format: format, depth: fifoDepth, stream: io.mAxis)
        let softReset = csr.softReset
        let enabled = m.register("enabled", .bool, reset: 0)
        m.when(csr.start) { enabled.assign(.bool(true)) }
        m.when(softReset) { enabled.assign(.bool(false)) }

        // Flush after a soft reset: end a half-sent tile with one last beat, then wait.
        let flushBeat = m.register("flush_beat", .bool, reset: 0)
        let flushCount = m.register("flush_count", .uint(bitsToIndex(flushCycles + 1)), reset: 0)
        let flushing = m.wire("flushing", equals: flushBeat | (flushCount != 0))

        // Rows reserved in the FIFO for tiles whose last beat the array has taken.
        let reserved = m.register("rows_reserved", .uint(bitsToIndex(fifoDepth + 1)), reset: 0)
        let admit = reserved <= fifoDepth - array.rows
        let offer = m.wire("array_offer", equals: rx.beatFull & (!rx.beatLast | admit | flushBeat))
        let take = m.wire("array_take", equals: offer & core.beat.ready)
        rx.connect(m, enabled: enabled & !flushing, arrayTake: take)
        core.beat.valid.assign(offer)
        core.inLast.assign(rx.beatLast)
        rx.drive(codes: core.codes, cfg: core.cfg)

        let reserve = m.wire("reserve_rows", equals: take & rx.beatLast & !flushBeat)
        tx.connect(m, push: core.out.valid & !flushing, lastRow: core.out.row == 0, data: core.outData)
        let w = reserved.width
        reserved.assign(reserved &+ mux(reserve, .uint(array.rows, width: w), .uint(0, width: w))
                        &- mux(tx.popRow, .uint(1, width: w), .uint(0, width: w)))

        m.when(take & flushBeat) {
            flushBeat.assign(.bool(false))
            flushCount.assign(.uint(flushCycles, width: flushCount.width))
        }
        m.when(!flushBeat & (flushCount != 0)) { flushCount.assign(flushCount &- 1) }
        m.when(softReset) {
            reserved.assign(.uint(0, width: reserved.width))
            flushCount.assign(.uint(flushCycles, width: flushCount.width))
            m.when(rx.midTile) { flushBeat.assign(.bool(true)) }
        }
        rx.softReset(m, softReset, midTile: rx.midTile)
        tx.softReset(m, softReset)

        let busy = m.wire("busy", equals: rx.midTile | (reserved != 0) | flushing)
        csr.busy.assign(busy)
        csr.fault.assign(rx.fault)
        csr.done.assign(tx.popRow & (reserved == 1) & !reserve & !rx.midTile & !flushing)
        csr.stall.assign((io.mAxis.tvalid & !io.mAxis.tready) | rx.starved)
    }
}
