import AntgenDSL
import Testing

/// A circuit whose body is a closure, for tests.
struct TestCircuit: Circuit {
    let name: String
    var parameters: [Parameter] = []
    let body: (ModuleBuilder) -> Void

    init(_ name: String = "T", parameters: [Parameter] = [], _ body: @escaping (ModuleBuilder) -> Void) {
        self.name = name
        self.parameters = parameters
        self.body = body
    }

    func build(_ m: ModuleBuilder, _ io: IO<NoPorts>) { body(m) }
}

/// Remembers the source line a test statement was written on.
final class LineMark {
    var line = 0
}

/// Elaborates and returns the diagnostics (empty when elaboration succeeds).
func diagnostics(_ circuit: some Circuit) -> [Diagnostic] {
    do {
        _ = try elaborate(circuit)
        return []
    } catch let error as ElaborationError {
        return error.diagnostics
    } catch {
        return [Diagnostic(module: "?", message: "unexpected \(error)", location: SourceLocation())]
    }
}

/// Elaborates and expects exactly one diagnostic, at `mark`'s line of the calling test
/// file, whose message contains every one of `fragments`.
func expectSingle(_ circuit: some Circuit, _ mark: LineMark, _ fragments: [String],
                  sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let found = diagnostics(circuit)
    #expect(found.count == 1, "expected one error, got \(found)", sourceLocation: sourceLocation)
    guard let d = found.first else { return }
    #expect(d.location.fileID == sourceLocation.fileID, sourceLocation: sourceLocation)
    #expect(d.location.line == mark.line, "\(d)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(d.message.contains(fragment), "'\(fragment)' missing from: \(d.message)", sourceLocation: sourceLocation)
    }
}

/// A circuit with a typed interface whose body is a closure, for tests that instantiate it.
struct PortedCircuit<P: PortSpec>: Circuit {
    let name: String
    let makePorts: () -> P
    let body: (ModuleBuilder, IO<P>) -> Void

    init(_ name: String, ports: @escaping () -> P, _ body: @escaping (ModuleBuilder, IO<P>) -> Void) {
        self.name = name
        self.makePorts = ports
        self.body = body
    }

    var ports: P { makePorts() }
    func build(_ m: ModuleBuilder, _ io: IO<P>) { body(m, io) }
}

/// One input `x` and one output `y` of the same width.
struct PassPorts: PortSpec {
    let x: Port<HardwareType>
    let y: Port<HardwareType>
    init(width: Int) {
        x = .input(.uint(width))
        y = .output(.uint(width))
    }
}

/// Foundation on Linux declares a class `Port` too; a module-level alias makes the DSL's
/// the one every file of this test module means, whatever it imports.
typealias Port = AntgenDSL.Port
