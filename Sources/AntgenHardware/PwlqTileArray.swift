import AntgenDSL

/// The PWLQ array's mesh: an ``OutputStationaryMesh`` of ``PwlqProcessingElement``s whose
/// drain link carries three sums, so each column drains three streams at once
/// (``PwlqMeshPorts``).
public typealias PwlqTileArray = OutputStationaryMesh<PwlqProcessingElement>

extension OutputStationaryMesh where PE == PwlqProcessingElement {
    /// A rows × cols mesh of PWLQ PEs of `shape`.
    public init(rows: Int, cols: Int, shape: PwlqPEShape) {
        self.init(rows: rows, cols: cols, pe: PwlqProcessingElement(shape: shape))
    }

    /// The PE's widths.
    public var shape: PwlqPEShape { pe.shape }
}

/// The PWLQ mesh's interface: skewed operand and control streams in; `centre_j`, `tail_j`
/// and `offset_j`, column j's three drained sums (rows R−1 … 0, all three in the same
/// cycle), out; `finish` one cycle before the last column's streams start.
public struct PwlqMeshPorts: MeshBoundary {
    /// The PWLQ PE.
    public typealias PE = PwlqProcessingElement

    /// Row i's decoded activation.
    public let a: PortVec<Operand>
    /// Row i's step control.
    public let ctrl: PortVec<StepControl>
    /// Column j's PWLQ weight.
    public let w: PortVec<PwlqWeight>
    /// Column j's A1 stream.
    public let centre: PortVec<HardwareType>
    /// Column j's A2 stream.
    public let tail: PortVec<HardwareType>
    /// Column j's A3 stream.
    public let offset: PortVec<HardwareType>
    /// One cycle before the last column's streams start.
    public let finish = Port.output(.bool)

    /// The ports of a rows × cols mesh of `pe`.
    public init(rows: Int, cols: Int, pe: PwlqProcessingElement) {
        let ports = pe.ports
        let sum = HardwareType.uint(pe.shape.accumulatorWidth)
        a = .input(count: rows, ports.aIn.shape)
        ctrl = .input(count: rows, ports.ctrlIn.shape)
        w = .input(count: cols, ports.wIn.shape)
        centre = .output(count: cols, sum)
        tail = .output(count: cols, sum)
        offset = .output(count: cols, sum)
    }

    /// `centre_<column>`, `tail_<column>`, `offset_<column>` from the link's three sums.
    public static func drain(_ io: IO<PwlqMeshPorts>, column: Int, from bottom: Bundle<PwlqDrainLink>) {
        io.centre[column].assign(bottom.centre)
        io.tail[column].assign(bottom.tail)
        io.offset[column].assign(bottom.offset)
    }
}

extension PwlqProcessingElement: OutputStationaryPE {
    /// `PwlqTileArray`.
    public var meshName: String { "PwlqTileArray" }
    /// Three sum streams per column.
    public func meshPorts(rows: Int, cols: Int) -> PwlqMeshPorts { PwlqMeshPorts(rows: rows, cols: cols, pe: self) }
}

extension PwlqProcessingElement.Ports: OutputStationaryPorts {}

extension PwlqDrainLink: MeshDrainLink {
    /// Shift low, all three sums 0.
    public var idle: Bundle<PwlqDrainLink> {
        let w = centre.type.width
        return Bundle(self) {
            $0.shift = .bool(false)
            $0.offset = .uint(0, width: w)
            $0.tail = .uint(0, width: w)
            $0.centre = .uint(0, width: w)
        }
    }
}
