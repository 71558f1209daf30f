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
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let found = priorityEncoder(io.x, fromMostSignificant: true)
        io.position.assign(found.index)
        io.valid.assign(found.valid)
        io.leadingZeros.assign(leadingZeros(io.x))
    }

    /// The interface.
    public struct Ports: PortSpec {
        /// The input word.
        public let x: Port<HardwareType>
        /// Index of the highest set bit.
        public let position: Port<HardwareType>
        /// True when `x` has a set bit.
        public let valid = Port.output(.bool)
        /// Zeros above the highest set bit.
        public let leadingZeros: Port<HardwareType>
        init(width: Int) {
            x = .input(.uint(width))
            position = .output(.uint(bitsToIndex(width)))
            leadingZeros = .output(.uint(minimalUnsignedWidth(width)))
        }
    }

    /// `x`, `position`, `valid`, `leading_zeros`.
    public var ports: Ports { Ports(width: width) }
}
