import AntgenDSL

/// The AXI4-Lite control and status block of the AXI shell (issue 28): identification,
/// build parameters, start, soft reset, busy/error/done status, cycle and stall counters
/// and a level interrupt on done.
///
/// Register map (32-bit words, byte addresses; reads of other addresses and writes to
/// read-only or unmapped ones answer SLVERR and change nothing):
///
/// | offset | name | access | contents |
/// |---|---|---|---|
/// | 0x00 | ID | RO | ``identifier`` (`"ANTG"`) |
/// | 0x04 | VERSION | RO | major << 16 \| minor << 8 \| patch |
/// | 0x08 | CONTROL | RW | bit 0 START (write 1: one-cycle `start` pulse, reads 0), bit 1 SOFT_RESET (write 1: one-cycle `soft_reset` pulse, reads 0), bit 2 IRQ_ENABLE |
/// | 0x0C | STATUS | R, W1C | bit 0 BUSY (the `busy` input), bit 1 ERROR (sticky, set by `fault`), bit 2 DONE (sticky, set by `done`); writing 1 to bit 1 or 2 clears it |
/// | 0x10 | CYCLES | RO | cycles with `busy` high since the last start (wraps at 2^32) |
/// | 0x14 | STALLS | RO | cycles with `busy` and `stall` high since the last start |
/// | 0x18 + 4·i | PARAM i | RO | ``parameterWords``[i] |
///
/// A write takes effect only when WSTRB bit 0 is set (every writable field is in byte 0).
/// START and SOFT_RESET clear CYCLES, STALLS, ERROR and DONE; `irq` = IRQ_ENABLE & DONE.
/// AW and W are accepted independently, in either order or together; B follows once both
/// are in, and the next write waits for B to be taken. R follows AR; the next AR waits for
/// R to be taken.
public struct AxiLiteCsr: Circuit {
    /// `"ANTG"` in ASCII.
    public static let identifier = 0x414E_5447
    /// Byte offsets of the fixed registers.
    public enum Offset: Int, CaseIterable, Sendable {
        case id = 0x00, version = 0x04, control = 0x08, status = 0x0C, cycles = 0x10, stalls = 0x14, parameters = 0x18
    }
    /// The byte address width of the AXI4-Lite port.
    public static let addressWidth = 8

    /// The version reported, (major, minor, patch), each < 256.
    public let version: (major: Int, minor: Int, patch: Int)
    /// The build parameters, one 32-bit word each (at most 8).
    public let parameterWords: [Int]

    /// A CSR block reporting `version` and `parameterWords`.
    public init(version: (major: Int, minor: Int, patch: Int), parameterWords: [Int]) {
        precondition(parameterWords.count <= 8 && parameterWords.allSatisfy { (0...0xFFFF_FFFF).contains($0) })
        self.version = version
        self.parameterWords = parameterWords
    }

    public var name: String { "AxiLiteCsr" }
    public var parameters: [Parameter] {
        [Parameter("params", parameterWords.count)] + parameterWords.enumerated().map { Parameter("p\($0.offset)", $0.element) }
    }

