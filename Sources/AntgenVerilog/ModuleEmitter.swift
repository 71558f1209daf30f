import AntgenDSL
import Dispatch

/// Writes one ``HardwareModule`` as a Verilog-2005 module.
///
/// Layout: header comment, ANSI port list (implicit `clock`/`reset` first), signal
/// declarations, temporaries, continuous assigns, one `always @(*)` block per
/// conditionally driven combinational signal, one `always @(posedge clock)` block
/// per register, each memory's array and one `always @(posedge clock)` block per port,
/// instances, and a `_unused` wire that acknowledges unread bits
/// (Verilator's `--unused-regexp` default skips names containing "unused").
struct ModuleEmitter {
    let module: HardwareModule
    let version: String

    /// The complete file text.
    func emit() -> String {
        let analysis = DriverAnalysis(module: module)
        let expressions = ExpressionEmitter(roots: analysis.roots, signalCount: module.signals.count)
        var body: [String] = []
        var clockRead = false
        var resetRead = false

        // Statements first (they decide which temporaries and reads exist).
        var assigns: [String] = []
        var combBlocks: [String] = []
        var registerBlocks: [String] = []
        // Submodule inputs driven by plain wiring go straight into the port map
        // (`.a(x)`), unless the parent also reads them; decided once all reads are known.
        var portCandidates: [Signal] = []
        let blockWriter = BlockWriter(expressions: expressions, analysis: analysis, statements: module.statements)
        for signal in module.signals {
            if signal.registerInfo?.memory != nil {
                clockRead = true  // loaded by its memory's read port
            } else if signal.isRegister {
                registerBlocks.append(blockWriter.registerBlock(signal))
                clockRead = true
                if signal.registerInfo?.resetValue != nil { resetRead = true }
            } else if let single = analysis.continuousDriver[signal.index] {
                if case .instancePort(_, _, .input) = signal.kind, expressions.isWiring(single.value) {
                    portCandidates.append(signal)
                } else {
                    assigns.append("assign \(signal.name) = \(expressions.root(single.value));")
                }
            } else if analysis.connections[signal.index].isEmpty == false {
                combBlocks.append(blockWriter.combinationalBlock(signal))
            }
        }
        var inlinedPorts = [String?](repeating: nil, count: module.signals.count)
        for signal in portCandidates {
            let value = analysis.continuousDriver[signal.index]!.value
            if expressions.signalReads[signal.index] == nil {
                inlinedPorts[signal.index] = expressions.root(value)
            } else {
                assigns.append("assign \(signal.name) = \(expressions.root(value));")
            }
        }
        // Instances are written already indented, in parallel chunks: a large array's
        // mesh module is mostly instances, and it would otherwise be one core's work.
        let instanceText = instanceBlocks(inlinedPorts: inlinedPorts)
        var instanceReads = [Bool](repeating: false, count: module.signals.count)
        for record in module.instances {
            if record.module.usesClock { clockRead = true }
            if record.module.usesReset { resetRead = true }
            for (_, signal) in record.ports where inlinedPorts[signal.index] == nil {
                if case .instancePort(_, _, .input) = signal.kind { instanceReads[signal.index] = true }
            }
        }

        // Ports.
        var ports: [String] = []
        if module.usesClock { ports.append("input  wire clock") }
        if module.usesReset { ports.append("input  wire reset") }
        for p in module.ports {
            guard case .port(let direction) = p.kind else { continue }
            let isReg = direction == .output && analysis.needsReg(p)
            let dir = direction == .input ? "input  wire" : (isReg ? "output reg " : "output wire")
            let comment = p.annotation.map { "// \(p.name) = \($0)\n  " } ?? ""
            ports.append("\(comment)\(dir) \(VerilogSyntax.range(p.type))\(p.name)")
        }

        // Declarations.
        for s in module.signals where inlinedPorts[s.index] == nil {
            switch s.kind {
            case .port: continue
            case .register: body.append("reg \(VerilogSyntax.range(s.type))\(s.name);")
            default:
                // Instance ports are documented by the submodule's own port list.
                let comment = s.annotation.flatMap { if case .instancePort = s.kind { nil } else { " // \($0)" } } ?? ""
                body.append("\(analysis.needsReg(s) ? "reg" : "wire") \(VerilogSyntax.range(s.type))\(s.name);\(comment)")
            }
        }
        body += expressions.declarations
        body += assigns
        body += combBlocks
        body += registerBlocks
        for memory in module.memories { body += blockWriter.memoryBlocks(memory) }

        let unused = unusedBits(expressions, instanceReads: instanceReads, inlinedPorts: inlinedPorts,
                                clockUnread: module.usesClock && !clockRead,
                                resetUnread: module.usesReset && !resetRead)

        var text = header()
        text += "`default_nettype none\n\n"
        text += "module \(module.name) (\n"
        text += ports.map { "  " + $0 }.joined(separator: ",\n")
        text += "\n);\n"
        for chunk in body { text += indent(chunk) + "\n" }
        for chunk in instanceText { text += chunk }
        if !unused.isEmpty {
            text += "  // Bits this module does not read, acknowledged for lint.\n"
            text += "  wire _unused = &{1'b0, \(unused.joined(separator: ", ")), 1'b0};\n"
        }
        text += "endmodule\n\n`default_nettype wire\n"
        return text
    }

