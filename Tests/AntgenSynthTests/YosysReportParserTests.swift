import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenSynth
import AntgenVerilog
import Foundation
import Testing

/// The parsers on reports Yosys writes in the test itself (never hand-written text).
@Suite struct YosysReportParserTests {
    /// A fresh folder holding the Verilog of `circuit`; the caller removes it.
    static func folder(with circuit: some Circuit) throws -> (URL, Design) {
        let design = try elaborateForSynthesis(circuit)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-synth-test-\(UUID().uuidString)")
        try VerilogBackend().write(design, to: folder)
        return (folder, design)
    }

    @Test func statTextMatchesYosysOwnJSONForOneModule() throws {
        let (folder, design) = try Self.folder(with: FlintDecoder(codeWidth: 4))
        defer { try? FileManager.default.removeItem(at: folder) }
        let top = design.top.name
        let script = """
            read_verilog \(top).v
            synth -top \(top)
            abc -g \(GateLibrary.abcGates.joined(separator: ","))
            tee -q -o stat.txt stat
            tee -q -o stat.json stat -json
            tee -q -o ltp.txt ltp -noff
            """
        try ToolInvocation().runYosys(script: script, named: "parse.ys", in: folder)
        let parsed = try YosysReportParser.cellCounts(fromStat: String(contentsOf: folder.appendingPathComponent("stat.txt"), encoding: .utf8))
        // One module, no selection: here Yosys 0.23's JSON is valid and serves as the reference.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("stat.json"))) as! [String: Any]
        let modules = json["modules"] as! [String: [String: Any]]
        let reference = modules["\\" + top]!["num_cells_by_type"] as! [String: Int]
        #expect(parsed.keys.sorted() == [top])
        #expect(parsed[top]!.byType == reference)
        #expect(parsed[top]!.total == modules["\\" + top]!["num_cells"] as! Int)
        #expect(parsed[top]!.total > 10)

        // ltp lists the path as numbered nodes 0 … length.
        let ltp = try String(contentsOf: folder.appendingPathComponent("ltp.txt"), encoding: .utf8)
        let depth = try #require(YosysReportParser.longestPaths(fromLTP: ltp)[top])
        let nodes = ltp.split(separator: "\n").filter { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return line.hasPrefix(" ") && text.first?.isNumber == true && text.prefix { $0.isNumber }.count < text.count
                && text[text.index(text.startIndex, offsetBy: text.prefix { $0.isNumber }.count)] == ":"
        }
        #expect(depth > 2)
        #expect(nodes.count == depth + 1)
    }

    @Test func statTextOfAHierarchySumsDuplicateTypesAndSkipsTheHierarchySection() throws {
        let parameters = try ArrayParameters(rows: 1, cols: 2, codeWidth: 4, activationTypes: [.int], weightTypes: [.int],
                                             accumulatorWidth: 8, int8: false)
        let (folder, design) = try Self.folder(with: TileArray(rows: 1, cols: 2, shape: PEShape(parameters)))
        defer { try? FileManager.default.removeItem(at: folder) }
        let top = design.top.name
        let pe = design.modules.first { $0.circuitName == "ProcessingElement" }!.name
        let script = YosysScript(files: design.modules.map { "\($0.name).v" }, top: top, kept: [pe])
        try ToolInvocation().runYosys(script: script.ice40, named: "ice40.ys", in: folder)
        let text = try String(contentsOf: folder.appendingPathComponent(YosysScript.ice40StatFile), encoding: .utf8)
        let parsed = try YosysReportParser.cellCounts(fromStat: text)
        #expect(text.contains("=== design hierarchy ==="))
        #expect(Set(parsed.keys) == [top, pe])
        #expect(parsed[top]![pe] == 2)
        #expect(parsed[pe]!["SB_LUT4"] > 0)
        // Every `type count` line of the PE's section is accounted for, duplicates summed.
        let section = text.components(separatedBy: "=== \(pe) ===")[1].components(separatedBy: "===")[0]
        let listed = section.split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count == 2 && fields[0].hasPrefix("SB_") ? Int(fields[1]) : nil
        }.reduce(0, +)
        #expect(parsed[pe]!.total == listed)
    }

    @Test func yosysFailureIsOneLineWithTheFirstError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-synth-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try ToolInvocation().runYosys(script: "read_verilog no_such_file.v\n", named: "fail.ys", in: folder)
            Issue.record("yosys should have failed")
        } catch let error as SynthesisError {
            guard case .toolFailed(let tool, let status, let line) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(tool == "yosys")
            #expect(status != 0)
            #expect(line.hasPrefix("ERROR:"))
            #expect(line.contains("no_such_file.v"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func missingToolsNameTheInstallCommand() throws {
        let absent = ExternalTool(executable: "antgen-test-no-such-yosys", debianPackage: "yosys")
        let design = try elaborateForSynthesis(IntDecoder(codeWidth: 4))
        let error = #expect(throws: SynthesisError.self) { try Synthesizer(tools: ToolInvocation(yosys: absent)).synthesize(design) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("antgen-test-no-such-yosys not found"))
        #expect(message.contains("apt-get install yosys"))
        #expect(!message.contains("\n"))
        let noPnr = ToolInvocation(nextpnr: ExternalTool(executable: "antgen-test-no-such-nextpnr", debianPackage: "nextpnr-ice40"))
        do {
            _ = try Synthesizer(tools: noPnr).synthesize(design, options: SynthesisOptions(estimateFrequency: true))
            Issue.record("a missing nextpnr should fail the frequency estimate")
        } catch {
            #expect("\(error)".contains("apt-get install nextpnr-ice40"))
        }
    }
}
