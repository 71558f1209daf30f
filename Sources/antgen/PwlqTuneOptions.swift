import AntgenNumerics
import AntgenTuner

/// `antgen tune --pwlq`: PWLQ options next to the ANT formats (spec §7).
extension TuneCommand {
    /// PWLQ plans carry per-channel levels that neither the array's plan mapping nor an
    /// evaluation script's grid rounding can use, so those combinations are refused.
    func checkPwlqCombination() throws(TuningError) {
        guard pwlq else {
            if pwlqVariant != "paper" { throw TuningError("--pwlq-variant needs --pwlq") }
            return
        }
        guard PwlqVariant(rawValue: pwlqVariant) != nil else {
            throw TuningError("--pwlq-variant must be paper, nonoverlap or overlap, not '\(pwlqVariant)'")
        }
        if hardware { throw TuningError("--pwlq cannot be combined with --hardware (emit --plan maps ANT formats; use emit --weight-format pwlq)") }
        if evaluate != nil { throw TuningError("--pwlq cannot be combined with --evaluate (a PWLQ plan has per-channel levels, no shared grid)") }
    }
}
