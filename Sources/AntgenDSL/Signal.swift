/// Port direction.
public enum PortDirection: String, Sendable {
    /// Driven from outside the module.
    case input
    /// Driven inside the module.
    case output
}

/// What a declared signal is.
public enum SignalKind {
    /// A port of the module being built.
    case port(PortDirection)
    /// A combinational wire.
    case wire
    /// A clocked register (synchronous reset, optional enable).
    case register(RegisterInfo)
    /// A port of a submodule instance, seen from the parent. The parent drives
    /// `.input` ports and reads `.output` ports.
    case instancePort(instance: String, port: String, direction: PortDirection)
}

/// Reset and enable of a register.
public struct RegisterInfo {
    /// Value loaded while `reset` is high at a clock edge; `nil` means no reset.
    public let resetValue: ExpressionNode?
    /// When present, the register only updates in cycles where it is 1.
    public let enable: ExpressionNode?
    /// For the data register of a memory read port, its memory (the register is loaded
    /// from the memory, never assigned).
    public internal(set) var memory: Memory? = nil
}

/// A named signal declared in a module: a port, wire, register or instance port.
///
/// Signals are identified by object identity. They belong to the module whose
/// builder created them; reading one from another module is an elaboration error.
public final class Signal {
    /// The Verilog-safe name.
    public let name: String
    /// The scalar type.
    public let type: HardwareType
    /// Port, wire, register or instance port.
    public let kind: SignalKind
    /// Where the user declared it.
    public let location: SourceLocation
    /// Declaration order within the module (emission order).
    public let index: Int
    /// The module that declared it.
    public let moduleName: String
    /// For a packed bundle signal, its fields and bit ranges (`{sign [8], mantissa [7:3], …}`),
    /// which the Verilog back end writes as a comment.
    public let annotation: String?
    weak var builder: ModuleBuilder?
    let moduleToken: Int

    init(name: String, type: HardwareType, kind: SignalKind, location: SourceLocation,
         index: Int, builder: ModuleBuilder, annotation: String? = nil) {
        self.name = name
        self.type = type
        self.kind = kind
        self.location = location
        self.index = index
        self.builder = builder
        self.moduleName = builder.moduleName
        self.moduleToken = builder.token
        self.annotation = annotation
    }

    /// True for registers.
    public var isRegister: Bool {
        if case .register = kind { return true }
        return false
    }

    /// The register's reset and enable, if this is a register.
    public var registerInfo: RegisterInfo? {
        if case .register(let info) = kind { return info }
        return nil
    }

    /// True for signals this module must drive combinationally: outputs, wires and
    /// submodule inputs.
    public var isCombinationalTarget: Bool {
        switch kind {
        case .port(.output), .wire, .instancePort(_, _, .input): return true
        default: return false
        }
    }

    /// A short human description used in error messages, e.g. `output 'sum' (UInt<9>)`.
    public var describe: String {
        let what: String
        switch kind {
        case .port(let d): what = d.rawValue
        case .wire: what = "wire"
        case .register: what = "register"
        case .instancePort(let inst, let port, let d): what = "\(d.rawValue) '\(port)' of instance '\(inst)', signal"
        }
        return "\(what) '\(name)' (\(type))"
    }
}
