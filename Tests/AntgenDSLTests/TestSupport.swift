import AntgenDSL

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

    func build(_ m: ModuleBuilder) { body(m) }
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
