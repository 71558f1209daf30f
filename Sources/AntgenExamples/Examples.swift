import AntgenDSL

/// The example circuits in their default configurations, as `antgen emit-examples` writes them.
public enum Examples {
    /// Counter, adder tree, leading-one detector and shift register.
    public static var all: [any Circuit] {
        [Counter(width: 8), AdderTree(inputs: 8, width: 8), LeadingOneDetector(width: 8),
         ShiftRegister(width: 8, depth: 4)]
    }
}
