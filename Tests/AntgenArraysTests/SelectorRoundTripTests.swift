import AntgenArrays
import AntgenHardware
import ArgumentParser
import Testing

/// Every reproduce line antgen prints rebuilds its array from `selectorArguments`: parsing
/// those words with the real option parser (`ArraySelection`) must give back the same
/// configuration and dataflow, for every registered variant and each of its dataflows.
@Suite struct SelectorRoundTripTests {
    /// Extra selectors per array (beyond the small and the default build), each exercising
    /// options a reproduce line must carry: partial sums, the MX window, the SDP budget, no int8.
    static let extraSelectors: [String: [[String]]] = [
        "ant": [["--psum-codec"], ["--psum-preload", "--rows", "4"], ["--no-int8", "--types", "int,pot", "--code-width", "3"],
                ["--act-types", "int,flint", "--weight-types", "int,pot,float"]],
        "pwlq": [["--psum-preload"], ["--psum-codec", "--code-width", "3"], ["--no-int8", "--acc-width", "30"]],
        "sdp": [["--group", "4", "--terms", "6"], ["--group", "2", "--terms", "1", "--rows", "2", "--cols", "2"]],
        "mx": [["--mx-acc", "window", "--mx-window", "4"], ["--mx-formats", "all", "--mx-block-size", "16", "--rows", "16"],
               ["--mx-formats", "int8,fp6e3m2", "--mx-max-blocks", "4"]],
        "fpint": [["--fpint-lanes", "3", "--fpint-shift", "5"], ["--fpint-formats", "bf16,int8", "--fpint-layer-format", "bf16"],
                  ["--fpint-no-cast", "--rows", "3"]],
    ]

    static var names: [String] { VariantRegistry.names }

    @Test(arguments: names)
    func selectorArgumentsParseBackToTheSameBuild(_ name: String) throws {
        let type = try VariantRegistry.type(named: name)
        #expect(!(Self.extraSelectors[name] ?? []).isEmpty, "\(name): no extra selectors listed for a registered array")
        var built: Set<[String]> = []
        for dataflow in type.dataflows {
            var builds: [any ArrayVariant] = [try type.small(dataflow: dataflow)]
            let flow = type.dataflows.count > 1 ? ["--dataflow", dataflow.rawValue] : []
            for extra in [[]] + (Self.extraSelectors[name] ?? []) {
                let selection = try ArraySelection.parse(["--array", name] + flow + extra)
                // Some combinations are not builds (e.g. the partial-sum stage on the WS array).
                guard let variant = try? selection.variant() else { continue }
                builds.append(variant)
                built.insert(extra)
            }
            for build in builds { try checkRoundTrip(build) }
        }
        for extra in [[]] + (Self.extraSelectors[name] ?? []) {
            #expect(built.contains(extra), "\(name) \(extra): builds for none of the dataflows")
        }
    }

    /// Parses `variant.selectorArguments` and compares the rebuilt configuration and dataflow.
    func checkRoundTrip<V: ArrayVariant>(_ variant: V) throws {
        let words = variant.selectorArguments
        let line = words.joined(separator: " ")
        let selection = try ArraySelection.parse(words)
        try selection.validate()
        let rebuilt = try selection.variant()
        let same = try #require(rebuilt as? V, "\(line): parsed as --array \(type(of: rebuilt).name)")
        #expect(same.configuration == variant.configuration, "\(line): the configuration changed through the parser")
        #expect(same.dataflow == variant.dataflow, "\(line): the dataflow changed through the parser")
        #expect(same.selectorArguments == words, "\(line): the rebuilt build prints a different selector")
    }
}
