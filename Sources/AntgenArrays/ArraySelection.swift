import AntgenHardware
import AntgenNumerics
import ArgumentParser
import Foundation

/// An `--array` value: the name of a registered variant.
public struct ArrayName: ExpressibleByArgument, Sendable, Equatable {
    /// The variant's name.
    public let name: String

    public init?(argument: String) {
        guard VariantRegistry.names.contains(argument) else { return nil }
        name = argument
    }

    /// The registered names, for help and completion.
    public static var allValueStrings: [String] { VariantRegistry.names }
    public var defaultValueDescription: String { name }
}

extension ArrayDataflow: ExpressibleByArgument {}

/// The one array selector every command shares: `--array NAME [--dataflow os|ws]`, the array
/// options common to several variants, and each variant's own option group. An option given
/// for a variant other than the selected one is a one-line error, never silently ignored.
public struct ArraySelection: ParsableArguments {
    @Option(help: ArgumentHelp("The hardware array (`antgen arrays` lists each with its options).", valueName: "name"))
    public var array: ArrayName = ArrayName(argument: "ant")!

    @Option(help: "Dataflow where the array has both: os (output-stationary) or ws (weight-stationary; ant only).")
    public var dataflow: ArrayDataflow?

    @OptionGroup(title: "Array options (all arrays)")
    public var shared: SharedArrayOptions

    @OptionGroup(title: "ANT array options")
    public var ant: AntOptions

    @OptionGroup(title: "SDP array options")
    public var sdp: SdpOptions

    @OptionGroup(title: "MX array options")
    public var mx: MxOptions

    @OptionGroup(title: "FP-on-INT array options") public var fpint: FpIntOptions

    public init() {}

    /// The selected variant's type.
    public var variantType: any ArrayVariant.Type { (try? VariantRegistry.type(named: array.name)) ?? AntVariant.self }

    /// Options given on the command line that the selected variant does not take.
    public var foreignOptions: [String] {
        let type = variantType
        var given = shared.given.filter { !type.sharedOptions.contains($0) }
        if type != AntVariant.self { given += ant.given }
        if type != SdpVariant.self { given += sdp.given }
        if type != MxVariant.self { given += mx.given }
        if type != FpIntVariant.self { given += fpint.given }
        return given
    }

    public func validate() throws {
        let type = variantType
        if let flow = dataflow, !type.dataflows.contains(flow) {
            throw ValidationError("--array \(type.name) is \(type.dataflows.map(\.longName).joined(separator: " or ")); it takes no --dataflow \(flow)")
        }
        if let option = foreignOptions.first {
            let owners = VariantRegistry.all.filter { $0.takes(option) }.map { "--array \($0.name)" }
            throw ValidationError("\(option) is not an option of --array \(type.name)\(owners.isEmpty ? "" : " (it is for \(owners.joined(separator: ", ")))")")
        }
        if shared.psumPreload && shared.psumCodec {
            throw ValidationError("--psum-preload and --psum-codec are one choice (--psum-codec includes the preload queue)")
        }
    }

    /// Every array option given, by flag name (the shared ones and every variant's group).
    public var givenOptions: [String] { shared.given + ant.given + sdp.given + mx.given + fpint.given }

    /// Refuses, in one line, a given option that the selected variant uses only on other
    /// commands (``ArrayVariant/layerOptions``), e.g. `--fpint-window2-rate` on `emit`.
    /// - Throws: `ValidationError` (exit 64).
    public func refuseOptions(notTakenBy command: String) throws {
        let type = variantType
        for option in givenOptions {
            if let users = type.layerOptions[option], !users.contains(command) {
                throw ValidationError("\(option) is not an option of `antgen \(command)` (it is for \(users.joined(separator: ", ")))")
            }
        }
    }

    /// The selected variant, validated.
    /// - Throws: the variant's one-line error.
    public func variant() throws -> any ArrayVariant {
        let type = variantType
        return try type.init(selection: self, dataflow: dataflow ?? type.dataflows[0])
    }

    /// The selected variant resized to `rows × cols` (a perf sweep), or as given for nil.
    public func variant(rows: Int, cols: Int) throws -> any ArrayVariant {
        var copy = self
        copy.shared.rows = rows
        copy.shared.cols = cols
        return try copy.variant()
    }
}

extension ArrayVariant {
    /// The variant from the parsed selector.
    init(selection: ArraySelection, dataflow: ArrayDataflow) throws {
        try self.init(try Self.configuration(from: selection), dataflow: dataflow)
    }

    /// True when `option` (`--group`) is one of this variant's.
    static func takes(_ option: String) -> Bool {
        sharedOptions.contains(option) || ownOptions.contains(option)
    }
}

