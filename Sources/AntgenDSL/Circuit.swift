/// A named generator parameter, recorded in the module name and the emitted header.
public struct Parameter: Hashable, Sendable {
    /// Parameter name as in the paper or spec (e.g. `rows`, `accWidth`).
    public let name: String
    /// Its value, rendered as text.
    public let value: String

    /// Creates a parameter from any printable value.
    public init(_ name: String, _ value: some CustomStringConvertible) {
        self.name = name
        self.value = value.description
    }
}

/// A hardware generator: ordinary Swift code that builds one module.
///
/// Conforming types are usually small structs whose stored properties are the
/// generator's parameters. Two circuits with the same ``moduleName`` must build the
/// same hardware: elaboration builds each module name once and instantiates it
/// wherever it is used.
///
/// The interface is a ``PortSpec`` value (`ports`); elaboration declares its ports and
/// passes them to `build` as ``IO``, and ``ModuleBuilder/instance(_:name:file:line:)``
/// returns an ``InstanceHandle`` with the same typed ports. A circuit without a spec
/// (`Ports` = ``NoPorts``) may declare ports ad hoc with `m.input`/`m.output`; it can be
/// elaborated as a top but not instantiated.
public protocol Circuit<Ports> {
    /// The interface type.
    associatedtype Ports: PortSpec = NoPorts
    /// The generator's base name, e.g. `ProcessingElement`.
    var name: String { get }
    /// The parameters that distinguish one build from another, in a fixed order.
    var parameters: [Parameter] { get }
    /// The interface: its ports in order.
    var ports: Ports { get }
    /// Declares signals, statements and instances; `io` holds the declared ports.
    func build(_ m: ModuleBuilder, _ io: IO<Ports>)
}

extension Circuit where Ports == NoPorts {
    /// No typed ports.
    public var ports: NoPorts { NoPorts() }
}

extension Circuit {
    /// No parameters by default.
    public var parameters: [Parameter] { [] }

    /// The module name, derived from the base name and parameters:
    /// `AdderTree` with `inputs = 8, width = 16` becomes `AdderTree_inputs8_width16`.
    public var moduleName: String {
        let suffix = parameters.map { "_\($0.name)\($0.value)" }.joined()
        return sanitizedIdentifier(name + suffix)
    }
}

/// Verilog-2005 reserved words (IEEE 1364-2005 Annex B); a user name that collides
/// gets a trailing underscore so the output still compiles.
let verilogKeywords: Set<String> = [
    "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex",
    "casez", "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable",
    "edge", "else", "end", "endcase", "endconfig", "endfunction", "endgenerate", "endmodule",
    "endprimitive", "endspecify", "endtable", "endtask", "event", "for", "force", "forever",
    "fork", "function", "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir",
    "include", "initial", "inout", "input", "instance", "integer", "join", "large", "liblist",
    "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
    "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge",
    "primitive", "pull0", "pull1", "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent",
    "rcmos", "real", "realtime", "reg", "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0",
    "rtranif1", "scalared", "showcancelled", "signed", "small", "specify", "specparam", "strong0",
    "strong1", "supply0", "supply1", "table", "task", "time", "tran", "tranif0", "tranif1", "tri",
    "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire", "vectored", "wait",
    "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
    // SystemVerilog words that Verilator also reserves in lint mode.
    "bit", "logic", "byte", "int", "shortint", "longint", "class", "interface", "package", "program",
    "property", "sequence", "final", "type", "string", "do", "break", "continue", "return", "void",
    "enum", "struct", "union", "typedef", "import", "export", "const", "static", "local", "new",
]

/// Replaces characters Verilog identifiers cannot hold with `_`, prefixes names that
/// start with a digit, and suffixes reserved words with `_`.
public func sanitizedIdentifier(_ raw: String) -> String {
    // Fast path: most names (all generated ones) are already plain ASCII identifiers.
    var valid = !raw.isEmpty
    for byte in raw.utf8 where !(isIdentifierByte(byte)) { valid = false; break }
    if valid, let first = raw.utf8.first, !(48...57).contains(first), !verilogKeywords.contains(raw) { return raw }
    var out = String(decoding: raw.utf8.map { isIdentifierByte($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    if out.isEmpty { out = "unnamed" }
    if let first = out.utf8.first, (48...57).contains(first) { out = "n" + out }
    if verilogKeywords.contains(out) { out += "_" }
    return out
}

/// `[A-Za-z0-9_]`.
private func isIdentifierByte(_ b: UInt8) -> Bool {
    (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95
}
