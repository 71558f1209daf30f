import AntgenNumerics

extension CaseGenerator {
    /// The type selector code the array's `hold_*_type` registers hold before the first
    /// beat is accepted (they have no reset; Verilator starts them at 0): `int`.
    static let powerUpType = AntType.int

    /// The random source's first case (docs/verification.md, "Case sources"): a case that a
    /// stale power-up type would get wrong. Its weight and activation modes are 4-bit modes of
    /// another type than ``powerUpType``, K = rows (so the weight-stationary array's first load
    /// beat, W row rows − 1, is real data), and every code decodes to another value under the
    /// power-up type than under its own (same signedness). A decoder whose `type_sel` lags the
    /// held type by a cycle therefore decodes the file's first beat wrongly, on both dataflows.
    /// Nil when the build has no such weight mode; a side without such a mode keeps its
    /// first mode with random codes.
    static func powerUpTypeCase(_ model: GoldenModel, rng: inout SplitMix64) throws -> GoldenCase? {
        let c = model.configuration
        let differs = { (mode: OperandMode) in !mode.int8 && mode.type != powerUpType }
        guard let weight = c.weightModes.first(where: differs) else { return nil }
        let activation = c.activationModes.first(where: differs) ?? c.activationModes[0]
        let weightCodes = try codesDecodingOtherwise(model, weight)
        let activationCodes = try codesDecodingOtherwise(model, activation)
        let pick = { (codes: [UInt64], rng: inout SplitMix64) in codes.randomElement(using: &rng)! }
        let k = c.rows
        let a = (0..<k).map { _ in (0..<c.rows).map { _ in pick(activationCodes, &rng) } }
        let w = (0..<k).map { _ in (0..<c.cols).map { _ in pick(weightCodes, &rng) } }
        return model.makeCase(source: "power-up", activation: activation, weight: weight, a: a, w: w)
    }

    /// The codes of `mode` whose value differs from the same code's value as a
    /// ``powerUpType`` code of the same signedness; every code when `mode` is of that type or
    /// no code differs.
    static func codesDecodingOtherwise(_ model: GoldenModel, _ mode: OperandMode) throws -> [UInt64] {
        let width = model.configuration.codeWidth
        let all = (0..<(UInt64(1) << UInt64(mode.codeBits(codeWidth: width)))).map { $0 }
        guard !mode.int8, mode.type != powerUpType else { return all }
        let powerUp = try OperandMode(type: powerUpType, signed: mode.signed).format(codeWidth: width)
        let differing = try all.filter { try powerUp.decode(code: Int($0)) != model.value(of: $0, mode: mode) }
        return differing.isEmpty ? all : differing
    }
}