    /// The instance statements, each followed by a newline, in order; concatenated in
    /// chunks written concurrently (the text does not depend on the chunking).
    private func instanceBlocks(inlinedPorts: [String?]) -> [String] {
        // Read-only records and inlined ports; each chunk writes only its own slot.
        nonisolated(unsafe) let records = module.instances
        nonisolated(unsafe) let inlinedPorts = inlinedPorts
        let chunkCount = records.count < 512 ? 1 : 16
        var chunks = [String](repeating: "", count: chunkCount)
        chunks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var text = ""
                for record in records[chunk * records.count / chunkCount ..< (chunk + 1) * records.count / chunkCount] {
                    text += "  \(record.module.name) \(record.name) ("
                    var first = true
                    func port(_ line: String) {
                        text += first ? "\n    " : ",\n    "
                        text += line
                        first = false
                    }
                    if record.module.usesClock { port(".clock(clock)") }
                    if record.module.usesReset { port(".reset(reset)") }
                    for (name, signal) in record.ports {
                        port(".\(name)(\(inlinedPorts[signal.index] ?? signal.name))")
                    }
                    text += "\n  );\n"
                }
                output[chunk] = text
            }
        }
        return chunks
    }

    private func header() -> String {
        var lines = [
            "// Generated by antgen \(version). Do not edit: regenerate from the Swift generator.",
            "// Module:    \(module.name)",
            "// Generator: \(module.circuitName)",
        ]
        if module.parameters.isEmpty {
            lines.append("// Parameters: none")
        } else {
            lines.append("// Parameters:")
            for p in module.parameters { lines.append("//   \(p.name) = \(p.value)") }
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    private func indent(_ chunk: String) -> String {
        // Byte-level: Foundation's String.contains/split are slow at 10^5 lines.
        guard chunk.utf8.contains(10) else { return "  " + chunk }
        var out = "  "
        out.reserveCapacity(chunk.utf8.count + 64)
        for line in chunk.utf8.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            if line.offset > 0 { out += "\n  " }
            out += Substring(line.element)
        }
        return out
    }

    /// Unread bits of inputs, wires, registers, instance outputs and temporaries.
    private func unusedBits(_ e: ExpressionEmitter, instanceReads: [Bool], inlinedPorts: [String?],
                            clockUnread: Bool, resetUnread: Bool) -> [String] {
        var parts: [String] = []
        if clockUnread { parts.append("clock") }
        if resetUnread { parts.append("reset") }
        for s in module.signals where inlinedPorts[s.index] == nil {
            switch s.kind {
            case .port(.output): continue
            case .instancePort(_, _, .input) where instanceReads[s.index]: continue
            default: break
            }
            let reads = e.signalReads[s.index] ?? Array(repeating: false, count: s.type.width)
            parts += ranges(of: reads, name: s.name, width: s.type.width)
        }
        for (name, reads) in zip(e.tempNameList, e.tempReads) {
            parts += ranges(of: reads, name: name, width: reads.count)
        }
        return parts
    }

    private func ranges(of reads: [Bool], name: String, width: Int) -> [String] {
        if !reads.contains(false) { return [] }
        if !reads.contains(true) { return [name] }
        var out: [String] = []
        var b = width - 1
        while b >= 0 {
            if reads[b] { b -= 1; continue }
            var low = b
            while low > 0 && !reads[low - 1] { low -= 1 }
            out.append(low == b ? "\(name)[\(b)]" : "\(name)[\(b):\(low)]")
            b = low - 1
        }
        return out
    }
}
