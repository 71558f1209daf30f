import AntgenHardware
import AntgenPerf
import AntgenSynth
import Testing

/// `ArraySynthesis.ws`: the weight-stationary array through Yosys, as the OS
/// array goes, with cells the performance model can price.
@Suite("WS synthesis", .serialized)
struct WsSynthesisTests {
    static func parameters(preload: Bool = false) throws -> ArrayParameters {
        try ArrayParameters(rows: 2, cols: 2, codeWidth: 4, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 12,
                            int8: false, maxReduction: 16, preload: preload)
    }

    static var options: SynthesisOptions {
        var options = SynthesisOptions()
        options.ice40 = false
        return options
    }

    @Test("a 2 × 2 WsArray: cells in the PE and the rest, deterministic, priced by ArrayCells")
    func weightStationaryArray() throws {
        let p = try Self.parameters()
        let first = try ArraySynthesis.weightStationary(p, synthesizer: Synthesizer(), options: Self.options)
        #expect(first.top.hasPrefix("WsArray"))
        #expect(first.parameters["dataflow"] == "ws" && first.parameters["rows"] == "2" && first.parameters["cols"] == "2")
        let pe = try #require(first.modules.first { $0.generator == "WsProcessingElement" })
        #expect(pe.instancesInDesign == 4)
        #expect(pe.total.genericCells.total > 0 && first.design.genericCells.total > 4 * pe.total.genericCells.total)
        #expect(pe.total.genericCells.byType["$_DFF_P_", default: 0] > 0)
        let second = try ArraySynthesis.weightStationary(p, synthesizer: Synthesizer(), options: Self.options)
        #expect(second == first)
        let cells = try ArrayCells(report: first, processingElement: AntWeightStationaryShape().processingElementGenerator)
        #expect(cells.processingElement == pe.total.genericCells.byType)
        let perf = try PerfArray(rows: 2, cols: 2, dataflow: .ws, accumulatorWidth: 12, int8: false)
        #expect(try EnergyModel(array: perf, table: .standard, cells: cells).picojoulesPerPEStep > 0)
    }

    @Test("the partial-sum stage is refused with one line")
    func preloadRefused() throws {
        #expect(throws: SynthesisError.self) {
            try ArraySynthesis.weightStationary(try Self.parameters(preload: true), synthesizer: Synthesizer(), options: Self.options)
        }
    }
}
