import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The shared build cache: every test reuses Verilator builds across tests and runs.
let sharedCache = repositoryRoot.appendingPathComponent(".antgen-cache")

/// A fresh temporary directory; the caller removes it.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-harness-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Array parameters for tests.
func parameters(_ rows: Int, _ cols: Int, act: [AntType], weight: [AntType]? = nil, w: Int = 32, int8: Bool = true,
                bits: Int = 4) throws -> ArrayParameters {
    try ArrayParameters(rows: rows, cols: cols, codeWidth: bits, activationTypes: act, weightTypes: weight ?? act,
                        accumulatorWidth: w, int8: int8)
}

/// A verifier on the shared cache, failure artefacts in `failures` (or the cache's folder).
func verifier(failures: URL? = nil, traceFailures: Bool = false, jobs: Int = 1) -> Verifier {
    var v = Verifier(cacheDirectory: sharedCache, failureDirectory: failures)
    v.traceFailures = traceFailures
    v.jobs = jobs
    return v
}

/// Asserts that a run passed, with its problems in the message.
func expectPassed(_ report: VerificationReport, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let problems = report.results.filter { !$0.passed }.map { "\($0.specName) \($0.job.name): \($0.error ?? $0.problems.prefix(3).joined(separator: "; "))" }
    #expect(report.passed, "\(label): \(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
    #expect(report.failedCases == 0, sourceLocation: sourceLocation)
    #expect(report.passedCases > 0, sourceLocation: sourceLocation)
}
