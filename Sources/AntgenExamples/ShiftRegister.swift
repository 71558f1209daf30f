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
    public func build(_ m: ModuleBuilder) {
        let d = m.input("d", .uint(width))
        let enable = m.input("enable", .bool)
        let q = m.output("q", .uint(width))
        let stages = m.registerVec("stage", count: depth, .uint(width), reset: 0, enable: enable)
        for (i, stage) in stages.enumerated() {
            stage.assign(i == 0 ? d : stages[i - 1])
        }
        q.assign(stages[depth - 1])
    }
}
