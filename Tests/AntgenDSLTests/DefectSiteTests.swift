import AntgenDSL
import AntgenVerilog
import Testing

/// Tags for these tests.
private struct AdderSite: DefectSiteTag {
    let description: String
    static let sum = AdderSite(description: "Adder.sum")
    static let carry = AdderSite(description: "Adder.carry")
}

/// A tag type with the same description as one of ``AdderSite``'s: tags of two types never match.
private struct OtherSite: DefectSiteTag {
    let description: String
    static let sum = OtherSite(description: "Adder.sum")
}

/// A tag that carries data.
private struct StageSite: DefectSiteTag {
    let stage: Int
    var description: String { "Stage(\(stage))" }
}

/// A two-field bundle.
private struct Pair: BundleSpec {
    let hi = Field(.uint(2))
    let lo = Field(.uint(2))
}

/// A bundle in, a bundle out.
private struct PairPorts: PortSpec {
    let x = Port.input(Pair())
    let y = Port.output(Pair())
}

/// An accumulator with a conditional register, a shared node and a shift chain; `marked`
/// adds the defect-site marks and nothing else.
private struct Marked: Circuit {
    let marked: Bool
    var name: String { "Marked" }
    struct Ports: PortSpec {
        let a = Port.input(.uint(4)), b = Port.input(.uint(4)), sel = Port.input(.bool)
        let y = Port.output(.uint(5)), z = Port.output(.uint(5)), q = Port.output(.uint(4))
    }
    var ports: Ports { Ports() }
    func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let shared = io.a + io.b
        let sum = m.wire("sum", equals: mux(io.sel, shared, shared &+ 1))
        let acc = m.register("acc", .uint(5), reset: 0)
        m.when(io.sel) { acc.assign(sum) }.otherwise { acc.assign(acc &+ shared) }
        io.y.assign(acc)
        io.z.assign(shared ^ sum)
        var stage = io.a
        for s in 0..<3 {
            stage = m.register("d\(s)", next: stage)
            if marked { m.markSite(StageSite(stage: s), on: stage) }
        }
        io.q.assign(stage)
        if marked {
            acc.site(AdderSite.carry)
            shared.site(AdderSite.sum)
            m.markSite(AdderSite.carry, on: acc)  // twice: still one site per connection
        }
    }
}

@Suite struct DefectSiteTests {
    @Test func marksChangeNeitherTheVerilogNorTheCandidates() throws {
        let plain = try elaborate(Marked(marked: false)), marked = try elaborate(Marked(marked: true))
        #expect(VerilogBackend().files(for: plain) == VerilogBackend().files(for: marked))
        #expect(plain.mutationCandidates() == marked.mutationCandidates())
        #expect(plain.sites(tagged: AdderSite.carry).isEmpty)
    }

    @Test func aSignalMarkIsEveryConnectionDrivingIt() throws {
        let design = try elaborate(Marked(marked: true))
        let sites = design.sites(tagged: AdderSite.carry)
        #expect(sites.map(\.target) == ["acc", "acc"])
        #expect(sites.allSatisfy { $0.path.isEmpty && $0.circuitName == "Marked" })
        // The two connections inside `when`/`otherwise`, numbered as the candidates number them.
        let accConnections = Set(design.mutationCandidates().filter { $0.site.target == "acc" }.map(\.site.connection))
        #expect(Set(sites.map(\.connection)) == accConnections && accConnections.count == 2)
    }

