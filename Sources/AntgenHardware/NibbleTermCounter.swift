import AntgenDSL

/// The int8 nibble-term counter of the ANT input stages (``AntArray`` and ``WsArray``): a
/// held beat with int8 activations and/or weights is issued as 1, 2 or 4 nibble-term steps,
/// one per cycle, high nibble first (spec §2).
///
/// Declares, in this order: `hold_act_int8` and `hold_weight_int8` (the beat's int8 modes,
/// taken on `accept`), the 2-bit step counter `term` (reset 0), `last_term` (term =
/// steps − 1: 0b11 for 8×8, 0b01 for 8×4 or 4×8, 0b00 for 4×4), `first_term` (term = 0)
/// and `act_term_high` (the activation decoders select the high nibble). The caller calls
/// ``restart()`` on `accept` and ``advance()`` on an issue that is not the beat's last, and
/// derives its own weight term select from ``term`` (with both int8, the weight term is
/// term[0] and the activation term term[1]).
struct NibbleTermCounter {
    /// `hold_act_int8`.
    let actInt8: Value
    /// `hold_weight_int8`.
    let weightInt8: Value
    /// `term`: the step within the beat (0 = the high nibble term).
    let term: Value
    /// `last_term`: the beat's last step.
    let last: Value
    /// `first_term`: the beat's first step.
    let first: Value
    /// `act_term_high`: the activation's high nibble is this step's term.
    let actTermHigh: Value

    /// Declares the counter; `actInt8`/`weightInt8` are the configuration inputs, `accept`
    /// the beat handshake.
    init(_ m: ModuleBuilder, actInt8 cfgActInt8: Value, weightInt8 cfgWeightInt8: Value, accept: Value) {
        let a8 = m.register("hold_act_int8", next: cfgActInt8, enable: accept)
        let w8 = m.register("hold_weight_int8", next: cfgWeightInt8, enable: accept)
        let t = m.register("term", .uint(2), reset: 0)
        last = m.wire("last_term", equals: t == cat([a8 & w8, a8 | w8]))
        first = m.wire("first_term", equals: t == 0)
        // Term index 0 is the high nibble; with both int8 the activation term is t[1].
        actTermHigh = m.wire("act_term_high", equals: !mux(w8, t[1], t[0]))
        actInt8 = a8
        weightInt8 = w8
        term = t
    }

    /// Starts a beat at term 0.
    func restart() { term.assign(Value.uint(0, width: 2)) }

    /// Moves to the next term.
    func advance() { term.assign(term &+ 1) }
}
