/// An on-chip memory: `depth` words of one scalar type, with synchronous write ports and
/// registered (one-cycle latency) read ports, the pattern FPGA and ASIC tools map to block
/// RAM. Declared with ``ModuleBuilder/memory(_:depth:_:file:line:)``.
///
/// ```swift
/// let ram = m.memory("ram", depth: 256, .uint(16))
/// ram.write(address: waddr, data: wdata, enable: we)
/// let q = ram.read(address: raddr, enable: re)   // a register: mem[raddr] one cycle later
/// ```
///
/// Ports are declared at the module's top level (conditions go in `enable:`). Several
/// write ports to one address in the same cycle: the last declared wins. A read in the
/// cycle of a write to the same address returns the old word (read-first). Words are not
/// reset; a read of a never-written word is undefined (`x` in simulation).
public final class Memory {
    /// The Verilog array name.
    public let name: String
    /// Number of words (a power of two, at least 2).
    public let depth: Int
    /// The type of one word (scalar).
    public let elementType: HardwareType
    /// Where the user declared it.
    public let location: SourceLocation
    /// The kind of RAM asked of synthesis tools.
    public let style: MemoryStyle
    /// The write ports in declaration order.
    public internal(set) var writePorts: [MemoryWritePort] = []
    /// The read ports in declaration order.
    public internal(set) var readPorts: [MemoryReadPort] = []
    unowned let builder: ModuleBuilder

    init(name: String, depth: Int, elementType: HardwareType, style: MemoryStyle, location: SourceLocation, builder: ModuleBuilder) {
        self.name = name
        self.depth = depth
        self.elementType = elementType
        self.style = style
        self.location = location
        self.builder = builder
    }

    /// Bits of an address: log2(depth).
    public var addressWidth: Int { bitsToIndex(depth) }

    /// Stores `data` at `address` at the rising clock edge of every cycle where `enable`
    /// is 1. The address is unsigned and at most ``addressWidth`` bits; `data` has the
    /// word's signedness and is at most its width (narrower values are extended).
    public func write(address: Value, data: Value, enable: Value, file: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: file, line: line)
        guard checkTopLevel("write", location) else { return }
        let a = checkedAddress(address, location)
        let e = checkedEnable(enable, location)
        var d = data.node
        if data.type.isSigned != elementType.isSigned || !data.type.isScalar {
            builder.error("memory '\(name)' stores \(elementType) words, got write data \(describe(data.node)) (\(data.type)); convert explicitly with .asUInt, .asSInt or .toSigned()", at: location)
        } else if data.width > elementType.width {
            builder.error("width mismatch: write data \(describe(data.node)) is \(data.type) but memory '\(name)' stores \(elementType) words; no silent truncation: use .truncated(to: \(elementType.width))", at: location)
        } else {
            d = data.extendedNode(to: elementType.width)
        }
        writePorts.append(MemoryWritePort(enable: e, address: a, data: d, location: location))
    }

    /// The word at `address`, registered: the returned value (a register named
    /// `<name>_q`, `<name>_q1`, …) holds `mem[address]` from the last clock edge where
    /// `enable` was 1, and keeps its value otherwise.
    public func read(address: Value, enable: Value = .bool(true), file: String = #fileID, line: Int = #line) -> Value {
        let location = SourceLocation(fileID: file, line: line)
        let index = readPorts.count
        let a = checkedAddress(address, location)
        let e = checkedEnable(enable, location)
        let isConstantOne = e.constantValue == 1
        let data = builder.declareMemoryRead(index == 0 ? "\(name)_q" : "\(name)_q\(index)", self,
                                             enable: isConstantOne ? nil : e, location)
        guard checkTopLevel("read", location) else { return data }
        readPorts.append(MemoryReadPort(address: a, data: data.signal!, location: location))
        return data
    }

    private func checkTopLevel(_ what: String, _ location: SourceLocation) -> Bool {
        if builder.elaborator.activeBuilder !== builder {
            builder.elaborator.activeBuilder?.error("cannot \(what) memory '\(name)' of module '\(builder.moduleName)' from another module", at: location)
            return false
        }
        if !builder.atTopLevel {
            builder.error("memory '\(name)': declare the \(what) port at the module's top level, not inside when/switch; put the condition in `enable:`", at: location)
            return false
        }
        return true
    }

    private func checkedAddress(_ address: Value, _ location: SourceLocation) -> ExpressionNode {
        if address.isSigned || !address.type.isScalar {
            builder.error("memory '\(name)' address \(describe(address.node)) must be unsigned, got \(address.type); use .asUInt", at: location)
        } else if address.width > addressWidth {
            builder.error("width mismatch: address \(describe(address.node)) is \(address.type) but memory '\(name)' has \(depth) words (UInt<\(addressWidth)> addresses); use .truncated(to: \(addressWidth))", at: location)
        } else {
            return address.extendedNode(to: addressWidth)
        }
        return Value.uint(0, width: addressWidth).node
    }

    private func checkedEnable(_ enable: Value, _ location: SourceLocation) -> ExpressionNode {
        guard enable.width == 1, enable.type.isScalar else {
            builder.error("memory '\(name)' enable must be Bool, got \(describe(enable.node)) (\(enable.type))", at: location)
            return Value.bool(false).node
        }
        return enable.node
    }
}

/// The kind of RAM a ``Memory`` asks synthesis tools for.
public enum MemoryStyle: Sendable {
    /// The tool decides (shallow memories often become LUT RAM or flip-flops).
    case inferred
    /// Block RAM: written as `(* ram_style = "block" *)`, which Yosys and Vivado honour.
    case block
}

/// A synchronous write port: `if (enable) mem[address] <= data;` at each rising edge.
public struct MemoryWritePort {
    /// One bit.
    public let enable: ExpressionNode
    /// Exactly ``Memory/addressWidth`` bits, unsigned.
    public let address: ExpressionNode
    /// Exactly the word type.
    public let data: ExpressionNode
    /// Where the user wrote it.
    public let location: SourceLocation
}

/// A registered read port: `if (enable) data <= mem[address];` at each rising edge; the
/// enable is the data register's ``RegisterInfo/enable``.
public struct MemoryReadPort {
    /// Exactly ``Memory/addressWidth`` bits, unsigned.
    public let address: ExpressionNode
    /// The register that holds the word read.
    public let data: Signal
    /// Where the user wrote it.
    public let location: SourceLocation
}

extension ModuleBuilder {
    /// Declares a memory of `depth` words of `type` (see ``Memory``). `depth` must be a
    /// power of two, at least 2; the memory must be written and read. `style: .block` asks
    /// synthesis for block RAM even where the tool would pick LUT RAM.
    public func memory(_ name: String, depth: Int, _ type: HardwareType, style: MemoryStyle = .inferred,
                       file: String = #fileID, line: Int = #line) -> Memory {
        let location = SourceLocation(fileID: file, line: line)
        var words = depth
        if depth < 2 || depth & (depth - 1) != 0 {
            error("memory '\(name)' has depth \(depth); the depth must be a power of two, at least 2", at: location)
            words = 2
        }
        var element = type
        if !type.isScalar || type.width < 1 {
            error("memory '\(name)' has word type \(type); words must be scalar (Bool, UInt or SInt of width ≥ 1)", at: location)
            element = .uint(1)
        }
        let memory = Memory(name: reserveName(name, location), depth: words, elementType: element,
                            style: style, location: location, builder: self)
        memories.append(memory)
        return memory
    }
}
