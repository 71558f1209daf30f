import AntgenDSL
import Testing

/// Elaboration builds each module name once; a second circuit that claims the same name must
/// be the same generator with the same parameters, else it is an error at its instantiation.
@Suite struct ModuleNameCollisionTests {
    struct PassPorts: PortSpec {
        let a = Port.input(.uint(4))
        let y = Port.output(.uint(4))
    }

    /// Passes `a` through.
    struct Pass: Circuit {
        var name: String { "Leaf" }
        var ports: PassPorts { PassPorts() }
        func build(_ m: ModuleBuilder, _ io: IO<PassPorts>) { io.y.assign(io.a) }
    }

    /// Inverts `a`, under the same module name as ``Pass``.
    struct Invert: Circuit {
        var name: String { "Leaf" }
        var ports: PassPorts { PassPorts() }
        func build(_ m: ModuleBuilder, _ io: IO<PassPorts>) { io.y.assign(~io.a) }
    }

    /// `Leaf_tagA-B` and `Leaf_tagA_B` sanitize to one name but differ in their parameters.
    struct Tagged: Circuit {
        let tag: String
        var name: String { "Leaf" }
        var parameters: [Parameter] { [Parameter("tag", tag)] }
        var ports: PassPorts { PassPorts() }
        func build(_ m: ModuleBuilder, _ io: IO<PassPorts>) { io.y.assign(io.a) }
    }

    /// Instantiates `first` then `second`, recording the second instantiation's line.
    struct Pair<A: Circuit<PassPorts>, B: Circuit<PassPorts>>: Circuit {
        let first: A, second: B
        let mark: LineMark
        var name: String { "Pair" }
        func build(_ m: ModuleBuilder, _ io: IO<NoPorts>) {
            let x = m.input("x", .uint(4))
            let one = m.instance(first, name: "one")
            one.a.assign(x)
            let two = m.instance(second, name: "two"); mark.line = #line
            two.a.assign(one.y)
            m.output("y", .uint(4)).assign(two.y)
        }
    }

    @Test func aDifferentCircuitUnderTheSameNameIsAnError() throws {
        let mark = LineMark()
        let error = #expect(throws: ElaborationError.self) { try elaborate(Pair(first: Pass(), second: Invert(), mark: mark)) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.message.contains("module name 'Leaf' is already the name of a different circuit"), "\(diagnostic.message)")
        #expect(diagnostic.location.line == mark.line && diagnostic.location.fileID.hasSuffix("ModuleNameCollisionTests.swift"))
    }

    @Test func parametersThatSanitizeToOneNameAreAnError() {
        let mark = LineMark()
        #expect(throws: ElaborationError.self) { try elaborate(Pair(first: Tagged(tag: "A-B"), second: Tagged(tag: "A_B"), mark: mark)) }
    }

    @Test func theSameCircuitTwiceIsBuiltOnce() throws {
        let design = try elaborate(Pair(first: Pass(), second: Pass(), mark: LineMark()))
        #expect(design.modules.map(\.name).filter { $0 == "Leaf" }.count == 1)
    }
}
