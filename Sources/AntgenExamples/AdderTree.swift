import AntgenDSL

/// A combinational balanced adder tree: the exact sum of `inputs` unsigned values.
///
/// Every level uses widening `+`, so the output is `width + ⌈log2 inputs⌉` bits
/// and never overflows.
public struct AdderTree: Circuit {
    /// Number of operands (≥ 1).
    public let inputs: Int
    /// Width of each operand.
    public let width: Int

    /// Creates an adder tree.
    public init(inputs: Int = 8, width: Int = 8) {
        self.inputs = inputs
        self.width = width
    }

    /// `AdderTree`.
    public var name: String { "AdderTree" }
    /// `inputs`, `width`.
    public var parameters: [Parameter] { [Parameter("inputs", inputs), Parameter("width", width)] }

    /// The exact output width.
    public var sumWidth: Int { width + (inputs <= 1 ? 0 : bitsToIndex(inputs)) }

    /// The interface: operands `x_0 … x_{inputs-1}` in, `sum` out.
    public struct Ports: PortSpec {
        /// The operands.
        public let x: PortVec<HardwareType>
        /// Their exact sum.
        public let sum: Port<HardwareType>
    }

    /// `x_i`, `sum`.
    public var ports: Ports { Ports(x: .input(count: inputs, .uint(width)), sum: .output(.uint(sumWidth))) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        io.sum.assign(reduceTree(Array(io.x)) { $0 + $1 })
    }
}
