import AntgenDSL

/// The rows × cols output-stationary mesh of one kind of processing element, as Gemmini's
/// Mesh is generic over its PE: ``TileArray`` (ANT), ``PwlqTileArray`` and ``SdpTileArray``
/// are this mesh over ``ProcessingElement``, ``PwlqProcessingElement`` and
/// ``SdpProcessingElement``.
///
/// Row i's activation (`a_i`) and step control (`ctrl_i`) enter on the left and move one PE
/// right per cycle; column j's weight (`w_j`) enters on top and moves one PE down per cycle.
/// Inputs must already be skewed (row i and column j delayed by i and j cycles, which the
/// tops do), so A[i, k] and W[k, j] meet in PE(i, j).
///
/// Drain: when the last step of a tile leaves the bottom PE of column j, that PE's
/// registered control (`ctrl_out`: valid & last, cycle S_j) is the column's
/// `drain_start_j`, broadcast to rows 1 … rows−1. Row i then shifts its result buffer down
/// for i cycles (its shift chain: start | the shift of the row above one cycle ago), so the
/// bottom PE's drain link shows rows rows−1, rows−2, …, 0 in cycles S_j … S_j+rows−1; the
/// PE's ``OutputStationaryPE/Boundary`` turn that link into the column's output streams.
/// `finish` is high in cycle S_(cols−1) − 1, one cycle before the last column's streams
/// start. With one row nothing drains through a PE and every `drain_start` is 0.
///
/// The module is named by the PE (``OutputStationaryPE/meshName``) with parameters
/// `rows`, `cols` and the PE's own, and holds instances `pe_<i>_<j>`.
public struct OutputStationaryMesh<PE: OutputStationaryPE>: Circuit {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int
    /// The PE every cell instantiates.
    public let pe: PE

    /// A rows × cols mesh of `pe`.
    public init(rows: Int, cols: Int, pe: PE) {
        self.rows = rows
        self.cols = cols
        self.pe = pe
    }

    /// The PE's ``OutputStationaryPE/meshName``.
    public var name: String { pe.meshName }
    /// `rows`, `cols`, then the PE's parameters.
    public var parameters: [Parameter] { [Parameter("rows", rows), Parameter("cols", cols)] + pe.parameters }
    /// Skewed operand and control streams in, drained results out.
    public var ports: PE.Boundary { pe.meshPorts(rows: rows, cols: cols) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<PE.Boundary>) {
        let grid = (0..<rows).map { i in (0..<cols).map { j in m.instance(pe, name: "pe_\(i)_\(j)") } }
        // The control entering bottom-row column c: the row's input for c = 0, else the
        // registered control of bottom-row PE c − 1 (c runs up to `cols`).
        func bottomControl(_ c: Int) -> Bundle<PE.Ports.Control> { c == 0 ? io.ctrl[rows - 1] : grid[rows - 1][c - 1].ctrlOut }
        // Column j's drain starts when its bottom PE passes on the last step (cycle S_j).
        let drainStart = (0..<cols).map { j in
            let bottom = bottomControl(j + 1)
            return rows == 1 ? Value.bool(false) : m.wire("drain_start_\(j)", equals: bottom.valid & bottom.last)
        }
        // The top row never shifts: nothing is above it.
        let idle = pe.ports.drainIn.shape.idle
        // Key paths into the generic `PE.Ports` are instantiated at run time on every
        // evaluation (a quarter of a 256 × 256 emit); make each once, outside the loops.
        let aIn = \PE.Ports.aIn, aOut = \PE.Ports.aOut, ctrlIn = \PE.Ports.ctrlIn, ctrlOut = \PE.Ports.ctrlOut
        let wIn = \PE.Ports.wIn, wOut = \PE.Ports.wOut, drainIn = \PE.Ports.drainIn, drainOut = \PE.Ports.drainOut
        let drainStartPort = \PE.Ports.drainStart
        let rowA = io.a, rowCtrl = io.ctrl, columnW = io.w
        for i in 0..<rows {
            for j in 0..<cols {
                let p = grid[i][j]
                p[dynamicMember: aIn].drive(j == 0 ? rowA[i] : grid[i][j - 1][dynamicMember: aOut])
                p[dynamicMember: ctrlIn].assign(j == 0 ? rowCtrl[i] : grid[i][j - 1][dynamicMember: ctrlOut])
                p[dynamicMember: wIn].drive(i == 0 ? columnW[j] : grid[i - 1][j][dynamicMember: wOut])
                p[dynamicMember: drainIn].assign(i == 0 ? idle : grid[i - 1][j][dynamicMember: drainOut])
                p[dynamicMember: drainStartPort].assign(i == 0 ? Value.bool(false) : drainStart[j])
            }
        }
        for j in 0..<cols {
            PE.Boundary.drain(io, column: j, from: grid[rows - 1][j].drainOut)
        }
        let last = bottomControl(cols - 1)
        io.finish.assign(last.valid & last.last)
    }
}

/// A processing element ``OutputStationaryMesh`` can tile: its ports carry the links the
/// mesh chains, and it names the mesh module and chooses the mesh's interface.
public protocol OutputStationaryPE: Circuit where Ports: OutputStationaryPorts {
    /// The mesh's interface: operand and control inputs shaped like the PE's, and the
    /// outputs its drain link shows at the bottom of each column.
    associatedtype Boundary: MeshBoundary where Boundary.PE == Self
    /// The mesh module's generator name (`TileArray`, …).
    var meshName: String { get }
    /// The mesh interface for a rows × cols mesh of this PE.
    func meshPorts(rows: Int, cols: Int) -> Boundary
}

