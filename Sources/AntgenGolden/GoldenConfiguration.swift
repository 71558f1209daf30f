import AntgenNumerics

/// How one operand stream is configured for one tile: type, signedness and precision.
public struct OperandMode: Hashable, Sendable, CustomStringConvertible {
    /// The ANT type (ignored by the hardware in int8 mode; stored as int then). Its raw value
    /// is the selector code the `cfg_*_type` port carries (docs/architecture.md §4).
    public let type: AntType
    /// Signed (two's complement for int, sign-magnitude otherwise).
    public let signed: Bool
    /// True for an 8-bit integer operand split into nibble terms by the hardware.
    public let int8: Bool

    /// Creates a mode; int8 modes always carry type int.
    public init(type: AntType, signed: Bool, int8: Bool = false) {
        self.type = int8 ? .int : type
        self.signed = signed
        self.int8 = int8
    }

    /// Reduction steps this operand contributes per beat (2 for int8).
    public var terms: Int { int8 ? 2 : 1 }

    /// The number format whose codes this operand carries at `codeWidth`.
    public func format(codeWidth: Int) throws -> NumberFormat {
        try NumberFormat(kind: int8 ? .int : NumberKind(type), bits: int8 ? 8 : codeWidth, signed: signed)
    }

    /// Bits of the code that the value depends on.
    public func codeBits(codeWidth: Int) -> Int { int8 ? 8 : codeWidth }

    /// `flint4s`-style tag: type, bits, s/u; `int8s` for int8.
    public func tag(codeWidth: Int) -> String {
        int8 ? "int8\(signed ? "s" : "u")" : "\(type)\(codeWidth)\(signed ? "s" : "u")"
    }

    /// `flint/s/native` style description.
    public var description: String { "\(type)/\(signed ? "s" : "u")/\(int8 ? "int8" : "native")" }

    /// The packed form used in vector files: type | signed << 4 | int8 << 8.
    public var packed: UInt64 { UInt64(type.rawValue) | (signed ? 0x10 : 0) | (int8 ? 0x100 : 0) }

    /// Unpacks ``packed``; nil for words that are not a valid mode.
    public init?(packed: UInt64) {
        guard packed & ~0x113 == 0, let type = AntType(rawValue: Int(packed & 0x3)) else { return nil }
        if packed & 0x100 != 0 && type != .int { return nil }
        self.init(type: type, signed: packed & 0x10 != 0, int8: packed & 0x100 != 0)
    }
}

/// Why a golden configuration cannot be verified.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line naming the problem.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// The array build a vector file targets: dimensions, code width, W, enabled types, int8.
public struct ArrayConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// Largest W the vector format and harness support (one 64-bit word per result).
    public static let maximumAccumulatorWidth = 64

    /// Rows of PEs.
    public let rows: Int
    /// Columns of PEs.
    public let cols: Int
    /// Native code width.
    public let codeWidth: Int
    /// Accumulator width W.
    public let accumulatorWidth: Int
    /// Types the activation stream decodes.
    public let activationTypes: [AntType]
    /// Types the weight stream decodes.
    public let weightTypes: [AntType]
    /// Whether both streams accept int8.
    public let int8: Bool

    /// Validates the configuration against what the golden model can compute exactly.
    /// - Throws: ``ConfigurationError`` with one line naming the problem.
    public init(rows: Int, cols: Int, codeWidth: Int = 4, accumulatorWidth: Int, activationTypes: [AntType],
                weightTypes: [AntType], int8: Bool) throws {
        guard (1...256).contains(rows), (1...256).contains(cols) else {
            throw ConfigurationError("array \(rows)x\(cols) is outside 1…256 in a dimension")
        }
        guard (2...8).contains(codeWidth) else { throw ConfigurationError("code width \(codeWidth) is outside 2…8") }
        guard (2...Self.maximumAccumulatorWidth).contains(accumulatorWidth) else {
            throw ConfigurationError("accumulator width \(accumulatorWidth) is outside 2…\(Self.maximumAccumulatorWidth) (the harness holds each result in one 64-bit word)")
        }
        guard !activationTypes.isEmpty, !weightTypes.isEmpty else { throw ConfigurationError("no activation or weight type enabled") }
        if int8 && codeWidth != 4 { throw ConfigurationError("int8 needs code width 4, not \(codeWidth)") }
        self.rows = rows
        self.cols = cols
        self.codeWidth = codeWidth
        self.accumulatorWidth = accumulatorWidth
        self.activationTypes = Array(Set(activationTypes)).sorted()
        self.weightTypes = Array(Set(weightTypes)).sorted()
        self.int8 = int8
        for mode in activationModes + weightModes {
            do {
                let format = try mode.format(codeWidth: codeWidth)
                for code in 0..<format.codeCount { _ = try format.decode(code: code) }
            } catch {
                throw ConfigurationError("\(mode.tag(codeWidth: codeWidth)) cannot be verified exactly: \(error)")
            }
        }
    }

    /// Width of the code ports (8 with int8).
    public var codePortWidth: Int { int8 ? max(8, codeWidth) : codeWidth }

    /// Every activation mode the build supports (each type × signedness, then int8).
    public var activationModes: [OperandMode] { Self.modes(activationTypes, int8: int8) }
    /// Every weight mode the build supports.
    public var weightModes: [OperandMode] { Self.modes(weightTypes, int8: int8) }

    static func modes(_ types: [AntType], int8: Bool) -> [OperandMode] {
        var modes = types.flatMap { t in [false, true].map { OperandMode(type: t, signed: $0) } }
        if int8 { modes += [false, true].map { OperandMode(type: .int, signed: $0, int8: true) } }
        return modes
    }

    /// Bit mask of enabled types (bit = configuration code), as stored in the header.
    public static func typeMask(_ types: [AntType]) -> UInt64 { types.reduce(0) { $0 | (1 << UInt64($1.rawValue)) } }
    /// The types of a header mask.
    public static func types(fromMask mask: UInt64) -> [AntType] { AntType.allCases.filter { mask & (1 << UInt64($0.rawValue)) != 0 } }

    /// `8x8 bits4 W32 act int,flint weight pot int8 on`.
    public var description: String {
        "\(rows)x\(cols) bits\(codeWidth) W\(accumulatorWidth) act \(activationTypes.map(\.description).joined(separator: ",")) weight \(weightTypes.map(\.description).joined(separator: ",")) int8 \(int8 ? "on" : "off")"
    }
}
