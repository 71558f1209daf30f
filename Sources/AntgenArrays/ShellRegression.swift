import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation

/// A regression entry of the AXI shell (`antgen verify --regress`): random tiles of the
/// wrapped variant, with malformed packets among them, through the shell on one simulator
/// with random TVALID gaps and TREADY back-pressure, every result transfer checked against
/// the variant's golden model; or, with a mutant, the same run that must fail.
public struct ShellRegressionCheck: Sendable {
    /// TDATA width.
    public let dataWidth: Int
    /// Chances in quarters of a TVALID gap and of TREADY low.
    public let gap: Int, stall: Int
    /// Seed of the tiles and of the testbench's draws.
    public let seed: Int
    /// Tiles per run.
    public let tiles: Int
    /// The shell defect injected (nil: the real shell).
    public let mutant: AxiShellMutant?
    /// The shell's block-RAM result buffer in KiB (`--buffer-kib`; nil: the flip-flop FIFO).
    public var bufferKiB: Int? = nil

    /// Every variant's shell entries: for each variant the shell wraps, its small build at
    /// 32 and 64 bits on both simulators, at 32 bits with a 1-KiB result buffer, and each
    /// ``AxiShellMutant`` on Icarus.
    public static func entries(seed: UInt64) throws -> [RegressionEntry] {
        var out: [RegressionEntry] = []
        for type in VariantRegistry.all {
            let variant = try type.small(dataflow: type.dataflows[0])
            guard variant is any AxiShellVariant, (try? variant.axiShellCore()) != nil else { continue }
            let s = Int(seed % 1000)
            for (n, (width, gap, stall)) in [(32, 2, 2), (64, 1, 3)].enumerated() {
                let check = ShellRegressionCheck(dataWidth: width, gap: gap, stall: stall, seed: s + n, tiles: 12, mutant: nil)
                out.append(RegressionEntry(variant, cases: 12, detail: check))
            }
            let buffered = ShellRegressionCheck(dataWidth: 32, gap: 2, stall: 3, seed: s + 2, tiles: 12, mutant: nil, bufferKiB: 1)
            out.append(RegressionEntry(variant, cases: 12, detail: buffered))
            for mutant in AxiShellMutant.allCases {
                let check = ShellRegressionCheck(dataWidth: 32, gap: 1, stall: 2, seed: s + 5, tiles: 6, mutant: mutant)
                out.append(RegressionEntry(variant, cases: 6, defect: mutant.rawValue, simulators: [.icarus], detail: check))
            }
        }
        return out
    }

    /// Runs the check on `variant` on each of `simulators`.
    /// - Throws: ``VariantError`` when the shell does not wrap `variant`, or the bench's error.
    public func verify(_ variant: any ArrayVariant, simulators: [SimulatorKind], tools: SimulatorTools) throws -> VerifyOutcome {
        guard let wrapped = variant as? any AxiShellVariant else { throw VariantError("--shell axi does not wrap \(variant.configurationSummary)") }
        let format = try variant.axiShellFormat(dataWidth: dataWidth)
        var design = try variant.axiShell(dataWidth: dataWidth, bufferKiB: bufferKiB)
        if let mutant { design = try design.applying([try mutant.mutation(in: design)], tag: mutant.rawValue) }
        let tiles = try wrapped.randomShellTiles(count: tiles, seed: UInt64(seed), format: format)
        let bench = AxiShellBench(format: format, tools: tools)
        let input = bench.inputLines(tiles, extra: bench.malformedPackets, at: tiles.count / 2), output = bench.outputLines(tiles)
        var runs: [VerifyRun] = []
        for simulator in simulators {
            let fm = FileManager.default
            let work = fm.temporaryDirectory.appendingPathComponent("antgen-shell-regress-\(getpid())-\(UUID().uuidString.prefix(8))")
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? fm.removeItem(at: work) }
            let start = Date()
            let outcome = try bench.run(design, input: input, output: output, simulator: simulator, in: work, gap: gap, stall: stall,
                                        seed: seed, expectError: true)
            let problems = outcome.passed ? [] : outcome.output.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.prefix(20).map(String.init)
            runs.append(VerifyRun(name: "\(design.top.name) gap \(gap) stall \(stall)", simulator: simulator, cases: tiles.count,
                                  failedCases: outcome.passed ? 0 : tiles.count, problems: problems.isEmpty && !outcome.passed ? ["no PASS line"] : problems,
                                  cycles: outcome.cycles ?? 0, seconds: Date().timeIntervalSince(start)))
        }
        return VerifyOutcome(runs: runs)
    }
}

extension AntVariant {
    /// Random tiles of 1…6 beats in every operand mode the build decodes, results by the golden model.
    public func randomShellTiles(count: Int, seed: UInt64, format: AxiShellFormat) throws -> [AxiShellTile] {
        let p = parameters, model = try goldenModel()
        func modes(_ types: [AntType]) -> [OperandMode] {
            let native = types.flatMap { type in [false, true].map { OperandMode(type: type, signed: $0) } }
                .filter { (try? $0.format(codeWidth: p.codeWidth)) != nil }
            return native + (p.int8 ? [OperandMode(type: .int, signed: true, int8: true), OperandMode(type: .int, signed: false, int8: true)] : [])
        }
        let actModes = modes(p.activation.types), weightModes = modes(p.weight.types)
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { t in
            let act = actModes.randomElement(using: &rng)!, weight = weightModes.randomElement(using: &rng)!
            let k = Int.random(in: 1...6, using: &rng)
            let a = (0..<k).map { _ in (0..<p.rows).map { _ in UInt64.random(in: 0..<(1 << UInt64(act.codeBits(codeWidth: p.codeWidth))), using: &rng) } }
            let w = (0..<k).map { _ in (0..<p.cols).map { _ in UInt64.random(in: 0..<(1 << UInt64(weight.codeBits(codeWidth: p.codeWidth))), using: &rng) } }
            return AxiShellTile(ant: model.makeCase(source: "shell-\(t)", activation: act, weight: weight, a: a, w: w), format: format)
        }
    }
}

extension SdpVariant {
    /// Golden cases of ``SdpGoldenGenerator`` (1…4 groups each) as shell tiles.
    public func randomShellTiles(count: Int, seed: UInt64, format: AxiShellFormat) throws -> [AxiShellTile] {
        let p = parameters
        return try p.goldenGenerator.cases(count: count, seed: seed, maxBeats: 4).map {
            AxiShellTile(sdp: $0, format: format, group: p.group, codeWidth: p.weight.codeInputWidth)
        }
    }
}
