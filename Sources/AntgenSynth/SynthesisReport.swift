import Foundation

/// One module of a synthesized design.
public struct ModuleReport: Sendable, Equatable, Codable {
    /// Verilog module name.
    public let name: String
    /// The generator (circuit) that produced it, e.g. `ProcessingElement`.
    public let generator: String
    /// How many copies the whole design holds (1 for the top).
    public let instancesInDesign: Int
    /// Directly instantiated reported submodules and their counts.
    public let submodules: [String: Int]
    /// The module's own logic (its reported submodules excluded).
    public let own: ModuleCost
    /// The module with all of its submodules.
    public let total: ModuleCost
}

/// An iCE40 place-and-route frequency estimate.
public struct FrequencyEstimate: Sendable, Equatable, Codable {
    /// The nextpnr device option, e.g. `hx8k`.
    public let device: String
    /// The package, e.g. `ct256`.
    public let package: String
    /// The post-route maximum clock frequency.
    public let megahertz: Double
}

/// The synthesis report of one design: per module and for the whole design.
public struct SynthesisReport: Sendable, Equatable, Codable {
    /// `Yosys 0.23 (git sha1 …)`.
    public let yosysVersion: String
    /// The top module.
    public let top: String
    /// The build parameters (as in `manifest.json`), when the design is an array.
    public let parameters: [String: String]
    /// The `abc -g` gate library.
    public let gateLibrary: [String]
    /// The NAND2-equivalent weights used.
    public let nand2Weights: [String: Double]
    /// Reported modules, dependencies first, the top last.
    public let modules: [ModuleReport]
    /// The whole design (the top's total).
    public let design: ModuleCost
    /// The optional nextpnr estimate.
    public let fmax: FrequencyEstimate?

    /// Creates a report.
    public init(yosysVersion: String, top: String, parameters: [String: String], modules: [ModuleReport],
                fmax: FrequencyEstimate?) {
        self.yosysVersion = yosysVersion
        self.top = top
        self.parameters = parameters
        gateLibrary = GateLibrary.abcGates
        nand2Weights = GateLibrary.nand2Weights
        self.modules = modules
        design = modules.last { $0.name == top }?.total ?? .empty
        self.fmax = fmax
    }

    /// The reports of every module a generator produced (e.g. all `OperandDecoder`s).
    public func modules(generator: String) -> [ModuleReport] { modules.filter { $0.generator == generator } }

    /// NAND2 equivalents of all copies of the modules from `generator`, in the whole design.
    public func designShare(ofGenerator generator: String) -> Double {
        modules(generator: generator).reduce(0) { $0 + Double($1.instancesInDesign) * $1.total.nand2Equivalent }
    }

    /// Deterministic JSON: sorted keys, pretty-printed, trailing newline.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

extension SynthesisReport {
    /// The whole design's cost with the totals of some modules replaced (to price a
    /// variant of a submodule in every position it occupies).
    public func designTotal(substituting substitutes: [String: ModuleCost]) -> ModuleCost {
        let rollup = HierarchyRollup(own: Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0.own) }),
                                     submodules: Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0.submodules) }),
                                     order: modules.map(\.name))
        return rollup.totals(substituting: substitutes)[top] ?? .empty
    }
}
