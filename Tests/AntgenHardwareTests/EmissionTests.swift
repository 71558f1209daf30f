import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// One lint-sweep configuration.
struct SweepCase: CustomStringConvertible, Sendable {
    let rows: Int, cols: Int, act: [AntType], weight: [AntType], accumulatorWidth: Int, int8: Bool, codeWidth: Int
    var description: String {
        "\(rows)x\(cols) bits\(codeWidth) act \(act) weight \(weight) W\(accumulatorWidth) int8 \(int8)"
    }
    func parameters() throws -> ArrayParameters {
        try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth, activationTypes: act, weightTypes: weight,
                            accumulatorWidth: accumulatorWidth, int8: int8)
    }
}

@Suite struct EmissionTests {
    static let sweep: [SweepCase] = [
        SweepCase(rows: 1, cols: 1, act: [.int], weight: [.int], accumulatorWidth: 8, int8: false, codeWidth: 4),
        SweepCase(rows: 1, cols: 7, act: [.flint, .pot], weight: [.pot], accumulatorWidth: 24, int8: true, codeWidth: 4),
        SweepCase(rows: 3, cols: 5, act: AntType.allCases, weight: AntType.allCases, accumulatorWidth: 32, int8: true, codeWidth: 4),
        SweepCase(rows: 4, cols: 4, act: [.int, .pot], weight: [.flint, .float], accumulatorWidth: 20, int8: false, codeWidth: 4),
        SweepCase(rows: 8, cols: 8, act: [.int, .flint, .pot], weight: [.int, .flint, .pot], accumulatorWidth: 40, int8: true, codeWidth: 4),
        SweepCase(rows: 16, cols: 16, act: [.float], weight: [.float, .int], accumulatorWidth: 16, int8: false, codeWidth: 5),
        SweepCase(rows: 32, cols: 32, act: [.int, .flint, .pot], weight: [.int, .flint, .pot], accumulatorWidth: 32, int8: true, codeWidth: 4),
        SweepCase(rows: 2, cols: 3, act: [.int, .flint, .float], weight: [.int], accumulatorWidth: 48, int8: false, codeWidth: 8),
        SweepCase(rows: 5, cols: 2, act: AntType.allCases, weight: AntType.allCases, accumulatorWidth: 12, int8: false, codeWidth: 3),
        SweepCase(rows: 2, cols: 2, act: [.pot], weight: [.pot], accumulatorWidth: 200, int8: false, codeWidth: 7),
    ]

