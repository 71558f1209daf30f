import AntgenDSL
import AntgenHardware
import AntgenSynth
import Foundation
import Testing

/// The synthesis flow on small configurations (seconds each): a 2 × 2 ANT array and PEs.
@Suite struct SynthesizerTests {
    static let ant = try! ArrayParameters(rows: 2, cols: 2, codeWidth: 4, activationTypes: [.int, .flint, .pot],
                                          weightTypes: [.int, .flint, .pot], accumulatorWidth: 32, int8: true)

    @Test func arrayReportJSONHasEveryFieldWithPositiveNumbers() throws {
        let design = try elaborateForSynthesis(AntArray(Self.ant))
        let report = try Synthesizer().synthesize(design, parameters: Self.ant.manifestFields)
        let json = try JSONSerialization.jsonObject(with: Data(report.jsonText().utf8)) as! [String: Any]
        #expect((json["yosysVersion"] as! String).hasPrefix("Yosys "))
        #expect(json["top"] as? String == design.top.name)
        #expect((json["parameters"] as! [String: String])["rows"] == "2")
        #expect(json["gateLibrary"] as? [String] == GateLibrary.abcGates)
        let modules = json["modules"] as! [[String: Any]]
        #expect(modules.map { $0["generator"] as! String } == ["ProcessingElement", "TileArray", "OperandDecoder", "AntArray"])
        let positive = ["gates", "flipFlops", "nand2Equivalent", "logicDepth", "lut4", "carry", "ice40FlipFlops"]
        for module in modules {
            let total = module["total"] as! [String: Any]
            for field in positive where !(module["generator"] as! String == "OperandDecoder" && field.contains("lipFlops")) {
                let value = try #require(total[field] as? NSNumber, "\(field) of \(module["name"]!)")
                #expect(value.doubleValue > 0, "\(field) of \(module["name"]!)")
            }
            #expect(total["unweightedCells"] as? Int == 0)
            #expect((total["genericCells"] as! [String: Int]).keys.allSatisfy { $0.hasPrefix("$_") })
        }
        let design_ = json["design"] as! [String: Any]
        for field in positive { #expect((design_[field] as! NSNumber).doubleValue > 0) }

        // The whole design is the sum of every module's own logic times its copies.
        let copies = Dictionary(uniqueKeysWithValues: report.modules.map { ($0.name, $0.instancesInDesign) })
        #expect(copies.values.sorted() == [1, 1, 4, 4])
        let summed = report.modules.reduce(0.0) { $0 + Double(copies[$1.name]!) * $1.own.nand2Equivalent }
        #expect(abs(summed - report.design.nand2Equivalent) < 1e-6)
        #expect(report.design.flipFlops == report.modules.reduce(0) { $0 + copies[$1.name]! * $1.own.flipFlops })
        #expect(report.design.logicDepth == report.modules.map(\.total.logicDepth).max())
        #expect(report.designShare(ofGenerator: "OperandDecoder") > 0)
        #expect(SynthesisTable(report: report).text.contains("whole design"))
    }

    @Test func sameDesignGivesTheSameReport() throws {
        let design = try elaborateForSynthesis(ProcessingElement(shape: PEShape(Self.ant)))
        let first = try Synthesizer().synthesize(design)
        let second = try Synthesizer().synthesize(design)
        #expect(first == second)
        #expect(try first.jsonText() == second.jsonText())
    }

    @Test func int4BaselineLosesExactlyTheExponentPath() throws {
        let ant = try Synthesizer().synthesize(try elaborateForSynthesis(ProcessingElement(shape: PEShape(Self.ant)))).design
        let int4Design = try elaborateForSynthesis(try IntOnlyProcessingElement(bits: 4, accumulatorWidth: 32))
        let int4 = try Synthesizer().synthesize(int4Design, options: SynthesisOptions(flatten: true))
        #expect(int4.modules.map(\.name) == [int4Design.top.name])
        // Two 4-bit exponent pass-through registers are gone; the shifter with them.
        #expect(ant.flipFlops - int4.design.flipFlops == 8)
        #expect(int4.design.gates < ant.gates)
        #expect(int4.design.lut4 < ant.lut4)
        #expect(int4.design.nand2Equivalent > 0.5 * ant.nand2Equivalent)
    }
}
