import AntgenDSL

/// Pieces of the output-stationary and weight-stationary PEs (``ProcessingElement``,
/// ``PwlqProcessingElement``, ``WsProcessingElement``). Each declares its signals under the
/// fixed names, in a fixed order; named defect sites carry tags (``ProcessingElementSite``).
extension ModuleBuilder {
    /// The systolic control pass-through: `valid_q` (reset 0), `first_q` and `last_q`, the
    /// step control one cycle later, for the PE to the right.
    func registeredStepControl(valid: Value, first: Value, last: Value) -> Bundle<StepControl> {
        let validQ = register("valid_q", next: valid, reset: 0)
        let firstQ = register("first_q", next: first)
        let lastQ = register("last_q", next: last)
        return Bundle(StepControl()) { $0.valid = validQ; $0.first = firstQ; $0.last = lastQ }
    }

    /// The ANT PE's step term, combinational, as wires `product` = Ma · Mw, `shift` = Ea + Ew,
    /// `shifted` = (product << shift) mod 2^`width`, `negative` = `aSign` ⊕ `wSign` and
    /// `signed_term` = (negative ? −shifted : shifted) mod 2^`width`; returns `signed_term`.
    /// `aSign`/`wSign` are the caller's sign wires of `a` and `w`.
    func signedShiftedProduct(_ a: Bundle<Operand>, _ w: Bundle<Operand>, aSign: Value, wSign: Value, width: Int) -> Value {
        let product = wire("product", equals: a.mantissa * w.mantissa)
        let shift = wire("shift", equals: a.shift + w.shift)
        let shiftedFull = product << shift
        let shifted = wire("shifted", equals: shiftedFull.width > width ? shiftedFull.truncated(to: width) : shiftedFull.extended(to: width))
        let negative = wire("negative", equals: aSign ^ wSign).site(ProcessingElementSite.sign)
        return wire("signed_term", equals: mux(negative, Value.uint(0, width: width) &- shifted, shifted))
    }

    /// A wrapping `width`-bit accumulator register `name` (enabled by `enable`, no reset) and
    /// its next value, the wire `nextName` = (`restart` ? 0 : acc) + `addend` mod 2^width;
    /// returns the next value (what a result buffer takes on the last step).
    func restartingAccumulator(_ name: String, next nextName: String, adding addend: Value, width: Int,
                               enable: Value, restart: Value) -> Value {
        let acc = register(name, .uint(width), enable: enable)
        let next = wire(nextName, equals: mux(restart, Value.uint(0, width: width), acc) &+ addend)
        acc.assign(next)
        return next
    }
}
