import AntgenDSL

/// A free-running counter with enable and synchronous reset to zero.
///
/// `count` shows the register; it advances by one (wrapping) in each cycle
/// where `enable` is high.
public struct Counter: Circuit {
    /// Counter width in bits.
    public let width: Int

    /// Creates a counter of `width` bits.
    public init(width: Int = 8) { self.width = width }

    /// `Counter`.
    public var name: String { "Counter" }
    /// `width`.
    public var parameters: [Parameter] { [Parameter("width", width)] }

    /// The interface: `enable` in, `count` out.
    public struct Ports: PortSpec {
        /// Advance in this cycle.
        public let enable = Port.input(.bool)
        /// The counter value.
        public let count: Port<HardwareType>
        init(width: Int) { count = .output(.uint(width)) }
    }

    /// `enable`, `count`.
    public var ports: Ports { Ports(width: width) }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let value = m.register("value", .uint(width), reset: 0)
        m.when(io.enable) {
            value.assign(value &+ 1)
        }
        io.count.assign(value)
    }
}
