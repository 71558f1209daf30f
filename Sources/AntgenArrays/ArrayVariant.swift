import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenPerf
import Foundation

/// One hardware array the product builds (the ANT array, PWLQ, SDP, MX, …): everything a
/// command needs to emit, lint, verify, synthesize, run and model it, in one typed value.
///
/// A variant is a validated configuration (``configuration``, Codable, so manifests,
/// reproduce lines and plans carry it) plus the dataflow it is built for. Every command
/// loops over ``VariantRegistry/all`` instead of switching on flags, so a new variant is
/// its own files and one line in the registry (docs/architecture.md, "Adding an array
/// variant").
public protocol ArrayVariant: Sendable {
    /// The user-facing configuration: what `--array NAME` and the variant's options parse to.
    associatedtype Configuration: Codable, Sendable, Equatable
    /// The variant's named hardware defects (mutants a verification must catch).
    associatedtype Defect: RawRepresentable, CaseIterable, Sendable, CustomStringConvertible where Defect.RawValue == String

    /// The `--array` name (`ant`, `pwlq`, …).
    static var name: String { get }
    /// One line for `antgen arrays` and help texts.
    static var summary: String { get }
    /// The dataflows the variant is built for; the first is the default.
    static var dataflows: [ArrayDataflow] { get }
    /// The document that specifies it (e.g. `docs/architecture.md §13`).
    static var specification: String { get }

    /// The validated configuration.
    var configuration: Configuration { get }
    /// The dataflow of this build.
    var dataflow: ArrayDataflow { get }
    /// PE rows and columns.
    var rows: Int { get }
    var cols: Int { get }

    /// Validates `configuration` for `dataflow`.
    /// - Throws: an error whose description is one line naming the bad value.
    init(_ configuration: Configuration, dataflow: ArrayDataflow) throws

    /// The top circuit, elaborated for simulation and emission.
    func elaborate() throws -> Design
    /// The top circuit elaborated for Yosys (unique modules kept apart where the cost report needs them).
    func elaborateForSynthesis() throws -> Design
    /// The manifest written next to the Verilog, as JSON text.
    func manifestJSON(for design: Design) throws -> String
    /// The default folder `antgen emit` writes to (every RTL-changing parameter in its name).
    var defaultFolder: String { get }
    /// The lines `antgen emit` prints about a build (after the common header).
    func summaryLines(for design: Design) -> [String]
    /// Warnings about the configuration (e.g. an accumulator narrower than K needs).
    var warnings: [String] { get }
    /// The parameters a synthesis report records.
    var synthesisFields: [String: String] { get }

    /// The named defect as the verifiers inject it into this build's elaboration.
    /// - Throws: when the build has no site for the defect (e.g. a partial-sum defect on a
    ///   build without the stage).
    func designDefect(_ defect: Defect) throws -> any DesignDefect

    /// Verifies the RTL (with `defect` injected, if any: a named defect or a drawn IR
    /// mutation) against golden vectors from the variant's Swift reference on the requested
    /// simulators.
    func verify(_ request: VerifyRequest, injecting defect: (any DesignDefect)?) throws -> VerifyOutcome
    /// Runs a real float layer through the RTL, quantized as ``computeLayer(_:precision:)``
    /// quantizes it, every integer output checked against the golden model (the same words
    /// `computeLayer` dequantises, so a bit-exact run's output equals its output).
    /// - Throws: ``VariantError`` for a precision the build cannot run, or the harness's error.
    func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, defect: Defect?) throws -> LayerRunOutcome
    /// ``run(_:precision:_:defect:)`` on the real hardware with the layer's quantized weights
    /// kept in `weights` across calls, as ``computeLayer(_:precision:weights:)`` keeps them (the
    /// same memo serves both). The default quantizes anew.
    func run(_ layer: FloatLayer, precision: LayerPrecision, _ request: LayerRunRequest, weights: WeightMemo?) throws -> LayerRunOutcome
    /// The golden path of a layer, no simulator: quantized in this array's formats per
    /// `precision`, the integer GEMM by the variant's golden model (on every core), dequantised.
    /// `weights` (nil: none) keeps the layer's quantized weights across calls; `layer.w` must
    /// then be the same weights at every call with that memo.
    /// - Throws: ``VariantError`` (one line) for a precision the build cannot run.
    func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights: WeightMemo?) throws -> LayerComputation
    /// The array as the performance model sees it (exact cycles, traffic, energy): its
    /// ``perfShape`` on its ``streamTiming``.
    func perfArray(clockMHz: Double, buffers: BufferSizes) throws -> PerfArray
    /// How the performance model runs a layer on this build (one ``ArrayPerfShape`` type per variant).
    var perfShape: any ArrayPerfShape { get throws }
    /// The exact cycle model of the top level: the hardware parameters' value, the one the
    /// manifest states its latencies from and ``perfArray(clockMHz:buffers:)`` counts with.
    var streamTiming: StreamTiming { get }
    /// How the top streams (handshake, operand and result port groups, drain order, timing);
    /// checked against the top's ports whenever the design is packaged.
    var streamProtocol: StreamProtocol { get }

    /// The configurations `antgen verify --regress` runs for this variant.
    static func regression(seed: UInt64) throws -> [RegressionEntry]
    /// Runs one entry of ``regression(seed:)`` (the default: ``verify(_:defect:)`` with the
    /// entry's cases, simulators and defect).
    func verifyRegression(_ entry: RegressionEntry, _ request: VerifyRequest) throws -> VerifyOutcome
    /// The command-line options (after `--array NAME`) that rebuild this configuration.
    var arguments: [String] { get }

    /// A small build every command runs in seconds: the registry walk's test configuration and
    /// `make demo`'s smoke runs.
    static var smallConfiguration: Configuration { get }

    /// The shared array options (``SharedArrayOptions``) this variant takes, by flag name.
    static var sharedOptions: Set<String> { get }
    /// The variant's own options, by flag name (its group in ``ArraySelection``).
    static var ownOptions: [String] { get }
    /// Own options that set how a layer is run or modelled rather than the hardware, each with
    /// the commands that use it; every other command refuses it
    /// (``ArraySelection/refuseOptions(notTakenBy:)``). Default: none (every option builds hardware).
    static var layerOptions: [String: [String]] { get }
    /// The configuration the parsed selector describes.
    static func configuration(from selection: ArraySelection) throws -> Configuration
}

