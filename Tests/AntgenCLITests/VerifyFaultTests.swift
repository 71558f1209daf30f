import Foundation
import Testing

/// Issue 16's fault test of a real `antgen verify` (Verilator build, golden vectors,
/// simulation, JUnit and kept vectors): SIGKILL or SIGINT at a seeded random moment, then
/// no process of the run survives, no temporary build folder is left once the next run
/// has swept, the outputs are whole or absent, and the next run succeeds.
@Suite(.serialized) struct VerifyFaultTests {
    typealias CLI = CommandLineTests

    /// The verify command of one trial: a 1 × 1 array (the cheapest real build).
    static func arguments(cache: String, label: String) -> [String] {
        ["verify", "--rows", "1", "--cols", "1", "--cases", "16", "--cache-dir", cache,
         "--junit", "\(label).xml", "--keep-vectors", "\(label)-vectors"]
    }

    /// Runs antgen with output to /dev/null, sends `signal` after `delay` seconds, and
    /// returns how it ended.
    static func interrupted(_ arguments: [String], in dir: URL, signal: Int32, after delay: Double)
        throws -> (reason: Process.TerminationReason, status: Int32) {
        let process = Process()
        process.executableURL = CLI.antgen
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus)
    }

    /// Live processes (zombies excluded) other than this one whose command line mentions `path`.
    static func processes(mentioning path: String) -> [String] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> String? in
            guard let pid = pid_t(name), pid != me,
                  let raw = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !raw.isEmpty else { return nil }
            let command = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            let stat = (try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8)) ?? ""
            let state = stat.lastIndex(of: ")").map { stat[stat.index($0, offsetBy: 2)] }
            return command.contains(path) && state != "Z" ? "\(pid): \(command.prefix(120))" : nil
        }
    }

    /// Waits up to two seconds for every process mentioning `path` to end.
    static func survivors(mentioning path: String) -> [String] {
        for _ in 0..<100 {
            let left = processes(mentioning: path)
            if left.isEmpty { return [] }
            usleep(20_000)
        }
        return processes(mentioning: path)
    }

    /// What a complete run leaves: the JUnit file's test-case count and the kept vector files.
    static func outputs(_ label: String, in dir: URL) -> (testcases: Int?, vectors: [String]?) {
        let junit = try? String(contentsOf: dir.appendingPathComponent("\(label).xml"), encoding: .utf8)
        let testcases = junit.map { text in
            text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</testsuites>")
                ? text.components(separatedBy: "<testcase ").count - 1 : -1
        }
        let vectors = try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("\(label)-vectors").path).sorted()
        return (testcases, vectors)
    }

    @Test func killedVerifyLeavesNoProcessNoTemporaryFolderAndWholeOutputs() throws {
        let dir = try CLI.temporaryFolder("verify-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Reference runs: a cold one (with the build) and a warm one (cached build).
        var start = Date()
        let cold = try CLI.run(Self.arguments(cache: "warm", label: "cold"), in: dir)
        let coldSeconds = Date().timeIntervalSince(start)
        #expect(cold.status == 0, "\(cold.err)")
        start = Date()
        let warm = try CLI.run(Self.arguments(cache: "warm", label: "ref"), in: dir)
        let warmSeconds = Date().timeIntervalSince(start)
        #expect(warm.status == 0, "\(warm.err)")
        let reference = Self.outputs("ref", in: dir)
        #expect((reference.testcases ?? 0) > 0 && (reference.vectors?.count ?? 0) > 0, "\(reference)")

        var generator = SystemRandomNumberGenerator()
        for trial in 0..<4 {
            // Trials 0 and 1 interrupt a cold run (mostly the build), 2 and 3 a warm one.
            let signal = trial % 2 == 0 ? SIGKILL : SIGINT
            let cache = trial < 2 ? "cold\(trial)" : "warm"
            let span = trial < 2 ? coldSeconds : warmSeconds * 1.1
            let delay = Double.random(in: 0.02...max(0.05, span), using: &generator)
            let label = "t\(trial)"
            let what = "trial \(trial): signal \(signal) after \(String(format: "%.2f", delay)) s of \(String(format: "%.2f", span)) s"
            let ended = try Self.interrupted(Self.arguments(cache: cache, label: label), in: dir, signal: signal, after: delay)
            let outcome = "\(ended.reason == .uncaughtSignal ? "signal" : "exit") \(ended.status)"
            let allowed: Set<String> = signal == SIGKILL ? ["signal 9", "exit 0"] : ["exit 130", "exit 0"]
            #expect(allowed.contains(outcome), "\(what): \(outcome)")
            // No build, compiler or simulator of the run survives it (SIGKILL: the watcher).
            let left = Self.survivors(mentioning: dir.appendingPathComponent(cache).path)
            #expect(left.isEmpty, "\(what): \(left)")
            // A caught signal removes the temporary build folder at once.
            let cacheFolder = dir.appendingPathComponent(cache).path
            if signal == SIGINT {
                let temporary = ((try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? []).filter { $0.hasPrefix(".tmp-") }
                #expect(temporary.isEmpty, "\(what): \(temporary)")
            }
            // Outputs are whole or absent.
            let partial = Self.outputs(label, in: dir)
            #expect(partial.testcases == nil || partial.testcases == reference.testcases, "\(what): JUnit \(String(describing: partial.testcases))")
            #expect(partial.vectors == nil || partial.vectors == reference.vectors, "\(what): vectors \(String(describing: partial.vectors))")
            // The next run succeeds, sweeps what a killed run left and writes whole outputs.
            let next = try CLI.run(Self.arguments(cache: cache, label: label), in: dir)
            #expect(next.status == 0, "\(what): next run \(next.err)")
            let after = Self.outputs(label, in: dir)
            #expect(after.testcases == reference.testcases && after.vectors == reference.vectors, "\(what): \(after)")
            let temporary = ((try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? []).filter { $0.hasPrefix(".tmp-") }
            #expect(temporary.isEmpty, "\(what): after the next run \(temporary)")
        }
        // Nothing but the runs' own outputs and caches in the folder (no staging folders).
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("antgen-staging") || $0.hasPrefix(".tmp") }
        #expect(names.isEmpty, "\(names)")
    }
}