/// The options several arrays share. Each is optional so that a value given for an array that
/// does not take it is refused rather than ignored; the defaults are in the help.
public struct SharedArrayOptions: ParsableArguments {
    @Option(help: "PE rows (default 32).") public var rows: Int?
    @Option(help: "PE columns (default 32).") public var cols: Int?
    @Option(help: "Accumulator width W in bits (default 32).") public var accWidth: Int?
    @Flag(inversion: .prefixedNo, help: "int8 operands through 4-bit nibble terms (default on; ant: both streams, pwlq: activations, sdp: weights).")
    public var int8: Bool?
    @Option(name: .customLong("max-k"), help: "Longest reduction K the minimum-W check assumes (default 4608; ant, pwlq).")
    public var maxK: Int?
    @Option(help: "ant: native code width (2…8, default 4); pwlq: the weight's bits b (2…8, default 4).")
    public var codeWidth: Int?
    @Option(help: "Types both ANT streams decode, comma-separated: int, flint, pot, float (default int,flint,pot; ant, and sdp's weights).")
    public var types: String?
    @Option(help: "Activation types (ant; overrides --types).") public var actTypes: String?
    @Option(help: "Weight types (ant, sdp; overrides --types).") public var weightTypes: String?
    @Flag(name: .customLong("psum-preload"), help: "The partial-sum preload queue at the outputs (ant os, pwlq; docs/architecture.md §14).")
    public var psumPreload = false
    @Flag(name: .customLong("psum-codec"), help: "The partial-sum stage with the 12-bit codec on both sides (ant os, pwlq; includes the preload queue).")
    public var psumCodec = false

    public init() {}

    /// The options given, by their flag names.
    public var given: [String] {
        [("--rows", rows != nil), ("--cols", cols != nil), ("--acc-width", accWidth != nil), ("--int8/--no-int8", int8 != nil),
         ("--max-k", maxK != nil), ("--code-width", codeWidth != nil), ("--types", types != nil), ("--act-types", actTypes != nil),
         ("--weight-types", weightTypes != nil), ("--psum-preload", psumPreload), ("--psum-codec", psumCodec)].filter(\.1).map(\.0)
    }

    /// The partial-sum mode the flags ask for.
    public var partialSums: PartialSumMode { psumCodec ? .codec : psumPreload ? .preload : .none }

    /// A comma-separated type list (each name checked when the variant is made).
    public static func typeList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }
}

/// `--plan`: the ANT array sized for a plan from `antgen tune --plan`.
public struct AntOptions: ParsableArguments {
    @Option(help: "A plan from `antgen tune --plan`: enable exactly its types and precisions and size W for it (replaces --code-width, --types, --acc-width, --int8).")
    public var plan: String?

    public init() {}

    /// The options given.
    public var given: [String] { plan == nil ? [] : ["--plan"] }
}

/// `--group G --terms T`: the SDP array's part budget.
public struct SdpOptions: ParsableArguments {
    @Option(help: "Values per group G: 2, 4, 8 or 16 (default 8).") public var group: Int?
    @Option(help: "Kept parts per group T, 1…2G (default G: 4 bits on average).") public var terms: Int?

    public init() {}

    /// The options given.
    public var given: [String] { [("--group", group != nil), ("--terms", terms != nil)].filter(\.1).map(\.0) }
}

/// `--mx-formats F …`: the OCP MX array's formats and accumulator.
public struct MxOptions: ParsableArguments {
    @Option(name: .customLong("mx-formats"), help: "Element formats both streams decode, comma-separated: fp4, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, int8, or all (default fp4,fp8e4m3).")
    public var formats: String?
    @Option(name: .customLong("mx-acc"), help: "Accumulator: fp32 (FP32 adder, default) or window (fixed point with a bounded alignment window).")
    public var accumulator: String?
    @Option(name: .customLong("mx-window"), help: "Alignment window S in bits for --mx-acc window, 0…32 (default 8).")
    public var window: Int?
    @Option(name: .customLong("mx-block-size"), help: "Block size k (OCP MX v1.0: 32, the default); rows must not exceed it.")
    public var blockSize: Int?
    @Option(name: .customLong("mx-max-blocks"), help: "Blocks per tile the window accumulator is sized for; it wraps beyond (default 128).")
    public var maxBlocks: Int?

    public init() {}

    /// The options given.
    public var given: [String] {
        [("--mx-formats", formats != nil), ("--mx-acc", accumulator != nil), ("--mx-window", window != nil),
         ("--mx-block-size", blockSize != nil), ("--mx-max-blocks", maxBlocks != nil)].filter(\.1).map(\.0)
    }

    /// Parses a format list (`fp4,int8`, `mxfp4`, `all`).
    /// - Throws: ``VariantError`` naming an unknown format.
    public static func parseFormats(_ text: String) throws -> [MxElementFormat] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if names == ["all"] { return MxElementFormat.allCases }
        let formats = try names.map { name -> MxElementFormat in
            let bare = name.hasPrefix("mx") ? String(name.dropFirst(2)) : name
            guard let format = MxElementFormat(rawValue: bare) else {
                throw VariantError("invalid mx-formats: unknown format '\(name)' (use fp4, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, int8 or all)")
            }
            return format
        }
        guard !formats.isEmpty else { throw VariantError("invalid mx-formats: no format given") }
        return formats
    }
}
