import AntgenHardware
import AntgenHarness
import AntgenNumerics
import ArgumentParser
import Foundation

/// The SDP configurations of `antgen verify --regress` (both simulators): small arrays,
/// every G, the extreme budgets T = 1 and T = 2G, int8 weights and native ANT weights.
enum SdpRegression {
    static func specs(seed: UInt64) throws -> [SdpVerificationSpec] {
        let configs: [(rows: Int, cols: Int, g: Int, t: Int, types: [AntType], int8: Bool)] = [
            (2, 3, 2, 1, [.int, .flint, .pot, .float], true),
            (3, 2, 4, 5, [.int, .flint, .pot], true),
            (4, 4, 8, 6, [.int, .flint, .pot], true),
            (2, 2, 16, 32, [.int, .pot], true),
            (3, 3, 8, 13, [.flint, .float], false),
        ]
        return try configs.map { c in
            var spec = SdpVerificationSpec(parameters: try SdpArrayParameters(rows: c.rows, cols: c.cols, group: c.g, terms: c.t,
                                                                             weightTypes: c.types, weightInt8: c.int8, accumulatorWidth: 32),
                                           cases: 120, seed: seed)
            spec.simulators = [.verilator, .icarus]
            return spec
        }
    }
}

extension VerifyCommand {
    /// `antgen verify --sdp …` (and the SDP part of `--regress`): runs the specs, prints one
    /// line per simulator and the failures, and fails when anything failed.
    func verifySdp(_ specs: [SdpVerificationSpec], timeout: Double?) throws {
        let counts = try runSdp(specs, timeout: timeout)
        print("\(counts.passed) passed, \(counts.failed) failed")
        if counts.failed > 0 { throw ExitCode(1) }
    }

    /// Runs the specs, printing one line per simulator and the failures; returns the cases
    /// that passed and failed.
    func runSdp(_ specs: [SdpVerificationSpec], timeout: Double?) throws -> (passed: Int, failed: Int) {
        var verifier = SdpVerifier()
        verifier.tools = SimulatorTools.standard.withTimeout(timeout)
        var failed = 0, passed = 0
        for spec in specs {
            FileHandle.standardError.write(Data("sdp \(spec.name): \(spec.cases) cases, \(spec.simulators.map(\.description).joined(separator: " + ")) …\n".utf8))
            for r in try verifier.run(spec) {
                let bad = r.outcome.casePassed.filter { !$0 }.count
                passed += r.outcome.casePassed.count - bad
                failed += bad + (bad == 0 && !r.outcome.problems.isEmpty ? 1 : 0)
                print("\(r.passed ? "ok  " : "FAIL") \(spec.name) \(r.simulator): \(r.outcome.casePassed.count) cases, \(r.outcome.cycles) cycles")
                for line in r.outcome.problems.prefix(10) { print("  \(line)") }
                if spec.fixedBeats != nil, let first = r.tiles.first, let last = r.tiles.last {
                    let steady = r.tiles.count > 1 ? Double(last.lastOut - first.lastOut) / Double(r.tiles.count - 1) : Double(first.lastOut - first.firstAccept + 1)
                    print(String(format: "  cycles: %d for the first tile alone (first beat accepted to last row out), %.1f per tile back to back, latency %d after the last beat",
                                 first.lastOut - first.firstAccept + 1, steady, first.firstOut - first.lastAccept))
                }
                if !r.passed {
                    print("  reproduce: antgen verify --sdp --rows \(spec.parameters.rows) --cols \(spec.parameters.cols) --group \(spec.parameters.group) --terms \(spec.parameters.terms) --weight-types \(spec.parameters.weight.typeList) \(spec.parameters.weight.int8 ? "--int8" : "--no-int8") --acc-width \(spec.parameters.accumulatorWidth) --cases \(spec.cases) --seed \(spec.seed) --sim \(r.simulator)\(spec.mutant.map { " --mutation \($0)" } ?? "")")
                }
            }
        }
        return (passed, failed)
    }

    /// The spec of `antgen verify --sdp` from the command's options.
    func sdpSpec() throws -> SdpVerificationSpec {
        let weightTypes = try ArrayOptions.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types")
        let p = try sdpOptions.parameters(rows: rows, cols: cols, weightTypes: weightTypes, int8: int8, accWidth: accWidth)
        var spec = SdpVerificationSpec(parameters: p, cases: cases, seed: seed)
        spec.simulators = try simulators()
        spec.bubbles = bubbles
        if let groups = sdpOptions.tileGroups {
            guard groups >= 1 else { throw HarnessError("invalid tile-groups: \(groups) must be at least 1") }
            spec.fixedBeats = groups
        }
        if mutation != "none" {
            guard let m = SdpMutant(rawValue: mutation) else {
                throw HarnessError("invalid mutation: '\(mutation)' with --sdp (use none, \(SdpMutant.allCases.map(\.description).joined(separator: ", ")))")
            }
            spec.mutant = m
        }
        return spec
    }
}
