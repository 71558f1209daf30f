import AntgenDSL

/// The decoded-operand widths and accumulator width a PE is built for.
public struct PEShape: Sendable, Equatable {
    /// Activation mantissa bits.
    public let activationMantissa: Int
    /// Activation shift bits.
    public let activationExponent: Int
    /// Weight mantissa bits.
    public let weightMantissa: Int
    /// Weight shift bits.
    public let weightExponent: Int
    /// W.
    public let accumulatorWidth: Int

    /// The shape for an array's parameters.
    public init(_ p: ArrayParameters) {
        activationMantissa = p.activation.mantissaWidth
        activationExponent = p.activation.exponentWidth
        weightMantissa = p.weight.mantissaWidth
        weightExponent = p.weight.exponentWidth
        accumulatorWidth = p.accumulatorWidth
    }
}

/// One output-stationary processing element, as Gemmini's PE in OS mode.
///
/// Datapath (one reduction step per cycle, all combinational into the accumulator):
///
///     product = Ma · Mw                    small unsigned multiplier
///     shift   = Ea + Ew                    type exponents and int8 term shifts alike
///     term    = (product << shift) mod 2^W
///     signed  = (sa ⊕ sw) ? −term : term   mod 2^W
///     acc'    = (first ? 0 : acc) + signed mod 2^W (two's-complement wrap, spec §3)
///
/// The int8 term shift is not a separate "extra term shift" port: the
/// boundary decoder folds it into E (the high nibble term has E = 4, spec §2), so
/// every PE needs one shift adder, not two.
///
/// Double buffering: `acc` is the working accumulator and `result` the finished tile.
/// On a step with `last`, `result` takes acc' while the next tile's `first` step
/// restarts `acc`, so consecutive tiles run back to back. `result` doubles as a stage
/// of the column drain chain: while `drain_shift` is high it loads `drain_in.data` (the
/// result of the PE above). `drain_shift = drain_start | drain_in.shift`, and the
/// registered shift goes to the PE below in `drain_out.shift`; so the PE in row i
/// shifts for exactly i cycles after its column's drain starts (see TileArray).
///
/// Operands and control are registered to the right (activation, control) and
/// downward (weight): the systolic pass-through.
public struct ProcessingElement: Circuit {
    /// Port widths.
    public let shape: PEShape

    /// Creates a PE.
    public init(shape: PEShape) {
        self.shape = shape
    }

    /// `ProcessingElement`.
    public var name: String { "ProcessingElement" }
    /// Operand widths and W.
    public var parameters: [Parameter] {
        [Parameter("am", shape.activationMantissa), Parameter("ae", shape.activationExponent),
         Parameter("wm", shape.weightMantissa), Parameter("we", shape.weightExponent),
         Parameter("acc", shape.accumulatorWidth)]
    }

    /// The activation operand bundle.
    public var activation: Operand { Operand(mantissaWidth: shape.activationMantissa, shiftWidth: shape.activationExponent) }
    /// The weight operand bundle.
    public var weight: Operand { Operand(mantissaWidth: shape.weightMantissa, shiftWidth: shape.weightExponent) }

    /// The PE's interface. Operands and control are packed bundles rather than one port
    /// per field: an array of 65,536 PEs then has 9 instance ports per PE instead of 23,
    /// which keeps the mesh module small to elaborate and emit.
    public struct Ports: PortSpec {
        /// From the left: the activation.
        public let aIn: Port<Operand>
        /// From the left: the step control that travels with it.
        public let ctrlIn = Port.input(StepControl())
        /// From above: the weight.
        public let wIn: Port<Operand>
        /// From above: the drain chain.
        public let drainIn: Port<DrainLink>
        /// The column's drain starts (broadcast to rows 1 … rows−1).
        public let drainStart = Port.input(.bool)
        /// To the right: the activation, one cycle later.
        public let aOut: Port<Operand>
        /// To the right: the control, one cycle later.
        public let ctrlOut = Port.output(StepControl())
        /// Downward: the weight, one cycle later.
        public let wOut: Port<Operand>
        /// Downward: this PE's result buffer and its registered drain shift.
        public let drainOut: Port<DrainLink>

        init(activation: Operand, weight: Operand, accumulatorWidth w: Int) {
            aIn = .input(activation)
            wIn = .input(weight)
            drainIn = .input(DrainLink(accumulatorWidth: w))
            aOut = .output(activation)
            wOut = .output(weight)
            drainOut = .output(DrainLink(accumulatorWidth: w))
        }
    }

    /// The ports for this shape.
    public var ports: Ports { Ports(activation: activation, weight: weight, accumulatorWidth: shape.accumulatorWidth) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = shape.accumulatorWidth
        let a = io.aIn, wt = io.wIn, control = io.ctrlIn
        let aSign = m.wire("a_sign", equals: a.sign)
        let wSign = m.wire("w_sign", equals: wt.sign)
        let valid = m.wire("valid", equals: control.valid)
        let first = m.wire("first", equals: control.first)
        let last = m.wire("last", equals: control.last)

        // Systolic pass-through (datapath registers carry no reset; `valid` does).
        io.aOut.assign(Bundle(activation, packed: m.register("a_q", next: a.packed)))
        io.wOut.assign(Bundle(weight, packed: m.register("w_q", next: wt.packed)))
        io.ctrlOut.assign(m.registeredStepControl(valid: valid, first: first, last: last))

        // The multiply-shift-accumulate step.
        let signedTerm = m.signedShiftedProduct(a, wt, aSign: aSign, wSign: wSign, width: w)
        let accNext = m.restartingAccumulator("acc", next: "acc_next", adding: signedTerm, width: w, enable: valid, restart: first)
            .site(ProcessingElementSite.accumulation)

        // The finished-tile buffer, also a drain-chain stage.
        let drainShift = m.wire("drain_shift", equals: io.drainStart | io.drainIn.shift)
        let result = m.register("result", .uint(w))
        m.when(valid & last) {
            result.assign(accNext)
        }.elseWhen(drainShift) {
            result.assign(io.drainIn.data)
        }
        io.drainOut.data.assign(result)
        io.drainOut.shift.assign(m.register("drain_chain_q", next: drainShift, reset: 0))
    }
}

/// The named defect sites of the ANT processing elements (``ProcessingElement`` and
/// ``WsProcessingElement``): the harness's mutants find them with ``Design/sites(tagged:)``.
public struct ProcessingElementSite: DefectSiteTag {
    public let description: String

    /// `negative` = sa ⊕ sw, the sign of the step's term (both PEs).
    public static let sign = ProcessingElementSite(description: "ProcessingElement.sign")
    /// The accumulation: `acc_next` (output-stationary), `psum_next` (weight-stationary).
    public static let accumulation = ProcessingElementSite(description: "ProcessingElement.accumulation")
}
