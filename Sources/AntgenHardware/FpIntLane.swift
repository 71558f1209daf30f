import AntgenDSL
import AntgenNumerics

/// Decodes one lane's code in the run-time format `format` (``FpIntPrecision/code``) into
/// (NaN, Inf, zero, sign, M, E) as docs/numeric-formats.md §9.1 states: normal M = 2^f + f_field,
/// E = e − bias; subnormal M = f_field, E = 1 − bias; E4M3 has only S.1111.111 as NaN.
/// Integers pass their two's-complement code in `significand` with E = 0 and no flag.
/// Combinational; one per lane of each row (activations) and column (weights).
public struct FpIntOperandDecoder: Circuit {
    /// The formats decoded.
    public let formats: [FpIntPrecision]
    /// Code width of the input.
    public let codeWidth: Int
    /// The output bundle.
    public let operand: FpIntLaneOperand

    /// The decoder of `parameters`' formats.
    public init(_ parameters: FpIntArrayParameters) {
        formats = parameters.formats
        codeWidth = parameters.codeWidth
        operand = FpIntLaneOperand(significandWidth: parameters.significandWidth)
    }

    public var name: String { "FpIntOperandDecoder" }
    public var parameters: [Parameter] {
        [Parameter("formats", formats.reduce(0) { $0 | 1 << $1.code }), Parameter("m", operand.significand.type.width)]
    }

    /// The interface.
    public struct Ports: PortSpec {
        /// The lane's code (low bits used by narrower formats).
        public let code: Port<HardwareType>
        /// The `cfg_format` code.
        public let format = Port.input(.uint(3))
        /// The decoded operand.
        public let decoded: Port<FpIntLaneOperand>

        init(codeWidth: Int, operand: FpIntLaneOperand) {
            code = .input(.uint(codeWidth))
            decoded = .output(operand)
        }
    }

    public var ports: Ports { Ports(codeWidth: codeWidth, operand: operand) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let mw = operand.significand.type.width
        let out = io.decoded
        out.nan.assign(Value.bool(false))
        out.inf.assign(Value.bool(false))
        out.zero.assign(Value.bool(false))
        out.sign.assign(Value.bool(false))
        out.significand.assign(.uint(0, width: mw))
        out.exponent.assign(Value.sint(0, width: FpIntLaneOperand.exponentWidth))
        let decodes = formats.map { decode($0, code: io.code, m) }
        m.switchOn(io.format) { s in
            for (format, d) in zip(formats, decodes) {
                s.is(format.code) {
                    out.nan.assign(d.nan)
                    out.inf.assign(d.inf)
                    out.zero.assign(d.zero)
                    out.sign.assign(d.sign)
                    out.significand.assign(d.significand.extended(to: mw))
                    let ew = FpIntLaneOperand.exponentWidth  // every format's E fits (BF16: −126 … 127)
                    out.exponent.assign(d.exponent.width > ew ? d.exponent.truncated(to: ew) : d.exponent.extended(to: ew))
                }
            }
        }
    }

    private func decode(_ precision: FpIntPrecision, code input: Value, _ m: ModuleBuilder)
        -> (nan: Value, inf: Value, zero: Value, sign: Value, significand: Value, exponent: Value) {
        let tag = precision.rawValue
        let code = m.wire("\(tag)_code", equals: input.truncated(to: precision.bits))
        guard let format = precision.float else {
            return (.bool(false), .bool(false), .bool(false), .bool(false), code, Value.sint(0, width: 2))
        }
        let f = format.fractionBits, eb = format.exponentBits
        let e = code[f...(f + eb - 1)]
        let fraction = code[0...(f - 1)]
        let top = (1 << eb) - 1
        let subnormal = m.wire("\(tag)_subnormal", equals: e == 0)
        let special: Value
        let nan: Value, inf: Value
        if format.hasInfinity {
            special = m.wire("\(tag)_special", equals: e == top)
            nan = special & (fraction != 0)
            inf = special & (fraction == 0)
        } else {
            special = m.wire("\(tag)_special", equals: (e == top) & (fraction == (1 << f) - 1))
            nan = special
            inf = .bool(false)
        }
        let significand = m.wire("\(tag)_significand", equals: mux(special, .uint(0, width: f + 1),
                                                                  mux(subnormal, fraction.extended(to: f + 1), cat(Value.uint(1), fraction))))
        let biased = mux(subnormal, Value.uint(1, width: eb), e).toSigned()
        let exponent = m.wire("\(tag)_exponent", equals: mux(special, Value.sint(0, width: eb + 2), biased - Value.sint(format.bias, width: eb + 1)))
        return (nan, inf, m.wire("\(tag)_zero", equals: subnormal & (fraction == 0)), code[precision.bits - 1], significand, exponent)
    }
}
