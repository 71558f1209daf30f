import AntgenModel
import AntgenNumerics
import Foundation

extension ModelTuner {
    /// The cheapest configuration found under `constraint`, written as a plan and verified by
    /// a forward pass that reads its precisions back from that plan.
    /// - Throws: ``VariantError`` when all-8-bit already misses the floor, or a pass's error.
    public func tune(_ constraint: FidelityConstraint) throws -> ModelTuningResult {
        try prepare()
        guard let start else { throw VariantError("tune --model: no start pass") }
        let first = history.count
        guard constraint.isMet(by: start) else {
            throw VariantError(String(format: "%@ is out of reach: all layers at int8 give %@ %.5f on this corpus",
                                      constraint.description, constraint.metric.rawValue, constraint.value(start)))
        }
        let order = demotionOrder()
        // Bisection for the longest prefix of the order meeting the floor.
        var low = 0, high = order.count
        while low < high {
            let mid = (low + high + 1) / 2
            let (report, _) = try evaluate(applying(order.prefix(mid), to: allEight), what: "prefix of \(mid) narrowings", constraint: constraint)
            if constraint.isMet(by: report) { low = mid } else { high = mid - 1 }
        }
        var accepted = Array(order.prefix(low))
        var tries = 0
        for d in order.dropFirst(low) where tries < tailLimit {
            tries += 1
            let (report, _) = try evaluate(applying(accepted + [d], to: allEight), what: "+ \(d)", constraint: constraint)
            if constraint.isMet(by: report) { accepted.append(d) }
        }
        let config = applying(accepted, to: allEight)
        return try verify(config, constraint: constraint, searchEvaluations: Array(history[first...]))
    }

    /// The narrowings that save anything, by local error growth per unit of objective saved (least first).
    func demotionOrder() -> [Demotion] {
        singles.filter { $0.saving > 0 }
            .map { (d: $0.demotion, score: max(0, $0.errorGrowth) / $0.saving) }
            .sorted { ($0.score, $0.d.layer, $0.d.weight ? 0 : 1) < ($1.score, $1.d.layer, $1.d.weight ? 0 : 1) }
            .map(\.d)
    }

    /// Builds the plan of `config`, runs it end to end through ``PlanPrecisions`` (recording
    /// each tensor's quantization statistics on its first batch) and prices it.
    func verify(_ config: [String: LayerWidths], constraint: FidelityConstraint, searchEvaluations: [TuningEvaluation]) throws -> ModelTuningResult {
        let draft = PlanPrecisions(planFrom(config, statistics: [:], constraint: constraint, cost: 0, evaluations: searchEvaluations.count))
        let recorder = OperandStatisticsRecorder(variant: variant, memos: memos,
                                                 inner: VariantLinearExecutor(variant: variant, memos: memos) { draft.precision(forLayer: $0) })
        let began = Date()
        let report = try FidelityReport.compare(try model.embed(corpus, executor: recorder, options: options), reference: reference)
        let met = constraint.isMet(by: report)
        history.append(TuningEvaluation(what: "verify the plan", value: constraint.value(report), met: met))
        log(String(format: "tune: verification from the plan: %@ %.5f (%.1f s)", constraint.metric.rawValue, constraint.value(report), Date().timeIntervalSince(began)))
        guard met else { throw VariantError("the plan's own pass gives \(constraint.metric.rawValue) \(constraint.value(report)), below \(constraint.floor)") }
        let perf = try recorder.inner.performance(cells: cells)
        let plan = planFrom(config, statistics: recorder.statistics, constraint: constraint, cost: try cost(config),
                            evaluations: searchEvaluations.count + 1)
        var seen = Set<String>(), bits = 0, macs = 0, wide = 0
        for r in recorder.inner.layers {
            let c = r.computation
            if seen.insert(r.name).inserted { bits += c.k * c.n * c.weightBits }
            macs += c.m * c.k * c.n
            if c.activationBits == 8 || c.weightBits == 8 { wide += c.m * c.k * c.n }
        }
        return ModelTuningResult(choices: names.map { ($0, precision(config[$0]!, layer: $0)) }, plan: plan, fidelity: report,
                                 cycles: perf.cycles, energyPJ: perf.energy.total, weightBits: bits,
                                 eightBitMACShare: macs == 0 ? 0 : Double(wide) / Double(macs),
                                 evaluations: searchEvaluations + [history.last!])
    }

    /// The plan of `config`: per layer a `<layer>.weight` and a `<layer>.input` tensor with
    /// the chosen kind and width; scales and errors from `statistics` where recorded.
    func planFrom(_ config: [String: LayerWidths], statistics: [String: OperandStatistics], constraint: FidelityConstraint,
                  cost: Double, evaluations: Int) -> QuantizationPlan {
        var tensors: [PlannedTensor] = []
        let code = variant.parameters.codeWidth
        for name in names {
            let p = precision(config[name]!, layer: name)
            for (role, choice) in [("weight", p.weight), ("activation", p.activation)] {
                guard case .format(let kind, let bits) = choice else { continue }
                let tensorName = name + (role == "weight" ? ".weight" : ".input")
                let s = statistics[tensorName]
                let elements = s?.elements ?? 1
                let mse = s?.mse ?? 0
                let relative = s.map { $0.meanSquare > 0 ? $0.mse / $0.meanSquare : 0 } ?? 0
                tensors.append(PlannedTensor(
                    name: tensorName, file: source, shape: s?.shape ?? [1], elements: elements, role: role, kind: kind, bits: bits,
                    signed: s?.signed ?? true, format: s?.format ?? "\(kind)\(bits)s", maxPositiveUnits: s?.grid.last ?? 1, grid: s?.grid ?? [],
                    scale: "alpha", alphas: s?.alphas ?? [0], biases: nil, mse: mse, relativeMSE: relative,
                    sqnrDB: mse > 0 && (s?.meanSquare ?? 0) > 0 ? 10 * log10(s!.meanSquare / mse) : nil,
                    storedBits: elements * bits, cost: Double(elements * bits), pwlq: nil))
            }
        }
        let weights = tensors.filter { $0.role == "weight" }
        let elements = weights.reduce(0) { $0 + $1.elements }, stored = weights.reduce(0) { $0 + $1.storedBits }
        let totals = PlanTotals(elements: elements, storedBits: stored, cost: cost,
                                compressionVsFP32: stored == 0 ? 0 : 32 * Double(elements) / Double(stored),
                                compressionVsInt8: stored == 0 ? 0 : 8 * Double(elements) / Double(stored),
                                relativeMSESum: tensors.reduce(0) { $0 + $1.relativeMSE }, minimumSQNRDB: tensors.compactMap(\.sqnrDB).min())
        let method = "model-level greedy narrowing from all-int8 on the \(variant.parameters.rows)x\(variant.parameters.cols) ANT array "
            + "(types \(variant.parameters.weight.types.map(\.description).joined(separator: ","))), \(code)-bit codes or int8 per operand: "
            + "sensitivity order, bisected prefix, single tries, plan verified end to end (\(evaluations) passes after the shared start pass)"
            + "; activation tensors: first-batch shape, scale and error (scales are per batch at run time); totals: weight tensors"
        return QuantizationPlan(objective: objective == .bits ? "stored weight bits" : "model \(objective.rawValue) on the array",
                                constraint: constraint.description, method: method, scale: "alpha", granularity: "channel",
                                tensors: tensors, totals: totals)
    }
}
