import AntgenDSL

// Typed AXI interfaces (ARM IHI 0051 AXI4-Stream, ARM IHI 0022 AXI4-Lite) as port groups.
// Signal names are the specification's lower-case ones, so a group nested with prefix
// `s_axi_` gives `s_axi_awvalid`, … which Vivado's interface inference recognises.

/// An AXI4-Stream interface as its receiver (slave) sees it: `tvalid`, `tdata`, `tlast`,
/// `tkeep` and (if `userWidth > 0`) `tuser` in, `tready` out. Nest it `flipped: true` for
/// the sender (master) side.
///
/// Rules both ends keep: a transfer happens at a rising edge where `tvalid` and `tready`
/// are both 1; once `tvalid` is 1 it stays 1, with the payload unchanged, until that
/// transfer; `tvalid` never waits for `tready`; `tvalid` is 0 during reset.
public struct AxiStreamPorts: PortSpec {
    /// The sender offers a transfer.
    public let tvalid = Port.input(.bool)
    /// The receiver takes it in this cycle.
    public let tready = Port.output(.bool)
    /// The payload, `dataWidth` bits.
    public let tdata: Port<HardwareType>
    /// The last transfer of a packet.
    public let tlast = Port.input(.bool)
    /// One bit per byte of `tdata`: 1 = the byte is valid.
    public let tkeep: Port<HardwareType>
    /// Sideband bits, present when `userWidth > 0`.
    public let tuser: Port<HardwareType>?

    /// An interface with `dataWidth` (a multiple of 8) data bits and `userWidth` user bits.
    public init(dataWidth: Int, userWidth: Int = 0) {
        precondition(dataWidth >= 8 && dataWidth % 8 == 0, "AXI4-Stream TDATA is a whole number of bytes")
        tdata = .input(.uint(dataWidth))
        tkeep = .input(.uint(dataWidth / 8))
        tuser = userWidth > 0 ? .input(.uint(userWidth)) : nil
    }
}

/// An AXI4-Lite slave interface with 32-bit data: the five channels AW, W, B, AR and R
/// (`awvalid` … `rresp`). Nest it `flipped: true` for the master side. `awprot`/`arprot`
/// are left out (optional in AXI4-Lite; the CSR block grants every protection level).
public struct AxiLitePorts: PortSpec {
    /// Write address valid.
    public let awvalid = Port.input(.bool)
    /// Write address ready.
    public let awready = Port.output(.bool)
    /// Write byte address.
    public let awaddr: Port<HardwareType>
    /// Write data valid.
    public let wvalid = Port.input(.bool)
    /// Write data ready.
    public let wready = Port.output(.bool)
    /// Write data.
    public let wdata = Port.input(.uint(32))
    /// Write byte strobes (bit i: byte i of `wdata` is written).
    public let wstrb = Port.input(.uint(4))
    /// Write response valid.
    public let bvalid = Port.output(.bool)
    /// Write response ready.
    public let bready = Port.input(.bool)
    /// Write response: 0 OKAY, 2 SLVERR.
    public let bresp = Port.output(.uint(2))
    /// Read address valid.
    public let arvalid = Port.input(.bool)
    /// Read address ready.
    public let arready = Port.output(.bool)
    /// Read byte address.
    public let araddr: Port<HardwareType>
    /// Read data valid.
    public let rvalid = Port.output(.bool)
    /// Read data ready.
    public let rready = Port.input(.bool)
    /// Read data.
    public let rdata = Port.output(.uint(32))
    /// Read response: 0 OKAY, 2 SLVERR.
    public let rresp = Port.output(.uint(2))

    /// An interface with `addressWidth`-bit byte addresses.
    public init(addressWidth: Int) {
        awaddr = .input(.uint(addressWidth))
        araddr = .input(.uint(addressWidth))
    }
}

/// AXI response codes.
public enum AxiResponse: Int, Sendable {
    /// The access succeeded.
    case okay = 0
    /// The slave refused the access (no such register, or a write to a read-only one).
    case slaveError = 2
}
