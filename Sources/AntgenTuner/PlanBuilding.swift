import AntgenNumerics
import Foundation

// The plan model, its reader and its writer live in AntgenNumerics (QuantizationPlan.swift),
// shared with the hardware mapping and perf; the tuner only builds plans and prints them.

extension PlannedTensor {
    /// Describes one chosen option of a tensor.
    public init(set: TensorOptionSet, option: QuantizationOption, cost: Double) {
        self.init(
            name: set.name, file: set.file, shape: set.shape, elements: set.elementCount, role: set.role.rawValue,
            kind: option.pwlq == nil ? option.kind.name : "pwlq", bits: option.bits, signed: option.format.isSigned,
            format: option.pwlq.map { "pwlq\(option.bits)-\($0.variant)" } ?? option.format.description,
            maxPositiveUnits: option.format.maxPositiveUnits, grid: option.pwlq == nil ? option.format.distinctValues : [],
            scale: option.scale.rawValue, alphas: option.alphas, biases: option.scale == .bias ? option.biases : nil,
            mse: option.meanSquaredError, relativeMSE: option.relativeError, sqnrDB: option.sqnr.isFinite ? option.sqnr : nil,
            storedBits: option.storedBits, cost: cost, pwlq: option.pwlq)
    }
}

extension QuantizationPlan {
    /// Builds a plan from the chosen option index of every tensor.
    ///
    /// - Throws: `TuningError` when the objective cannot price a chosen option.
    public init(
        sets: [TensorOptionSet], choices: [Int], objective: TuningObjective, constraint: String, method: String,
        space: TuningSpace
    ) throws(TuningError) {
        var tensors: [PlannedTensor] = []
        for (set, choice) in zip(sets, choices) {
            tensors.append(PlannedTensor(set: set, option: set.options[choice], cost: try objective.cost(of: set.options[choice])))
        }
        let elements = tensors.reduce(0) { $0 + $1.elements }
        let stored = tensors.reduce(0) { $0 + $1.storedBits }
        let totals = PlanTotals(
            elements: elements, storedBits: stored, cost: tensors.reduce(0) { $0 + $1.cost },
            compressionVsFP32: stored > 0 ? Double(32 * elements) / Double(stored) : 0,
            compressionVsInt8: stored > 0 ? Double(8 * elements) / Double(stored) : 0,
            relativeMSESum: tensors.reduce(0) { $0 + $1.relativeMSE }, minimumSQNRDB: tensors.compactMap(\.sqnrDB).min())
        self.init(objective: objective.name, constraint: constraint, method: method, scale: space.scale.rawValue,
                  granularity: space.perChannel ? "channel" : "tensor", tensors: tensors, totals: totals)
    }

    /// The table `antgen tune` prints: tensor, format, bits, MSE, SQNR, then the totals.
    public var table: String {
        let nameWidth = max(6, tensors.map(\.name.count).max() ?? 0) + 2
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines = [pad("tensor", nameWidth) + pad("format", 12) + pad("bits", 6) + pad("MSE", 13) + "SQNR (dB)"]
        for tensor in tensors {
            let sqnr = tensor.sqnrDB.map { String(format: "%.2f", $0) } ?? "exact"
            lines.append(pad(tensor.name, nameWidth) + pad(tensor.format, 12) + pad("\(tensor.bits)", 6)
                         + pad(tensor.mse.isFinite ? String(format: "%.4e", tensor.mse) : "—", 13) + sqnr)
        }
        if tensors.contains(where: { !$0.mse.isFinite }) {
            lines.append("—: the MSE in the data's own units leaves float64's range (|x| beyond about 1e±154); SQNR and the relative MSEs are exact")
        }
        let bytes = Double(totals.storedBits) / 8
        lines.append("total: \(totals.elements) parameters, \(totals.storedBits) bits (\(String(format: "%.1f", bytes / 1024)) KiB), \(String(format: "%.3f", Double(totals.storedBits) / Double(max(totals.elements, 1)))) bits per parameter")
        lines.append(String(format: "compression: %.2fx vs FP32, %.2fx vs uniform int8", totals.compressionVsFP32, totals.compressionVsInt8))
        lines.append("objective (\(objective)): \(shortNumber(totals.cost))   constraint: \(constraint)   sum of relative MSEs: \(String(format: "%.4e", totals.relativeMSESum))")
        return lines.joined(separator: "\n")
    }
}
