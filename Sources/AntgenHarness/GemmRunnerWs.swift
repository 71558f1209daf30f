import AntgenGolden
import AntgenHardware
import AntgenSupport
import Foundation

extension GemmRunner {
    /// The weight-stationary run (``WsGemmTiling``): every weight tile (a K chunk × N block)
    /// through ONE streaming process of the WS harness (Verilator: `Testbenches/ws/ws_harness.cpp
    /// --stream`; Icarus: `Testbenches/ws/ws_stream_tb.v` over one tile file); each tile's
    /// partial sums are checked against the chunk's reference, and their sum modulo 2^W (the
    /// result) against the whole GEMM's.
    func runWeightStationary(a: QuantizedMatrix, w: QuantizedMatrix, simulator: SimulatorKind,
                             progress: (Int, Int) -> Void) throws -> GemmRunOutcome {
        let model = try goldenModel()
        let tiling = WsGemmTiling(m: a.rows, k: a.cols, n: w.cols, rows: parameters.rows, cols: parameters.cols)
        let reference = GemmReference.expected(model, a: a, w: w)
        var chunkReferences: [Int: [UInt64]] = [:]
        let act = String(a.mode.packed, radix: 16), weight = String(w.mode.packed, radix: 16)
        let text: @Sendable (Int) -> String = { t in
            let (weights, acts) = tiling.codes(of: t, a: a, w: w)
            var s = "WTILE \(t) \(tiling.m) \(act) \(weight)\n"
            for row in weights { s += row.map { String($0, radix: 16) }.joined(separator: " ") + "\n" }
            for row in acts { s += row.map { String($0, radix: 16) }.joined(separator: " ") + "\n" }
            return s
        }
        let mask = model.mask
        var sums = [UInt64](repeating: 0, count: a.rows * w.cols)
        var mismatches: [GemmMismatch] = []
        var tileCycles: [Int] = []
        var compared = 0
        var chunkProblem: Error?
        let check: (TileAnswer) -> Void = { answer in
            let (kc, nb) = tiling.blocks(of: answer.id)
            if chunkReferences[kc] == nil {
                do { chunkReferences[kc] = try tiling.chunkReference(model, chunk: kc, a: a, w: w) } catch { chunkProblem = error }
            }
            let partial = chunkReferences[kc] ?? []
            for i in 0..<tiling.m {
                for j in 0..<tiling.cols {
                    let n = nb * tiling.cols + j
                    let inside = n < tiling.n && !partial.isEmpty
                    let want = inside ? partial[i * tiling.n + n] : 0
                    let got = answer.results[i][j]
                    compared += 1
                    if inside { sums[i * tiling.n + n] = (sums[i * tiling.n + n] &+ got) & mask }
                    if got != want {
                        mismatches.append(GemmMismatch(tile: answer.id, row: i, col: j, m: i, n: n < tiling.n ? n : nil, expected: want, got: got))
                    }
                }
            }
            tileCycles.append(answer.cycles)
            progress(tileCycles.count, tiling.tileCount)
        }
        let request = BuildRequest(parameters: parameters, mutant: mutant, dataflow: .ws)
        let summary: StreamSummary
        var buildSeconds = 0.0, cached = true
        let start: Date
        switch simulator {
        case .verilator:
            let builder = VerilatorBuilder(cacheDirectory: cacheDirectory, testbenches: try TestbenchSources.locate(),
                                           verilator: tools.verilator, simulationTimeout: tools.simulationTimeout)
            let binary = try builder.binary(for: request)
            buildSeconds = binary.buildSeconds
            cached = binary.cached
            start = Date()
            summary = try binary.stream(count: tiling.tileCount, rows: tiling.m, cols: tiling.cols, text: text, answer: check)
        case .icarus:
            try tools.require(.icarus)
            let design = try GeneratedDesign(request)
            let runner = IcarusRunner(testbenches: try TestbenchSources.locate(), tools: tools)
            let work = cacheDirectory.appendingPathComponent(".tmp-run-icarus-ws-\(getpid())-\(UUID().uuidString.prefix(8))")
            try createFolder(cacheDirectory)
            start = Date()
            summary = try runner.streamWeightStationary(design: design, count: tiling.tileCount, vectors: tiling.m, cols: tiling.cols,
                                                        work: work, text: text, answer: check)
        }
        if let chunkProblem { throw chunkProblem }
        // The sum of the checked partial sums must be the whole GEMM's reference.
        for (index, (got, want)) in zip(sums, reference).enumerated() where got != want && mismatches.isEmpty {
            mismatches.append(GemmMismatch(tile: -1, row: index / tiling.n, col: index % tiling.n, m: index / tiling.n,
                                           n: index % tiling.n, expected: want, got: got))
        }
        return GemmRunOutcome(results: sums, mismatches: mismatches, comparedElements: compared, tileCycles: tileCycles,
                              cycles: summary.cycles, buildSeconds: buildSeconds, cached: cached,
                              simulationSeconds: Date().timeIntervalSince(start), protocolErrors: summary.errors)
    }
}