/// The ports an output-stationary PE exposes to its neighbours, by the names the mesh
/// chains: `aIn` ← left `aOut` and `ctrlIn` ← left `ctrlOut` (to the right), `wIn` ← upper
/// `wOut` and `drainIn` ← upper `drainOut` (downward), and the column's `drainStart`.
public protocol OutputStationaryPorts: PortSpec {
    /// What flows right: the activation (or term).
    associatedtype Activation: SignalShape where Activation.Handle: WholeDrivable
    /// The step control that flows right with it.
    associatedtype Control: MeshStepControl
    /// What flows down: the weight (or weight group).
    associatedtype Weight: SignalShape where Weight.Handle: WholeDrivable
    /// The drain chain's link: the result buffer(s) and the shift flag.
    associatedtype Drain: MeshDrainLink

    /// From the left: the activation.
    var aIn: Port<Activation> { get }
    /// From the left: the step control.
    var ctrlIn: Port<Control> { get }
    /// From above: the weight.
    var wIn: Port<Weight> { get }
    /// From above: the drain chain.
    var drainIn: Port<Drain> { get }
    /// The column's drain starts (broadcast to rows 1 … rows−1).
    var drainStart: Port<HardwareType> { get }
    /// To the right: the activation, one cycle later.
    var aOut: Port<Activation> { get }
    /// To the right: the control, one cycle later.
    var ctrlOut: Port<Control> { get }
    /// Downward: the weight.
    var wOut: Port<Weight> { get }
    /// Downward: this PE's result buffer(s) and registered drain shift.
    var drainOut: Port<Drain> { get }
}

/// The interface of an ``OutputStationaryMesh``: row and column inputs shaped like its
/// PE's, `finish`, and the outputs drained from the bottom row.
public protocol MeshBoundary: PortSpec {
    /// The PE the mesh tiles.
    associatedtype PE: OutputStationaryPE
    /// Row i's skewed activation.
    var a: PortVec<PE.Ports.Activation> { get }
    /// Row i's step control.
    var ctrl: PortVec<PE.Ports.Control> { get }
    /// Column j's skewed weight.
    var w: PortVec<PE.Ports.Weight> { get }
    /// One cycle before the last column's streams start.
    var finish: Port<HardwareType> { get }
    /// Drives column `column`'s output streams from its bottom PE's drain link.
    static func drain(_ io: IO<Self>, column: Int, from bottom: Bundle<PE.Ports.Drain>)
}

/// The interface of a mesh whose PEs drain one W-bit result (``DrainLink``): `a_i`,
/// `ctrl_i`, `w_j`, `result_j` (the column's stream of results) and `finish`.
public struct MeshPorts<PE: OutputStationaryPE>: MeshBoundary where PE.Ports.Drain == DrainLink {
    /// Row i's skewed activation (named `a` unless given).
    public let a: PortVec<PE.Ports.Activation>
    /// Row i's step control.
    public let ctrl: PortVec<PE.Ports.Control>
    /// Column j's skewed weight.
    public let w: PortVec<PE.Ports.Weight>
    /// Column j's drain stream (the bottom PE's result buffer).
    public let result: PortVec<HardwareType>
    /// One cycle before the last column's stream starts.
    public let finish = Port.output(.bool)

    /// The ports of a rows × cols mesh of `pe`; `activationName` names the row inputs.
    public init(rows: Int, cols: Int, pe: PE, activationName: String = "a") {
        let ports = pe.ports
        a = .input(count: rows, ports.aIn.shape, name: activationName)
        ctrl = .input(count: rows, ports.ctrlIn.shape)
        w = .input(count: cols, ports.wIn.shape)
        result = .output(count: cols, ports.drainOut.shape.data.type)
    }

    /// `result_<column>` = the link's data.
    public static func drain(_ io: IO<Self>, column: Int, from bottom: Bundle<DrainLink>) {
        io.result[column].assign(bottom.data)
    }
}

/// A step control the mesh's drain timing can read: a tile's last step passes a PE when
/// `valid & last` leaves it.
public protocol MeshStepControl: BundleSpec {
    /// The step carries data.
    var valid: Field { get }
    /// The tile's last step.
    var last: Field { get }
}

/// A drain-chain link with a resting value: what the top row of a mesh reads.
public protocol MeshDrainLink: BundleSpec {
    /// Shift low and every result 0.
    var idle: Bundle<Self> { get }
}

/// A signal handle that can be driven whole from another of its kind: ``Value`` and
/// ``Bundle``, so the mesh can pass on activations and weights of any shape.
public protocol WholeDrivable {
    /// Drives this signal from `other`.
    func assign(_ other: Self, file: String, line: Int)
}

extension WholeDrivable {
    /// Drives this signal from `other`; errors point at the caller's line.
    func drive(_ other: Self, file: String = #fileID, line: Int = #line) {
        assign(other, file: file, line: line)
    }
}

extension Value: WholeDrivable {}
extension Bundle: WholeDrivable {}
extension PackedVecValue: WholeDrivable {}

extension StepControl: MeshStepControl {}
extension SdpControl: MeshStepControl {}

extension DrainLink: MeshDrainLink {
    /// Shift low, data 0.
    public var idle: Bundle<DrainLink> {
        Bundle(self) { $0.shift = .bool(false); $0.data = .uint(0, width: data.type.width) }
    }
}
