import AntgenDSL

/// A `depth`-stage shift register with enable: `q` is `d` delayed by `depth`
/// enabled cycles. Stages reset to zero.
public struct ShiftRegister: Circuit {
    /// Data width.
    public let width: Int
    /// Number of stages (≥ 1).
    public let depth: Int

    /// Creates a shift register.
    public init(width: Int = 8, depth: Int = 4) {
        self.width = width
        self.depth = depth
    }

    /// `ShiftRegister`.
    public var name: String { "ShiftRegister" }
    /// `width`, `depth`.
    public var parameters: [Parameter] { [Parameter("width", width), Parameter("depth", depth)] }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let stages = m.registerVec("stage", count: depth, .uint(width), reset: 0, enable: io.enable)
        for (i, stage) in stages.enumerated() {
            stage.assign(i == 0 ? io.d : stages[i - 1])
        }
        io.q.assign(stages[depth - 1])
    }

    /// The interface: `d` and `enable` in, `q` out.
    public struct Ports: PortSpec {
        /// Data in.
        public let d: Port<HardwareType>
        /// Shift in this cycle.
        public let enable = Port.input(.bool)
        /// Data out, `depth` enabled cycles later.
        public let q: Port<HardwareType>
        init(width: Int) { d = .input(.uint(width)); q = .output(.uint(width)) }
    }

    /// `d`, `enable`, `q`.
    public var ports: Ports { Ports(width: width) }
}
