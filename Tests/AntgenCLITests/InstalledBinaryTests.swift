import Foundation
import Testing

/// An installed `antgen` (the executable plus its resource bundle copied out of the build
/// folder) verifies from any folder: the testbenches come from the bundle beside it.
@Suite struct InstalledBinaryTests {
    static let bundleName = "antgen_AntgenHarness.resources"

    /// `antgen` and its bundle copied into a fresh folder; returns (folder, copied antgen).
    static func install() throws -> (folder: URL, antgen: URL) {
        let folder = try CommandLineTests.temporaryFolder("installed")
        let built = CommandLineTests.antgen
        let fm = FileManager.default
        try fm.copyItem(at: built, to: folder.appendingPathComponent("antgen"))
        try fm.copyItem(at: built.deletingLastPathComponent().appendingPathComponent(bundleName),
                        to: folder.appendingPathComponent(bundleName))
        try fm.createDirectory(at: folder.appendingPathComponent("work"), withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("antgen"))
    }

    /// Runs `antgen` at `program` in `directory`; returns (status, stdout + stderr).
    static func run(_ program: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        // A copy just written can be "Text file busy" for a moment: another test thread's
        // fork inherited its still-open write descriptor. Wait for that child to exec.
        for attempt in 1 ... 50 {
            let process = Process()
            process.executableURL = program
            process.arguments = arguments
            process.currentDirectoryURL = directory
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do {
                try process.run()
            } catch let error as NSError where attempt < 50 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                usleep(100_000)
                continue
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        fatalError("unreachable: the last attempt rethrows")
    }

    static let verify = ["verify", "--rows", "2", "--cols", "2", "--cases", "10", "--sim", "icarus"]

    @Test func aCopiedBinaryWithItsBundleVerifiesOutsideTheCheckout() throws {
        let (folder, antgen) = try Self.install()
        defer { try? FileManager.default.removeItem(at: folder) }
        let work = folder.appendingPathComponent("work")
        let passed = try Self.run(antgen, Self.verify, in: work)
        #expect(passed.status == 0 && passed.output.contains(" passed, 0 failed"), "\(passed.output)")
        // The copy's own bundle is the one read: without its Icarus testbench the run fails.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("\(Self.bundleName)/Testbenches/harness/tb.v"))
        let broken = try Self.run(antgen, Self.verify, in: work)
        #expect(broken.status == 1 && broken.output.contains("\(folder.lastPathComponent)/\(Self.bundleName)/Testbenches/harness/tb.v"), "\(broken.output)")
    }
}