extension ArrayVariant {
    /// The named defect `name`, or nil for `none`.
    /// - Throws: ``VariantError`` listing the defects this variant has.
    public static func defect(named name: String?) throws -> Defect? {
        guard let name, name != "none" else { return nil }
        guard let defect = Defect(rawValue: name) else {
            throw VariantError("invalid mutation: '\(name)' is not a defect of --array \(Self.name) (use none, \(Defect.allCases.map(\.description).joined(separator: ", ")))")
        }
        return defect
    }

    public func verifyRegression(_ entry: RegressionEntry, _ request: VerifyRequest) throws -> VerifyOutcome {
        var r = request
        r.cases = entry.cases
        r.simulators = entry.simulators
        if let bubbles = entry.bubbles { r.bubbles = bubbles }
        return try verify(r, defect: try Self.defect(named: entry.defect))
    }

    /// The small build of ``smallConfiguration`` for `dataflow`.
    public static func small(dataflow: ArrayDataflow) throws -> Self { try Self(smallConfiguration, dataflow: dataflow) }

    /// `design` (this variant's elaboration) with `defect` injected.
    public func inject(_ defect: Defect, into design: Design) throws -> Design { try designDefect(defect).apply(to: design) }

    /// Verifies the RTL with a named defect injected (nil: the real hardware).
    public func verify(_ request: VerifyRequest, defect: Defect?) throws -> VerifyOutcome {
        try verify(request, injecting: try defect.map(designDefect))
    }

    /// True when this build has a site for the named defect (it can be injected).
    public func applies(defectNamed name: String) -> Bool {
        guard let defect = try? Self.defect(named: name), let design = try? elaborate() else { return false }
        return (try? inject(defect, into: design)) != nil
    }

    /// `8x8 ant`: the shape and the array's name, for status lines.
    public var configurationSummary: String { "\(rows)x\(cols) \(Self.name)" }

    public static var layerOptions: [String: [String]] { [:] }

    /// Every named defect.
    public static var defectNames: [String] { Defect.allCases.map(\.description) }

    /// `--array NAME [--dataflow D] …`: the full selector and options of this build.
    public var selectorArguments: [String] {
        ["--array", Self.name] + (Self.dataflows.count > 1 ? ["--dataflow", dataflow.rawValue] : []) + arguments
    }
}

/// One configuration of the regression sweep, with its case count and simulators; a
/// defect entry must be caught (it counts as one passed case when killed).
public struct RegressionEntry: Sendable {
    /// The build.
    public let variant: any ArrayVariant
    /// Golden cases.
    public let cases: Int
    /// The defect to inject (nil: the real hardware).
    public let defect: String?
    /// Simulators to run.
    public let simulators: [SimulatorKind]
    /// Seed of `in_valid` bubbles (nil: the request's).
    public let bubbles: Int?
    /// A variant's own finer plan for the entry (e.g. the ANT array's case sources and X
    /// seeds); only that variant reads it.
    public let detail: (any Sendable)?

    /// Creates an entry.
    public init(_ variant: any ArrayVariant, cases: Int, defect: String? = nil, simulators: [SimulatorKind] = [.verilator, .icarus],
                bubbles: Int? = nil, detail: (any Sendable)? = nil) {
        self.variant = variant
        self.cases = cases
        self.defect = defect
        self.simulators = simulators
        self.bubbles = bubbles
        self.detail = detail
    }

    /// The entry's name in reports: the variant's selector, and the defect.
    public var name: String {
        (variant.selectorArguments.joined(separator: " ")) + (defect.map { " --mutation \($0)" } ?? "")
    }
}

/// A variant that cannot be built as asked: one line naming the problem.
public struct VariantError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