    @Test func aNodeMarkIsThatNodeInEveryConnectionThatUsesIt() throws {
        let design = try elaborate(Marked(marked: true))
        let sites = design.sites(tagged: AdderSite.sum)
        // `shared` feeds sum (both mux arms: one site, the first path), acc's otherwise arm, and z.
        #expect(sites.map(\.target) == ["sum", "acc", "z"])
        // One node, the five-bit add, reached from three connections.
        let nodes = try sites.map { try #require(design.node(at: $0)) }
        #expect(Set(nodes.map(ObjectIdentifier.init)).count == 1)
        guard case .binary(.add, _, _) = nodes[0].kind, nodes[0].type == .uint(5) else {
            Issue.record("\(sites[0]) is not the sum: \(nodes[0].kind)")
            return
        }
        #expect(sites[0].path == [1])
        // Each is where the candidates list offers the add node's swap.
        let swaps = Set(design.mutationCandidates().filter { $0.operator == .swapBinary(.add, .subtract) }.map(\.site))
        #expect(sites.allSatisfy { swaps.contains($0) })
    }

    @Test func tagsOfAnotherTypeNeverMatch() throws {
        let design = try elaborate(Marked(marked: true))
        #expect(AdderSite.sum.description == OtherSite.sum.description)
        #expect(design.sites(tagged: OtherSite.sum).isEmpty)
        #expect(design.sites(taggedWith: OtherSite.self).isEmpty)
    }

    @Test func dataTagsAreFoundByType() throws {
        let design = try elaborate(Marked(marked: true))
        let stages = design.sites(taggedWith: StageSite.self)
        #expect(stages.map(\.tag.stage) == [0, 1, 2])
        #expect(stages.map(\.site.target) == ["d0", "d1", "d2"])
        #expect(design.sites(tagged: StageSite(stage: 1)).map(\.target) == ["d1"])
    }

    @Test func aMutantKeepsItsSignalMarks() throws {
        let design = try elaborate(Marked(marked: true))
        let site = try #require(design.sites(tagged: StageSite(stage: 2)).first)
        let mutant = try design.applying([Mutation(site: site, operator: .delay)], tag: "t")
        #expect(mutant.sites(tagged: StageSite(stage: 2)).map(\.target) == ["d2"])
        #expect(mutant.sites(tagged: AdderSite.carry).count == 2)
    }

    @Test func aBundleMarkIsItsPackedSignal() throws {
        let c = PortedCircuit("B", ports: { PairPorts() }) { _, io in
            io.y.site(AdderSite.sum).assign(io.x)
        }
        let design = try elaborate(c)
        #expect(design.sites(tagged: AdderSite.sum).map(\.target) == ["y"])
    }

    @Test func badMarksAreElaborationErrors() {
        let input = TestCircuit { m in
            let a = m.input("a", .uint(2))
            m.output("o", .uint(2)).assign(a)
            m.markSite(AdderSite.sum, on: a)
        }
        #expect(diagnostics(input).map(\.message) == ["cannot mark defect site Adder.sum on input 'a' (UInt<2>): this module does not drive it"])
        let constant = TestCircuit { m in
            m.output("o", .uint(2)).assign(1)
            m.markSite(AdderSite.sum, on: .uint(1, width: 2))
        }
        #expect(diagnostics(constant).map(\.message) == ["cannot mark defect site Adder.sum on a constant"])
        let unused = TestCircuit { m in
            let a = m.input("a", .uint(2))
            m.output("o", .uint(2)).assign(a)
            (a &+ 1).site(AdderSite.carry)
        }
        #expect(diagnostics(unused).map(\.message) == ["defect site Adder.carry marks an expression that no connection of the module uses"])
    }

    @Test func onlyTheModulesOwnDrivenSignalsCanBeMarked() throws {
        final class Box { var y: Value? }
        let box = Box()
        let child = PortedCircuit("Child", ports: { PassPorts(width: 2) }) { _, io in
            io.y.assign(io.x)
            box.y = io.y
        }
        let parent = PortedCircuit("Parent", ports: { PassPorts(width: 2) }) { m, io in
            let inner = m.instance(child, name: "c")
            inner.x.assign(io.x)
            io.y.assign(inner.y)
            inner.x.site(AdderSite.sum)  // an instance input the parent drives
            m.markSite(AdderSite.carry, on: box.y!)
        }
        #expect(diagnostics(parent).map(\.message) == ["cannot mark defect site Adder.carry on output 'y' (UInt<2>): it belongs to module 'Child'"])
        let fine = PortedCircuit("Fine", ports: { PassPorts(width: 2) }) { m, io in
            let inner = m.instance(child, name: "c")
            inner.x.site(AdderSite.sum).assign(io.x)
            io.y.assign(inner.y)
        }
        #expect(try elaborate(fine).sites(tagged: AdderSite.sum).map(\.target) == ["c_x"])
    }
}
