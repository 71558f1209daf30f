import AntgenDSL
import AntgenNumerics

/// The boundary decoder of one operand stream: code + run-time type + signedness
/// (+ int8 mode and nibble-term select) → the unified operand (sign, M, E).
///
/// One instance sits at the array edge per row (activations) or per column
/// (weights), so its cost is shared by the whole row or column. Only the enabled
/// types get a decoder; selecting a type that is not enabled yields the zero operand
/// (s = 0, M = 0, E = 0), so a misconfiguration reads as zeros rather than garbage.
///
/// Ports: see ``Ports``; the output is the format's ``Operand`` (M of `mantissaWidth`,
/// E of `exponentWidth` bits).
public struct OperandDecoder: Circuit {
    /// What the stream carries; fixes the port widths.
    public let format: OperandFormat

    /// Creates the decoder for `format`.
    public init(format: OperandFormat) {
        self.format = format
    }

    /// `OperandDecoder`.
    public var name: String { "OperandDecoder" }
    /// `bits`, enabled types, `int8`.
    public var parameters: [Parameter] {
        [Parameter("bits", format.codeWidth), Parameter("types", format.types.map(\.description).joined(separator: "_")),
         Parameter("int8", format.int8 ? "on" : "off")]
    }

    /// The operand bundle this decoder produces.
    public var operand: Operand { Operand(mantissaWidth: format.mantissaWidth, shiftWidth: format.exponentWidth) }

    /// The interface.
    public struct Ports: PortSpec {
        /// The code; native codes sit in the low `codeWidth` bits.
        public let code: Port<HardwareType>
        /// The run-time type (``AntType`` raw value).
        public let typeSel = Port.input(.uint(AntType.selectorWidth))
        /// The code is signed.
        public let signedMode = Port.input(.bool)
        /// int8 mode (present when the format enables int8).
        public let int8Mode: Port<HardwareType>?
        /// Select the high nibble term in int8 mode.
        public let termHigh: Port<HardwareType>?
        /// The decoded operand.
        public let decoded: Port<Operand>
    }

    /// The ports for this format.
    public var ports: Ports {
        Ports(code: .input(.uint(format.codeInputWidth)),
              int8Mode: format.int8 ? .input(.bool) : nil, termHigh: format.int8 ? .input(.bool) : nil,
              decoded: .output(operand))
    }

    /// The decoder circuit of one type.
    static func circuit(for type: AntType, codeWidth: Int) -> any Circuit<TypeDecoderPorts> {
        switch type {
        case .int: return IntDecoder(codeWidth: codeWidth)
        case .flint: return FlintDecoder(codeWidth: codeWidth)
        case .pot: return PotDecoder(codeWidth: codeWidth)
        case .float: return FloatDecoder(codeWidth: codeWidth)
        }
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let n = format.codeWidth
        let code = io.code
        let native = format.codeInputWidth == n ? code : code[0...(n - 1)]
        var selected = operand.zero
        for type in format.types {
            let decoder = m.instance(Self.circuit(for: type, codeWidth: n), name: "\(type)_decoder")
            decoder.code.assign(native)
            decoder.signedMode.assign(io.signedMode)
            selected = choose(io.typeSel == type.rawValue, decoder.decoded, else: selected)
        }
        if let int8Mode = io.int8Mode, let termHigh = io.termHigh {
            // int8 ignores the type field: it is always int, split into nibble terms.
            let term = m.instance(Int8TermDecoder(), name: "int8_decoder")
            term.code.assign(code[0...7])
            term.signedMode.assign(io.signedMode)
            term.high.assign(termHigh)
            selected = choose(int8Mode, term.decoded, else: selected)
        }
        io.decoded.assign(selected)
    }

    /// `condition ? chosen : otherwise`, field by field, each widened to this format's operand.
    private func choose(_ condition: Value, _ chosen: Bundle<Operand>, else otherwise: Bundle<Operand>) -> Bundle<Operand> {
        Bundle(operand) {
            $0.sign = mux(condition, chosen.sign, otherwise.sign)
            $0.mantissa = mux(condition, chosen.mantissa, otherwise.mantissa)
            $0.shift = mux(condition, chosen.shift, otherwise.shift)
        }
    }
}

extension ModuleBuilder {
    /// An ``OperandDecoder`` instance `name` at an array boundary, connected: `code`, the
    /// run-time `type` and `signed` mode, and (when both are given) the int8 mode and the
    /// nibble-term select `termHigh`. Returns the decoded operand (combinational; the caller
    /// registers it).
    func decodedOperand(_ decoder: OperandDecoder, _ name: String, code: Value, type: Value, signed: Value,
                        int8: Value?, termHigh: Value?) -> Bundle<Operand> {
        let d = instance(decoder, name: name)
        d.code.assign(code)
        d.typeSel.assign(type)
        d.signedMode.assign(signed)
        if let int8, let termHigh {
            d.int8Mode?.assign(int8)
            d.termHigh?.assign(termHigh)
        }
        return d.decoded
    }
}
