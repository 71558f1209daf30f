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

    /// The interface: the PE's with the exponents removed and the operands' fields as
    /// separate ports, so a flat synthesis sees exactly the int-only datapath.
    public struct Ports: PortSpec {
        /// Activation sign.
        public let aSign = Port.input(.bool)
        /// Activation magnitude.
        public let aMant: Port<HardwareType>
        /// Weight sign.
        public let wSign = Port.input(.bool)
        /// Weight magnitude.
        public let wMant: Port<HardwareType>
        /// Step control.
        public let ctrlIn = Port.input(StepControl())
        /// The drain chain from above.
        public let drainIn: Port<DrainLink>
        /// The column's drain starts.
        public let drainStart = Port.input(.bool)
        /// Activation sign, passed right.
        public let aSignOut = Port.output(.bool)
        /// Activation magnitude, passed right.
        public let aMantOut: Port<HardwareType>
        /// Weight sign, passed down.
        public let wSignOut = Port.output(.bool)
        /// Weight magnitude, passed down.
        public let wMantOut: Port<HardwareType>
        /// Step control, passed right.
        public let ctrlOut = Port.output(StepControl())
        /// The drain chain to the PE below.
        public let drainOut: Port<DrainLink>

        init(_ shape: PEShape) {
            aMant = .input(.uint(shape.activationMantissa))
            wMant = .input(.uint(shape.weightMantissa))
            drainIn = .input(DrainLink(accumulatorWidth: shape.accumulatorWidth))
            aMantOut = .output(.uint(shape.activationMantissa))
            wMantOut = .output(.uint(shape.weightMantissa))
            drainOut = .output(DrainLink(accumulatorWidth: shape.accumulatorWidth))
        }
    }

    /// The ports for this shape.
    public var ports: Ports { Ports(shape) }

    /// Builds the wrapper: every PE field but the exponents passes straight through.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let inner = ProcessingElement(shape: shape)
        let pe = m.instance(inner, name: "pe")
        pe.aIn.assign(Bundle(inner.activation) {
            $0.sign = io.aSign; $0.mantissa = io.aMant; $0.shift = .uint(0, width: shape.activationExponent)
        })
        pe.wIn.assign(Bundle(inner.weight) {
            $0.sign = io.wSign; $0.mantissa = io.wMant; $0.shift = .uint(0, width: shape.weightExponent)
        })
        pe.ctrlIn.assign(io.ctrlIn)
        pe.drainIn.assign(io.drainIn)
        pe.drainStart.assign(io.drainStart)
        // The exponent bits of the pass-through buses are left unconnected, so a flat
        // synthesis removes their registers as well.
        io.aSignOut.assign(pe.aOut.sign)
        io.aMantOut.assign(pe.aOut.mantissa)
        io.wSignOut.assign(pe.wOut.sign)
        io.wMantOut.assign(pe.wOut.mantissa)
        io.ctrlOut.assign(pe.ctrlOut)
        io.drainOut.assign(pe.drainOut)
    }
}
