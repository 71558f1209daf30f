import AntgenDSL

extension ModuleBuilder {
    /// The output row counter of the output-stationary array tops (ANT, PWLQ, SDP): the
    /// drained rows leave rows − 1 first, one per cycle, with no back-pressure.
    ///
    /// `active` is the caller's `out_active` register (`.bool`, reset 0), declared where the
    /// caller needs it (a partial-sum stage reads it as its row valid). `finish` is the tile
    /// mesh's `finish` (high one cycle before the deskewed rows arrive); in the next cycle
    /// `active` is high with `out_row_q` = rows − 1, the row counts down one per cycle, and
    /// `active` falls after row 0.
    /// Drives `outValid` from `active` and `outRow` from `out_row_q` (`rowWidth` bits).
    func outputRowCounter(active: Value, finish: Value, rows: Int, rowWidth: Int, outValid: Value, outRow: Value) {
        let row = register("out_row_q", .uint(rowWidth), reset: 0)
        when(finish) {
            active.assign(Value.bool(true))
            row.assign(rows - 1)
        }.elseWhen(active) {
            if rows > 1 {
                when(row == 0) {
                    active.assign(Value.bool(false))
                }.otherwise {
                    row.assign(row &- 1)
                }
            } else {
                active.assign(Value.bool(false))
            }
        }
        outValid.assign(active)
        outRow.assign(row)
    }
}
