/// The combinational dependency graph of one module: vertices are signals and
/// expression nodes; a combinational signal depends on the values and conditions
/// that drive it, an instance output on the instance inputs its module connects to
/// it combinationally. Registers and inputs have no dependencies (they cut paths).
struct CombinationalGraph {
    private let signals: [Signal]
    private var nodeIndex: [ObjectIdentifier: Int] = [:]
    private var nodes: [ExpressionNode] = []
    /// Accepted connections and enclosing conditions per signal: a combinational target's
    /// edges, read in place (copying them per signal was a large array's main cost here).
    private let connections: [[Connection]]
    private let controlling: [[ExpressionNode]]
    private var instanceEdges: [[Int]]

    init(builder: ModuleBuilder, connections: [[Connection]], controlling: [[ExpressionNode]]) {
        signals = builder.signals
        self.connections = connections
        self.controlling = controlling
        instanceEdges = Array(repeating: [], count: signals.count)
        for record in builder.instances where !record.module.combinationalInputs.isEmpty {
            let byPort = Dictionary(record.ports.map { ($0.port, $0.signal) }, uniquingKeysWith: { a, _ in a })
            for (port, parentSignal) in record.ports {
                guard let inputs = record.module.combinationalInputs[port] else { continue }
                instanceEdges[parentSignal.index] = inputs.sorted().compactMap { byPort[$0]?.index }
            }
        }
    }

    private mutating func vertex(_ node: ExpressionNode) -> Int {
        if let s = node.signal, s.index < signals.count, signals[s.index] === s { return s.index }
        let id = ObjectIdentifier(node)
        if let v = nodeIndex[id] { return v }
        let v = signals.count + nodes.count
        nodeIndex[id] = v
        nodes.append(node)
        return v
    }

    private mutating func successors(_ v: Int) -> [Int] {
        if v < signals.count {
            guard signals[v].isCombinationalTarget else { return instanceEdges[v] }
            var next: [Int] = []
            next.reserveCapacity(connections[v].count + controlling[v].count + instanceEdges[v].count)
            for c in connections[v] { next.append(vertex(c.value)) }
            for n in controlling[v] { next.append(vertex(n)) }
            return next + instanceEdges[v]
        }
        return nodes[v - signals.count].children.map { vertex($0) }
    }

    /// Every combinational loop found by one depth-first search, as signal indices.
    mutating func findLoops() -> [[Int]] {
        var color: [UInt8] = []  // 0 white, 1 on stack, 2 done
        func ensure(_ v: Int) { if v >= color.count { color += Array(repeating: 0, count: v - color.count + 1) } }
        var loops: [[Int]] = []
        for start in 0..<signals.count where signals[start].isCombinationalTarget {
            ensure(start)
            guard color[start] == 0 else { continue }
            var stack: [(vertex: Int, next: [Int], position: Int)] = [(start, successors(start), 0)]
            color[start] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].position == stack[top].next.count {
                    color[stack[top].vertex] = 2
                    stack.removeLast()
                    continue
                }
                let w = stack[top].next[stack[top].position]
                stack[top].position += 1
                ensure(w)
                if color[w] == 1 {
                    let from = stack.firstIndex { $0.vertex == w } ?? 0
                    let members = stack[from...].map(\.vertex).filter { $0 < signals.count }
                    if !members.isEmpty { loops.append(members) }
                } else if color[w] == 0 {
                    color[w] = 1
                    stack.append((w, successors(w), 0))
                }
            }
        }
        return loops
    }

    /// For each output port, the input ports it reaches combinationally.
    /// Only meaningful when ``findLoops()`` found none.
    mutating func inputDependencies() -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var stamp: [Int] = []
        var generation = 0
        for output in signals {
            guard case .port(.output) = output.kind else { continue }
            generation += 1
            var reached = Set<String>()
            var stack = [output.index]
            while let v = stack.popLast() {
                if v >= stamp.count { stamp += Array(repeating: 0, count: v - stamp.count + 1) }
                guard stamp[v] != generation else { continue }
                stamp[v] = generation
                if v < signals.count, case .port(.input) = signals[v].kind { reached.insert(signals[v].name) }
                stack.append(contentsOf: successors(v))
            }
            result[output.name] = reached
        }
        return result
    }
}
