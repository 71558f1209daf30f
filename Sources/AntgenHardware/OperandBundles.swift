import AntgenDSL

// The bundles the array's modules pass between them (docs/architecture.md §3).
// Bit order is the DSL's: the first field is the most significant.

/// A decoded operand, value (−1)^sign · mantissa · 2^shift: what every boundary decoder
/// produces and what travels through the PE mesh. Packed `{sign, mantissa, shift}`.
public struct Operand: BundleSpec {
    /// The sign (1 = negative).
    public let sign = Field(.bool)
    /// The unsigned mantissa M.
    public let mantissa: Field
    /// The exponent E: the type's exponent plus the int8 term shift.
    public let shift: Field

    /// An operand with an M of `mantissaWidth` and an E of `shiftWidth` bits.
    public init(mantissaWidth: Int, shiftWidth: Int) {
        mantissa = Field(.uint(mantissaWidth))
        shift = Field(.uint(shiftWidth))
    }

    /// The all-zero operand of this shape (value 0).
    public var zero: Bundle<Operand> {
        Bundle(self) {
            $0.sign = .bool(false)
            $0.mantissa = .uint(0, width: mantissa.type.width)
            $0.shift = .uint(0, width: shift.type.width)
        }
    }
}

/// The control of one reduction step, travelling with the activations.
/// Packed `{last, first, valid}`: valid in bit 0.
public struct StepControl: BundleSpec {
    /// The tile's last reduction step.
    public let last = Field(.bool)
    /// The tile's first reduction step (the accumulator restarts).
    public let first = Field(.bool)
    /// The step carries data.
    public let valid = Field(.bool)
    /// The control bundle.
    public init() {}
}

/// One stage of a column's drain chain: the finished result moving down, and the
/// shift flag that tells the PE below to take it. Packed `{shift, data}`.
public struct DrainLink: BundleSpec {
    /// The PE below shifts `data` in during the next cycle.
    public let shift = Field(.bool)
    /// A finished result (W bits).
    public let data: Field
    /// A link carrying W-bit results.
    public init(accumulatorWidth: Int) { data = Field(.uint(accumulatorWidth)) }
}
