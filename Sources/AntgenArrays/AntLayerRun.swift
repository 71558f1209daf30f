import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
import Foundation

/// `antgen run --array ant`: codes or float inputs, plans and modes, through ``GemmRunner``.
extension LayerRunJob {
    func runAnt(_ ant: AntVariant, shell: ShellLayerRun?) throws {
        let defect = try AntVariant.defect(named: mutation)
        guard ant.parameters.partialSumStage == nil else {
            throw LayerRunError("--psum-preload/--psum-codec: antgen run drives arrays without the partial-sum stage; verify that stage with antgen verify --psum-preload")
        }
        let parameters = ant.parameters
        let flow = ant.dataflow
        let plan = try self.plan.map { try PlanHardwareMapping.read(atPath: $0) }
        let operands = try RunOperands.prepare(inputs, parameters: parameters, plan: plan)
        try operands.checkAccumulator(parameters, allowWrap: allowWrap)
        try checkMemory(m: operands.a.rows, k: operands.a.cols, n: operands.w.cols)
        let runner = GemmRunner(parameters: parameters, cacheDirectory: URL(fileURLWithPath: cacheDirectory), tools: tools,
                                mutant: try ant.arrayMutant(defect).map(Mutant.named), dataflow: flow)
        let tiling = GemmTiling(m: operands.a.rows, k: operands.a.cols, n: operands.w.cols, rows: parameters.rows, cols: parameters.cols)
        let tileCount = flow == .ws ? WsGemmTiling(m: tiling.m, k: tiling.k, n: tiling.n, rows: parameters.rows, cols: parameters.cols).tileCount
            : tiling.tileCount
        let shape = flow == .ws ? "weight tiles of \(parameters.rows) × \(parameters.cols), M = \(tiling.m) vectors each" : "tiles of K = \(tiling.k)"
        FileHandle.standardError.write(Data("run: \(tiling.m)×\(tiling.k) · \(tiling.k)×\(tiling.n) on \(parameters.rows)×\(parameters.cols) \(flow) (\(simulator)): \(tileCount) \(shape)\n".utf8))
        var lastReport = Date.distantPast
        let outcome = try runner.run(a: operands.a, w: operands.w, simulator: simulator) { done, total in
            guard done == total || Date().timeIntervalSince(lastReport) >= 2 else { return }
            lastReport = Date()
            FileHandle.standardError.write(Data("run: \(done)/\(total) tiles\n".utf8))
        }
        let report = try RunReport(dataflow: flow, parameters: parameters, tiling: tiling, tileCount: tileCount, operands: operands, outcome: outcome,
                                   model: try runner.goldenModel(), simulator: simulator)
        guard outcome.mismatches.isEmpty, outcome.protocolErrors.isEmpty else {
            print(report.text())
            throw LayerRunError(try failureLine(runner, operands, outcome, parameters))
        }
        let shellLines = try shell.map { try $0.run(try ant.shellTiles(a: operands.a, w: operands.w, format: $0.format), bareCycles: outcome.cycles) }
        let jsonText = try json.map { _ in try shellLines.map { try $0.merged(into: report.jsonText()) } ?? report.jsonText() }
        try writeOutputs(report.output.map(Float.init), m: tiling.m, n: tiling.n, jsonText: jsonText)
        print(report.text())
        for line in shellLines?.lines ?? [] { print(line) }
    }

    /// The one line of a failed check, with the reproducer: the first failing tile saved as
    /// a golden vector file for `antgen verify --vectors`.
    func failureLine(_ runner: GemmRunner, _ operands: RunOperands, _ outcome: GemmRunOutcome, _ p: ArrayParameters) throws -> String {
        guard let first = outcome.mismatches.first else {
            return "the simulator reported protocol errors: \(outcome.protocolErrors.first ?? "")"
        }
        let folder = URL(fileURLWithPath: cacheDirectory).appendingPathComponent("failures")
        try createFolder(folder)
        // The reproducer is the OS tile (M block × N block, whole K) holding the first bad
        // element; verify --dataflow ws runs that same GEMM through the WS array.
        let tiling = GemmTiling(m: operands.a.rows, k: operands.a.cols, n: operands.w.cols, rows: p.rows, cols: p.cols)
        let osTile = first.m.flatMap { m in first.n.map { n in (m / p.rows) * tiling.nBlocks + n / p.cols } } ?? (runner.dataflow == .os ? first.tile : 0)
        let file = folder.appendingPathComponent("run-\(runner.dataflow)-\(p.rows)x\(p.cols)-tile\(osTile).hex")
        try runner.reproducer(tile: osTile, a: operands.a, w: operands.w).write(to: file)
        var line = "\(outcome.mismatches.count) of \(outcome.comparedElements) output elements differ from the Swift reference (first: tile \(first.tile) row \(first.row) col \(first.col)"
        if let m = first.m, let n = first.n { line += ", C[\(m), \(n)]" }
        let selector = (try? AntVariant(p, dataflow: runner.dataflow).selectorArguments.joined(separator: " ")) ?? "--array ant"
        line += String(format: ": expected 0x%llx, RTL 0x%llx); reproduce: antgen verify \(selector) --vectors \(file.path)", first.expected, first.got)
        if mutation != "none" { line += " --mutation \(mutation)" }
        return line
    }
}
