import AntgenDSL

/// Finds the most significant set bit of its input: the core of every
/// normaliser and of the flint decoder's exponent logic.
public struct LeadingOneDetector: Circuit {
    /// Input width (≥ 1).
    public let width: Int

    /// Creates a detector for `width`-bit inputs.
    public init(width: Int = 8) { self.width = width }

    /// `LeadingOneDetector`.
    public var name: String { "LeadingOneDetector" }
    /// `width`.
    public var parameters: [Parameter] { [Parameter("width", width)] }

    /// Builds the module: `position` is the index of the highest 1 bit, `valid`
    /// says whether there is one, `leadingZeros` counts the zeros above it.
    public func build(_ m: ModuleBuilder) {
        let x = m.input("x", .uint(width))
        let position = m.output("position", .uint(bitsToIndex(width)))
        let valid = m.output("valid", .bool)
        let zeros = m.output("leading_zeros", .uint(minimalUnsignedWidth(width)))
        let found = priorityEncoder(x, fromMostSignificant: true)
        position.assign(found.index)
        valid.assign(found.valid)
        zeros.assign(leadingZeros(x))
    }
}
