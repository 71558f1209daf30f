import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation

/// Checked MACs per second of simulation on 32 × 32 (issue 25 part 2), the command
/// `antgen verify --rows 32 --cols 32 --sources throughput --cases 1024 --jobs 2` runs: the
/// throughput mix (long-K native-width tiles, back to back), two simulator runs at a time,
/// builds from `.antgen-cache` in the working directory at `ANTGEN_VERILATOR_OPT`'s level.
/// Prints the split of wall time (golden generation, simulation) and the simulators' CPU
/// seconds (checking is part of each simulator run; the build too when it is not cached),
/// with the load average.
func runVerifyThroughputBenchmark() throws {
    let p = try ArrayParameters(rows: 32, cols: 32, codeWidth: 4, activationTypes: [.int, .flint, .pot],
                                weightTypes: [.int, .flint, .pot], accumulatorWidth: 32, int8: true)
    let spec = VerificationSpec(parameters: p, sources: [(.throughput, 1024)], seed: 1, chunk: 256)
    var verifier = Verifier(cacheDirectory: URL(fileURLWithPath: ".antgen-cache"))
    verifier.jobs = 2
    verifier.traceFailures = false
    let level = ProcessInfo.processInfo.environment["ANTGEN_VERILATOR_OPT"] ?? "default"
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    let before = childrenCPUSeconds()
    let report = try verifier.run([spec])
    guard report.passed else { throw HarnessError("throughput benchmark on 32x32 failed verification") }
    let simulatorCPU = childrenCPUSeconds() - before
    let rate = Double(report.macs) / report.simulationSeconds
    print("verify throughput: 32x32, --sources throughput --cases 1024 --jobs 2, opt \(level), load average \(load) before")
    print(String(format: "  generate %.2f s, build %.1f s, simulate %.2f s wall (%.1f s simulator CPU), %d cycles, %d MACs",
                 report.generationSeconds, report.buildSeconds, report.simulationSeconds, simulatorCPU, report.cycles, report.macs))
    print(String(format: "  utilization %.1f %%; %.1f M checked MACs/s of simulation wall, %.1f M per simulator CPU second",
                 (report.utilization(rows: 32, cols: 32) ?? 0) * 100, rate / 1e6, Double(report.macs) / max(simulatorCPU, 1e-9) / 1e6))
}

/// User + system CPU seconds of this process's waited-for children (the simulators, and
/// Verilator when a build is not cached).
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
