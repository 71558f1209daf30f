import AntgenDSL

/// The ANT array's mesh: an ``OutputStationaryMesh`` of ``ProcessingElement``s, module
/// `TileArray_rows…_cols…_<PE parameters>`, ports `a_i`, `ctrl_i`, `w_j`, `result_j`
/// (column j's drain stream) and `finish` (``MeshPorts``).
public typealias TileArray = OutputStationaryMesh<ProcessingElement>

extension OutputStationaryMesh where PE == ProcessingElement {
    /// A rows × cols mesh of PEs of `shape`.
    public init(rows: Int, cols: Int, shape: PEShape) {
        self.init(rows: rows, cols: cols, pe: ProcessingElement(shape: shape))
    }

    /// The PE's widths.
    public var shape: PEShape { pe.shape }
}

extension ProcessingElement: OutputStationaryPE {
    /// `TileArray`.
    public var meshName: String { "TileArray" }
    /// One W-bit result stream per column.
    public func meshPorts(rows: Int, cols: Int) -> MeshPorts<ProcessingElement> { MeshPorts(rows: rows, cols: cols, pe: self) }
}

extension ProcessingElement.Ports: OutputStationaryPorts {}
