import AntgenDSL

/// One PE of the weight-stationary array (``WsArray``, docs/architecture.md §12): it holds
/// a preloaded weight, multiplies the activation passing through it to the right, and adds
/// the product to the partial sum flowing down its column.
///
/// - `w_in` / `w_out`: the preload chain. While `load` is high the stationary weight
///   register takes `w_in` (the PE above's weight, or the column decoder at the top) and
///   `w_out` is that register: one load step shifts every column down by one PE. In int8
///   builds a second register (`w_lo_in` / `w_lo_out`) holds the weight's low nibble term
///   beside the high one, and the step's `wterm` bit (travelling with the activation)
///   selects which of the two a step multiplies.
/// - `a_in` → `a_out`, `ctrl_in` → `ctrl_out`, `wterm_in` → `wterm_out`: registered
///   pass-through to the right, one PE per cycle.
/// - `psum_out` = reg(`psum_in` + (−1)^(sa⊕sw)·Ma·Mw·2^(Ea+Ew)) modulo 2^W.
public struct WsProcessingElement: Circuit {
    /// Operand and accumulator widths (the OS PE's).
    public let shape: PEShape
    /// The build carries int8 weights (two stationary term registers).
    public let int8: Bool

    /// Creates the PE.
    public init(shape: PEShape, int8: Bool) {
        self.shape = shape
        self.int8 = int8
    }

    /// `WsProcessingElement`.
    public var name: String { "WsProcessingElement" }
    /// The widths, as the module header shows them.
    public var parameters: [Parameter] {
        ProcessingElement(shape: shape).parameters + [Parameter("int8", int8 ? "on" : "off")]
    }

    /// The activation operand.
    public var activation: Operand { Operand(mantissaWidth: shape.activationMantissa, shiftWidth: shape.activationExponent) }
    /// The weight operand.
    public var weight: Operand { Operand(mantissaWidth: shape.weightMantissa, shiftWidth: shape.weightExponent) }

    /// The PE's ports.
    public struct Ports: PortSpec {
        /// Decoded activation from the left.
        public let aIn: Port<Operand>
        /// Step control from the left.
        public let ctrlIn = Port.input(StepControl())
        /// Which weight term the step multiplies (1 = low nibble); int8 builds only.
        public let wtermIn: Port<HardwareType>?
        /// Partial sum from the PE above (0 at the top).
        public let psumIn: Port<HardwareType>
        /// Preload: the weight from above.
        public let wIn: Port<Operand>
        /// Preload: the low-term weight from above; int8 builds only.
        public let wLoIn: Port<Operand>?
        /// Preload step: every weight register takes its input.
        public let load = Port.input(.bool)
        /// Activation to the right.
        public let aOut: Port<Operand>
        /// Step control to the right.
        public let ctrlOut = Port.output(StepControl())
        /// Weight-term select to the right; int8 builds only.
        public let wtermOut: Port<HardwareType>?
        /// Partial sum to the PE below.
        public let psumOut: Port<HardwareType>
        /// The stationary weight (the preload chain to the PE below).
        public let wOut: Port<Operand>
        /// The stationary low-term weight; int8 builds only.
        public let wLoOut: Port<Operand>?
    }

    /// The ports for this shape.
    public var ports: Ports {
        let w = shape.accumulatorWidth
        return Ports(aIn: .input(activation), wtermIn: int8 ? .input(.bool) : nil, psumIn: .input(.uint(w)), wIn: .input(weight),
                     wLoIn: int8 ? .input(weight) : nil, aOut: .output(activation), wtermOut: int8 ? .output(.bool) : nil,
                     psumOut: .output(.uint(w)), wOut: .output(weight), wLoOut: int8 ? .output(weight) : nil)
    }

    /// Builds the PE.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let w = shape.accumulatorWidth
        let a = io.aIn, control = io.ctrlIn
        // The stationary weights: loaded only on a preload step, held otherwise.
        let wHi = m.register("w_stationary", next: io.wIn.packed, enable: io.load)
        io.wOut.site(WsProcessingElementSite.weightForward).assign(Bundle(weight, packed: wHi))
        var selected: Value = wHi
        if let wLoIn = io.wLoIn, let wLoOut = io.wLoOut, let wtermIn = io.wtermIn, let wtermOut = io.wtermOut {
            let wLo = m.register("w_stationary_lo", next: wLoIn.packed, enable: io.load)
            wLoOut.assign(Bundle(weight, packed: wLo))
            let term = m.wire("wterm", equals: wtermIn)
            selected = m.wire("w_selected", equals: mux(term, wLo, wHi))
            wtermOut.assign(m.register("wterm_q", next: term))
        }
        let wt = Bundle(weight, packed: selected)
        let aSign = m.wire("a_sign", equals: a.sign)
        let wSign = m.wire("w_sign", equals: wt.sign)

        // Systolic pass-through to the right (datapath registers carry no reset; `valid` does).
        io.aOut.assign(Bundle(activation, packed: m.register("a_q", next: a.packed)))
        io.ctrlOut.assign(m.registeredStepControl(valid: control.valid, first: control.first, last: control.last))

        // The multiply-shift-add step into the column's partial sum.
        let signedTerm = m.signedShiftedProduct(a, wt, aSign: aSign, wSign: wSign, width: w)
        let psumNext = m.wire("psum_next", equals: io.psumIn &+ signedTerm)
            .site(ProcessingElementSite.accumulation).site(WsProcessingElementSite.partialSum)
        io.psumOut.assign(m.register("psum_q", next: psumNext))
    }
}

/// The named defect sites of ``WsProcessingElement`` only (its sign and accumulation are
/// ``ProcessingElementSite``s).
public struct WsProcessingElementSite: DefectSiteTag {
    public let description: String

    /// `w_out`, the preload chain's link to the PE below.
    public static let weightForward = WsProcessingElementSite(description: "WsProcessingElement.weightForward")
    /// `psum_next` = `psum_in` + the step's term: the partial sum passed down.
    public static let partialSum = WsProcessingElementSite(description: "WsProcessingElement.partialSum")
}
