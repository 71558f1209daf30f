import AntgenDSL

/// The drain timing shared by the output-stationary meshes (``TileArray``,
/// ``PwlqTileArray``, ``SdpTileArray``; the timing is described on ``TileArray``).
///
/// Both helpers read the bottom row's step control through `bottomControl(c)`: the control
/// entering bottom-row column c, that is the row's input control for c = 0 and the
/// registered `ctrl_out` of bottom-row PE c − 1 for c ≥ 1 (c runs up to `cols`).
extension ModuleBuilder {
    /// Column j's drain start, the wire `drain_start_<j>` = valid & last leaving its bottom
    /// PE (constant false with one row: nothing drains through a single PE).
    func meshDrainStarts(rows: Int, cols: Int, bottomControl: (Int) -> (valid: Value, last: Value)) -> [Value] {
        (0..<cols).map { j in
            let bottom = bottomControl(j + 1)
            return rows == 1 ? Value.bool(false) : wire("drain_start_\(j)", equals: bottom.valid & bottom.last)
        }
    }

    /// The mesh's `finish`: valid & last entering the last column's bottom PE, one cycle
    /// before that column's stream starts.
    func meshFinish(cols: Int, bottomControl: (Int) -> (valid: Value, last: Value)) -> Value {
        let control = bottomControl(cols - 1)
        return control.valid & control.last
    }
}
