import AntgenDSL

/// A PWLQ weight on the stream (docs/numeric-formats.md §7.1): packed `{region, sign,
/// magnitude}`, the b + 1-bit code of the `paper`/`nonoverlap` variants.
public struct PwlqWeight: BundleSpec {
    /// 0 = centre (R1), 1 = tail (R2).
    public let region = Field(.bool)
    /// 1 = negative.
    public let sign = Field(.bool)
    /// The (b − 1)-bit magnitude q.
    public let magnitude: Field

    /// A weight of a b-bit code (magnitude b − 1 bits).
    public init(bits: Int) { magnitude = Field(.uint(bits - 1)) }
}

/// The drain link of a PWLQ PE: the three finished sums travel down together (one stage
/// per row, exactly like the ANT PE's single result). Packed `{shift, offset, tail, centre}`.
public struct PwlqDrainLink: BundleSpec {
    /// The PE below shifts the sums in during the next cycle.
    public let shift = Field(.bool)
    /// A3 = Σ_R2 ±X (the signed activation sum of the tail offset).
    public let offset: Field
    /// A2 = Σ_R2 ±q·X.
    public let tail: Field
    /// A1 = Σ_R1 ±q·X.
    public let centre: Field

    /// The three sums by name, in the order the PE declares their accumulators and
    /// result registers (`acc_<label>`, `result_<label>`) and drives them.
    public static var sums: [(label: String, field: KeyPath<PwlqDrainLink, Field>)] {
        [("centre", \.centre), ("tail", \.tail), ("offset", \.offset)]
    }

    /// A link of three W-bit sums.
    public init(accumulatorWidth w: Int) {
        offset = Field(.uint(w))
        tail = Field(.uint(w))
        centre = Field(.uint(w))
    }
}

/// The widths a PWLQ PE is built for.
public struct PwlqPEShape: Sendable, Equatable {
    /// Activation mantissa bits (4 for int4 and the int8 nibble terms).
    public let activationMantissa: Int
    /// Activation shift bits (the int8 high nibble has shift 4).
    public let activationExponent: Int
    /// The weight code width b (magnitude b − 1 bits).
    public let weightBits: Int
    /// W of each of the three accumulators.
    public let accumulatorWidth: Int

    /// Creates a shape; `weightBits` 2…8, W 2…256.
    public init(activationMantissa: Int = 4, activationExponent: Int = 3, weightBits: Int = 4, accumulatorWidth: Int = 32) {
        self.activationMantissa = activationMantissa
        self.activationExponent = activationExponent
        self.weightBits = weightBits
        self.accumulatorWidth = accumulatorWidth
    }
}

/// An output-stationary PE for PWLQ weights × uniform integer activations (spec §7.6).
///
/// One multiplier, as wide as the int PE's (activation M × the (b − 1)-bit magnitude), and
/// three W-bit wrapping accumulators updated in the same cycle:
///
///     term     = ±((Ma · q) << Ea)           ± = sa ⊕ sw
///     centre' += region ? 0 : term           A1 = Σ_R1 ±q·X
///     tail'   += region ? term : 0           A2 = Σ_R2 ±q·X
///     offset' += region ? ±(Ma << Ea) : 0    A3 = Σ_R2 ±X  (the tail offset p carries w's sign)
///
/// `first` restarts all three; `last` copies them into the three result buffers, which
/// form one drain-chain stage carrying all three sums at once (so a drain takes the same R
/// cycles as the ANT array's, with a 3W-bit link). The per-channel affine step
/// s_x·(s1·A1 + s2·A2 + p·A3) is host work.
public struct PwlqProcessingElement: Circuit {
    /// Port widths.
    public let shape: PwlqPEShape

    public init(shape: PwlqPEShape) { self.shape = shape }

    public var name: String { "PwlqProcessingElement" }
    public var parameters: [Parameter] {
        [Parameter("am", shape.activationMantissa), Parameter("ae", shape.activationExponent),
         Parameter("wb", shape.weightBits), Parameter("acc", shape.accumulatorWidth)]
    }

    /// The activation operand bundle (the ANT array's decoded operand).
    public var activation: Operand { Operand(mantissaWidth: shape.activationMantissa, shiftWidth: shape.activationExponent) }

