import AntgenDSL
import AntgenHardware

/// The int4-only baseline PE: the generator's own ``ProcessingElement`` for an
/// int-only 4-bit build, with both exponent inputs tied to zero.
///
/// An int-only build (`--types int --no-int8`) decodes every code to E = 0, but its PE
/// still has 1-bit exponent ports, so on its own it synthesizes a shift adder and a
/// 0–2 position shifter. Tying the exponents to zero and synthesizing flat lets Yosys
/// remove the shift adder, the shifter and the exponent pass-through registers: what
/// is left is the int4 multiply–accumulate PE without any shifter that the ANT PE is
/// compared against. The rest of the datapath (sign-magnitude product, conditional
/// negate, W-bit accumulator, result buffer, drain chain) is the same hardware.
public struct Int4ProcessingElement: Circuit {
    /// The wrapped PE's widths (4-bit mantissas, 1-bit exponents, W).
    public let shape: PEShape

    /// Creates the baseline for accumulator width W.
    /// - Throws: ``ParameterError`` when W is out of range.
    public init(accumulatorWidth: Int) throws {
        let intOnly = try ArrayParameters(rows: 1, cols: 1, codeWidth: 4, activationTypes: [.int], weightTypes: [.int],
                                          accumulatorWidth: accumulatorWidth, int8: false)
        shape = PEShape(intOnly)
    }

    /// `Int4ProcessingElement`.
    public var name: String { "Int4ProcessingElement" }
    /// `acc`.
    public var parameters: [Parameter] { [Parameter("acc", shape.accumulatorWidth)] }

    /// Builds the wrapper: every PE port but the exponents passes straight through.
    public func build(_ m: ModuleBuilder) {
        let w = shape.accumulatorWidth
        let pe = m.instance(ProcessingElement(shape: shape), name: "pe")
        let inputs: [(String, HardwareType)] = [
            ("a_sign", .bool), ("a_mant", .uint(shape.activationMantissa)), ("in_valid", .bool), ("in_first", .bool),
            ("in_last", .bool), ("w_sign", .bool), ("w_mant", .uint(shape.weightMantissa)), ("drain_in", .uint(w)),
            ("drain_chain_in", .bool), ("drain_start", .bool),
        ]
        for (port, type) in inputs {
            pe[port].assign(m.input(port, type))
        }
        pe.a_exp.assign(Value.uint(0, width: shape.activationExponent))
        pe.w_exp.assign(Value.uint(0, width: shape.weightExponent))
        let outputs: [(String, HardwareType)] = [
            ("a_sign_out", .bool), ("a_mant_out", .uint(shape.activationMantissa)), ("out_valid", .bool),
            ("out_first", .bool), ("out_last", .bool), ("w_sign_out", .bool), ("w_mant_out", .uint(shape.weightMantissa)),
            ("result_out", .uint(w)), ("drain_chain_out", .bool),
        ]
        for (port, type) in outputs {
            m.output(port, type).assign(pe[port])
        }
    }
}
