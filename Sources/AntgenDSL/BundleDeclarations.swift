// Declaring bundle-typed signals. Ports of typed interfaces are declared from their
// ``PortSpec``; these are the wires, registers and ad-hoc ports of a module body.

extension ModuleBuilder {
    /// A bundle wire: one packed signal, drivable whole or field by field.
    public func wire<Spec: BundleSpec>(_ name: String, _ spec: Spec,
                                       file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let location = SourceLocation(fileID: file, line: line)
        let layout = BundleLayout.of(spec)
        let value = declareBundleSignal(name, layout, .wire, location)
        return Bundle(spec: spec, layout: layout,
                      storage: .drivable(DrivableBundle(packedSignal: value, layout: layout, builder: self, location: location)))
    }

    /// A bundle wire driven by `value`: names an intermediate bundle in the Verilog.
    public func wire<Spec: BundleSpec>(_ name: String, equals value: Bundle<Spec>,
                                       file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let w = wire(name, value.spec, file: file, line: line)
        w.assign(value, file: file, line: line)
        return w
    }

    /// A bundle register: one register per field, named `name_field`, sharing the reset
    /// value (applied to every field) and the enable. Each field keeps its value in
    /// cycles where it is not assigned.
    public func register<Spec: BundleSpec>(_ name: String, _ spec: Spec, reset: Int? = nil, enable: Value? = nil,
                                           file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let layout = BundleLayout.of(spec)
        let fields = layout.leaves.map {
            register("\(name)_\($0.path)", $0.type, reset: reset, enable: enable, file: file, line: line)
        }
        return Bundle(spec: spec, layout: layout, storage: .leaves(fields))
    }

    /// A bundle register loaded with `next` every (enabled) cycle: a pipeline stage.
    public func register<Spec: BundleSpec>(_ name: String, next: Bundle<Spec>, reset: Int? = nil, enable: Value? = nil,
                                           file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let r = register(name, next.spec, reset: reset, enable: enable, file: file, line: line)
        r.assign(next, file: file, line: line)
        return r
    }

    /// An ad-hoc bundle input port (one packed port; fields are its slices).
    public func input<Spec: BundleSpec>(_ name: String, _ spec: Spec,
                                        file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let layout = BundleLayout.of(spec)
        let value = declareBundleSignal(name, layout, .port(.input), SourceLocation(fileID: file, line: line))
        return Bundle(spec: spec, layout: layout, storage: .packed(value, offset: 0))
    }

    /// An ad-hoc bundle output port, drivable whole or field by field.
    public func output<Spec: BundleSpec>(_ name: String, _ spec: Spec,
                                         file: String = #fileID, line: Int = #line) -> Bundle<Spec> {
        let location = SourceLocation(fileID: file, line: line)
        let layout = BundleLayout.of(spec)
        let value = declareBundleSignal(name, layout, .port(.output), location)
        return Bundle(spec: spec, layout: layout,
                      storage: .drivable(DrivableBundle(packedSignal: value, layout: layout, builder: self, location: location)))
    }
}
