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
/// The int8 term shift of the "extra term shift" is not a separate port: the
/// boundary decoder folds it into E (the high nibble term has E = 4, spec §2), so
/// every PE needs one shift adder, not two.
///
/// Double buffering: `acc` is the working accumulator and `result` the finished tile.
/// On a step with `last`, `result` takes acc' while the next tile's `first` step
/// restarts `acc`, so consecutive tiles run back to back. `result` doubles as a stage
/// of the column drain chain: while `drain_shift` is high it loads `drain_in` (the
/// result of the PE above). `drain_shift = drain_start | drain_chain_in`, and the
/// registered shift goes to the PE below as its `drain_chain_in`; so the PE in row i
/// shifts for exactly i cycles after its column's drain starts (see TileArray).
///
/// Operands and control are registered to the right (activation, control) and
/// downward (weight): the systolic pass-through.
public struct ProcessingElement: Circuit {
    /// Port widths.
    public let shape: PEShape
    /// A deliberate defect for mutation testing (`.none`: correct hardware).
    public let mutation: HardwareMutation

    /// Creates a PE; only `.peDropsSign` and `.narrowAccumulator` affect it.
    public init(shape: PEShape, mutation: HardwareMutation = .none) {
        self.shape = shape
        self.mutation = [.peDropsSign, .narrowAccumulator].contains(mutation) ? mutation : .none
    }

    /// `ProcessingElement`.
    public var name: String { "ProcessingElement" }
    /// Operand widths and W.
    public var parameters: [Parameter] {
        [Parameter("am", shape.activationMantissa), Parameter("ae", shape.activationExponent),
         Parameter("wm", shape.weightMantissa), Parameter("we", shape.weightExponent),
         Parameter("acc", shape.accumulatorWidth)] + mutation.nameParameters
    }

    /// Width of the packed activation bus `{sign, mantissa, shift}`.
    public var activationBusWidth: Int { 1 + shape.activationMantissa + shape.activationExponent }
    /// Width of the packed weight bus `{sign, mantissa, shift}`.
    public var weightBusWidth: Int { 1 + shape.weightMantissa + shape.weightExponent }

    /// Packs a decoded operand as the PE's bus: `{sign, mantissa, shift}`, sign in the MSB.
    public static func operandBus(sign: Value, mantissa: Value, shift: Value) -> Value {
        cat(sign, mantissa, shift)
    }

    /// Packs the step control as the PE's `ctrl` bus: `{last, first, valid}`, valid in bit 0.
    public static func controlBus(valid: Value, first: Value, last: Value) -> Value {
        cat(last, first, valid)
    }

    /// Builds the module.
    ///
    /// Ports are packed buses (operand, control) rather than one port per field: an
    /// array of 16,384 PEs then has 11 instance ports per PE instead of 23, which halves
    /// the signals the mesh module elaborates and emits.
    public func build(_ m: ModuleBuilder) {
        let w = shape.accumulatorWidth
        let am = shape.activationMantissa, ae = shape.activationExponent
        let wm = shape.weightMantissa, we = shape.weightExponent
        // From the left: the activation and the step control that travels with it.
        let aBus = m.input("a_in", .uint(activationBusWidth))
        let control = m.input("ctrl_in", .uint(3))
        // From above: the weight and the drain chain.
        let wBus = m.input("w_in", .uint(weightBusWidth))
        let drainIn = m.input("drain_in", .uint(w))
        let drainChainIn = m.input("drain_chain_in", .bool)
        let drainStart = m.input("drain_start", .bool)

        let aSign = m.wire("a_sign", equals: aBus[am + ae])
        let aMant = m.wire("a_mant", equals: aBus[ae...(ae + am - 1)])
        let aExp = m.wire("a_exp", equals: aBus[0...(ae - 1)])
        let wSign = m.wire("w_sign", equals: wBus[wm + we])
        let wMant = m.wire("w_mant", equals: wBus[we...(we + wm - 1)])
        let wExp = m.wire("w_exp", equals: wBus[0...(we - 1)])
        let valid = m.wire("valid", equals: control[0])
        let first = m.wire("first", equals: control[1])
        let last = m.wire("last", equals: control[2])

        // Systolic pass-through (datapath registers carry no reset; `valid` does).
        m.output("a_out", .uint(activationBusWidth)).assign(m.register("a_q", next: aBus))
        m.output("w_out", .uint(weightBusWidth)).assign(m.register("w_q", next: wBus))
        let validQ = m.register("valid_q", next: valid, reset: 0)
        let firstLastQ = m.register("first_last_q", next: control[1...2])
        m.output("ctrl_out", .uint(3)).assign(cat(firstLastQ, validQ))

        // The multiply-shift-accumulate step.
        let product = m.wire("product", equals: aMant * wMant)
        let shift = m.wire("shift", equals: aExp + wExp)
        let shiftedFull = product << shift
        let shifted = m.wire("shifted", equals: shiftedFull.width > w ? shiftedFull.truncated(to: w) : shiftedFull.extended(to: w))
        let negative = m.wire("negative", equals: mutation == .peDropsSign ? aSign & !aSign : aSign ^ wSign)
        let signedTerm = m.wire("signed_term", equals: mux(negative, Value.uint(0, width: w) &- shifted, shifted))
        let acc = m.register("acc", .uint(w), enable: valid)
        let sum = mux(first, Value.uint(0, width: w), acc) &+ signedTerm
        let accNext = m.wire("acc_next", equals: mutation == .narrowAccumulator && w > 2
            ? sum.truncated(to: w - 1).asSInt.extended(to: w).asUInt : sum)
        acc.assign(accNext)

        // The finished-tile buffer, also a drain-chain stage.
        let drainShift = m.wire("drain_shift", equals: drainStart | drainChainIn)
        let result = m.register("result", .uint(w))
        m.when(valid & last) {
            result.assign(accNext)
        }.elseWhen(drainShift) {
            result.assign(drainIn)
        }
        m.output("result_out", .uint(w)).assign(result)
        m.output("drain_chain_out", .bool).assign(m.register("drain_chain_q", next: drainShift, reset: 0))
    }
}
