import AntgenDSL
import AntgenHardware

// The harness's view of the tops' typed ports: every name the testbench glue (the `.vh`
// includes, the C++ `ports.h` headers, the replay benches' fields, the DUT instances)
// writes is read here from the elaborated top's `PortSpec` by key path, never spelled
// again. Where a glue file declares a testbench signal for a port, it names it after the
// port (`.in_valid(in_valid)`), so those names follow the top too.

extension HardwareModule {
    /// This top's typed interface read as `Spec` (the `Ports` of the circuit that built it).
    /// - Throws: ``HarnessError`` when the module was not built from a `Spec` interface.
    func typedPorts<Spec: PortSpec>(_ spec: Spec.Type) throws -> DeclaredPorts<Spec> {
        guard let ports = declaredPorts(spec) else {
            throw HarnessError("\(name) has no \(Spec.self) interface: its testbench glue cannot be generated")
        }
        return ports
    }
}

/// Text of the Verilog and C++ glue around a top's ports.
enum PortGlue {
    /// `.port(signal)`: one named connection of a DUT instance.
    static func connect(_ port: String, _ signal: String) -> String { ".\(port)(\(signal))" }

    /// `.port(port)`: a port wired to the testbench signal named after it.
    static func byName(_ port: String) -> String { connect(port, port) }

    /// One named connection per signal of `port`, signal i to `bus[i·stride + offset +: width]`
    /// (`width` defaults to the port's).
    static func slices(_ port: DeclaredPort, bus: String, stride: Int, offset: Int = 0, width: Int? = nil) -> [String] {
        port.signalNames.enumerated().map { i, name in connect(name, "\(bus)[\(i * stride + offset) +: \(width ?? port.width)]") }
    }
}

/// The ports of an ANT streaming top (``AntArray`` or ``WsArray``) that `tb_ports.vh` and
/// `ports.h` connect, read from the elaborated top: the shared groups (``BeatHandshakePorts``,
/// ``OperandCodePorts``, ``AntConfigPorts``) and each dataflow's own control and outputs.
struct AntStreamPorts: Sendable, Equatable {
    /// `in_valid`, `in_ready`.
    let inValid: String, inReady: String
    /// The dataflow's beat control: `in_last` (output-stationary) or `in_load` (weight-stationary).
    let control: String
    /// The operand configuration: `cfg_act_type`, `cfg_act_signed`, `cfg_weight_type`, `cfg_weight_signed`.
    let actType: String, actSigned: String, weightType: String, weightSigned: String
    /// `cfg_act_int8`, `cfg_weight_int8` on an int8 build.
    let actInt8: String?, weightInt8: String?
    /// `out_valid`.
    let outValid: String
    /// `out_row` (output-stationary only).
    let outRow: DeclaredPort?
    /// `a_code_i`, `w_code_j`, `out_data_j`.
    let aCode: DeclaredPort, wCode: DeclaredPort, outData: DeclaredPort

    /// The ports of `top`, the elaborated ``AntArray`` (`.os`) or ``WsArray`` (`.ws`).
    /// - Throws: ``HarnessError`` when `top` is not that circuit's.
    init(_ top: HardwareModule, dataflow: ArrayDataflow) throws {
        switch dataflow {
        case .os:
            let p = try top.typedPorts(AntArray.Ports.self)
            self.init(beat: p.beat, codes: p.codes, cfg: p.cfg, control: p.inLast.name, outValid: p.out.valid.name,
                      outRow: p.out.row, outData: p.outData)
        case .ws:
            let p = try top.typedPorts(WsArray.Ports.self)
            self.init(beat: p.beat, codes: p.codes, cfg: p.cfg, control: p.inLoad.name, outValid: p.outValid.name,
                      outRow: nil, outData: p.outData)
        }
    }

    private init(beat: DeclaredPorts<BeatHandshakePorts>, codes: DeclaredPorts<OperandCodePorts>, cfg: DeclaredPorts<AntConfigPorts>,
                 control: String, outValid: String, outRow: DeclaredPort?, outData: DeclaredPort) {
        inValid = beat.valid.name
        inReady = beat.ready.name
        self.control = control
        actType = cfg.actType.name
        actSigned = cfg.actSigned.name
        weightType = cfg.weightType.name
        weightSigned = cfg.weightSigned.name
        actInt8 = cfg.actInt8?.name
        weightInt8 = cfg.weightInt8?.name
        self.outValid = outValid
        self.outRow = outRow
        aCode = codes.aCode
        wCode = codes.wCode
        self.outData = outData
    }
}

/// The stream ports a replay bench drives and watches (``ReplayTestbench``), read from the
/// top's typed groups: the beat handshake, the output row handshake and, with the
/// partial-sum stage, its preload handshake.
struct ReplayHandshake: Sendable, Equatable {
    /// `in_valid`, `in_ready`.
    let inValid: String, inReady: String
    /// `out_valid`, `out_row`.
    let outValid: String, outRow: String
    /// The preload row input and its handshake (`psum_in`, `psum_in_valid`, `psum_in_ready`).
    struct Preload: Sendable, Equatable {
        let data: String, valid: String, ready: String
    }
    /// The preload ports of a top with the partial-sum stage.
    let preload: Preload?

    /// The handshake of a top with these groups.
    init(beat: DeclaredPorts<BeatHandshakePorts>, out: DeclaredPorts<OutputRowPorts>, psum: DeclaredPorts<PartialSumPorts>?) {
        inValid = beat.valid.name
        inReady = beat.ready.name
        outValid = out.valid.name
        outRow = out.row.name
        preload = psum.map { Preload(data: $0.psumIn.name, valid: $0.psumInValid.name, ready: $0.psumInReady.name) }
    }
}
