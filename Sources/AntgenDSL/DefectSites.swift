/// A typed name for a named-defect site: a connection or an expression node a generator
/// marks where it builds it, so a harness finds the site through the tag instead of a
/// generator name and a signal name (a renamed wire keeps its tag).
///
/// Declare one tag type per generator, next to it in the hardware layer, with a static
/// constant per site:
///
///     public struct AdderSite: DefectSiteTag {
///         public let description: String
///         public static let carry = AdderSite(description: "Adder.carry")
///     }
///
/// then mark (`m.wire("carry", equals: …).site(AdderSite.carry)`) and query
/// (`design.sites(tagged: AdderSite.carry)`). Tags compare by type and value, so two tag
/// types never collide; a tag may carry data (a row and a stage), queried by type with
/// ``Design/sites(taggedWith:)``. Marks never change the design: the emitted Verilog and
/// ``Design/mutationCandidates()`` are the same with or without them.
public protocol DefectSiteTag: Hashable, Sendable, CustomStringConvertible {}

/// One mark a generator recorded: a tag on a signal (every connection that drives it) or on
/// an expression node (that node, wherever a connection of the module uses it).
struct SiteMark {
    /// What a mark is on.
    enum Target {
        /// The connections driving this signal (site path empty).
        case signal(Signal)
        /// This node inside the module's connections.
        case node(ExpressionNode)
    }

    /// The tag (a ``DefectSiteTag``).
    let tag: AnyHashable
    /// The marked signal or node.
    let target: Target
    /// Where the generator marked it.
    let location: SourceLocation
}

extension ModuleBuilder {
    /// Marks `value` as the defect site `tag`.
    ///
    /// A signal of this module that it drives (a wire, register, output port or instance
    /// input) marks every connection driving it: each is a site with an empty path. Any other
    /// expression marks that node: a site at its path inside each connection whose value uses
    /// it (``Design/sites(tagged:)``). Marking changes nothing in the design.
    /// Errors (reported at elaboration): a signal of another module or one this module does not
    /// drive (an input), a constant, or a node no connection of the module uses.
    public func markSite(_ tag: some DefectSiteTag, on value: Value, file: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: file, line: line)
        let active = elaborator.activeBuilder ?? self
        guard active === self else {
            active.error("cannot mark defect site \(tag) in module '\(moduleName)' while building '\(active.moduleName)'", at: location)
            return
        }
        if let signal = value.signal {
            guard signal.moduleToken == token else {
                error("cannot mark defect site \(tag) on \(signal.describe): it belongs to module '\(signal.moduleName)'", at: location)
                return
            }
            guard signal.isRegister || signal.isCombinationalTarget else {
                error("cannot mark defect site \(tag) on \(signal.describe): this module does not drive it", at: location)
                return
            }
            siteMarks.append(SiteMark(tag: AnyHashable(tag), target: .signal(signal), location: location))
            return
        }
        switch value.node.kind {
        case .constant:
            error("cannot mark defect site \(tag) on a constant", at: location)
        case .invalid:
            return  // the statement that uses the value reports it
        default:
            siteMarks.append(SiteMark(tag: AnyHashable(tag), target: .node(value.node), location: location))
        }
    }

    /// The diagnostics for node marks that no connection of the module reaches (called once
    /// the module is built and checked).
    func checkSiteMarks() {
        let marked = siteMarks.compactMap { mark -> (SiteMark, ExpressionNode)? in
            if case .node(let node) = mark.target { return (mark, node) }
            return nil
        }
        guard !marked.isEmpty else { return }
        var reached = Set<ObjectIdentifier>()
        var stack: [ExpressionNode] = []
        func walk(_ statements: [Statement]) {
            for s in statements {
                switch s {
                case .connect(let c): stack.append(c.value)
                case .when(let w): walk(w.thenBody); walk(w.elseBody)
                case .switchOn(let sw):
                    for arm in sw.arms { walk(arm.body) }
                    if let other = sw.otherwise { walk(other) }
                }
            }
        }
        walk(statements)
        while let node = stack.popLast() {
            if reached.insert(ObjectIdentifier(node)).inserted { stack.append(contentsOf: node.children) }
        }
        for (mark, node) in marked where !reached.contains(ObjectIdentifier(node)) {
            error("defect site \(mark.tag) marks an expression that no connection of the module uses", at: mark.location)
        }
    }
}

