import AntgenDSL
import AntgenHardware

/// The int-only baseline PE (`Int4ProcessingElement`, `Int8ProcessingElement`): the
/// generator's own ``ProcessingElement`` for an int-only build of `bits`-bit codes, with both
/// exponent inputs tied to zero. At 8 bits it is a native int8 PE (an 8 × 8 sign-magnitude
/// multiplier), the reference for what int8 costs without nibble terms.
///
/// An int-only build (`--types int --no-int8`) decodes every code to E = 0, but its PE
/// still has 1-bit exponent ports, so on its own it synthesizes a shift adder and a
/// 0–2 position shifter. Tying the exponents to zero and synthesizing flat lets Yosys
/// remove the shift adder, the shifter and the exponent pass-through registers: what
/// is left is the int4 multiply–accumulate PE without any shifter that the ANT PE is
/// compared against. The rest of the datapath (sign-magnitude product, conditional
/// negate, W-bit accumulator, result buffer, drain chain) is the same hardware.
public struct IntOnlyProcessingElement: Circuit {
    /// Code width of both operands.
    public let bits: Int
    /// The wrapped PE's widths (`bits`-bit mantissas, 1-bit exponents, W).
    public let shape: PEShape

    /// Creates the baseline for `bits`-bit codes (default 4) and accumulator width W.
    /// - Throws: ``ParameterError`` when W or the width is out of range.
    public init(bits: Int = 4, accumulatorWidth: Int) throws {
        let intOnly = try ArrayParameters(rows: 1, cols: 1, codeWidth: bits, activationTypes: [.int], weightTypes: [.int],
                                          accumulatorWidth: accumulatorWidth, int8: false)
        self.bits = bits
        shape = PEShape(intOnly)
    }

    /// `Int4ProcessingElement`, `Int8ProcessingElement`, …
    public var name: String { "Int\(bits)ProcessingElement" }
    /// `acc`.
    public var parameters: [Parameter] { [Parameter("acc", shape.accumulatorWidth)] }

    /// Builds the wrapper: every PE field but the exponents passes straight through.
    public func build(_ m: ModuleBuilder) {
        let w = shape.accumulatorWidth
        let am = shape.activationMantissa, ae = shape.activationExponent
        let wm = shape.weightMantissa, we = shape.weightExponent
        let pe = m.instance(ProcessingElement(shape: shape), name: "pe")
        pe.a_in.assign(ProcessingElement.operandBus(sign: m.input("a_sign", .bool), mantissa: m.input("a_mant", .uint(am)),
                                                    shift: Value.uint(0, width: ae)))
        pe.w_in.assign(ProcessingElement.operandBus(sign: m.input("w_sign", .bool), mantissa: m.input("w_mant", .uint(wm)),
                                                    shift: Value.uint(0, width: we)))
        pe.ctrl_in.assign(ProcessingElement.controlBus(valid: m.input("in_valid", .bool), first: m.input("in_first", .bool),
                                                       last: m.input("in_last", .bool)))
        for (port, type) in [("drain_in", HardwareType.uint(w)), ("drain_chain_in", .bool), ("drain_start", .bool)] {
            pe[port].assign(m.input(port, type))
        }
        // The exponent bits of the pass-through buses are left unconnected, so a flat
        // synthesis removes their registers as well.
        m.output("a_sign_out", .bool).assign(pe.a_out[am + ae])
        m.output("a_mant_out", .uint(am)).assign(pe.a_out[ae...(ae + am - 1)])
        m.output("w_sign_out", .bool).assign(pe.w_out[wm + we])
        m.output("w_mant_out", .uint(wm)).assign(pe.w_out[we...(we + wm - 1)])
        m.output("ctrl_out", .uint(3)).assign(pe.ctrl_out)
        m.output("result_out", .uint(w)).assign(pe.result_out)
        m.output("drain_chain_out", .bool).assign(pe.drain_chain_out)
    }
}
