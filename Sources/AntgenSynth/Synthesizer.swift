import AntgenDSL
import AntgenSupport
import AntgenVerilog
import Foundation

/// What a synthesis run should do beyond the two standard flows.
public struct SynthesisOptions: Sendable, Equatable {
    /// Flatten the whole design and report only the top (lets constants cross module
    /// boundaries, e.g. an exponent tied to zero removes the shifter it feeds).
    public var flatten: Bool
    /// Also place and route with nextpnr-ice40 for a maximum-frequency estimate.
    public var estimateFrequency: Bool
    /// nextpnr device option (`hx8k`: 7680 logic cells).
    public var device: String
    /// nextpnr package option (`ct256`: 206 user I/Os).
    public var package: String
    /// Also run the iCE40 flow (LUT4s, carries); off, the report's iCE40 counts are empty and
    /// synthesis takes about half the time (`antgen perf` needs only the generic cells).
    public var ice40 = true

    /// Creates the options.
    public init(flatten: Bool = false, estimateFrequency: Bool = false, device: String = "hx8k", package: String = "ct256") {
        self.flatten = flatten
        self.estimateFrequency = estimateFrequency
        self.device = device
        self.package = package
    }
}

/// Runs the generic and iCE40 Yosys flows (and optionally nextpnr) on an elaborated
/// design in a private temporary folder and assembles a ``SynthesisReport``.
///
/// Reported modules: the top and every module that has registers or submodules
/// (`OperandDecoder`, `ProcessingElement`, `TileArray`); purely combinational leaves
/// (the per-type decoders) are flattened into their parent. Each reported module is
/// synthesized once, however many copies the design holds, and totals are rolled up
/// (``HierarchyRollup``), so a 32 × 32 array costs seconds, not a flat 1024-PE netlist.
public struct Synthesizer: Sendable {
    /// The tools to run.
    public let tools: ToolInvocation
    /// `yosys -V`, asked once (nil when Yosys is missing; `synthesize` then says so).
    private let knownYosysVersion: String?

    /// Creates a synthesizer using `tools`.
    public init(tools: ToolInvocation = ToolInvocation()) {
        self.tools = tools
        knownYosysVersion = try? tools.yosysVersion()
    }

    /// `Yosys 0.23 (git sha1 …)`.
    /// - Throws: ``SynthesisError`` when Yosys is missing or fails.
    public func yosysVersion() throws -> String {
        if let knownYosysVersion { return knownYosysVersion }
        return try tools.yosysVersion()
    }

    /// Modules below the top that are reported on their own (see the type's description).
    public static func keptModules(of design: Design) -> [String] {
        design.modules.filter { module in
            module !== design.top && (!module.instances.isEmpty || module.signals.contains {
                if case .register = $0.kind { return true } else { return false }
            })
        }.map(\.name)
    }

    /// Synthesizes `design`; `parameters` are copied into the report.
    /// - Throws: ``SynthesisError`` (missing tool, tool failure with its first error line, unreadable report).
    public func synthesize(_ design: Design, parameters: [String: String] = [:],
                           options: SynthesisOptions = SynthesisOptions()) throws -> SynthesisReport {
        let version = try yosysVersion()
        if options.estimateFrequency {
            do { _ = try tools.nextpnr.locate() } catch let error as ToolError { throw SynthesisError(error) }
        }
        return try inWrittenDesign(design, label: "synth") { folder, verilog in
            try synthesize(design, verilog: verilog, in: folder, version: version, parameters: parameters, options: options)
        }
    }

