import AntgenDSL
import AntgenVerilog
import Foundation
import Testing

/// The example on docs/dsl.md compiles (it is DocumentedExample.swift), elaborates,
/// lints clean, and the page shows exactly that code.
@Suite struct DocumentedExampleTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func thePageShowsTheCompiledExample() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/dsl.md"), encoding: .utf8)
        let source = try String(contentsOf: Self.root.appendingPathComponent("Tests/AntgenDSLTests/DocumentedExample.swift"), encoding: .utf8)
        let start = try #require(page.range(of: "```swift\n"))
        let end = try #require(page.range(of: "```", range: start.upperBound..<page.endIndex))
        let block = String(page[start.upperBound..<end.lowerBound])
        let body = source.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[1]
        #expect(block == String(body))
    }

    @Test func theExampleElaboratesAndLintsClean() throws {
        let design = try elaborate(TwoAccumulators())
        #expect(design.modules.map(\.name) == ["Accumulator_width8", "TwoAccumulators"])
        #expect(try lintFindingsOf(TwoAccumulators()).allSatisfy(\.clean))
        let accumulator = try #require(VerilogBackend().files(for: design).first { $0.name == "Accumulator_width8.v" })
        #expect(accumulator.contents.contains("// sample = {valid [8], data [7:0]}"))
    }

    /// The error the page quotes for `acc.assign(acc + io.sample.data)`.
    @Test func theQuotedErrorIsWhatElaborationSays() throws {
        let wrong = PortedCircuit("Accumulator", ports: { Accumulator(width: 8).ports }) { m, io in
            let acc = m.register("acc", .sint(16), reset: 0)
            acc.assign(acc + io.sample.data)
            io.total.assign(acc)
        }
        let message = try #require(diagnostics(wrong).first?.message)
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/dsl.md"), encoding: .utf8)
        #expect(page.contains("in module Accumulator: " + message) || page.contains(message))
    }
}