    /// The AXI4-Lite slave (`s_axi_…`) and the core-side signals.
    public struct Ports: PortSpec {
        /// The control port.
        public let sAxi = PortGroup(AxiLitePorts(addressWidth: AxiLiteCsr.addressWidth), prefix: "s_axi_")
        /// The core is working on a job.
        public let busy = Port.input(.bool)
        /// One-cycle pulse: the job finished.
        public let done = Port.input(.bool)
        /// One-cycle pulse: the job met an error (a malformed packet).
        public let fault = Port.input(.bool)
        /// The core waits for data in this cycle (counted while busy).
        public let stall = Port.input(.bool)
        /// One-cycle pulse: start a job.
        public let start = Port.output(.bool)
        /// One-cycle pulse: reset the core's state.
        public let softReset = Port.output(.bool)
        /// Level interrupt: DONE is set and IRQ_ENABLE is on.
        public let irq = Port.output(.bool)
    }
    public var ports: Ports { Ports() }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let axi = io.sAxi
        let state = CsrState(m)
        writeChannel(m, axi, state)
        readChannel(m, axi, busy: io.busy, state)
        counters(m, io, state)
        io.start.assign(state.start)
        io.softReset.assign(state.softReset)
        io.irq.assign(state.irqEnable & state.done)
    }

    /// The registers the channels and counters share.
    struct CsrState {
        let start, softReset, irqEnable, error, done, cycles, stalls: Value
        init(_ m: ModuleBuilder) {
            start = m.register("start_pulse", .bool, reset: 0)
            softReset = m.register("soft_reset_pulse", .bool, reset: 0)
            irqEnable = m.register("irq_enable", .bool, reset: 0)
            error = m.register("error_flag", .bool, reset: 0)
            done = m.register("done_flag", .bool, reset: 0)
            cycles = m.register("cycle_count", .uint(32), reset: 0)
            stalls = m.register("stall_count", .uint(32), reset: 0)
        }
    }

    /// AW and W held independently; the write applies when both are in and B is free.
    private func writeChannel(_ m: ModuleBuilder, _ axi: IO<AxiLitePorts>, _ s: CsrState) {
        let awHeld = m.register("aw_held", .bool, reset: 0)
        let wHeld = m.register("w_held", .bool, reset: 0)
        let address = m.register("aw_word", .uint(Self.addressWidth - 2))
        let data = m.register("w_data", .uint(32))
        let strobe = m.register("w_strobe", .bool)
        let bValid = m.register("b_valid", .bool, reset: 0)
        let bResp = m.register("b_resp", .uint(2), reset: 0)
        axi.awready.assign(!awHeld)
        axi.wready.assign(!wHeld)
        axi.bvalid.assign(bValid)
        axi.bresp.assign(bResp)
        m.when(axi.awvalid & !awHeld) {
            awHeld.assign(.bool(true))
            address.assign(axi.awaddr[2...(Self.addressWidth - 1)])
        }
        m.when(axi.wvalid & !wHeld) {
            wHeld.assign(.bool(true))
            data.assign(axi.wdata)
            strobe.assign(axi.wstrb[0])
        }
        m.when(bValid & axi.bready) { bValid.assign(.bool(false)) }
        s.start.assign(.bool(false))
        s.softReset.assign(.bool(false))
        let apply = m.wire("write_apply", equals: awHeld & wHeld & !bValid)
        let writable = (address == Offset.control.rawValue / 4) | (address == Offset.status.rawValue / 4)
        m.when(apply) {
            awHeld.assign(.bool(false))
            wHeld.assign(.bool(false))
            bValid.assign(.bool(true))
            bResp.assign(mux(writable, .uint(AxiResponse.okay.rawValue, width: 2), .uint(AxiResponse.slaveError.rawValue, width: 2)))
        }
        m.when(apply & strobe & (address == Offset.control.rawValue / 4)) {
            s.start.assign(data[0])
            s.softReset.assign(data[1])
            s.irqEnable.assign(data[2])
        }
        m.when(apply & strobe & (address == Offset.status.rawValue / 4)) {
            m.when(data[1]) { s.error.assign(.bool(false)) }
            m.when(data[2]) { s.done.assign(.bool(false)) }
        }
    }

    /// R answers each AR with the addressed word (SLVERR and 0 for an unmapped address).
    private func readChannel(_ m: ModuleBuilder, _ axi: IO<AxiLitePorts>, busy: Value, _ s: CsrState) {
        let rValid = m.register("r_valid", .bool, reset: 0)
        let rData = m.register("r_data", .uint(32), reset: 0)
        let rResp = m.register("r_resp", .uint(2), reset: 0)
        axi.arready.assign(!rValid)
        axi.rvalid.assign(rValid)
        axi.rdata.assign(rData)
        axi.rresp.assign(rResp)
        m.when(rValid & axi.rready) { rValid.assign(.bool(false)) }
        let word = axi.araddr[2...(Self.addressWidth - 1)]
        m.when(axi.arvalid & !rValid) {
            rValid.assign(.bool(true))
            rResp.assign(.uint(AxiResponse.okay.rawValue, width: 2))
            m.switchOn(word) { arm in
                arm.is(Offset.id.rawValue / 4) { rData.assign(.uint(Self.identifier, width: 32)) }
                arm.is(Offset.version.rawValue / 4) {
                    rData.assign(.uint(version.major << 16 | version.minor << 8 | version.patch, width: 32))
                }
                arm.is(Offset.control.rawValue / 4) { rData.assign(cat(.uint(0, width: 29), s.irqEnable, .uint(0, width: 2))) }
                arm.is(Offset.status.rawValue / 4) { rData.assign(cat(.uint(0, width: 29), s.done, s.error, busy)) }
                arm.is(Offset.cycles.rawValue / 4) { rData.assign(s.cycles) }
                arm.is(Offset.stalls.rawValue / 4) { rData.assign(s.stalls) }
                for (i, value) in parameterWords.enumerated() {
                    arm.is(Offset.parameters.rawValue / 4 + i) { rData.assign(.uint(value, width: 32)) }
                }
                arm.otherwise {
                    rData.assign(.uint(0, width: 32))
                    rResp.assign(.uint(AxiResponse.slaveError.rawValue, width: 2))
                }
            }
        }
    }

    /// Sticky flags and the counters, cleared by START and SOFT_RESET.
    private func counters(_ m: ModuleBuilder, _ io: IO<Ports>, _ s: CsrState) {
        m.when(io.busy) {
            s.cycles.assign(s.cycles &+ 1)
            m.when(io.stall) { s.stalls.assign(s.stalls &+ 1) }
        }
        m.when(io.done) { s.done.assign(.bool(true)) }
        m.when(io.fault) { s.error.assign(.bool(true)) }
        m.when(s.start | s.softReset) {
            s.cycles.assign(.uint(0, width: 32))
            s.stalls.assign(.uint(0, width: 32))
            s.done.assign(.bool(false))
            s.error.assign(.bool(false))
        }
    }
}
