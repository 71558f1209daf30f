import Foundation
import Testing

/// Faults while `antgen emit` writes a folder: `kill -9` at random moments must leave the
/// old design or the new one whole (plus at most one staging folder), the next emit must
/// succeed and clean up, and concurrent emits into one folder must not mix.
@Suite struct OutputFolderFaultTests {
    typealias CLI = CommandLineTests
    typealias Folder = OutputFolderTests

    /// Two 16×16 builds whose files differ in name and contents.
    static let designs: [[String]] = [
        ["--rows", "16", "--cols", "16"],
        ["--rows", "16", "--cols", "16", "--types", "int,pot", "--acc-width", "24"],
    ]

    /// Starts `antgen emit` without waiting (output discarded).
    static func start(_ arguments: [String], in dir: URL) throws -> Process {
        let process = Process()
        process.executableURL = CLI.antgen
        process.arguments = ["emit"] + arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The index of the reference design `folder` holds exactly, or nil for anything else.
    static func whole(_ folder: URL, among references: [[String: Data]]) throws -> Int? {
        let files = try Folder.snapshot(folder)
        return references.firstIndex(of: files)
    }

    /// The staging folders beside or inside the target.
    static func staging(_ dir: URL, _ out: URL) throws -> [String] {
        let beside = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        return (beside + inside).filter { $0.hasPrefix(".antgen-staging-") }
    }

    /// A deterministic sequence of kill delays (SplitMix64), in microseconds below `bound`.
    static func delays(count: Int, below bound: UInt64, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0 ..< count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) % bound
        }
    }

    /// The entry names in `dir` and in `out`, to notice when a write has begun.
    static func entries(_ dir: URL, _ out: URL) -> Set<String> {
        let beside = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        return Set(beside + inside.map { "out/\($0)" })
    }

    /// Kills `process` with SIGKILL: after `delay` µs from now when `triggered` is false, else
    /// `delay` µs after the first file appears in `dir` or `out` (the moment writing begins,
    /// a few milliseconds of a run that mostly elaborates, which plain random delays rarely hit).
    static func kill(_ process: Process, after delay: UInt64, triggered: Bool, dir: URL, out: URL, signal: Int32 = SIGKILL) {
        if triggered {
            let baseline = entries(dir, out)
            while process.isRunning && entries(dir, out) == baseline { usleep(50) }
        }
        usleep(UInt32(delay))
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Kill moments: odd trials uniform over one emit's duration, even trials up to 3 ms after
    /// writing begins.
    static func moments(count: Int, duration: Duration, seed: UInt64) -> [(delay: UInt64, triggered: Bool)] {
        let micros = UInt64(duration.components.seconds) * 1_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000_000)
        return delays(count: count, below: 1 << 40, seed: seed).enumerated().map { i, random in
            i % 2 == 0 ? (random % 3000, true) : (random % max(micros * 11 / 10, 1000), false)
        }
    }

    /// Runs kill trials against `dir/out`, alternating the two designs.
    static func killTrials(dir: URL, seed: UInt64, signal: Int32 = SIGKILL) throws {
        let out = dir.appendingPathComponent("out")
        let references = try designs.enumerated().map { i, arguments in try Folder.reference(arguments, "ref\(i)", in: dir) }
        let clock = ContinuousClock()
        let started = clock.now
        let first = try CLI.run(["emit"] + designs[0] + ["-o", "out"], in: dir)
        #expect(first.status == 0, "\(first.err)")
        let duration = clock.now - started
        var current = try #require(try whole(out, among: references))
        for (delay, triggered) in moments(count: 10, duration: duration, seed: seed) {
            let next = 1 - current
            // An interrupt is aimed closer to the start of writing: the staging window it
            // must clean up lasts only a few milliseconds.
            let aimed = signal == SIGKILL || !triggered ? delay : delay % 200
            kill(try start(designs[next] + ["-o", "out"], in: dir), after: aimed, triggered: triggered, dir: dir, out: out, signal: signal)
            let found = try whole(out, among: references)
            let left = try Folder.snapshot(out).keys.sorted()
            #expect(found != nil, "after signal \(signal) at \(delay) µs (triggered: \(triggered)) the folder is neither design: \(left)")
            // SIGKILL may leave one staging folder (the next emit removes it); an interrupt none.
            #expect(try staging(dir, out).count <= (signal == SIGKILL ? 1 : 0))
            // The next emit succeeds, gives the design asked for and removes the leftovers.
            let again = try CLI.run(["emit"] + designs[next] + ["-o", "out"], in: dir)
            #expect(again.status == 0, "\(again.err)")
            #expect(try whole(out, among: references) == next)
            #expect(try staging(dir, out).isEmpty)
            current = next
        }
    }

    @Test func killNineLeavesOneWholeDesignAndTheNextEmitSucceeds() throws {
        let dir = try CLI.temporaryFolder("kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.killTrials(dir: dir, seed: 11)
    }

    /// Ctrl-C (SIGINT) at random moments: the interrupt handler removes the staging folder,
    /// so the folder holds one whole design and nothing else is left beside it.
    @Test func interruptLeavesOneWholeDesignAndNoStagingFolder() throws {
        let dir = try CLI.temporaryFolder("interrupt")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.killTrials(dir: dir, seed: 12, signal: SIGINT)
    }

    @Test func killNineUnderForceKeepsTheForeignFileAndRecovers() throws {
        let dir = try CLI.temporaryFolder("killforce")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let notes = Data("mine\n".utf8)
        try notes.write(to: out.appendingPathComponent("notes.txt"))
        // File by file, the guarantee is per file: after a kill every file the manifest lists
        // is present; the next emit leaves exactly the new design and the foreign file.
        let references = try Self.designs.enumerated().map { i, arguments in
            try Folder.reference(arguments, "ref\(i)", in: dir).merging(["notes.txt": notes]) { a, _ in a }
        }
        for (trial, (delay, triggered)) in Self.moments(count: 8, duration: .milliseconds(600), seed: 5).enumerated() {
            let next = trial % 2
            Self.kill(try Self.start(Self.designs[next] + ["-o", "out", "--force"], in: dir), after: delay, triggered: triggered, dir: dir, out: out)
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
            #expect(files.contains("notes.txt"))
            if files.contains("manifest.json") {
                #expect(try Folder.listed(out).isSubset(of: files), "after kill -9 at \(delay) µs a listed file is missing")
            }
            let again = try CLI.run(["emit"] + Self.designs[next] + ["-o", "out", "--force"], in: dir)
            #expect(again.status == 0, "\(again.err)")
            #expect(try Self.whole(out, among: references) == next)
            #expect(try Self.staging(dir, out).isEmpty)
        }
    }

    @Test func concurrentEmitsLeaveOneConsistentDesign() throws {
        let dir = try CLI.temporaryFolder("concurrent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let references = try Self.designs.enumerated().map { i, arguments in try Folder.reference(arguments, "ref\(i)", in: dir) }
        for _ in 0 ..< 3 {
            let processes = try [0, 1, 0, 1].map { try Self.start(Self.designs[$0] + ["-o", "out"], in: dir) }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 })
            #expect(try Self.whole(out, among: references) != nil)
            let beside = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            #expect(beside == ["out", "ref0", "ref1"])
        }
    }
}
