import AntgenDSL
import AntgenExamples
import Testing

/// Module naming, de-duplication and the IR a generator produces.
@Suite struct StructureTests {
    @Test func moduleNamesComeFromParameters() {
        #expect(AdderTree(inputs: 8, width: 16).moduleName == "AdderTree_inputs8_width16")
        #expect(Counter(width: 4).moduleName == "Counter_width4")
        #expect(TestCircuit("Decoder", parameters: [Parameter("types", "int,pot")]) { _ in }.moduleName
            == "Decoder_typesint_pot")
    }

    @Test func identicalParameterisationsAreBuiltOnce() throws {
        let top = TestCircuit("Top") { m in
            let en = m.input("en", .bool)
            var outputs: [Value] = []
            for (i, width) in [4, 4, 6, 4].enumerated() {
                let c = m.instance(Counter(width: width), name: "c\(i)")
                c.enable.assign(en)
                outputs.append(c.count.extended(to: 6))
            }
            m.output("sum", .uint(8)).assign(reduceTree(outputs) { $0 + $1 })
        }
        let design = try elaborate(top)
        #expect(design.modules.map(\.name) == ["Counter_width4", "Counter_width6", "Top"])
        #expect(design.top.instances.count == 4)
        #expect(design.top.usesClock && design.top.usesReset)
    }

    @Test func combinationalPathsAreRecorded() throws {
        let design = try elaborate(LeadingOneDetector(width: 5))
        #expect(design.top.combinationalInputs["position"] == ["x"])
        let counter = try elaborate(Counter(width: 3))
        #expect(counter.top.combinationalInputs["count"] == [])
    }

    /// Ports declared ad hoc (m.input/m.output) cannot be reached through an instance
    /// handle, so instantiating such a module is an error at the instantiating line.
    @Test func instantiatingAnAdHocModuleIsReported() {
        let adHoc = TestCircuit("AdHoc") { m in
            m.output("y", .uint(2)).assign(m.input("x", .uint(2)))
        }
        let mark = LineMark()
        let top = TestCircuit("Top") { m in
            _ = m.instance(adHoc, name: "u"); mark.line = #line
        }
        let found = diagnostics(top)
        #expect(found.contains {
            $0.location.line == mark.line && $0.message.contains("declares ports outside its `ports` spec (y, x)")
        })
    }

    @Test func vecSelectAndAssign() throws {
        let top = TestCircuit("VecTop") { m in
            let xs = m.inputVec("x", count: 5, .uint(3))
            let sel = m.input("sel", .uint(3))
            let ys = m.outputVec("y", count: 5, .uint(3))
            ys.assign(xs)
            m.output("picked", .uint(3)).assign(xs[sel])
            m.output("all", .uint(15)).assign(xs.asUInt)
        }
        let design = try elaborate(top)
        #expect(design.top.ports.count == 5 + 1 + 5 + 2)
        #expect(design.top.ports.map(\.name).prefix(2) == ["x_0", "x_1"])
    }
}
