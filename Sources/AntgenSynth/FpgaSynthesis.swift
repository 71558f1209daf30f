import AntgenDSL
import AntgenSupport
import AntgenVerilog
import Foundation

/// One module of an FPGA-mapped design.
public struct FpgaModuleReport: Sendable, Equatable, Codable {
    /// Verilog module name.
    public let name: String
    /// The generator (circuit) that produced it, e.g. `ProcessingElement`.
    public let generator: String
    /// How many copies the whole design holds (1 for the top).
    public let instancesInDesign: Int
    /// Directly instantiated reported submodules and their counts.
    public let submodules: [String: Int]
    /// The module's own mapped cells by type (its reported submodules excluded).
    public let ownCells: CellCounts
    /// The resources of its own cells.
    public let own: FpgaResources
    /// The resources of the module with everything below it.
    public let total: FpgaResources
}

/// The FPGA resource estimate of one design for one family (`antgen synth --fpga`).
public struct FpgaReport: Sendable, Equatable, Codable {
    /// `Yosys 0.23 (git sha1 …)`.
    public let yosysVersion: String
    /// The family the design was mapped to.
    public let family: FpgaFamily
    /// The top module.
    public let top: String
    /// The build parameters (as in `manifest.json`).
    public let parameters: [String: String]
    /// Reported modules, dependencies first, the top last.
    public let modules: [FpgaModuleReport]
    /// Every mapped cell of the whole design, by type.
    public let designCells: CellCounts
    /// The whole design's resources (the top's total).
    public let design: FpgaResources
    /// The fit on each part asked for (none without `--device`).
    public let verdicts: [FitVerdict]

    /// Creates a report; the `devices` must be of `family`.
    public init(yosysVersion: String, family: FpgaFamily, top: String, parameters: [String: String],
                modules: [FpgaModuleReport], designCells: CellCounts, devices: [FpgaDevice]) {
        self.yosysVersion = yosysVersion
        self.family = family
        self.top = top
        self.parameters = parameters
        self.modules = modules
        self.designCells = designCells
        let design = modules.last { $0.name == top }?.total ?? FpgaResources()
        self.design = design
        verdicts = devices.map { $0.verdict(for: design) }
    }

    /// Deterministic JSON: sorted keys, pretty-printed, trailing newline.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Builds the report from a family flow's `stat` cells per module: splits each kept
    /// module's submodule instances off its own cells and rolls the resources up.
    /// - Parameters:
    ///   - stat: cells per module, as ``YosysReportParser/cellCounts(fromStat:)`` reads them.
    ///   - reported: the kept modules and the top, dependencies first, the top last.
    ///   - generators: the generator name of each module (defaults to the module name).
    public init(stat: [String: CellCounts], reported: [String], generators: [String: String], family: FpgaFamily,
                yosysVersion: String, parameters: [String: String], devices: [FpgaDevice]) {
        let kept = Set(reported)
        var ownCells: [String: CellCounts] = [:]
        var submodules: [String: [String: Int]] = [:]
        for name in reported {
            let split = (stat[name] ?? CellCounts()).partitioned { kept.contains($0) }
            submodules[name] = split.included.byType
            ownCells[name] = split.excluded
        }
        let own = ownCells.mapValues { family.resources(of: $0) }
        let totals = HierarchyRollup(own: own, submodules: submodules, order: reported).totals()
        let cellRollup = HierarchyRollup(own: ownCells, submodules: submodules, order: reported)
        let copies = cellRollup.instancesInDesign
        let top = reported.last ?? ""
        let modules = reported.map { name in
            FpgaModuleReport(name: name, generator: generators[name] ?? name, instancesInDesign: copies[name] ?? 0,
                             submodules: submodules[name] ?? [:], ownCells: ownCells[name] ?? CellCounts(),
                             own: own[name] ?? FpgaResources(), total: totals[name] ?? FpgaResources())
        }
        self.init(yosysVersion: yosysVersion, family: family, top: top, parameters: parameters, modules: modules,
                  designCells: cellRollup.totals()[top] ?? CellCounts(), devices: devices)
    }
}

extension Synthesizer {
    /// Maps `design` to `family` with its Yosys flow and reports the resources per module
    /// and in total, with the fit on each of `devices`. Kept modules (see
    /// ``Synthesizer/keptModules(of:)``) are mapped once however many copies there are.
    /// - Throws: ``SynthesisError`` (missing tool, tool failure or timeout, unreadable report,
    ///   a device of another family).
    public func synthesizeFPGA(_ design: Design, family: FpgaFamily, devices: [FpgaDevice] = [],
                               parameters: [String: String] = [:]) throws -> FpgaReport {
        if let device = devices.first(where: { $0.family != family }) {
            throw SynthesisError.invalidDesign("\(device.name) belongs to \(device.family.rawValue), not \(family.rawValue)")
        }
        let version = try yosysVersion()
        return try inWrittenDesign(design, label: "fpga") { folder, verilog in
            let kept = Self.keptModules(of: design)
            let script = YosysScript(files: verilog, top: design.top.name, kept: kept)
            try tools.runYosys(script: script.fpga(family), named: "fpga.ys", in: folder)
            let statText = try read(YosysScript.fpgaStatFile, in: folder)
            let generators = Dictionary(design.modules.map { ($0.name, $0.circuitName) }, uniquingKeysWith: { a, _ in a })
            return FpgaReport(stat: try YosysReportParser.cellCounts(fromStat: statText), reported: kept + [design.top.name],
                              generators: generators, family: family, yosysVersion: version, parameters: parameters, devices: devices)
        }
    }
}
