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

    /// Builds the module.
    public func build(_ m: ModuleBuilder) {
        let enable = m.input("enable", .bool)
        let count = m.output("count", .uint(width))
        let value = m.register("value", .uint(width), reset: 0)
        m.when(enable) {
            value.assign(value &+ 1)
        }
        count.assign(value)
    }
}
