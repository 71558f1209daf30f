import AntgenDSL
import AntgenNumerics

/// The AXI shell around an array (issue 28): operands in on an AXI4-Stream slave
/// (`s_axis_*`), results out on an AXI4-Stream master (`m_axis_*`), control on the
/// AXI4-Lite slave of ``AxiLiteCsr`` (`s_axi_*`), and `irq`. The array is any
/// ``AxiShellCore`` (``AntAxiShell``: the ANT array, ``SdpAxiShell``: the SDP array).
///
/// Packets are ``AxiShellFormat``'s. The shell takes no operand transfer until START has
/// been written (CONTROL bit 0) after reset or SOFT_RESET. A malformed header (wrong magic,
/// shape, nonzero reserved bits, K = 0, operand settings the core refuses, TLAST inside it) pulses
/// `fault` (STATUS.ERROR) and the rest of the packet up to TLAST is dropped; so is any
/// packet whose TLAST is missing on its final transfer, and a packet whose TLAST comes early
/// ends its tile there (also an ERROR). Results go through a row FIFO of 2·rows entries; a
/// tile's last beat enters the array only when its R rows are reserved in that FIFO, so
/// the array's unstoppable output never overflows whatever `m_axis_tready` does.
/// DONE is pulsed when the shell goes idle with a tile's final result transfer.
/// SOFT_RESET abandons both streams (like a reset), ends a half-sent tile in the array and
/// discards its results for a fixed flush time.
public struct AxiShell<Core: AxiShellCore>: Circuit {
    /// The wrapped array.
    public let core: Core
    /// The stream layout.
    public let format: AxiShellFormat
    /// The version the CSR block reports.
    public let version: (major: Int, minor: Int, patch: Int)
    /// KiB of block RAM for the result rows (`--buffer-kib`), or nil for the flip-flop FIFO
    /// of 2·rows rows.
    public let bufferKiB: Int?

    /// A shell with `dataWidth`-bit TDATA (32, 64, 128 or 256) around `core`; with
    /// `bufferKiB`, results queue in a block-RAM buffer of that size (see
    /// ``AxiShellFormat/bufferProblem(kib:)`` for the sizes that work).
    public init(core: Core, dataWidth: Int, bufferKiB: Int? = nil, version: (major: Int, minor: Int, patch: Int) = (0, 1, 0)) {
        precondition([32, 64, 128, 256].contains(dataWidth), "AXI shell TDATA width is 32, 64, 128 or 256")
        self.core = core
        self.format = AxiShellFormat(core: core, dataWidth: dataWidth)
        self.version = version
        self.bufferKiB = bufferKiB
        if let bufferKiB, let problem = format.bufferProblem(kib: bufferKiB) { preconditionFailure(problem) }
    }

    public var name: String { core.shellName }
    public var parameters: [Parameter] {
        core.parameters + [Parameter("axis", format.dataWidth)] + (bufferKiB.map { [Parameter("bufkib", $0)] } ?? [])
    }

    /// PARAM words: 0 = rows << 16 | cols, 1 = accumulator width << 16 | TDATA width,
    /// 2 = row field width << 8 | column field width, 3 = the core's options
    /// (``AxiShellCore/optionWord``), 4 = the core's kind (0 ANT, 1 SDP).
    public var parameterWords: [Int] {
        [core.rows << 16 | core.cols, core.resultWidth << 16 | format.dataWidth,
         format.activationWidth << 8 | format.weightWidth, core.optionWord, core.kind.rawValue]
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

    /// Rows the result FIFO holds (reserved for tiles).
    var fifoDepth: Int { bufferKiB.map { AxiShellBufferedTransmitter.depth(kib: $0, format: format) } ?? 2 * core.rows }
    /// Cycles after a tile's last beat within which all its results have left the array.
    var flushCycles: Int { core.drainCycles + core.rows + 8 }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let csr = m.instance(AxiLiteCsr(version: version, parameterWords: parameterWords), name: "csr")
        m.connect(io.sAxi, csr.sAxi)
        io.irq.assign(csr.irq)
        let rx = AxiShellReceiver(m, format: format, stream: io.sAxis, accepts: core.acceptsHeader)
        let array = core.instantiate(m, operands: rx.operands, settings: rx.settings)
        let tx: any AxiShellResultQueue = bufferKiB == nil
            ? AxiShellTransmitter(m, format: format, depth: fifoDepth, stream: io.mAxis)
            : AxiShellBufferedTransmitter(m, format: format, depth: fifoDepth, stream: io.mAxis)
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
        let admit = reserved <= fifoDepth - core.rows
        let offer = m.wire("array_offer", equals: rx.beatFull & (!rx.beatLast | admit | flushBeat))
        let take = m.wire("array_take", equals: offer & array.inReady)
        rx.connect(m, enabled: enabled & !flushing, arrayTake: take)
        array.inValid.assign(offer)
        array.inLast.assign(rx.beatLast)

        let reserve = m.wire("reserve_rows", equals: take & rx.beatLast & !flushBeat)
        tx.connect(m, push: array.outValid & !flushing, lastRow: array.outRow == 0, data: array.outData)
        let w = reserved.width
        reserved.assign(reserved &+ mux(reserve, .uint(core.rows, width: w), .uint(0, width: w))
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

/// The AXI shell around the output-stationary ANT array.
public typealias AntAxiShell = AxiShell<AntShellCore>
/// The AXI shell around the SDP array.
public typealias SdpAxiShell = AxiShell<SdpShellCore>

extension AxiShell where Core == AntShellCore {
    /// The shell around `array` (without partial-sum preload) with `dataWidth`-bit TDATA.
    public init(_ array: ArrayParameters, dataWidth: Int, bufferKiB: Int? = nil, version: (major: Int, minor: Int, patch: Int) = (0, 1, 0)) {
        self.init(core: AntShellCore(array), dataWidth: dataWidth, bufferKiB: bufferKiB, version: version)
    }

    /// The wrapped array's parameters.
    public var array: ArrayParameters { core.array }
}

extension AxiShell where Core == SdpShellCore {
    /// The shell around the SDP array `array` with `dataWidth`-bit TDATA.
    public init(_ array: SdpArrayParameters, dataWidth: Int, bufferKiB: Int? = nil, version: (major: Int, minor: Int, patch: Int) = (0, 1, 0)) {
        self.init(core: SdpShellCore(array), dataWidth: dataWidth, bufferKiB: bufferKiB, version: version)
    }
}