extension Value {
    /// Marks this value as the defect site `tag` (``ModuleBuilder/markSite(_:on:file:line:)``
    /// in the module being built) and returns it unchanged, so a declaration can carry its
    /// tag: `let negative = m.wire("negative", equals: a ^ b).site(PESite.sign)`.
    @discardableResult
    public func site(_ tag: some DefectSiteTag, file: String = #fileID, line: Int = #line) -> Value {
        guard let builder = (signal ?? firstSignal(in: node))?.builder?.elaborator.activeBuilder else {
            preconditionFailure("\(SourceLocation(fileID: file, line: line)): defect site \(tag) on a constant expression")
        }
        builder.markSite(tag, on: self, file: file, line: line)
        return self
    }
}

extension Bundle {
    /// Marks the bundle's packed signal as the defect site `tag` (an output port, wire or
    /// instance input: every connection that drives it whole) and returns the bundle:
    /// `io.wOut.site(PESite.forward).assign(…)`.
    @discardableResult
    public func site(_ tag: some DefectSiteTag, file: String = #fileID, line: Int = #line) -> Bundle {
        packed.site(tag, file: file, line: line)
        return self
    }
}

extension Design {
    /// The sites marked `tag`, in design order (modules dependencies first, connections in
    /// ``MutationSite/connection`` order, within a connection the signal's mark first, then
    /// marked nodes depth-first from the value as ``mutationCandidates()`` visits them).
    /// Empty when the design has no such site. On a mutant (``applying(_:tag:)``) the marks
    /// carry over, except a node mark on a mutation's rebuilt path.
    public func sites(tagged tag: some DefectSiteTag) -> [MutationSite] {
        let key = AnyHashable(tag)
        return markedSites { $0 == key }.map(\.site)
    }

    /// Every site marked with a tag of type `Tag`, with its tag, in the order of
    /// ``sites(tagged:)``: for tags that carry data (``DefectSiteTag``).
    public func sites<Tag: DefectSiteTag>(taggedWith type: Tag.Type) -> [(tag: Tag, site: MutationSite)] {
        markedSites { $0.base is Tag }.map { ($0.tag.base as! Tag, $0.site) }
    }

    /// The (tag, site) pairs of the marks whose tag satisfies `matches`.
    private func markedSites(where matches: (AnyHashable) -> Bool) -> [(tag: AnyHashable, site: MutationSite)] {
        var out: [(tag: AnyHashable, site: MutationSite)] = []
        for module in modules {
            var onSignal: [ObjectIdentifier: [AnyHashable]] = [:]
            var onNode: [ObjectIdentifier: [AnyHashable]] = [:]
            for mark in module.siteMarks where matches(mark.tag) {
                switch mark.target {
                case .signal(let s): onSignal[ObjectIdentifier(s), default: []].appendOnce(mark.tag)
                case .node(let n): onNode[ObjectIdentifier(n), default: []].appendOnce(mark.tag)
                }
            }
            guard !onSignal.isEmpty || !onNode.isEmpty else { continue }
            for (ordinal, connection) in connections(of: module).enumerated() {
                func site(_ path: [Int]) -> MutationSite {
                    MutationSite(module: module.name, circuitName: module.circuitName, connection: ordinal,
                                 target: connection.target.name, path: path, location: connection.location)
                }
                for tag in onSignal[ObjectIdentifier(connection.target)] ?? [] { out.append((tag, site([]))) }
                guard !onNode.isEmpty else { continue }
                var seen = Set<ObjectIdentifier>()
                var stack: [(ExpressionNode, [Int])] = [(connection.value, [])]
                while let (node, path) = stack.popLast() {
                    guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
                    for tag in onNode[ObjectIdentifier(node)] ?? [] { out.append((tag, site(path))) }
                    for (i, child) in node.children.enumerated().reversed() { stack.append((child, path + [i])) }
                }
            }
        }
        return out
    }
}

extension Array where Element == AnyHashable {
    /// Appends `tag` unless present (a site marked twice with one tag is one site).
    fileprivate mutating func appendOnce(_ tag: AnyHashable) {
        if !contains(tag) { append(tag) }
    }
}
