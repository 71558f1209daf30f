import AntgenNumerics

/// What the tuner may choose from: kinds, widths, how scales are chosen and how the tensors
/// are used.
public struct TuningSpace: Sendable {
    /// Why a (kind, width, signedness) cannot be used beyond the format's own validity, e.g.
    /// because the hardware cannot carry it (`antgen tune --hardware`); nil accepts it.
    public typealias FormatCheck = @Sendable (_ kind: TypeCandidate, _ bits: Int, _ signed: Bool) -> String?

    /// Candidate kinds, tried in the spec's fixed order (default int, flint, pot, float).
    public var kinds: [TypeCandidate]
    /// Candidate code widths (default 2…8).
    public var widths: [Int]
    /// Free α (ANT) or power-of-two bias (libnumber).
    public var scale: ScaleKind
    /// One scale per output channel (true) or one per tensor.
    public var perChannel: Bool
    /// Weights are signed; activations are signed only when they hold a negative value.
    public var role: TensorRole
    /// Worker threads of the error search (nil: one per processor).
    public var threadCount: Int?
    /// An extra check of every candidate format (skipped with its reason when it fails).
    public var formatCheck: FormatCheck?

    /// The default kinds: int, flint, pot, float (eb 3).
    public static let defaultKinds: [TypeCandidate] = AntType.allCases.map(TypeCandidate.init)
    /// The default widths: 2…8 bits.
    public static let defaultWidths = Array(2 ... 8)

    /// Creates a space; kinds are put in the fixed order and both lists deduplicated.
    public init(
        kinds: [TypeCandidate] = TuningSpace.defaultKinds, widths: [Int] = TuningSpace.defaultWidths,
        scale: ScaleKind = .alpha, perChannel: Bool = true, role: TensorRole = .weight, threadCount: Int? = nil
    ) {
        self.kinds = Array(Set(kinds)).sorted()
        self.widths = Array(Set(widths)).sorted()
        self.scale = scale
        self.perChannel = perChannel
        self.role = role
        self.threadCount = threadCount
    }
}
