import AntgenDSL

/// Which statements drive which signal, how (one continuous assign or a block),
/// and every expression root in statement order.
struct DriverAnalysis {
    /// Connections per signal index, in statement order.
    private(set) var connections: [[Connection]]
    /// Signals driven by exactly one top-level connection: emitted as `assign`.
    private(set) var continuousDriver: [Connection?]
    /// Every expression that a statement evaluates, in statement order.
    private(set) var roots: [ExpressionNode] = []
    /// For each `when`/`switch` block, the signals assigned anywhere inside it.
    private(set) var blockTargets: [ObjectIdentifier: Set<Int>] = [:]
    /// For each signal index, the positions of the top-level statements that assign it
    /// (directly or inside a block), in order: lets a block writer visit only those
    /// instead of every statement of the module for every signal.
    private(set) var topLevelStatements: [[Int]]

    init(module: HardwareModule) {
        connections = Array(repeating: [], count: module.signals.count)
        continuousDriver = Array(repeating: nil, count: module.signals.count)
        topLevelStatements = Array(repeating: [], count: module.signals.count)
        for s in module.signals {
            if let enable = s.registerInfo?.enable { roots.append(enable) }
        }
        _ = collect(module.statements)
        for memory in module.memories {
            for port in memory.writePorts { roots += [port.enable, port.address, port.data] }
            for port in memory.readPorts { roots.append(port.address) }
        }
        for (position, statement) in module.statements.enumerated() {
            switch statement {
            case .connect(let c):
                topLevelStatements[c.target.index].append(position)
            case .when(let w):
                for t in blockTargets[ObjectIdentifier(w)] ?? [] { topLevelStatements[t].append(position) }
            case .switchOn(let sw):
                for t in blockTargets[ObjectIdentifier(sw)] ?? [] { topLevelStatements[t].append(position) }
            }
        }
        for statement in module.statements {
            if case .connect(let c) = statement, !c.target.isRegister, connections[c.target.index].count == 1 {
                continuousDriver[c.target.index] = c
            }
        }
    }

    /// Records connections and roots; returns the targets assigned in `statements`.
    private mutating func collect(_ statements: [Statement]) -> Set<Int> {
        var targets = Set<Int>()
        for statement in statements {
            switch statement {
            case .connect(let c):
                connections[c.target.index].append(c)
                roots.append(c.value)
                targets.insert(c.target.index)
            case .when(let w):
                roots.append(w.condition)
                let inner = collect(w.thenBody).union(collect(w.elseBody))
                blockTargets[ObjectIdentifier(w)] = inner
                targets.formUnion(inner)
            case .switchOn(let s):
                roots.append(s.selector)
                var inner = Set<Int>()
                for arm in s.arms { inner.formUnion(collect(arm.body)) }
                if let other = s.otherwise { inner.formUnion(collect(other)) }
                blockTargets[ObjectIdentifier(s)] = inner
                targets.formUnion(inner)
            }
        }
        return targets
    }

    /// True when the signal is driven from an `always` block (declared `reg`).
    func needsReg(_ s: Signal) -> Bool {
        s.isCombinationalTarget && !connections[s.index].isEmpty && continuousDriver[s.index] == nil
    }
}

/// Writes the `always` blocks, keeping only the statements that concern one signal.
struct BlockWriter {
    let expressions: ExpressionEmitter
    let analysis: DriverAnalysis
    /// The module's top-level statements.
    let statements: [Statement]

    /// The top-level statements that assign `s`, in order.
    private func statements(assigning s: Signal) -> [Statement] {
        analysis.topLevelStatements[s.index].map { statements[$0] }
    }

    /// `always @(*)` for a conditionally driven combinational signal.
    func combinationalBlock(_ s: Signal) -> String {
        "always @(*) begin\n" + body(statements(assigning: s), s, "=", depth: 1) + "end"
    }

