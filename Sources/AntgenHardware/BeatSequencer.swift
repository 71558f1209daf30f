import AntgenDSL

/// The input stage of the output-stationary array tops (ANT, PWLQ, SDP): one accepted beat
/// is held while its steps are issued, one per cycle, and a tile's last step waits for the
/// column drain chains.
///
/// Protocol: a beat is taken when `in_valid & ready` (`accept`); `in_ready` = `ready` =
/// `!hold_valid | (issue & lastOfBeat)`, so it depends on state only and the next beat is
/// taken in the cycle the held beat's last step issues. `hold_first` marks the tile's first
/// beat (the beat after one with `in_last`, or the first after reset), `hold_last` its last.
/// With rows > 1 the `gap` counter (cycles since the previous tile's last step, saturating at
/// rows − 1) stalls a tile's last step until it is ≥ rows cycles after the previous one.
///
/// Use in two calls, in this order (the caller declares its held payload and its step
/// counter in between, each register enabled by ``HeldBeat/accept``):
/// ``ModuleBuilder/heldBeat(inValid:)``, then
/// ``ModuleBuilder/issueSteps(of:inLast:inReady:rows:firstOfBeat:lastOfBeat:restart:advance:)``.
/// The signal names (`hold_valid`, `accept`, `issue`, `step_first`, `gap`, `stall`, …) are
/// the ones the named mutants and docs/architecture.md refer to.
struct HeldBeat {
    /// `hold_valid`: a beat is held.
    let valid: Value
    /// `hold_first`: the held beat is the tile's first.
    let first: Value
    /// `hold_last`: the held beat is the tile's last.
    let last: Value
    /// `expect_first`: the next accepted beat starts a tile.
    let expectFirst: Value
    /// `ready`: driven by ``ModuleBuilder/issueSteps(of:inLast:inReady:rows:firstOfBeat:lastOfBeat:restart:advance:)``.
    let ready: Value
    /// `accept`: a beat is taken this cycle; the enable of every held payload register.
    let accept: Value
}

/// What ``ModuleBuilder/issueSteps(of:inLast:inReady:rows:firstOfBeat:lastOfBeat:restart:advance:)`` issues.
struct IssuedSteps {
    /// `issue`: a step is issued this cycle.
    let issue: Value
    /// `step_first`: the issued step is the tile's first.
    let first: Value
    /// `step_last`: the issued step is the tile's last.
    let last: Value

    /// The step control delayed once per row (`ctrl_valid_d<s>`, `ctrl_first_d<s>`,
    /// `ctrl_last_d<s>`): stage 0 is the decode-stage register, stage i feeds row i.
    func controlChains(_ m: ModuleBuilder, rows: Int) -> StepControlChains {
        StepControlChains(valid: m.delayLine("ctrl_valid", issue, count: rows, reset: 0),
                          first: m.delayLine("ctrl_first", first, count: rows),
                          last: m.delayLine("ctrl_last", last, count: rows))
    }
}

/// The per-row stages of ``IssuedSteps/controlChains(_:rows:)``.
struct StepControlChains {
    /// `ctrl_valid_d<s>` (reset 0).
    let valid: [Value]
    /// `ctrl_first_d<s>`.
    let first: [Value]
    /// `ctrl_last_d<s>`.
    let last: [Value]

    /// Row `i`'s step control.
    func row(_ i: Int) -> Bundle<StepControl> {
        Bundle(StepControl()) { $0.valid = valid[i]; $0.first = first[i]; $0.last = last[i] }
    }
}

extension ModuleBuilder {
    /// The beat-holding registers and the handshake: `hold_valid`, `hold_first`,
    /// `hold_last`, `expect_first`, the `ready` wire (driven later) and `accept`.
    func heldBeat(inValid: Value) -> HeldBeat {
        let holdValid = register("hold_valid", .bool, reset: 0)
        let holdFirst = register("hold_first", .bool, reset: 0)
        let holdLast = register("hold_last", .bool, reset: 0)
        let expectFirst = register("expect_first", .bool, reset: 1)
        let ready = wire("ready", .bool)
        let accept = wire("accept", equals: inValid & ready)
        return HeldBeat(valid: holdValid, first: holdFirst, last: holdLast, expectFirst: expectFirst, ready: ready, accept: accept)
    }

    /// Issues the held beat's steps: one per cycle while `hold_valid`, unless stalled by the
    /// drain gap; drives `ready` and `inReady`.
    ///
    /// - `firstOfBeat`/`lastOfBeat`: the caller's step counter is at the beat's first / last
    ///   step (`true` for one-step beats).
    /// - `restart`: assigns the counter its first step; runs on `accept`.
    /// - `advance`: assigns the counter its next step; runs on an issue that is not the
    ///   beat's last.
    func issueSteps(of beat: HeldBeat, inLast: Value, inReady: Value, rows: Int, firstOfBeat: Value, lastOfBeat: Value,
                    restart: () -> Void, advance: () -> Void) -> IssuedSteps {
        let stepFirst = wire("step_first", equals: beat.first & firstOfBeat)
        let stepLast = wire("step_last", equals: beat.last & lastOfBeat)
        // Tiles' last steps must be ≥ rows cycles apart (drain chains); `gap` counts
        // cycles since the previous one, saturating at rows − 1.
        var stall = Value.bool(false)
        var gap: Value?
        if rows > 1 {
            let g = register("gap", .uint(minimalUnsignedWidth(rows - 1)), reset: rows - 1)
            stall = wire("stall", equals: stepLast & (g < rows - 1))
            gap = g
        }
        let issue = wire("issue", equals: beat.valid & !stall)
        beat.ready.assign(!beat.valid | (issue & lastOfBeat))
        inReady.assign(beat.ready)

        when(beat.accept) {
            beat.valid.assign(Value.bool(true))
            beat.first.assign(beat.expectFirst)
            beat.last.assign(inLast)
            beat.expectFirst.assign(inLast)
            restart()
        }.elseWhen(issue & lastOfBeat) {
            beat.valid.assign(Value.bool(false))
        }.elseWhen(issue) {
            advance()
        }
        if let g = gap {
            when(issue & stepLast) {
                g.assign(0)
            }.elseWhen(g < rows - 1) {
                g.assign(g &+ 1)
            }
        }
        return IssuedSteps(issue: issue, first: stepFirst, last: stepLast)
    }
}
