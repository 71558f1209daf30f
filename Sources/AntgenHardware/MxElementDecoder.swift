import AntgenDSL
import AntgenNumerics

/// Decodes one MX element code and its block's E8M0 scale (docs/numeric-formats.md §5.2,
/// §5.4) into an ``MxOperand``: (s, M, E) exactly, the NaN/∞ flags (E4M3 S.1111.111,
/// E5M2 exponent 31, or the NaN scale 0xFF), and exponent = (x − 127) + log2 unit of the
/// format. The format is chosen at run time by `format` (spec §5.1 codes); a code that
/// is not enabled decodes to zero. Combinational.
public struct MxElementDecoder: Circuit {
    /// The enabled formats.
    public let formats: [MxElementFormat]
    /// The code port width.
    public let codeWidth: Int
    /// The M and E widths of the output.
    public let operand: MxOperand

    /// A decoder for `parameters`' formats.
    public init(_ parameters: MxArrayParameters) {
        formats = parameters.formats
        codeWidth = parameters.codeWidth
        operand = MxOperand(mantissaWidth: parameters.mantissaWidth, shiftWidth: parameters.shiftWidth)
    }

    /// `MxElementDecoder`.
    public var name: String { "MxElementDecoder" }
    /// The enabled-format mask and widths.
    public var parameters: [Parameter] {
        [Parameter("formats", formats.reduce(0) { $0 | 1 << $1.code }), Parameter("m", operand.mantissa.type.width),
         Parameter("e", operand.shift.type.width)]
    }

    /// The interface.
    public struct Ports: PortSpec {
        /// The element code (a narrower format uses the low bits).
        public let code: Port<HardwareType>
        /// The run-time format code.
        public let format = Port.input(.uint(3))
        /// The block's E8M0 scale.
        public let scale = Port.input(.uint(8))
        /// The decoded operand.
        public let decoded: Port<MxOperand>

        init(codeWidth: Int, operand: MxOperand) {
            code = .input(.uint(codeWidth))
            decoded = .output(operand)
        }
    }

    /// The ports.
    public var ports: Ports { Ports(codeWidth: codeWidth, operand: operand) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let mw = operand.mantissa.type.width, ew = operand.shift.type.width
        let out = io.decoded
        let scaleNaN = m.wire("scale_nan", equals: io.scale == 255)
        out.nan.assign(Value.bool(false))
        out.inf.assign(Value.bool(false))
        out.sign.assign(Value.bool(false))
        out.mantissa.assign(.uint(0, width: mw))
        out.shift.assign(.uint(0, width: ew))
        out.exponent.assign(Value.sint(0, width: MxOperand.exponentWidth))
        let decodes = formats.map { decode($0, code: io.code, m) }
        m.switchOn(io.format) { s in
            for (format, d) in zip(formats, decodes) {
                s.is(format.code) {
                    out.nan.assign(d.nan | scaleNaN)
                    out.inf.assign(d.inf)
                    out.sign.assign(d.sign)
                    out.mantissa.assign(d.mantissa.extended(to: mw))
                    out.shift.assign(d.shift.extended(to: ew))
                    let exponent = io.scale.toSigned() + Value.sint(format.unitExponent - MxScale.bias)
                    out.exponent.assign(exponent.truncated(to: MxOperand.exponentWidth).asSInt)
                }
            }
        }
    }

    /// The (s, M, E, nan, inf) of `format` from the low bits of the code.
    private func decode(_ format: MxElementFormat, code input: Value, _ m: ModuleBuilder)
        -> (sign: Value, mantissa: Value, shift: Value, nan: Value, inf: Value) {
        let tag = format.rawValue
        let code = m.wire("\(tag)_code", equals: input.truncated(to: format.bits))
        let sign = code[format.bits - 1]
        if format == .int8 {
            return (sign, code.asSInt.magnitude(), .uint(0), .bool(false), .bool(false))
        }
        let mb = format.mantissaBits, eb = format.exponentBits
        let e = code[mb...(mb + eb - 1)]
        let frac = code[0...(mb - 1)]
        let subnormal = e == 0
        var mantissa = m.wire("\(tag)_mantissa", equals: mux(subnormal, frac.extended(to: mb + 1), cat(Value.uint(1), frac)))
        var shift = m.wire("\(tag)_shift", equals: mux(subnormal, .uint(0, width: eb), e &- 1))
        var nan: Value = .bool(false)
        var inf: Value = .bool(false)
        if format == .fp8e5m2 {
            let special = m.wire("\(tag)_special", equals: e == 31)
            nan = special & (frac != 0)
            inf = special & (frac == 0)
            mantissa = mux(special, .uint(0, width: mb + 1), mantissa)
            shift = mux(special, .uint(0, width: eb), shift)
        } else if format == .fp8e4m3 {
            let special = m.wire("\(tag)_special", equals: (e == 15) & (frac == 7))
            nan = special
            mantissa = mux(special, .uint(0, width: mb + 1), mantissa)
            shift = mux(special, .uint(0, width: eb), shift)
        }
        return (sign, mantissa, shift, nan, inf)
    }
}
