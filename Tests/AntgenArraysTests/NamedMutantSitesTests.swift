import AntgenArrays
import AntgenDSL
import AntgenHarness
import Testing

/// Every named mutant of every array finds its sites through the generators' typed tags
/// (``Design/sites(tagged:)``). The reference here is the lookup the mutants used before the
/// tags: generator base names and signal names, computed independently of the tags.
@Suite struct NamedMutantSitesTests {
    /// A few builds of each array, with and without the optional stages.
    static let configurations: [[String]] = [
        ["--array", "ant", "--rows", "3", "--cols", "2"],
        ["--array", "ant", "--rows", "2", "--cols", "3", "--no-int8", "--types", "int,pot"],
        ["--array", "ant", "--rows", "3", "--cols", "3", "--psum-codec"],
        ["--array", "ant", "--rows", "2", "--cols", "2", "--psum-preload", "--act-types", "int,float", "--weight-types", "flint"],
        ["--array", "ant", "--rows", "3", "--cols", "2", "--dataflow", "ws"],
        ["--array", "ant", "--rows", "2", "--cols", "2", "--dataflow", "ws", "--no-int8", "--types", "int"],
        ["--array", "pwlq", "--rows", "2", "--cols", "3"],
        ["--array", "pwlq", "--rows", "3", "--cols", "2", "--psum-codec"],
        ["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "4", "--terms", "3"],
        ["--array", "sdp", "--rows", "2", "--cols", "2", "--group", "2", "--terms", "1", "--weight-types", "int"],
        ["--array", "mx", "--rows", "2", "--cols", "2"],
        ["--array", "mx", "--rows", "2", "--cols", "3", "--mx-acc", "window", "--mx-formats", "fp6e2m3,int8"],
    ]

    @Test(arguments: configurations)
    func taggedSitesAreTheNamedSites(_ arguments: [String]) throws {
        let design = try ArraySelection.parse(arguments).variant().elaborate()
        let label = arguments.joined(separator: " ")
        var found = 0
        func check(_ name: String, _ tagged: () throws -> [Mutation], _ reference: [Mutation]) {
            let mutations = (try? tagged()) ?? []
            #expect(mutations == reference, "\(label): \(name)")
            found += reference.count
        }
        for m in NamedMutant.allCases { check(m.rawValue, { try m.mutations(in: design) }, Self.reference(m, design)) }
        for m in PartialSumMutant.allCases { check(m.rawValue, { try m.mutations(in: design) }, Self.reference(m, design)) }
        for m in PwlqMutant.allCases { check(m.rawValue, { try m.mutations(in: design) }, Self.reference(m, design)) }
        for m in SdpMutant.allCases { check(m.rawValue, { try m.mutations(in: design) }, Self.reference(m, design)) }
        for m in MxMutant.allCases { check(m.rawValue, { try m.mutations(in: design) }, Self.reference(m, design)) }
        #expect(found > 0, "\(label): no named site at all")
    }

    /// Every defect an array lists has a site in its small build (so the comparison above is not
    /// vacuous), and the mutant finds it.
    @Test func everyListedDefectHasASite() throws {
        let builds: [([String], [String])] = [
            (["--array", "ant", "--rows", "2", "--cols", "2"], NamedMutant.outputStationaryCases.map(\.rawValue)),
            (["--array", "ant", "--rows", "2", "--cols", "2", "--psum-codec"], PartialSumMutant.allCases.map(\.rawValue)),
            (["--array", "ant", "--rows", "2", "--cols", "2", "--dataflow", "ws"], NamedMutant.allCases.map(\.rawValue)),
            (["--array", "pwlq", "--rows", "2", "--cols", "2", "--psum-codec"], PwlqMutant.allCases.map(\.rawValue)),
            (["--array", "sdp", "--rows", "2", "--cols", "2"], SdpMutant.allCases.map(\.rawValue)),
            (["--array", "mx", "--rows", "2", "--cols", "2"], MxMutant.allCases.map(\.rawValue)),
            (["--array", "mx", "--rows", "2", "--cols", "2", "--mx-acc", "window"], MxMutant.allCases.map(\.rawValue)),
        ]
        for (arguments, defects) in builds {
            let variant = try ArraySelection.parse(arguments).variant()
            for defect in defects {
                #expect(variant.applies(defectNamed: defect), "\(arguments.joined(separator: " ")): \(defect)")
            }
        }
    }

    // MARK: The name-based reference (the lookup before typed tags)

    static func connections(_ design: Design, _ circuit: String, _ matches: (String) -> Bool) -> [MutationSite] {
        design.connectionSites(circuit: circuit, where: matches)
    }

    static func candidates(_ design: Design, _ circuit: String, _ target: String, _ op: MutationOperator,
                           rootOnly: Bool = false) -> [Mutation] {
        design.mutationCandidates().filter {
            $0.site.circuitName == circuit && $0.site.target == target && $0.operator == op && (!rootOnly || $0.site.path.isEmpty)
        }
    }

    static func reference(_ m: NamedMutant, _ design: Design) -> [Mutation] {
        switch m {
        case .peSign:
            return (connections(design, "ProcessingElement") { $0 == "negative" } + connections(design, "WsProcessingElement") { $0 == "negative" })
                .map { Mutation(site: $0, operator: .dropSignXor) }
        case .accNarrow:
            return (connections(design, "ProcessingElement") { $0 == "acc_next" } + connections(design, "WsProcessingElement") { $0 == "psum_next" })
                .map { Mutation(site: $0, operator: .narrow(signExtend: true)) }
        case .skew:
            func stage(_ name: String) -> (Int, Int)? {
                let parts = name.split(separator: "_")
                guard name.hasPrefix("a_skew_"), parts.count == 4, let row = Int(parts[2]), parts[3].first == "d",
                      let s = Int(parts[3].dropFirst()) else { return nil }
                return (row, s)
            }
            let stages = connections(design, "AntArray") { stage($0) != nil } + connections(design, "WsArray") { stage($0) != nil }
            return stages.max { stage($0.target)! < stage($1.target)! }.map { [Mutation(site: $0, operator: .delay)] } ?? []
        case .wsWeightRow:
            return connections(design, "WsProcessingElement") { $0 == "w_out" }.map { Mutation(site: $0, operator: .delay) }
        case .wsPsumDrop:
            return connections(design, "WsProcessingElement") { $0 == "psum_next" }.map { Mutation(site: $0, operator: .dropLeftAddend) }
        case .flintShift:
            return candidates(design, "FlintDecoder", "shifted", .shiftAmountPlusOne).filter {
                design.node(at: $0.site).map { $0.children.count == 2 && $0.children[1].signal?.name == "leading_ones" } ?? false
            }
        }
    }

    static func reference(_ m: PartialSumMutant, _ design: Design) -> [Mutation] {
        switch m {
        case .preloadIgnored:
            return connections(design, "PartialSumStage") { $0 == "head" }.map { Mutation(site: $0, operator: .forceSelect(false)) }
        case .codecRounding:
            return candidates(design, "PartialSumEncoder", "round_up", .swapBinary(.or, .and))
        }
    }

    static func reference(_ m: PwlqMutant, _ design: Design) -> [Mutation] {
        switch m {
        case .regionIgnored, .offsetDropped:
            let target = m == .regionIgnored ? "centre_term" : "offset_term"
            return connections(design, "PwlqProcessingElement") { $0 == target }.map { Mutation(site: $0, operator: .forceSelect(false)) }
        case .preloadIgnored: return reference(PartialSumMutant.preloadIgnored, design)
        case .codecRounding: return reference(PartialSumMutant.codecRounding, design)
        }
    }

    static func reference(_ m: SdpMutant, _ design: Design) -> [Mutation] {
        switch m {
        case .keepsFewer:
            return connections(design, "SdpSelector") { $0.hasPrefix("kept_") }.map { Mutation(site: $0, operator: .swapBinary(.lessOrEqual, .lessThan)) }
        case .tieOrder:
            return connections(design, "SdpSelector") { $0.hasPrefix("beats_") }.compactMap { site in
                guard case .binary(let op, _, _)? = design.node(at: site)?.kind else { return nil }
                if op == .greaterOrEqual { return Mutation(site: site, operator: .swapBinary(.greaterOrEqual, .greaterThan)) }
                if op == .greaterThan { return Mutation(site: site, operator: .swapBinary(.greaterThan, .greaterOrEqual)) }
                return nil
            }
        case .index:
            return connections(design, "SdpSelector") { $0 == "slot_index" }.map { Mutation(site: $0, operator: .increment) }
        }
    }

    static func reference(_ m: MxMutant, _ design: Design) -> [Mutation] {
        switch m {
        case .truncate:
            return candidates(design, "Fp32Rounder", "round_up", .forceSelect(false), rootOnly: true)
        case .scaleOffByOne:
            return connections(design, "MxProcessingElement") { $0 == "pending_exponent" }.map { Mutation(site: $0, operator: .resultPlusOne) }
        case .dropBlock:
            return candidates(design, "MxProcessingElement", "fold_a", .forceSelect(true), rootOnly: true)
                + candidates(design, "MxProcessingElement", "window_add", .forceSelect(false), rootOnly: true)
        }
    }
}
