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
/// Ports: `code` (UInt<codeInputWidth>; native codes in the low `codeWidth` bits),
/// `type_sel` (UInt<2>, ``AntType`` raw value), `signed_mode`, and when int8 is
/// enabled `int8_mode` and `term_high`; outputs `sign`, `mant` (UInt<mantissaWidth>),
/// `exp` (UInt<exponentWidth>).
public struct OperandDecoder: Circuit {
    /// What the stream carries; fixes the port widths.
    public let format: OperandFormat
    /// A deliberate defect for mutation testing (`.none`: correct hardware).
    public let mutation: HardwareMutation

    /// Creates the decoder for `format`; only `.flintWrongShift` affects a decoder.
    public init(format: OperandFormat, mutation: HardwareMutation = .none) {
        self.format = format
        self.mutation = mutation == .flintWrongShift && format.types.contains(.flint) ? mutation : .none
    }

    /// `OperandDecoder`.
    public var name: String { "OperandDecoder" }
    /// `bits`, enabled types, `int8`.
    public var parameters: [Parameter] {
        [Parameter("bits", format.codeWidth), Parameter("types", format.types.map(\.description).joined(separator: "_")),
         Parameter("int8", format.int8 ? "on" : "off")] + mutation.nameParameters
    }

    /// The decoder circuit of one type.
    static func circuit(for type: AntType, codeWidth: Int, mutation: HardwareMutation = .none) -> any Circuit {
        switch type {
        case .int: return IntDecoder(codeWidth: codeWidth)
        case .flint: return FlintDecoder(codeWidth: codeWidth, mutation: mutation)
        case .pot: return PotDecoder(codeWidth: codeWidth)
        case .float: return FloatDecoder(codeWidth: codeWidth)
        }
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let n = format.codeWidth
        let code = m.input("code", .uint(format.codeInputWidth))
        let typeSelect = m.input("type_sel", .uint(AntType.selectorWidth))
        let signedMode = m.input("signed_mode", .bool)
        let sign = m.output("sign", .bool)
        let mant = m.output("mant", .uint(format.mantissaWidth))
        let exp = m.output("exp", .uint(format.exponentWidth))

        let native = format.codeInputWidth == n ? code : code[0...(n - 1)]
        var selectedSign = Value.bool(false)
        var selectedMant = Value.uint(0, width: format.mantissaWidth)
        var selectedExp = Value.uint(0, width: format.exponentWidth)
        for type in format.types {
            let decoder = m.instance(Self.circuit(for: type, codeWidth: n, mutation: mutation), name: "\(type)_decoder")
            decoder.code.assign(native)
            decoder.signed_mode.assign(signedMode)
            let chosen = typeSelect == type.rawValue
            selectedSign = mux(chosen, decoder.sign, selectedSign)
            selectedMant = mux(chosen, decoder.mant, selectedMant)
            selectedExp = mux(chosen, decoder.exp, selectedExp)
        }
        if format.int8 {
            // int8 ignores the type field: it is always int, split into nibble terms.
            let int8Mode = m.input("int8_mode", .bool)
            let termHigh = m.input("term_high", .bool)
            let term = m.instance(Int8TermDecoder(), name: "int8_decoder")
            term.code.assign(code[0...7])
            term.signed_mode.assign(signedMode)
            term.high.assign(termHigh)
            selectedSign = mux(int8Mode, term.sign, selectedSign)
            selectedMant = mux(int8Mode, term.mant, selectedMant)
            selectedExp = mux(int8Mode, term.exp, selectedExp)
        }
        sign.assign(selectedSign)
        mant.assign(selectedMant)
        exp.assign(selectedExp)
    }
}