    /// `always @(posedge clock)` for a register, with synchronous reset and enable.
    func registerBlock(_ s: Signal) -> String {
        let info = s.registerInfo!
        let update = body(statements(assigning: s), s, "<=", depth: info.resetValue == nil && info.enable == nil ? 1 : 2)
        var text = "always @(posedge clock) begin\n"
        var opened = false
        if let reset = info.resetValue {
            text += "  if (reset) begin\n    \(s.name) <= \(expressions.root(reset));\n  end"
            opened = true
        }
        if let enable = info.enable {
            text += opened ? " else if (\(expressions.root(enable))) begin\n" : "  if (\(expressions.root(enable))) begin\n"
            text += update + "  end\n"
        } else if opened {
            text += update.isEmpty ? "\n" : " else begin\n" + update + "  end\n"
        } else {
            text += update
        }
        return text + "end"
    }

    /// The array declaration and one `always @(posedge clock)` block per port of a
    /// memory: the inference pattern Yosys and vendor tools map to block RAM.
    func memoryBlocks(_ memory: Memory) -> [String] {
        let attribute = memory.style == .block ? "(* ram_style = \"block\" *) " : ""
        var blocks = ["\(attribute)reg \(VerilogSyntax.range(memory.elementType))\(memory.name) [0:\(memory.depth - 1)];"]
        for port in memory.writePorts {
            blocks.append("always @(posedge clock) begin\n  if (\(expressions.root(port.enable))) begin\n"
                + "    \(memory.name)[\(expressions.root(port.address))] <= \(expressions.root(port.data));\n  end\nend")
        }
        for port in memory.readPorts {
            let load = "\(port.data.name) <= \(memory.name)[\(expressions.root(port.address))];"
            if let enable = port.data.registerInfo?.enable {
                blocks.append("always @(posedge clock) begin\n  if (\(expressions.root(enable))) begin\n    \(load)\n  end\nend")
            } else {
                blocks.append("always @(posedge clock) begin\n  \(load)\nend")
            }
        }
        return blocks
    }

    private func pad(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    private func body(_ statements: [Statement], _ s: Signal, _ op: String, depth: Int) -> String {
        var text = ""
        for statement in statements {
            switch statement {
            case .connect(let c) where c.target === s:
                text += "\(pad(depth))\(s.name) \(op) \(expressions.root(c.value));\n"
            case .connect:
                continue
            case .when(let w):
                guard analysis.blockTargets[ObjectIdentifier(w)]?.contains(s.index) == true else { continue }
                text += "\(pad(depth))if (\(expressions.root(w.condition))) begin\n"
                text += body(w.thenBody, s, op, depth: depth + 1)
                let elseText = body(w.elseBody, s, op, depth: depth + 1)
                text += elseText.isEmpty ? "\(pad(depth))end\n" : "\(pad(depth))end else begin\n\(elseText)\(pad(depth))end\n"
            case .switchOn(let sw):
                guard analysis.blockTargets[ObjectIdentifier(sw)]?.contains(s.index) == true else { continue }
                text += "\(pad(depth))case (\(expressions.root(sw.selector)))\n"
                let width = sw.selector.type.width
                // A switch complete without `otherwise` writes its last arm as `default`
                // so tools see every path assigned.
                let lastAsDefault = sw.otherwise == nil && sw.isComplete
                for (i, arm) in sw.arms.enumerated() {
                    let labels = arm.values.map { VerilogSyntax.constant($0, .uint(width)) }.joined(separator: ", ")
                    let label = lastAsDefault && i == sw.arms.count - 1 ? "default /* \(labels) */" : labels
                    text += "\(pad(depth + 1))\(label): begin\n" + body(arm.body, s, op, depth: depth + 2) + "\(pad(depth + 1))end\n"
                }
                if let other = sw.otherwise {
                    text += "\(pad(depth + 1))default: begin\n" + body(other, s, op, depth: depth + 2) + "\(pad(depth + 1))end\n"
                } else if !lastAsDefault {
                    text += "\(pad(depth + 1))default: begin\n\(pad(depth + 1))end\n"
                }
                text += "\(pad(depth))endcase\n"
            }
        }
        return text
    }
}