    /// Every module and the top pass Verilator -Wall (zero warnings), Icarus -Wall and Yosys check -assert.
    @Test(arguments: sweep)
    func lintClean(_ sweepCase: SweepCase) throws {
        let dir = try temporaryDirectory("lint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try emit(AntArray(try sweepCase.parameters()), to: dir)
        let findings = try VerilogLinter().lint(directory: dir, top: design.top.name)
        #expect(findings.count == 3)
        for finding in findings {
            #expect(finding.clean, "\(sweepCase): \(finding)")
        }
    }

    /// The same parameters give the same bytes: every Verilog file, the file list and the manifest.
    @Test func emissionIsDeterministic() throws {
        let p = try arrayParameters(6, 3, act: [.int, .flint, .pot], weight: [.pot, .float])
        var snapshots: [[String: Data]] = []
        for _ in 0..<2 {
            let dir = try temporaryDirectory("determinism")
            defer { try? FileManager.default.removeItem(at: dir) }
            let design = try emit(AntArray(p), to: dir)
            try ArrayManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: antgenVersion)
                .write(to: dir)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                files[name] = try Data(contentsOf: dir.appendingPathComponent(name))
            }
            snapshots.append(files)
        }
        #expect(snapshots[0].count == 12)  // 10 modules + file list + manifest
        #expect(snapshots[0] == snapshots[1])
    }

    /// The manifest lists the ports, the configuration encodings and the latency numbers.
    @Test func manifestDescribesTheTopLevel() throws {
        let p = try arrayParameters(3, 5, act: [.int, .pot], weight: [.flint], accumulatorWidth: 24)
        let design = try elaborate(AntArray(p))
        let manifest = ArrayManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: "test")
        let ports = Dictionary(uniqueKeysWithValues: manifest.ports.map { ($0.name, $0) })
        #expect(manifest.ports.prefix(2).map(\.name) == ["clock", "reset"])
        #expect(ports["a_code_2"]?.width == 8 && ports["a_code_3"] == nil)
        #expect(ports["w_code_4"]?.width == 8 && ports["w_code_5"] == nil)
        #expect(ports["out_data_4"]?.width == 24 && ports["out_data_4"]?.signed == true)
        #expect(ports["out_row"]?.width == 2)
        #expect(ports["in_ready"]?.direction == "output")
        #expect(ports["cfg_act_int8"]?.width == 1 && ports["cfg_weight_type"]?.width == 2)
        #expect(manifest.configuration["cfg_act_type"]?["2"] == "pot")
        #expect(manifest.configuration["cfg_weight_type"]?["0"]?.hasPrefix("int (not enabled") == true)
        #expect(manifest.latency["firstRowCycles4x4"] == "9")      // T + rows + cols = 1 + 3 + 5
        #expect(manifest.latency["lastRowCycles4x4"] == "11")
        #expect(manifest.modes.map(\.precision) == ["4x4", "8x4", "4x8", "8x8"])
        #expect(manifest.modes.map(\.firstRowLatency) == [9, 10, 10, 12])
        #expect(manifest.accumulator["minimumWidth"] == "\(p.minimumAccumulatorWidth)")
        #expect(manifest.accumulator["warning"] != nil)
        let json = try manifest.jsonText()
        #expect(json.hasSuffix("}\n"))
        #expect(json.range(of: "\"accumulator\"")!.lowerBound < json.range(of: "\"activation\"")!.lowerBound)
    }

    /// Without int8 the int8 ports do not exist and the code ports are native width.
    @Test func nativeOnlyBuildHasNoInt8Ports() throws {
        let p = try arrayParameters(2, 2, act: [.int], accumulatorWidth: 16, int8: false)
        let design = try elaborate(AntArray(p))
        let names = design.top.ports.map(\.name)
        #expect(!names.contains("cfg_act_int8") && !names.contains("cfg_weight_int8"))
        #expect(design.top.ports.first { $0.name == "a_code_0" }?.type.width == 4)
    }

    /// The committed default output (rtl-out/ant_32x32, `make demo`) is what the generator emits now.
    @Test func committedDefaultOutputIsUpToDate() throws {
        let committed = repositoryRoot.appendingPathComponent("rtl-out/ant_32x32")
        let dir = try temporaryDirectory("default")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = ArrayParameters.paperDefault
        let design = try emit(AntArray(p), to: dir)
        try ArrayManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: antgenVersion)
            .write(to: dir)
        // `antgen emit` also writes the FuseSoC core, from the same build parameters.
        let core = FuseSocCore(design: design, version: antgenVersion,
                               buildParameters: p.manifestFields.merging(["dataflow": "os"]) { a, _ in a },
                               summary: "antgen 32x32 ant output-stationary array")
        try Data(core.text.utf8).write(to: dir.appendingPathComponent(core.fileName))
        let fresh = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: committed.path).sorted()) ?? []
        #expect(existing == fresh, "rtl-out/ant_32x32 is stale: run `antgen emit -o rtl-out/ant_32x32`")
        for name in fresh where existing.contains(name) {
            let a = try Data(contentsOf: dir.appendingPathComponent(name))
            let b = try Data(contentsOf: committed.appendingPathComponent(name))
            #expect(a == b, "rtl-out/ant_32x32/\(name) is stale: run `antgen emit -o rtl-out/ant_32x32`")
        }
    }
}
