import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// Runs MX verification specs, printing one line per simulator run and the failures;
/// returns (passed, failed) case counts.
func runMxVerification(_ specs: [MxVerificationSpec], cacheDir: String) throws -> (passed: Int, failed: Int) {
    let verifier = MxVerifier(cacheDirectory: URL(fileURLWithPath: cacheDir), testbenches: try TestbenchSources.locate())
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-mx-\(getpid())-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: work) }
    var passed = 0, failed = 0
    for (index, spec) in specs.enumerated() {
        let results = try spec.run(verifier, work: work.appendingPathComponent("\(index)"))
        for r in results {
            passed += r.passed
            failed += max(r.cases - r.passed, 0)
            let bubbles = r.simulator == "verilator" && spec.bubbles != nil ? " (bubbles)" : ""
            print(String(format: "%@ %@ %@%@: %d of %d cases passed (%.1f s)", r.ok ? "PASS" : "FAIL", spec.name, r.simulator, bubbles,
                         r.passed, r.cases, r.seconds))
            if !r.ok {
                for line in r.messages.prefix(10) { print("  \(line)") }
                let acc: String
                switch spec.parameters.accumulation {
                case .float32: acc = "--mx-acc fp32"
                case .window(let s): acc = "--mx-acc window --mx-window \(s) --mx-max-blocks \(spec.parameters.maxBlocks)"
                }
                print("  reproduce: antgen verify --mx \(spec.parameters.formats.map(\.rawValue).joined(separator: ",")) --rows \(spec.parameters.rows) --cols \(spec.parameters.cols) \(acc) --mx-block-size \(spec.parameters.blockSize) --mx-blocks \(spec.maxBlocks) --seed \(spec.seed) --sim \(r.simulator)" + (spec.mutant.map { " --mx-mutation \($0)" } ?? ""))
            }
        }
    }
    return (passed, failed)
}

extension VerifyCommand {
    /// `--mx FORMATS`: verifies the MX array of `--rows × --cols` (Verilator, Icarus or
    /// both); returns false when `--mx` was not given.
    func executeMx() throws -> Bool {
        guard let p = try mx.parameters(rows: rows, cols: cols) else { return false }
        guard (1...64).contains(mxBlocks) else { throw CLIError("invalid --mx-blocks: \(mxBlocks) (use 1…64)") }
        let mutant: MxMutant?
        if mxMutation == "none" {
            mutant = nil
        } else if let named = MxMutant(rawValue: mxMutation) {
            mutant = named
        } else {
            throw CLIError("invalid --mx-mutation: '\(mxMutation)' (use none, \(MxMutant.allCases.map(\.description).joined(separator: ", ")))")
        }
        let kinds = try simulators()
        let spec = MxVerificationSpec(parameters: p, maxBlocks: mxBlocks, seed: seed, verilator: kinds.contains(.verilator),
                                      icarus: kinds.contains(.icarus), bubbles: bubbles > 0 ? UInt64(bubbles) : nil, mutant: mutant)
        let counts = try runMxVerification([spec], cacheDir: cacheDir)
        print("\(counts.passed) passed, \(counts.failed) failed")
        if counts.failed > 0 { throw ExitCode(1) }
        return true
    }
}