    /// The PE's interface: the ANT PE's, with a PWLQ weight and a three-sum drain link.
    public struct Ports: PortSpec {
        public let aIn: Port<Operand>
        public let ctrlIn = Port.input(StepControl())
        public let wIn: Port<PwlqWeight>
        public let drainIn: Port<PwlqDrainLink>
        public let drainStart = Port.input(.bool)
        public let aOut: Port<Operand>
        public let ctrlOut = Port.output(StepControl())
        public let wOut: Port<PwlqWeight>
        public let drainOut: Port<PwlqDrainLink>

        init(activation: Operand, weight: PwlqWeight, accumulatorWidth w: Int) {
            aIn = .input(activation)
            wIn = .input(weight)
            drainIn = .input(PwlqDrainLink(accumulatorWidth: w))
            aOut = .output(activation)
            wOut = .output(weight)
            drainOut = .output(PwlqDrainLink(accumulatorWidth: w))
        }
    }

    public var ports: Ports {
        Ports(activation: activation, weight: PwlqWeight(bits: shape.weightBits), accumulatorWidth: shape.accumulatorWidth)
    }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = shape.accumulatorWidth
        let a = io.aIn, wt = io.wIn, control = io.ctrlIn
        let valid = m.wire("valid", equals: control.valid)
        let first = m.wire("first", equals: control.first)
        let last = m.wire("last", equals: control.last)
        let region = m.wire("region", equals: wt.region)

        io.aOut.assign(Bundle(activation, packed: m.register("a_q", next: a.packed)))
        io.wOut.assign(Bundle(PwlqWeight(bits: shape.weightBits), packed: m.register("w_q", next: wt.packed)))
        io.ctrlOut.assign(m.registeredStepControl(valid: valid, first: first, last: last))

        func fit(_ value: Value) -> Value { value.width > w ? value.truncated(to: w) : value.extended(to: w) }
        let zero = Value.uint(0, width: w)
        let negative = m.wire("negative", equals: a.sign ^ wt.sign)
        let product = m.wire("product", equals: a.mantissa * wt.magnitude)
        let shifted = m.wire("shifted", equals: fit(product << a.shift))
        let term = m.wire("signed_term", equals: mux(negative, zero &- shifted, shifted))
        let activationValue = m.wire("activation_value", equals: fit(a.mantissa << a.shift))
        let signedActivation = m.wire("signed_activation", equals: mux(negative, zero &- activationValue, activationValue))

        let addends: [KeyPath<PwlqDrainLink, Field>: Value] = [
            \.centre: m.wire("centre_term", equals: mux(region, zero, term)).site(PwlqProcessingElementSite.centreTerm),
            \.tail: m.wire("tail_term", equals: mux(region, term, zero)),
            \.offset: m.wire("offset_term", equals: mux(region, signedActivation, zero)).site(PwlqProcessingElementSite.offsetTerm),
        ]
        // One accumulator and one result register per sum of the drain link, in `sums` order.
        let sums = PwlqDrainLink.sums.map { sum in
            m.restartingAccumulator("acc_\(sum.label)", next: "acc_\(sum.label)_next", adding: addends[sum.field]!, width: w,
                                    enable: valid, restart: first)
        }

        let drainShift = m.wire("drain_shift", equals: io.drainStart | io.drainIn.shift)
        let results = PwlqDrainLink.sums.map { (field: $0.field, register: m.register("result_\($0.label)", .uint(w))) }
        m.when(valid & last) {
            for (result, next) in zip(results, sums) { result.register.assign(next) }
        }.elseWhen(drainShift) {
            for result in results { result.register.assign(io.drainIn[dynamicMember: result.field]) }
        }
        for result in results { io.drainOut[dynamicMember: result.field].assign(result.register) }
        io.drainOut.shift.assign(m.register("drain_chain_q", next: drainShift, reset: 0))
    }
}

/// The named defect sites of ``PwlqProcessingElement``.
public struct PwlqProcessingElementSite: DefectSiteTag {
    public let description: String

    /// `centre_term` = region ? 0 : term, the centre accumulator's addend.
    public static let centreTerm = PwlqProcessingElementSite(description: "PwlqProcessingElement.centreTerm")
    /// `offset_term` = region ? ±activation : 0, the offset accumulator's addend.
    public static let offsetTerm = PwlqProcessingElementSite(description: "PwlqProcessingElement.offsetTerm")
}
