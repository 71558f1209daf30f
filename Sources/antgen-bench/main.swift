import Foundation
// antgen-bench: the benchmarks behind docs/performance.md. Build in release mode:
//   swift build -c release --product antgen-bench && .build/release/antgen-bench all
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("dsl", runDSLBenchmark),
    ("quantizer", runQuantizerBenchmark),
    ("compat", runCompatBenchmark),
    ("emit", runEmitBenchmark),
    ("verify", runVerifyBenchmark),
    ("verify-throughput", runVerifyThroughputBenchmark),
    ("tuner", runTunerBenchmark),
    ("sdp", runSdpBenchmark),
    ("pwlq", runPwlqBenchmark),
    ("perf", runPerfBenchmark),
]

let requested = CommandLine.arguments.dropFirst().first ?? "all"
let selected = benchmarks.filter { requested == "all" || $0.name == requested }
if selected.isEmpty {
    print("antgen-bench: unknown benchmark '\(requested)'; choose one of: all, \(benchmarks.map(\.name).joined(separator: ", "))")
    exit(2)
}
for benchmark in selected {
    try benchmark.run()
}
