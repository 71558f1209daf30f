import AntgenDSL
import AntgenVerilog
import Foundation
import Testing

/// A leaf with one of every operator the mutation operators act on.
private struct Leaf: Circuit {
    let width: Int
    var name: String { "Leaf" }
    var parameters: [Parameter] { [Parameter("width", width)] }
    struct Ports: PortSpec {
        let a: Port<HardwareType>, b: Port<HardwareType>
        let sel = Port.input(.bool)
        let amount = Port.input(.uint(2))
        let y: Port<HardwareType>
        let flag = Port.output(.bool)
        let shifted: Port<HardwareType>
    }
    var ports: Ports {
        Ports(a: .input(.sint(width)), b: .input(.sint(width)), y: .output(.sint(width + 1)), shifted: .output(.uint(width)))
    }
    func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let a = io.a, b = io.b, sel = io.sel
        let sum = m.wire("sum", equals: a + b)
        let negated = m.wire("negated", equals: -a)
        let pick = m.wire("pick", equals: mux(sel & (a < b), sum, negated))
        let acc = m.register("acc", .sint(width + 1), reset: 0)
        acc.assign(acc &+ pick)
        io.y.assign(acc)
        io.flag.assign((a.asUInt ^ b.asUInt).orReduce() ^ ~sel)
        io.shifted.assign(a.asUInt >> io.amount)
    }
}

/// The inputs every level shares, and two copies of the leaf's outputs.
private struct PairPorts: PortSpec {
    let a = Port.input(.sint(4)), b = Port.input(.sint(4))
    let sel = Port.input(.bool), amount = Port.input(.uint(2))
    let y = PortVec.output(count: 2, .sint(5))
    let flag = PortVec.output(count: 2, .bool)
    let shifted = PortVec.output(count: 2, .uint(4))
}

/// Two leaves.
private struct Middle: Circuit {
    var name: String { "Middle" }
    var ports: PairPorts { PairPorts() }
    func build(_ m: ModuleBuilder, _ io: IO<PairPorts>) {
        for k in 0..<2 {
            let leaf = m.instance(Leaf(width: 4), name: "leaf\(k)")
            leaf.a.assign(io.a)
            leaf.b.assign(io.b)
            leaf.sel.assign(io.sel)
            leaf.amount.assign(io.amount)
            io.y[k].assign(leaf.y)
            io.flag[k].assign(leaf.flag)
            io.shifted[k].assign(leaf.shifted)
        }
    }
}

/// A combinational module outside the leaf's chain.
private struct Other: Circuit {
    var name: String { "Other" }
    struct Ports: PortSpec {
        let x = Port.input(.uint(4))
        let z = Port.output(.uint(5))
    }
    var ports: Ports { Ports() }
    func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        io.z.assign(io.x + 1)
    }
}

private struct Top: Circuit {
    var name: String { "Top" }
    var ports: TopPorts { TopPorts() }
    func build(_ m: ModuleBuilder, _ io: IO<TopPorts>) {
        let middle = m.instance(Middle(), name: "middle")
        middle.a.assign(io.a)
        middle.b.assign(io.b)
        middle.sel.assign(io.sel)
        middle.amount.assign(io.amount)
        let other = m.instance(Other(), name: "other")
        other.x.assign(io.a.asUInt)
        for k in 0..<2 {
            io.y[k].assign(middle.y[k])
            io.flag[k].assign(middle.flag[k])
            io.shifted[k].assign(middle.shifted[k])
        }
        io.z.assign(other.z)
    }
}

/// The pair's ports plus the other module's output.
private struct TopPorts: PortSpec {
    let a = Port.input(.sint(4)), b = Port.input(.sint(4))
    let sel = Port.input(.bool), amount = Port.input(.uint(2))
    let y = PortVec.output(count: 2, .sint(5))
    let flag = PortVec.output(count: 2, .bool)
    let shifted = PortVec.output(count: 2, .uint(4))
    let z = Port.output(.uint(5))
}

/// The IR rewriter behind mutation testing: sites, type-exact operators, renaming
/// up to the top, and sharing of everything it does not touch.
@Suite struct DesignRewritingTests {
    let design: Design
    init() throws { design = try elaborate(Top()) }

    @Test func noMutationKeepsTheDesignByteIdentical() throws {
        let same = try design.applying([], tag: "none")
        #expect(VerilogBackend().files(for: same) == VerilogBackend().files(for: design))
    }

    @Test func candidatesCoverEveryOperatorKind() throws {
        let kinds = Set(design.mutationCandidates().map { "\($0.operator)" })
        for expected in ["add->subtract", "lessThan->greaterThan", "and->or", "xor->or", "drop-negate", "drop-not",
                         "orReduce->andReduce", "force-select-1", "force-select-0", "sign-to-zero-extension",
                         "shift-amount+1", "shiftRight->shiftLeft", "narrow-sign", "delay", "drop-sign-xor"] {
            #expect(kinds.contains(expected), "no \(expected) candidate")
        }
        // The same design gives the same list (no hashing order involved).
        let again = try elaborate(Top())
        #expect(again.mutationCandidates() == design.mutationCandidates())
    }