    /// Runs `body` on `design` written as Verilog into a new temporary folder (its `.v` file
    /// names given), removed afterwards and on Ctrl-C.
    func inWrittenDesign<T>(_ design: Design, label: String, _ body: (URL, [String]) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("antgen-\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        InterruptCleanup.track(folder)
        defer { try? FileManager.default.removeItem(at: folder); InterruptCleanup.untrack(folder) }
        let written: [URL]
        do {
            written = try VerilogBackend().write(design, to: folder)
        } catch {
            throw SynthesisError.invalidDesign("cannot write Verilog to \(folder.path): \(error.localizedDescription)")
        }
        return try body(folder, written.map(\.lastPathComponent).filter { $0.hasSuffix(".v") })
    }

    private func synthesize(_ design: Design, verilog: [String], in folder: URL, version: String,
                            parameters: [String: String], options: SynthesisOptions) throws -> SynthesisReport {
        let kept = options.flatten ? [] : Self.keptModules(of: design)
        let script = YosysScript(files: verilog, top: design.top.name, kept: kept)

        try tools.runYosys(script: script.generic, named: "generic.ys", in: folder)
        let generic = try YosysReportParser.cellCounts(fromStat: read(YosysScript.genericStatFile, in: folder))
        let depths = YosysReportParser.longestPaths(fromLTP: try read(YosysScript.longestPathFile, in: folder))
        var ice40: [String: CellCounts] = [:]
        if options.ice40 {
            try tools.runYosys(script: script.ice40, named: "ice40.ys", in: folder)
            ice40 = try YosysReportParser.cellCounts(fromStat: read(YosysScript.ice40StatFile, in: folder))
        }

        let reported = kept + [design.top.name]
        let reportedSet = Set(reported)
        var own: [String: ModuleCost] = [:]
        var submodules: [String: [String: Int]] = [:]
        for name in reported {
            let genericSplit = (generic[name] ?? CellCounts()).partitioned { reportedSet.contains($0) }
            let ice40Split = (ice40[name] ?? CellCounts()).partitioned { reportedSet.contains($0) }
            submodules[name] = genericSplit.included.byType
            own[name] = ModuleCost(genericCells: genericSplit.excluded, ice40Cells: ice40Split.excluded,
                                   logicDepth: depths[name] ?? 0)
        }
        let rollup = HierarchyRollup(own: own, submodules: submodules, order: reported)
        let totals = rollup.totals()
        let copies = rollup.instancesInDesign
        let generators = Dictionary(design.modules.map { ($0.name, $0.circuitName) }, uniquingKeysWith: { a, _ in a })
        let modules = reported.map { name in
            ModuleReport(name: name, generator: generators[name] ?? name, instancesInDesign: copies[name] ?? 0,
                         submodules: submodules[name] ?? [:], own: own[name] ?? .empty, total: totals[name] ?? .empty)
        }
        let fmax = options.estimateFrequency ? try estimateFrequency(script, options: options, in: folder) : nil
        return SynthesisReport(yosysVersion: version, top: design.top.name, parameters: parameters,
                               modules: modules, fmax: fmax)
    }

    /// Flat `synth_ice40`, then nextpnr-ice40 with a fixed seed; the post-route estimate.
    private func estimateFrequency(_ script: YosysScript, options: SynthesisOptions, in folder: URL) throws -> FrequencyEstimate {
        let netlist = "netlist.json"
        try tools.runYosys(script: script.ice40Netlist(json: netlist), named: "netlist.ys", in: folder)
        let log = try tools.runNextpnr(["--\(options.device)", "--package", options.package, "--json", netlist,
                                        "--pcf-allow-unconstrained", "--seed", "1", "--freq", "12"], in: folder)
        guard let megahertz = YosysReportParser.maxFrequency(fromNextpnr: log) else {
            throw SynthesisError.unreadableReport("nextpnr timing", YosysReportParser.firstError(in: log))
        }
        return FrequencyEstimate(device: options.device, package: options.package, megahertz: megahertz)
    }

    /// Reads a report file the flow wrote.
    func read(_ name: String, in folder: URL) throws -> String {
        do {
            return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        } catch {
            throw SynthesisError.unreadableReport(name, "the file is missing: \(error.localizedDescription)")
        }
    }
}
