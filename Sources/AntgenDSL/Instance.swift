/// The IR of an instance: which module, and which parent signal stands for each port.
public struct InstanceRecord {
    /// Instance name.
    public let name: String
    /// The elaborated submodule.
    public let module: HardwareModule
    /// For each port of the submodule (by port name), the parent's signal.
    public let ports: [(port: String, signal: Signal)]
    /// Where the user instantiated it.
    public let location: SourceLocation
}