    @Test func everyCandidateKeepsTypesAndRenamesTheChain() throws {
        let original = Set(design.modules.map(\.name))
        let other = try #require(design.modules.first { $0.circuitName == "Other" })
        let candidates = design.mutationCandidates()
        #expect(candidates.count > 40)
        for candidate in candidates {
            let mutant = try design.applying([candidate], tag: "t")
            let site = candidate.site
            let renamed = MutationSite(module: site.module + "_mutant_t", circuitName: site.circuitName, connection: site.connection,
                                       target: site.target, path: site.path, location: site.location)
            let before = try #require(design.node(at: site))
            let after = try #require(mutant.node(at: renamed), "\(candidate)")
            #expect(after.type == before.type, "\(candidate): \(before.type) became \(after.type)")
            #expect(after !== before, "\(candidate) left the node in place")
            // The chain up to the top is renamed; nothing else changes.
            #expect(mutant.top.name == "Top_mutant_t")
            #expect(mutant.modules.count == design.modules.count)
            for module in mutant.modules where module.name.hasSuffix("_mutant_t") { #expect(!original.contains(module.name)) }
            if site.circuitName != "Other" { #expect(mutant.modules.contains { $0 === other }) }
        }
    }

    @Test func untouchedModulesEmitIdenticalVerilog() throws {
        let narrow = try #require(design.mutationCandidates().first { $0.operator == .narrow(signExtend: true) })
        let mutant = try design.applying([narrow], tag: "n")
        let before = Dictionary(uniqueKeysWithValues: VerilogBackend().files(for: design).map { ($0.name, $0.contents) })
        let after = Dictionary(uniqueKeysWithValues: VerilogBackend().files(for: mutant).map { ($0.name, $0.contents) })
        #expect(after["Other.v"] == before["Other.v"])
        #expect(Set(after.keys) == ["Other.v", "Leaf_width4_mutant_n.v", "Middle_mutant_n.v", "Top_mutant_n.v"])
        #expect(after["Leaf_width4_mutant_n.v"]!.contains("//   mutant = n"))
        // Outside the renamed instance lines, the parents' text is the original's.
        let middle = after["Middle_mutant_n.v"]!.replacingOccurrences(of: "_mutant_n", with: "")
            .replacingOccurrences(of: "//   mutant = n\n", with: "")
        #expect(middle.replacingOccurrences(of: "// Parameters:\n", with: "// Parameters: none\n") == before["Middle.v"])
    }

    @Test func mutantIsLintClean() throws {
        // Every operator kind, in as few designs as possible: each design holds one
        // mutation per kind, each on its own connection.
        var remaining = Set(design.mutationCandidates().map { "\($0.operator)" })
        var round = 0
        while !remaining.isEmpty {
            var chosen: [Mutation] = []
            var kinds = Set<String>(), connections = Set<String>()
            for candidate in design.mutationCandidates() where remaining.contains("\(candidate.operator)") {
                let key = "\(candidate.site.module)#\(candidate.site.connection)"
                guard !kinds.contains("\(candidate.operator)"), !connections.contains(key) else { continue }
                kinds.insert("\(candidate.operator)")
                connections.insert(key)
                chosen.append(candidate)
            }
            remaining.subtract(kinds)
            round += 1
            let mutant = try design.applying(chosen, tag: "all\(round)")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-rewrite-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            try VerilogBackend().write(mutant, to: dir)
            let findings = try VerilogLinter().lint(directory: dir, top: mutant.top.name)
            for finding in findings { #expect(finding.clean, "\(chosen): \(finding)") }
        }
    }

    @Test func delayAddsARegisterAndClocksItsModule() throws {
        let comb = try #require(design.mutationCandidates().first { $0.site.circuitName == "Other" && $0.operator == .delay })
        let mutant = try design.applying([comb], tag: "d")
        let other = try #require(mutant.modules.first { $0.circuitName == "Other" })
        #expect(other.name == "Other_mutant_d")
        #expect(other.usesClock)
        #expect(other.signals.last?.name == "mutant_delay_z" && other.signals.last?.isRegister == true)
        let text = VerilogBackend().emit(other)
        #expect(text.contains("input  wire clock"))
        #expect(text.contains("assign z = mutant_delay_z;"))
    }

    @Test func staleSitesAreReported() throws {
        let good = try #require(design.mutationCandidates().first { $0.operator == .dropNegate })
        let wrongTarget = MutationSite(module: good.site.module, circuitName: good.site.circuitName, connection: good.site.connection,
                                       target: "nonexistent", path: good.site.path, location: good.site.location)
        #expect(throws: RewriteError.self) { try design.applying([Mutation(site: wrongTarget, operator: .dropNegate)], tag: "x") }
        #expect(throws: RewriteError.self) { try design.applying([Mutation(site: good.site, operator: .zeroExtend)], tag: "x") }
        let missing = MutationSite(module: "Nope", circuitName: "Nope", connection: 0, target: "y", path: [], location: good.site.location)
        #expect(throws: RewriteError.self) { try design.applying([Mutation(site: missing, operator: .delay)], tag: "x") }
    }
}
